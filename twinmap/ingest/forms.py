"""Forms write through the import pipeline: a form is a one-row file.

So a row typed into a form is validated by the same rules, recorded as a batch that can be
undone on the Data page, and records stage changes, exactly like an uploaded file.
"""

from __future__ import annotations

import csv
import io

import duckdb

from twinmap.ingest import batches, importer
from twinmap.ingest.specs import TABLES
from twinmap.store.auth import User


def one_row(table: str, values: dict[str, object]) -> bytes:
    """A CSV file with the template's header and one row of ``values`` (unknown keys refused)."""
    spec = TABLES[table]
    names = [c.name for c in spec.columns]
    unknown = set(values) - set(names)
    if unknown:
        raise KeyError(f"not columns of {table}: {sorted(unknown)}")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(names)
    writer.writerow(["" if values.get(n) is None else str(values.get(n)) for n in names])
    return buf.getvalue().encode("utf-8")


def submit(
    con: duckdb.DuckDBPyConnection, table: str, values: dict[str, object], user: User | str, form: str
) -> tuple[importer.Plan, int | None]:
    """Validate the row and commit it when clean; return the plan (its errors) and the batch id.

    The row is checked with ``user``'s rights: outside their home cities it is refused.
    """
    plan = importer.plan_import(con, one_row(table, values), f"form: {form}", table, writer=user)
    if not plan.ok:
        return plan, None
    return plan, batches.commit(con, plan, user.name if isinstance(user, User) else user)


def partnership_keys(row: dict) -> dict[str, str]:
    """The four columns that name a partnership, from a row of :func:`twinmap.reads.queries.partnerships`."""
    return {
        "home_city": row["home_name"],
        "home_country": row["home_country"],
        "partner_city": row["partner_name"],
        "partner_country": row["partner_country"],
    }
