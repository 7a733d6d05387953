"""An import preview builds only the first rows of a large file and counts them all."""

import duckdb

from twinmap.ingest import importer
from twinmap.views import previews


def _events(n: int) -> bytes:
    rows = [f"Sari,IR,Astrakhan,RU,festival,Festival no. {i},2026-06-{1 + i % 28:02d},held" for i in range(n)]
    return ("home_city,home_country,partner_city,partner_country,kind,title,starts_on,status\n"
            + "\n".join(rows)).encode()  # fmt: skip


def test_a_large_preview_shows_its_first_rows_and_counts_them_all(con: duckdb.DuckDBPyConnection) -> None:
    plan = importer.plan_import(con, _events(previews.SHOWN + 500), "events.csv", "events")
    assert plan.ok and plan.new_count == previews.SHOWN + 500
    shown = previews.plan_tables(plan)
    assert len(shown["new"]) == previews.SHOWN
    assert shown["new"].iloc[0]["Row"] == "2" and shown["new"].iloc[-1]["title"] == f"Festival no. {previews.SHOWN - 1}"
    assert dict((label, value) for label, value, _ in previews.counts(plan))["New"] == "1,500"
