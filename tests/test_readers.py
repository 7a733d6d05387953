"""Reading files within limits: every limit is checked while reading, and says which it is."""

import io

import openpyxl
import pytest

from twinmap.ingest import readers


def _xlsx(rows: int) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["name", "country_code"])
    for i in range(rows):
        book.active.append([f"Town {i}", "FR"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "limits", "message"),
    [
        (_xlsx(10), readers.Limits(rows=5), "more than 5 rows"),
        (b"name,country_code\n" + b"Town,FR\n" * 10, readers.Limits(rows=5), "more than 5 rows"),
        (b"a,b,c,d\n1,2,3,4\n", readers.Limits(columns=3), "row 1 has 4 columns; a table has at most 3"),
        (b"name\n" + b"x" * 50 + b"\n", readers.Limits(cell_chars=20), "a cell of more than 20 characters"),
        (b"name\n" + b"Town\n" * 3000, readers.Limits(seconds=0), "took longer than 0 seconds"),
        (_xlsx(3), readers.Limits(unpacked_bytes=1000), "the workbook unpacks to"),
    ],
)
def test_each_limit_refuses_the_file_while_reading(data, limits, message):
    with pytest.raises(readers.FileProblem, match=message):
        readers.read(data, limits)


def test_trailing_empty_cells_do_not_count_as_columns():
    sheet = readers.read(b"name,country_code" + b"," * 500 + b"\nKazan,RU" + b"," * 500 + b"\n")
    assert sheet.header == ["name", "country_code"] and sheet.rows == [(2, ["Kazan", "RU"])]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("name;country_code\nКазань;RU\n", "cp1251"), ("نام,كشور\nكوتائيسي,GE\n", "cp1256"), ("ارديبهشت\n", "cp1256")],
)
def test_short_russian_and_persian_files_are_told_apart(text, encoding):
    assert readers.decode(text.encode(encoding)) == (
        text,
        {"cp1251": "Windows-1251 (Cyrillic)", "cp1256": "Windows-1256 (Persian/Arabic)"}[encoding],
    )


def _careful(data: bytes) -> readers.Sheet:
    """The same bytes through the row-by-row reader only."""
    text, encoding = readers.decode(data)
    bulk, readers._read_csv_in_bulk = readers._read_csv_in_bulk, lambda *_: None
    try:
        return readers._read_csv(text, encoding, readers._Budget(readers.LIMITS), data)
    finally:
        readers._read_csv_in_bulk = bulk


@pytest.mark.parametrize(
    "data",
    [
        b'\r\nname;country_code;;\r\n\r\n Sari ;IR;;\r\n;;;\r\n"Tehran; city";IR;x;\r\nAstrakhan;RU;;\r\n',
        "name,country\n\nЯрославль ,RU\n,\nShiraz,IR\n".encode("cp1251", errors="ignore"),
        '\ufeffname,country,note\n"Sari ""old""",IR,\n,,\nQom,IR,holy'.encode(),
    ],
)
def test_the_bulk_reader_reads_what_the_careful_one_does(data: bytes) -> None:
    """Staff see the same rows and the same line numbers whichever reader took the file."""
    bulk = readers.read(data)
    assert bulk._cells is not None  # the bulk reader took it
    careful = _careful(data)
    assert (bulk.header, bulk.rows, bulk.encoding, bulk.delimiter) == (
        careful.header, careful.rows, careful.encoding, careful.delimiter,
    )  # fmt: skip


def test_a_line_break_inside_quotes_is_read_row_by_row_with_its_own_line_numbers() -> None:
    sheet = readers.read(b'name,note\nSari,"two\nlines"\nQom,x\n')
    assert sheet._cells is None
    assert sheet.rows == [(3, ["Sari", "two\nlines"]), (4, ["Qom", "x"])]
