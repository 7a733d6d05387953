"""Exports and templates in the same form staff import, safe to open in Excel.

Every table is written with its template's columns (cities by name and country, dates at their
own precision), so an export can be edited and imported again. Text that Excel would run as a
formula (a cell starting with ``=``, ``+``, ``-``, ``@``) is written with a leading apostrophe
in CSV and as a plain string cell in the workbook.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from twinmap.core import dates, files
from twinmap.core.catalogue import catalogue
from twinmap.core.reference import N_
from twinmap.core.text import format_number
from twinmap.ingest import scopes
from twinmap.ingest.kinds import KINDS
from twinmap.ingest.specs import LOAD_ORDER, TABLES, Column, TableSpec, header
from twinmap.ingest.uploads import safe_name

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _select(spec: TableSpec, some: bool = False, homes: bool = False) -> str:
    """SQL that reads a table back into its template columns (identifiers come from the spec).

    ``some``: only the rows whose ids the query's first parameter lists (a grid's rows);
    ``homes``: only the partnerships (and their rows) of the home cities the next parameter lists.
    """
    cols, joins = [], []
    refs = {r.city: (i, r) for i, r in enumerate(spec.cities)}
    for col in spec.columns:
        if not col.stored:
            continue
        if spec.partnership and col.name in {"home_city", "home_country", "partner_city", "partner_country"}:
            side = "ph" if col.name.startswith("home") else "pc"
            cols.append(f"{side}.{'name' if col.name.endswith('city') else 'country_code'} AS {col.name}")
        elif col.name in refs:
            i, ref = refs[col.name]
            cols += [f"r{i}.name AS {ref.city}", f"r{i}.country_code AS {ref.country}"]
            if ref.lat:  # where the city is, so that a namesake imports back as itself
                cols += [
                    f"r{i}.lat AS {ref.lat}",
                    f"r{i}.lon AS {ref.lon}",
                    f"r{i}.region AS {ref.region}",
                    f"r{i}.geonameid AS {ref.geonameid}",
                    f"r{i}.wikidata AS {ref.wikidata}",
                ]
            joins.append(f"LEFT JOIN cities r{i} ON r{i}.id = t.{ref.db}")
        elif any(col.name == r.country for r in spec.cities):
            continue
        elif col.kind == "date":
            cols += [f"t.{col.db_column} AS {col.name}", f"t.{col.precision} AS {col.name}__precision"]
        elif col.kind == "side":
            cols.append("CASE WHEN t.city_id = p.home_city_id THEN 'home' ELSE 'partner' END AS side")
        else:
            cols.append(f"t.{col.db_column} AS {col.name}")
    if spec.partnership:
        join = "JOIN" if spec.partnership_required else "LEFT JOIN"
        joins.append(
            f"{join} partnerships p ON p.id = t.partnership_id {join} cities ph ON ph.id = p.home_city_id "
            f"{join} cities pc ON pc.id = p.partner_city_id"
        )
    own = scopes.own_rows(spec) if homes else ""
    where = (["t.id IN (SELECT unnest(?))"] if some else []) + ([own] if own else [])
    return f"SELECT {', '.join(cols)} FROM {spec.name} t {' '.join(joins)} {_where(where)} ORDER BY t.id"


def _where(conditions: list[str]) -> str:
    return "WHERE " + " AND ".join(conditions) if conditions else ""


def table_frame(
    con: duckdb.DuckDBPyConnection, table: str, ids: list[int] | None = None, homes: tuple[int, ...] = ()
) -> pd.DataFrame:
    """A table as text in its template's columns, ordered by id (only the rows of ``ids`` when given).

    ``homes``: a reader limited to these home cities gets only their partnerships and those
    partnerships' rows (other cities' contacts and notes are not theirs to read).
    """
    spec = TABLES[table]
    limited = bool(homes) and bool(scopes.own_rows(spec))
    sql = _select(spec, some=ids is not None, homes=limited)
    params = ([list(ids)] if ids is not None else []) + ([list(homes)] if limited else [])
    raw = con.cursor().execute(sql, params or None).df()
    out = pd.DataFrame(index=raw.index)
    for col in spec.columns:
        if not col.stored:  # read from files to place a city: the city's own, where it has them
            out[col.name] = [_text(v) for v in raw[col.name]] if col.name in raw else ""
        elif col.kind == "date":
            pairs = zip(raw[col.name], raw[f"{col.name}__precision"], strict=True)
            out[col.name] = [p.text() if (p := dates.from_db(d, prec)) else "" for d, prec in pairs]
        else:
            written = KINDS[col.kind].written or _text
            out[col.name] = [written(v) for v in raw[col.name]]
    return out


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or str(value) in {"<NA>", "NaT", "nan"}:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def defuse(value: str) -> str:
    """Make a text cell safe to open in Excel: never a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _safe(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Every cell that is not a number defused: names, codes, currencies and time zones are typed by people too."""
    safe = frame.copy()
    for col in spec.columns:
        if not KINDS[col.kind].numeric:
            safe[col.name] = [defuse(v) for v in safe[col.name]]
    return safe


def to_csv(frame: pd.DataFrame, table: str) -> bytes:
    """CSV bytes (UTF-8 with BOM, so Excel in any language reads the letters right)."""
    buf = io.StringIO()
    _safe(frame, TABLES[table]).to_csv(buf, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue().encode("utf-8-sig")


def template(table: str, lang: str = "en") -> bytes:
    """The table's template in a language: headers and coded example values as that language writes them.

    The import reads a Russian or Persian template back by the same headers and labels.
    """
    return frame_csv(template_frame(table, lang))


def template_frame(table: str, lang: str = "en") -> pd.DataFrame:
    """The template's example rows under the language's headers, coded values as their labels."""
    spec = TABLES[table]

    def shown(col: Column, value: str) -> str:
        if col.kind == "code" and value:
            label = next((t.label for t in col.vocab if t.code == value), value)
            return catalogue(lang).get(label, label) if lang != "en" else value
        return value

    rows = [{header(c, lang): shown(c, ex.get(c.name, "")) for c in spec.columns} for ex in spec.examples]
    return pd.DataFrame(rows, columns=[header(c, lang) for c in spec.columns])


GUIDE = N_("What goes in each column")


def guide(table: str, lang: str = "en") -> pd.DataFrame:
    """What goes in each column of a template: header, required, what is accepted, an example."""
    spec = TABLES[table]
    tr = catalogue(lang)
    t = lambda message: tr.get(message, message)  # noqa: E731
    example = spec.examples[0] if spec.examples else {}
    rows = []
    for col in spec.columns:
        accepted = t(KINDS[col.kind].accepted)
        if col.vocab:
            accepted += ": " + ", ".join(t(term.label) for term in col.vocab)
        if col.low is not None and col.kind != "id":
            accepted += f" ({format_number(col.low, lang)} … {format_number(col.high, lang)})"
        rows.append({t(N_("Column")): header(col, lang), t(N_("Required")): t(N_("Yes")) if col.required else "",
                     t(N_("What goes in")): accepted, t(N_("Example")): example.get(col.name, ""),
                     t(N_("Note")): t(col.help) if col.help else ""})  # fmt: skip
    return pd.DataFrame(rows)


def template_xlsx(table: str, lang: str = "en") -> bytes:
    """The template as a workbook: the example rows, and a sheet that says what goes in each column."""
    sheet = catalogue(lang).get(GUIDE, GUIDE)
    return _xlsx({TABLES[table].name: template_frame(table, lang), sheet: guide(table, lang)}, numbers=False)


def workbook(con: duckdb.DuckDBPyConnection, homes: tuple[int, ...] = ()) -> bytes:
    """Every table as a sheet of one .xlsx workbook, text cells written as text, never formulas (``homes``: theirs)."""
    return _xlsx({table: table_frame(con, table, homes=homes) for table in LOAD_ORDER}, numbers=False)


def export_dir(con: duckdb.DuckDBPyConnection, directory: Path) -> list[Path]:
    """Write every table as CSV and all of them as one workbook into ``directory``: all of them or none.

    Documents and photos go beside them, each file as ``attachment-ID-NAME`` and what each is in
    ``attachments.csv`` (its record, kind, title, who may see it, and the file's name there).
    """
    made: dict[str, bytes | Callable[[], bytes]] = {
        f"{table}.csv": to_csv(table_frame(con, table), table) for table in LOAD_ORDER
    }
    made["twinmap.xlsx"] = workbook(con)
    held = (
        con.cursor()
        .execute(
            """SELECT a.id, a.partnership_id, a.event_id, a.mission_id, a.kind, a.title, a.dated_on, a.is_public,
                  a.caption, a.credit, a.licence, a.file_name, f.media_type, f.size, a.sha256, a.added_by, a.added_at
           FROM attachments a JOIN attachment_files f ON f.sha256 = a.sha256 ORDER BY a.id"""
        )
        .df()
    )
    held["file"] = [f"attachment-{int(i)}-{safe_name(n)}" for i, n in zip(held["id"], held["file_name"], strict=True)]
    made["attachments.csv"] = frame_csv(held)
    for sha, name in zip(held["sha256"], held["file"], strict=True):
        made[name] = functools.partial(_file_bytes, con, sha)
    return files.write_all(directory, made)


def _file_bytes(con: duckdb.DuckDBPyConnection, sha256: str) -> bytes:
    found = con.cursor().execute("SELECT content FROM attachment_files WHERE sha256 = ?", [sha256]).fetchone()
    return bytes(found[0]) if found else b""


def frame_csv(frame: pd.DataFrame) -> bytes:
    """Any shown table as CSV (BOM, every text cell defused): what a reader downloads."""
    buf = io.StringIO()
    frame.map(lambda v: defuse(v) if isinstance(v, str) else v).to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def frame_xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    """Tables as sheets of one workbook; text is stored as text, numbers as numbers, never formulas."""
    return _xlsx(frames, numbers=True)


def _xlsx(frames: dict[str, pd.DataFrame], numbers: bool) -> bytes:
    """A workbook written row by row (openpyxl's write-only mode: linear in the rows).

    Every text cell is typed as a string, so "=HYPERLINK(...)" is shown, never run; with
    ``numbers`` False every cell is text (the import form, read back exactly).
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    for name, frame in frames.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([_text_cell(sheet, str(c)) for c in frame.columns])
        for values in frame.itertuples(index=False):
            row = [_cell(v) if numbers else _text(v) for v in values]
            sheet.append([_text_cell(sheet, v) if isinstance(v, str) else WriteOnlyCell(sheet, v) for v in row])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _text_cell(sheet: object, value: str) -> object:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    return cell


def _cell(value: object) -> object:
    """A value openpyxl can store: numbers stay numbers, lists and dates become text."""
    if value is None or (isinstance(value, float) and value != value) or str(value) in {"<NA>", "NaT", "nan"}:
        return None
    if isinstance(value, bool | int | float):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)
