"""An import as staff read it: the preview's tables and a past import in words."""

from __future__ import annotations

import pandas as pd

from twinmap.ingest.specs import TABLES
from twinmap.views.i18n import ENGLISH, Translator


def batch_label(row: dict, tr: Translator = ENGLISH) -> str:
    """One import in a line: number, table, file, who and when (what the undo box offers)."""
    when = row["created_at"].strftime("%Y-%m-%d %H:%M") if row.get("created_at") is not None else ""
    return f"#{row['id']} · {tr(_table_label(row['table_name']))} · {row['file_name']} · {row['user_name']} · {when}"


def batch_details(row: dict, tr: Translator = ENGLISH) -> str:
    """What undoing an import takes back, said before anyone confirms it."""
    return tr(
        "Import #{batch} of {file} into {table} by {user} on {when}: {inserted} new row(s), {updated} changed, "
        "{cities} city(ies) added. Undo deletes the new rows and restores the previous values of the changed ones.",
        batch=row["id"], file=row["file_name"], table=tr(_table_label(row["table_name"])), user=row["user_name"],
        when=tr.digits(row["created_at"].strftime("%Y-%m-%d %H:%M")), inserted=int(row["inserted"]),
        updated=int(row["updated"]), cities=int(row["cities_created"]),
    )  # fmt: skip


def _table_label(table: str) -> str:
    return TABLES[table].label if table in TABLES else table


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(map(str, value))
    return str(value)


def counts(plan: object, tr: Translator = ENGLISH) -> list[tuple[str, str, None]]:
    """What a preview counts: rows read, new, changed, unchanged, cities added."""
    figures = [(tr("Rows read"), plan.rows_read), (tr("New"), len(plan.new)), (tr("Changed"), len(plan.changed)),
               (tr("Unchanged"), plan.unchanged), (tr("New cities"), len(plan.new_cities))]  # fmt: skip
    return [(label, tr.number(value), None) for label, value in figures]


def plan_tables(plan: object, tr: Translator = ENGLISH) -> dict[str, pd.DataFrame]:
    """An import preview as tables: problems, new rows, changes (old → new), new cities."""
    problems = pd.DataFrame(
        [{tr("Row"): p.row or "", tr("Column"): p.column, tr("Problem"): tr(p.msgid, **p.values)} for p in plan.errors],
        columns=[tr("Row"), tr("Column"), tr("Problem")],
    )
    new = pd.DataFrame(
        [
            {tr("Row"): line, **{k: _show(v) for k, v in values.items()}}
            for line, values in zip(plan.new_rows, plan.new, strict=True)
        ]
    ).fillna("")
    changes = pd.DataFrame(
        [
            {tr("Row"): c.row, "id": c.id, tr("Column"): col, tr("Old"): _show(c.before.get(col)), tr("New"): _show(v)}
            for c in plan.changed
            for col, v in c.after.items()
        ],
        columns=[tr("Row"), "id", tr("Column"), tr("Old"), tr("New")],
    )
    cities = pd.DataFrame([{k: _show(v) for k, v in c.items() if k != "id"} for c in plan.new_cities])
    return {"problems": problems, "new": new, "changes": changes, "cities": cities}
