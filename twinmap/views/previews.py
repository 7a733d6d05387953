"""An import as staff read it: the preview's tables and a past import in words."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd

from twinmap.core import reference
from twinmap.core.reference import N_, NP_
from twinmap.ingest.specs import ATTACHMENTS, TABLES, header
from twinmap.views.i18n import ENGLISH, Translator
from twinmap.views.labels import MISSING, rtl_order


def batch_label(row: dict, tr: Translator = ENGLISH) -> str:
    """One import in a line: number, table, file, who and when (what the undo box offers)."""
    when = tr.moment(row.get("created_at"))
    number = tr.digits(f"#{row['id']}")
    return f"{number} · {tr(_table_label(row['table_name']))} · {row['file_name']} · {row['user_name']} · {when}"


def batch_details(row: dict, tr: Translator = ENGLISH) -> str:
    """Which import an undo takes back (what it does is :func:`undo_lines`), said before anyone confirms it."""
    return tr(
        "Import #{batch} of {file} into {table} by {user} on {when}.",
        batch=row["id"], file=row["file_name"], table=tr(_table_label(row["table_name"])), user=row["user_name"],
        when=tr.moment(row["created_at"]),
    )  # fmt: skip


_UNDO_SAYS = {
    "insert": NP_("Undo removes {n} row added to {table}.", "Undo removes {n} rows added to {table}."),
    "update": NP_("Undo restores the previous values of {n} row changed in {table}.",
                  "Undo restores the previous values of {n} rows changed in {table}."),
    "delete": NP_("Undo brings back {n} row deleted from {table}.", "Undo brings back {n} rows deleted from {table}."),
}  # fmt: skip
_WITHHELD = NP_(
    "{n} row belongs to home cities outside yours and is not listed here.",
    "{n} rows belong to home cities outside yours and are not listed here.",
)
_UNDO_DOES = {"insert": N_("removed"), "update": N_("previous values restored"), "delete": N_("brought back")}


def undo_lines(undo: object, tr: Translator = ENGLISH, cities: int = 0) -> list[str]:
    """What undoing a batch does, per table and action, in counted words ("Undo removes 3 rows added to Events.").

    ``cities``: the cities the import added from the gazetteer, which the undo removes with it.
    """
    said = [tr.plural(_UNDO_SAYS[action], n, table=tr(_table_label(table)))
            for (table, action), n in undo.counts.items() if action in _UNDO_SAYS]  # fmt: skip
    if cities:
        said.append(tr.plural(_UNDO_SAYS["insert"], int(cities), table=tr(_table_label("cities"))))
    if getattr(undo, "withheld", 0):
        said.append(tr.plural(_WITHHELD, undo.withheld))
    return said


def undo_rows(undo: object, tr: Translator = ENGLISH) -> pd.DataFrame | None:
    """The rows a small batch's undo touches, named as the reader knows them (None when there are too many)."""
    if not undo.rows:
        return None
    out = []
    for table, action, values in undo.rows:
        read = _Reader(SimpleNamespace(table=table if table in TABLES else "cities", city_names=undo.city_names,
                                       new_cities=[], partnership_cities=undo.partnership_cities), tr)  # fmt: skip
        label = read.label(values) if table != "cities" else tr.city(str(values.get("name", "")))
        out.append({tr("What undo does"): tr(_UNDO_DOES.get(action, action)), tr("Table"): tr(_table_label(table)),
                    tr("Row"): label or tr.digits(f"#{values.get('id')}")})  # fmt: skip
    return rtl_order(pd.DataFrame(out), tr)


def grouped_notes(warnings: list, tr: Translator = ENGLISH, limit: int = 20) -> list[str]:
    """An import's notes, one line per note however many rows it is about, with those rows named.

    Three rows with the same note gave three boxes, and 200 filled the page with one message: a
    note that differs only in its row is said once, for the first row, with the others listed.
    """
    groups: dict[tuple, list] = {}
    for w in warnings:
        rest = tuple(sorted((k, str(v)) for k, v in w.values.items() if k != "row"))
        groups.setdefault((w.msgid, w.column, rest), []).append(w)
    out = []
    for same in list(groups.values())[:limit]:
        first = same[0]
        text = tr(first.msgid, **first.values)
        rows = sorted({w.row for w in same[1:] if w.row is not None and w.row != first.row})
        if rows:
            shown = tr.join([tr.number(r) for r in rows[:10]])
            text += " " + tr.plural(NP_("The same for row {rows}.", "The same for rows {rows}."), len(rows),
                                    rows=shown + (" …" if len(rows) > 10 else ""))  # fmt: skip
        out.append(text)
    return out


def record_label(row: dict, tr: Translator = ENGLISH) -> str:
    """A grid's row named as staff know it: "#1 · Sari – Astrakhan · Astrakhan delegation visits Sari"."""

    def text(key: str) -> str:
        value = row.get(key)
        return "" if value is None or value != value else str(value).strip()

    parts = [tr.digits(f"#{row['id']}")]
    first = text("home_city") or text("city") or text("name")
    second = text("partner_city") or text("other_city") or text("destination")
    if first or second:
        parts.append(" – ".join(p for p in (first, second) if p))
    for key in ("title", "action", "indicator", "status"):
        said = text(key)
        if said and (key != "name" or said != first):
            parts.append(said if len(said) <= 60 else said[:59] + "…")
            break
    when = text("starts_on") or text("period") or text("due_on") or text("entered_on")
    if when:
        parts.append(tr.digits(when))
    return " · ".join(parts)


def history_table(frame: pd.DataFrame, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Past imports as staff read them: what, by whom, when, how many rows, and whether it was undone."""

    def count(column: str) -> list[str]:
        return [tr.number(v) for v in frame[column]] if column in frame else [MISSING] * len(frame)

    undone = [
        MISSING if at is None or at != at else f"{tr.moment(at)} · {by}"
        for at, by in zip(frame["undone_at"], frame["undone_by"], strict=True)
    ]
    out = pd.DataFrame({
        tr("Import"): [tr.digits(f"#{i}") for i in frame["id"]],
        tr("Table"): [tr(_table_label(t)) for t in frame["table_name"]],
        tr("File"): list(frame["file_name"]),
        tr("By"): list(frame["user_name"]),
        tr("When"): [tr.moment(t) for t in frame["created_at"]],
        tr("Rows read"): count("rows_read"),
        tr("New"): count("inserted"),
        tr("Changed"): count("updated"),
        tr("Unchanged"): count("unchanged"),
        tr("Skipped"): count("skipped"),
        tr("Cities added"): count("cities_created"),
        tr("Status"): [tr.term(reference.BATCH_STATUSES, s) for s in frame["status"]],
        tr("Undone"): undone,
    })  # fmt: skip
    return rtl_order(out, tr)


def _table_label(table: str) -> str:
    if table == ATTACHMENTS:
        return N_("Documents and photos")
    return TABLES[table].label if table in TABLES else table


_FORMATS = {
    "code": lambda tr, col, v: tr.term(col.vocab, v),
    "areas": lambda tr, col, v: tr.join([tr.term(col.vocab, a) for a in v]),
    "country": lambda tr, _col, v: tr.country(v),
    "bool": lambda tr, _col, v: tr("Yes") if v else tr("No"),
    "int": lambda tr, _col, v: tr.number(v),
    "float": lambda tr, _col, v: tr.number(v, 0 if float(v).is_integer() else 2),
}


class _Reader:
    """Stored values of one import as the reader reads them: names, labels, dates, digits."""

    def __init__(self, plan: object, tr: Translator):
        self.plan, self.tr, self.spec = plan, tr, TABLES[plan.table]
        self.cities = dict(plan.city_names) | {c["id"]: c["name"] for c in plan.new_cities}
        self.by_db = {c.db_column: c for c in self.spec.columns if c.stored and c.kind != "id"}
        self.by_db |= {c.precision: c for c in self.spec.columns if c.precision}
        self.city_db = {ref.db: ref for ref in self.spec.cities}

    def city(self, city_id: object) -> str:
        """A held city's name in the reader's script ('' for none)."""
        return self.tr.city(self.cities[city_id]) if city_id in self.cities else ""

    def pair(self, partnership_id: object) -> str:
        home, partner = self.plan.partnership_cities.get(partnership_id, (None, None))
        return f"{self.city(home)} – {self.city(partner)}" if home is not None else ""

    def column(self, db_column: str) -> str:
        """The header a reader knows this stored column by."""
        if db_column in self.city_db:
            return header(self.spec.column(self.city_db[db_column].city), self.tr.lang)
        if db_column == "partnership_id":
            return self.tr("Partnership")
        col = self.by_db.get(db_column)
        return header(col, self.tr.lang) if col else db_column

    def value(self, db_column: str, values: dict, fallback: dict | None = None) -> str:
        """One stored value in words (a date with its precision from ``values`` or ``fallback``)."""
        tr, v = self.tr, values.get(db_column)
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if db_column in self.city_db or db_column == "city_id":
            return self.city(v)
        if db_column == "partnership_id":
            return self.pair(v)
        col = self.by_db.get(db_column)
        if col is not None and col.kind == "date":
            return tr.date(v, values.get(col.precision) or (fallback or {}).get(col.precision))
        return _FORMATS.get(col.kind if col else "", lambda _tr, _col, value: str(value))(tr, col, v)

    def row(self, values: dict) -> dict[str, str]:
        """A new row as the reader reads it, in the template's order (dates with their precision)."""
        shown = {}
        for db_column in [*(r.db for r in self.spec.cities), "partnership_id", "city_id", *self.by_db]:
            if db_column in values and db_column not in shown and not db_column.endswith("_precision"):
                shown[db_column] = self.value(db_column, values)
        return {self.column(k): v for k, v in shown.items()}

    def label(self, before: dict) -> str:
        """Which row a change is to: the partnership, the city, and the row's own title or name."""
        parts = [self.pair(before.get("partnership_id")), self.city(before.get("home_city_id"))]
        if self.plan.table == "partnerships":
            parts = [f"{self.city(before.get('home_city_id'))} – {self.city(before.get('partner_city_id'))}"]
        own = next((before.get(k) for k in ("title", "action", "name", "indicator") if before.get(k)), None)
        return " · ".join(str(p) for p in (*parts, own) if p)


SHOWN = 1_000  # rows of each preview table built: a person reads the first rows, the counts say the rest


def counts(plan: object, tr: Translator = ENGLISH) -> list[tuple[str, str, None]]:
    """What a preview counts: rows read, new, changed, unchanged, cities added."""
    figures = [(tr("Rows read"), plan.rows_read), (tr("New"), plan.new_count), (tr("Changed"), len(plan.changed)),
               (tr("Unchanged"), plan.unchanged), (tr("New cities"), len(plan.cities_to_create))]  # fmt: skip
    if plan.deleted:
        figures.append((tr("Deleted"), len(plan.deleted)))
    return [(label, tr.number(value), None) for label, value in figures]


def plan_tables(plan: object, tr: Translator = ENGLISH) -> dict[str, pd.DataFrame]:
    """An import preview as tables people read: problems, new rows, changes (old → new), new cities.

    Cities and partnerships by name, codes by label, dates at their precision in the reader's
    calendar, numbers in the reader's digits; a change names the row it is to.
    """
    read = _Reader(plan, tr)
    problems = pd.DataFrame(
        [{tr("Row"): tr.number(p.row) if p.row else "", tr("Column"): p.column, tr("Problem"): tr(p.msgid, **p.values)}
         for p in plan.errors[:SHOWN]],
        columns=[tr("Row"), tr("Column"), tr("Problem")],
    )  # fmt: skip
    first = plan.new_table.slice(0, SHOWN).to_pylist() if plan.new_count else []
    new = pd.DataFrame(
        [{tr("Row"): tr.number(line), **read.row(values)} for line, values in zip(plan.new_rows, first, strict=False)]
    ).fillna("")
    changes = pd.DataFrame(
        [
            {tr("Row"): tr.number(c.row), tr("What"): read.label(c.before), tr("Column"): read.column(col),
             tr("Old"): read.value(col, c.before), tr("New"): read.value(col, c.after, c.before)}
            for c in plan.changed[:SHOWN]
            for col in _shown_columns(c)
        ],
        columns=[tr("Row"), tr("What"), tr("Column"), tr("Old"), tr("New")],
    )  # fmt: skip
    cities = pd.DataFrame(
        [{tr("City"): c["name"], tr("Country"): tr.country(c["country_code"]),
          tr("Population"): tr.number(c["population"]) if c.get("population") else "",
          tr("Where"): tr.join([tr.number(c["lat"], 2), tr.number(c["lon"], 2)])} for c in plan.cities_to_create]
    )  # fmt: skip
    erased_at = {(row, col) for row, col, _old in plan.erasures}
    erased = pd.DataFrame(
        [{tr("Row"): tr.number(c.row), tr("What"): read.label(c.before), tr("Column"): read.column(col),
          tr("Value erased"): read.value(col, c.before)}
         for c in plan.changed[:SHOWN] for col in _shown_columns(c) if (c.row, col) in erased_at],
        columns=[tr("Row"), tr("What"), tr("Column"), tr("Value erased")],
    )  # fmt: skip
    spellings = pd.DataFrame(
        [{tr("Row"): tr.number(c.row), tr("City"): c.before.get("name", ""), tr("Local name"): c.after["local_name"]}
         for c in plan.spellings_to_add if "local_name" in c.after]
    )  # fmt: skip
    return {"problems": problems, "new": new, "changes": rtl_order(changes, tr) if len(changes) else changes,
            "cities": cities, "erased": erased, "spellings": spellings}  # fmt: skip


def _shown_columns(change: object) -> list[str]:
    """The changed columns a preview lists (a date's precision goes with the date)."""
    return [
        c for c in change.after if not c.endswith("_precision") or c.replace("_precision", "_on") not in change.after
    ]


def change_rows(plan: object) -> int:
    """How many rows the preview's table of changes has in all (one per changed value)."""
    return sum(len(_shown_columns(c)) for c in plan.changed)


def grid_row(where: tuple[str, int] | None, tr: Translator = ENGLISH) -> str:
    """Which grid row a problem is on, as the editor finds it: the row's id, or the n-th new row."""
    if where is None:
        return ""
    kind, n = where
    if kind == "new":
        return tr("new row {n}", n=tr.number(n))
    if kind == "deleted":
        return tr("id {id} (deleted)", id=tr.digits(str(n)))
    return tr("id {id}", id=tr.digits(str(n)))


def grid_problems(save: object, problems: list, tr: Translator = ENGLISH) -> pd.DataFrame:
    """A grid save's problems by row and column, in the reader's words."""
    return pd.DataFrame(
        [{tr("Row"): grid_row(save.where(p), tr), tr("Column"): p.column, tr("Problem"): tr(p.msgid, **p.values)}
         for p in problems],
        columns=[tr("Row"), tr("Column"), tr("Problem")],
    )  # fmt: skip


_ACTIONS = {"insert": N_("added"), "update": N_("changed"), "delete": N_("deleted")}


def record_history_table(found: object, tr: Translator = ENGLISH) -> pd.DataFrame:
    """A record's history: one line per changed field (old → new), with the batch, who, when and how."""
    read = _Reader(SimpleNamespace(table=found.table, city_names=found.city_names, new_cities=[],
                                   partnership_cities=found.partnership_cities), tr)  # fmt: skip
    rows = []
    for e in reversed(found.entries):
        status = tr.term(reference.BATCH_STATUSES, e.status)
        if e.status != "committed" and e.undone_at is not None:
            status = f"{status} · {tr.moment(e.undone_at)} · {e.undone_by}"
        for column, old, new in [f for f in e.fields if not f[0].endswith("_precision")] or [("", None, None)]:
            rows.append({tr("Import"): tr.digits(f"#{e.batch}"), tr("When"): tr.moment(e.when), tr("By"): e.user,
                         tr("How"): e.source, tr("What"): tr(_ACTIONS.get(e.action, e.action)),
                         tr("Column"): read.column(column) if column else "",
                         tr("Old"): _shown(read, column, old, e.states[0]),
                         tr("New"): _shown(read, column, new, e.states[1]),
                         tr("Status"): status})  # fmt: skip
    columns = [tr(c) for c in ("Import", "When", "By", "How", "What", "Column", "Old", "New", "Status")]
    return rtl_order(pd.DataFrame(rows, columns=columns), tr)


def _shown(read: _Reader, column: str, value: object, state: dict | None) -> str:
    """A logged value in words (a date at the precision the same row state holds)."""
    if value is None or not column:
        return ""
    col = read.by_db.get(column)
    if col is not None and col.kind == "date":
        precision = (state or {}).get(col.precision) or "day"
        return read.tr.date(dt.date.fromisoformat(str(value)[:10]), precision)
    return read.value(column, {column: value})
