"""Write twinmap's own corpus of hostile and awkward import files, with what must come of each.

Run by hand to look at the files: ``python tests/corpus/make_corpus.py DIR``. The test suite
(tests/test_corpus.py) generates them into a temporary folder and runs every one through the
real command line against a copy of the shipped store: an accepted file's stored values are
checked; a rejected file must leave the store byte-identical and print no traceback.

Files are made by code, not kept as binaries, so each says in one place what it exercises.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from twinmap.ingest.readers import LIMITS

MAX_ROWS = LIMITS.rows

EVENT_HEAD = "home_city,home_country,partner_city,partner_country,kind,title,starts_on,status"
EVENT_ROW = "Sari,IR,Astrakhan,RU,festival,{title},2026-06-12,held"


@dataclass(frozen=True)
class Case:
    """One file: its table, bytes, what it exercises, and the outcome.

    ``says`` is text the command line must print for a rejected file; ``sql`` and ``rows`` what the
    store must hold after an accepted one.
    """

    name: str
    table: str
    data: bytes
    exercises: str
    accepted: bool
    says: str = ""
    sql: str = ""
    rows: tuple = ()


def _events(extra_head: str, *rows: str) -> bytes:
    head = EVENT_HEAD + ("," + extra_head if extra_head else "")
    return ("\n".join([head, *rows]) + "\n").encode()


def _sheet(rows: list[str], doctype: str = "") -> bytes:
    """A worksheet part with the given <row> elements (inline strings) and an optional DOCTYPE."""
    head = '<?xml version="1.0" encoding="UTF-8"?>' + doctype
    body = "".join(rows)
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return f'{head}<worksheet xmlns="{ns}"><sheetData>{body}</sheetData></worksheet>'.encode()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook(sheet: bytes | None = None, shared: bytes | None = None) -> bytes:
    """A real workbook (openpyxl) whose sheet or shared strings are replaced by crafted XML."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["name", "country_code"])
    book.active.append(["Kazan", "RU"])
    buf = io.BytesIO()
    book.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml" and sheet is not None:
                data = sheet
            dst.writestr(info, data)
        if shared is not None:
            dst.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def _header_row() -> str:
    return '<row r="1">' + _cell("A1", "name") + _cell("B1", "country_code") + "</row>"


_XXE = '<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_LAUGHS = (
    '<!DOCTYPE w [<!ENTITY a "lollollollollollollollollollol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)


def _city_ids() -> dict[str, int]:
    """Ids of the shipped cities: they are loaded in the order of data/cities.csv."""
    lines = (Path(__file__).resolve().parents[2] / "data" / "cities.csv").read_text(encoding="utf-8").splitlines()
    return {line.split(",")[0]: i for i, line in enumerate(lines[1:], start=1)}


def rejected() -> list[Case]:
    """Files that must be refused whole, with the reason a person can act on."""
    ids = _city_ids()
    text = "name,country_code\nKazan,RU\n"
    utf16 = ("\ufeff" + text).encode("utf-16-le")
    cities = "name,country_code,lat,lon,population\n"
    indicators = "city,country,origin_country,indicator,period,value\n"
    targets = "home_city,home_country,partner_city,partner_country,indicator,target_value,due_on\n"
    return [
        Case("utf16_truncated.csv", "cities", utf16[:-1], "UTF-16 with its last byte cut off", False,
             "ends in the middle of a letter"),
        Case("bom_over_cp1251.csv", "cities", b"\xef\xbb\xbf" + "name;country_code\nКазань;RU\n".encode("cp1251"),
             "a UTF-8 byte-order mark in front of Windows-1251 bytes", False, "says it is UTF-8 (with BOM), but byte"),
        Case("utf16_no_bom_odd.csv", "cities", text.encode("utf-16-le")[:-1], "UTF-16 without a mark, odd length",
             False, "ends in the middle of a letter"),
        Case("participants_overflow.csv", "events", _events("participants", EVENT_ROW.format(title="Big") + ",99,999,999,999"),
             "99,999,999,999 unquoted: more values than the header has columns", False,
             "this row has 12 values but the header names 9 columns"),
        Case("participants_overflow_quoted.csv", "events",
             _events("participants", EVENT_ROW.format(title="Big") + ',"99,999,999,999"'),
             "99,999,999,999 participants", False, "above the largest allowed value, 10000000"),
        Case("population_1e20.csv", "cities", (cities + "Bigtown,FR,45,3,100000000000000000000\n").encode(),
             "a population of 10^20", False, "above the largest allowed value"),
        Case("population_negative.csv", "cities", (cities + "Smalltown,FR,45,3,-1000\n").encode(),
             "a negative population", False, "below the smallest allowed value, 0"),
        Case("value_nan.csv", "indicators", (indicators + "Sari,IR,RU,tourist_arrivals,2026-01,nan\n").encode(),
             "nan in a required number (NOT NULL at commit)", False, "'nan' is not a number"),
        Case("arrivals_negative.csv", "indicators", (indicators + "Sari,IR,RU,tourist_arrivals,2026-01,-500\n").encode(),
             "tourist arrivals -500", False, "below the smallest allowed value, 0"),
        Case("target_negative.csv", "targets", (targets + "Sari,IR,Astrakhan,RU,tourist_arrivals,-8000,2027\n").encode(),
             "a target of -8000", False, "below the smallest allowed value, 0"),
        Case("budget_infinite.csv", "events", _events("budget,currency", EVENT_ROW.format(title="Gala") + ",inf,EUR"),
             "an infinite budget", False, "'inf' is not a number"),
        Case("women_negative.csv", "events",
             _events("participants,participants_female", EVENT_ROW.format(title="Run") + ",10,-1"),
             "a negative number of women", False, "below the smallest allowed value, 0"),
        Case("id_moves_onto_key.csv", "cities",
             f"id,name,country_code,lat,lon\n{ids['Astrakhan']},Sari,IR,36.5,53.0\n".encode(),
             "an id column that moves Astrakhan onto Sari's unique key", False, "would take the name, country_code"),
        Case("city_twice_in_two_cases.csv", "cities", b"name,country_code,lat,lon\nDupville,FR,45,3\nDUPVILLE,FR,45,3\n",
             "one city twice, in two cases", False, "the same row (name, country_code) as row 2"),
        Case("xlsx_external_entity.xlsx", "cities",
             _workbook(_sheet([_header_row(), '<row r="2">' + _cell("A2", "&xxe;") + "</row>"], _XXE)),
             "an .xlsx with an XML external entity", False, "XML entities or a document type"),
        Case("xlsx_billion_laughs.xlsx", "cities",
             _workbook(_sheet([_header_row(), '<row r="2">' + _cell("A2", "&i;") + "</row>"], _LAUGHS)),
             "an .xlsx with entity expansion (billion laughs)", False, "XML entities or a document type"),
        Case("xlsx_far_cell.xlsx", "cities",
             _workbook(_sheet([_header_row(), '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>"])),
             "a 2 KB .xlsx with a cell at XFD1048576 (used to pin a core for minutes)", False,
             "row 1048576 has 16384 columns; a table has at most 200"),
        Case("xlsx_shared_strings_bomb.xlsx", "cities",
             _workbook(shared=b"<sst>" + b"<si><t>" + b"a" * 120_000_000 + b"</t></si></sst>"),
             "an .xlsx whose shared strings unpack to 120 MB", False, "the workbook unpacks to"),
        Case("million_columns.csv", "cities", ("name,country_code," + ",".join(f"c{i}" for i in range(1_000_000))).encode(),
             "a header of a million columns (used to take 3 GB and print a million lines)", False,
             "row 1 has 1000002 columns; a table has at most 200"),
        Case("long_cell.csv", "events", _events("", EVENT_ROW.format(title="x" * 20_000)),
             "a cell of 20,000 characters", False, "a cell of more than 10000 characters"),
        Case("too_many_rows.csv", "indicators", (indicators + "x\n" * (MAX_ROWS + 1)).encode(),
             f"{MAX_ROWS + 1:,} short rows", False, f"more than {MAX_ROWS} rows"),
        Case("unknown_city.csv", "cities", b"name,country_code\nNowhereville,FR\n",
             "a city neither given coordinates nor in the gazetteer", False, "not in the gazetteer for FR"),
    ]  # fmt: skip


PARTNERSHIP_HEAD = "home_city,home_country,partner_city,partner_country,kind,status,signed_on"


def accepted() -> list[Case]:
    """Awkward files that must import, and what the store then holds."""
    persian = (PARTNERSHIP_HEAD + "\nSari,IR,Kutaisi,GE,sister_city,signed,ارديبهشت 1393\n").encode("cp1256")
    russian = (
        "город;страна;страна происхождения;показатель;период;значение\nSari;IR;RU;tourist_arrivals;2026-01;1 234,5\n"
    )
    return [
        Case("thousands_comma.csv", "events",
             _events("participants,budget,currency", EVENT_ROW.format(title="Gala") + ',"1,200","1,500",EUR'),
             "1,200 participants and a budget of 1,500 (once stored as 1.5)", True,
             sql="SELECT participants, budget FROM events WHERE title = 'Gala'", rows=((1200, 1500.0),)),
        Case("russian_decimal_comma.csv", "indicators", russian.encode("cp1251"),
             "Russian Excel: cp1251, semicolons, Russian headers, 1 234,5", True,
             sql="SELECT value FROM indicators WHERE period = DATE '2026-01-01' AND origin_country = 'RU' "
                 "AND value = 1234.5", rows=((1234.5,),)),
        Case("cities_in_capitals.csv", "partnerships",
             (PARTNERSHIP_HEAD + "\nSARI,ir,astrakhan,RU,sister_city,active,1393/02\n").encode(),
             "Sari and Astrakhan typed in other cases (once created again as empty copies)", True,
             sql="SELECT count(*) FROM cities WHERE lower(name) IN ('sari', 'astrakhan')", rows=((2,),)),
        Case("cyrillic_partner.csv", "partnerships",
             (PARTNERSHIP_HEAD + "\nSari,IR,Улан-Удэ,RU,sister_city,candidate,\n").encode(),
             "a partner typed in Cyrillic (once stored with that as its English name)", True,
             sql="SELECT name, local_name FROM cities WHERE geonameid = 2014407", rows=(("Ulan-Ude", "Улан-Удэ"),)),
        Case("persian_month_arabic_yeh.csv", "partnerships", persian,
             "a Jalali month written with Arabic yeh, as cp1256 Excel writes it", True,
             sql="SELECT p.signed_on::VARCHAR, p.signed_precision FROM partnerships p JOIN cities c "
                 "ON c.id = p.partner_city_id WHERE c.name = 'Kutaisi'", rows=(("2014-04-21", "jmonth"),)),
        Case("markdown_and_script_names.csv", "cities",
             b'name,country_code,lat,lon\n"[Official site](https://example.com)",FR,45,3\n<script>alert(1)</script>,FR,46,3\n',
             "a Markdown link and a script tag as city names: stored as typed, shown as text", True,
             sql="SELECT count(*) FROM cities WHERE name LIKE '[Official%' OR name LIKE '<script>%'", rows=((2,),)),
        Case("formula_title.csv", "events", _events("currency", EVENT_ROW.format(title="=1+1") + ",=HYPERLINK(1)"),
             "formula-looking text: stored as text, exported defused", True,
             sql="SELECT title, currency FROM events WHERE title = '=1+1'", rows=(("=1+1", "=HYPERLINK(1)"),)),
    ]  # fmt: skip


def corpus() -> list[Case]:
    """Every case."""
    return rejected() + accepted()


def write(directory: Path) -> list[Path]:
    """Write every file of the corpus into a folder."""
    directory.mkdir(parents=True, exist_ok=True)
    for case in corpus():
        (directory / case.name).write_bytes(case.data)
    return [directory / c.name for c in corpus()]


if __name__ == "__main__":
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")):
        print(path)  # noqa: T201 - a script
