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


def test_a_note_repeated_over_many_rows_is_said_once_with_its_rows() -> None:
    from twinmap.ingest.plan import Problem
    from twinmap.views.i18n import Translator

    msgid = "row {row}: {name} is new here; it will be added"
    notes = [Problem(r, "name", msgid, {"row": r, "name": "Gorgan"}) for r in (2, 3, 5)]
    notes.append(Problem(7, "name", msgid, {"row": 7, "name": "Babol"}))  # another city: its own note
    said = previews.grouped_notes(notes)
    assert said == ["row 2: Gorgan is new here; it will be added The same for rows 3, 5.",
                    "row 7: Babol is new here; it will be added"]  # fmt: skip
    ru = previews.grouped_notes(notes[:2], Translator("ru"))
    assert ru[0].endswith("То же для строки 3.")
