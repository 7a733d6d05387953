"""Read the files staff make in Excel (CSV or .xlsx) into a header and rows of text.

CSV may come in any of the encodings and separators Persian, Russian and English Excel write.

The encoding is detected, never asked for: a byte-order mark decides (UTF-8, UTF-16); then
strict UTF-8; then Windows-1251 (Russian) or Windows-1256 (Persian), whichever turns the bytes
into more letters of its own script. Every problem is a :class:`FileProblem` whose message a
staff member can act on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import zipfile
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from defusedxml import DefusedXmlException

from twinmap.core.reference import N_, Explained

_CYRILLIC_LOWER = re.compile(r"[\u0430-\u044f\u0451]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Limits:
    """What one file may make the app do, checked while it is read (the README states them too).

    A small file must not cost unbounded work: a zipped workbook can unpack to gigabytes, a sheet
    can claim a cell a million rows down, a header can have a million columns.
    """

    file_bytes: int = 256 * 1024 * 1024  # as uploaded: a million events (about 120 MB) with room to spare
    unpacked_bytes: int = 100 * 1024 * 1024  # a workbook's parts once unzipped
    rows: int = 2_000_000
    columns: int = 200
    cell_chars: int = 10_000
    seconds: float = 60.0  # reading, before validation


LIMITS = Limits()
MAX_BYTES = LIMITS.file_bytes
csv.field_size_limit(LIMITS.cell_chars)


class FileProblem(Explained):
    """The file as a whole cannot be read (message says why and what to do)."""


class Sheet:
    """A file's content as text: header, rows (each with its line number) and how it was read.

    The rows are held either as a list of (line, cells), or, for a CSV read in bulk, as one
    column of text per cell position with the rows' line numbers beside them; each form is
    made from the other on demand, so the importer reads columns and a preview reads rows.
    """

    def __init__(
        self,
        header: list[str],
        rows: list[tuple[int, list[str]]] | None = None,
        encoding: str = "",
        delimiter: str = "",
        notes: list[str] | None = None,
        *,
        cells: list[pa.Array] | None = None,
        lines: np.ndarray | None = None,
    ):
        self.header, self.encoding, self.delimiter, self.notes = header, encoding, delimiter, notes or []
        self._rows, self._cells, self._lines = rows, cells, lines
        if rows is None and cells is None:
            self._rows = []

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self._lines)

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        """The rows as (line, cells), trailing empty cells left off."""
        if self._rows is None:
            columns = [c.to_pylist() for c in self._cells]
            rows = []
            for line, cells in zip(self._lines.tolist(), zip(*columns, strict=True), strict=True):
                cells = list(cells)
                while cells and not cells[-1]:
                    cells.pop()
                rows.append((line, cells))
            self._rows = rows
        return self._rows

    @property
    def lines(self) -> np.ndarray:
        """Each row's line number, as Excel shows it."""
        if self._lines is None:
            self._lines = np.fromiter((line for line, _ in self._rows), dtype=np.int64, count=len(self._rows))
        return self._lines

    @property
    def width(self) -> int:
        """The number of cell positions any row uses."""
        if self._cells is not None:
            return len(self._cells)
        return max((len(cells) for _, cells in self._rows), default=0)

    def column(self, i: int) -> pa.Array:
        """The text of cell position ``i`` of every row ("" where a row is shorter)."""
        if self._cells is not None:
            return self._cells[i] if i < len(self._cells) else pa.array([""] * len(self), pa.string())
        return pa.array([cells[i] if i < len(cells) else "" for _, cells in self._rows], pa.string())

    def widths(self) -> np.ndarray:
        """How many cells each row holds, trailing empty cells left off."""
        if self._cells is None:
            return np.fromiter((len(cells) for _, cells in self._rows), dtype=np.int64, count=len(self._rows))
        out = np.zeros(len(self), dtype=np.int64)
        for i, column in enumerate(self._cells):
            filled = pc.greater(pc.binary_length(column), 0).to_numpy(zero_copy_only=False)
            out[filled] = i + 1
        return out


def read(data: bytes, limits: Limits = LIMITS) -> Sheet:
    """Read an uploaded file's bytes (CSV or .xlsx) into a :class:`Sheet`."""
    if len(data) > limits.file_bytes:
        raise FileProblem(
            N_("the file is {size} MB; files over {limit} MB are refused. Split it into smaller files."),
            size=f"{len(data) / 1e6:.1f}",
            limit=limits.file_bytes // (1024 * 1024),
        )
    if not data.strip():
        raise FileProblem(N_("the file is empty."))
    budget = _Budget(limits)
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, budget)
    text, encoding = decode(data)
    return _read_csv(text, encoding, budget, data)


def decode(data: bytes) -> tuple[str, str]:
    """Detect the encoding of CSV bytes and decode them; bytes that are not that encoding are a file problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8 (with BOM)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16")
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _strict(data, enc, "UTF-16")
    if b"\x00" in data or _control_ratio(data) > 0.02:
        raise FileProblem(N_("this is not a text (CSV) file. Save it from Excel as CSV or .xlsx."))
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Every byte from 0xC0 up is a Cyrillic letter in Windows-1251, so count what Russian text is
    # made of, lower-case letters; Persian bytes read as Windows-1251 come out mostly upper-case.
    cyr, ara = data.decode("cp1251", errors="replace"), data.decode("cp1256", errors="replace")
    if len(_ARABIC.findall(ara)) > len(_CYRILLIC_LOWER.findall(cyr)):
        return ara, "Windows-1256 (Persian/Arabic)"
    return cyr, "Windows-1251 (Cyrillic)"


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    """Decode all of the bytes in the encoding their mark or shape announces, or say where they stop being it."""
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as err:
        if codec.startswith("utf-16") and len(data) % 2:
            raise FileProblem(
                N_("the file is {encoding} but ends in the middle of a letter: it may be cut off. Save it again."),
                encoding=name,
            ) from None
        raise FileProblem(
            N_("the file says it is {encoding}, but byte {position} is not. Save it again as CSV UTF-8 or .xlsx."),
            encoding=name,
            position=err.start + 1,
        ) from None


class _Budget:
    """Rows, columns, cell length and time of one read, refused as soon as one is exceeded."""

    def __init__(self, limits: Limits):
        self.limits, self.started, self.rows = limits, time.monotonic(), 0

    def row(self, line: int, cells: list[str]) -> list[str]:
        """Count a row and check its width and cells; return it without trailing empty cells."""
        while cells and not cells[-1]:
            cells.pop()
        self.rows += 1
        if self.rows > self.limits.rows:
            raise FileProblem(N_("the file has more than {n} rows. Split it into smaller files."), n=self.limits.rows)
        if len(cells) > self.limits.columns:
            raise FileProblem(
                N_("row {line} has {n} columns; a table has at most {limit}. Remove the extra columns."),
                line=line,
                n=len(cells),
                limit=self.limits.columns,
            )
        long = next((i for i, c in enumerate(cells) if len(c) > self.limits.cell_chars), None)
        if long is not None:
            raise FileProblem(
                N_("row {line}, column {column}: a cell of more than {n} characters. Shorten it."),
                line=line,
                column=long + 1,
                n=self.limits.cell_chars,
            )
        if self.rows % 1000 == 0:
            self.check_time()
        return cells

    def check_time(self) -> None:
        """Stop a read that takes longer than the limit allows."""
        if time.monotonic() - self.started > self.limits.seconds:
            raise FileProblem(
                N_("reading the file took longer than {n} seconds. Split it into smaller files."),
                n=int(self.limits.seconds),
            )


def _looks_utf16(data: bytes) -> bool:
    sample = data[:400]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def _control_ratio(data: bytes) -> float:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls / max(len(sample), 1)


_NAMES = {",": N_("comma-separated"), ";": N_("semicolon-separated"), "\t": N_("tab-separated")}


def _read_csv(text: str, encoding: str, budget: _Budget, data: bytes = b"") -> Sheet:
    first = _first_line(text)
    delimiter = max(_DELIMITERS, key=first.count)
    utf8 = data if encoding == "UTF-8" else text.encode("utf-8")
    sheet = _read_csv_in_bulk(utf8, first, delimiter, budget)
    if sheet is not None:
        sheet.encoding = encoding
        return sheet
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records = []
    try:
        for row in reader:
            cells = budget.row(reader.line_num, [c.strip() for c in row])
            if cells:
                records.append((reader.line_num, cells))
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            raise FileProblem(
                N_("line {line}: a cell of more than {n} characters. Shorten it."),
                line=reader.line_num,
                n=budget.limits.cell_chars,
            ) from None
        raise FileProblem(
            N_("line {line}: the CSV is malformed (a quote left open, or a NUL character: is it a text file?)."),
            line=reader.line_num,
        ) from None
    if not records:
        raise FileProblem(N_("the file is empty."))
    (_, header), body = records[0], records[1:]
    return Sheet(header=header, rows=body, encoding=encoding, delimiter=_NAMES[delimiter])


def _first_line(text: str) -> str:
    """The first line with something on it (the header), without splitting a large file into lines."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        if line.strip():
            return line
        start = end + 1
    return ""


def _read_csv_in_bulk(data: bytes, first: str, delimiter: str, budget: _Budget) -> Sheet | None:
    """The CSV parsed column by column in C, or None when only the careful row-by-row reader will do.

    The bulk parser cannot say on which line a record starts, so it is used only when every
    record is one line: no line holds an odd number of quotes (a quoted line break), no lone
    carriage return ends a line, and every record has as many cells as the header. Then the
    n-th non-empty line is the n-th record, and line numbers are counted from the bytes.
    """
    lines = _record_lines(data)
    if lines is None:
        return None
    if lines.size - 1 > budget.limits.rows:
        raise FileProblem(N_("the file has more than {n} rows. Split it into smaller files."), n=budget.limits.rows)
    width = len(next(csv.reader([first], delimiter=delimiter), []))
    if not width or width > budget.limits.columns:
        return None
    names = [f"c{i}" for i in range(width)]
    refused = []

    def refuse(_row: object) -> str:
        refused.append(True)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=refuse),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )  # fmt: skip
    except (pa.ArrowInvalid, ValueError):
        return None
    if refused or table.num_rows != lines.size:
        return None
    cells = [pc.utf8_trim_whitespace(column.combine_chunks()) for column in table.columns]
    if any((pc.max(pc.utf8_length(c)).as_py() or 0) > budget.limits.cell_chars for c in cells):
        return None  # the careful reader says which cell
    budget.check_time()
    return _trimmed(cells, lines, delimiter)


def _trimmed(cells: list[pa.Array], lines: np.ndarray, delimiter: str) -> Sheet | None:
    """Header and rows as the careful reader leaves them: no trailing empty header cell, no empty row."""
    header = [c[0].as_py() for c in cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        return None
    cells, lines = [c[1:] for c in cells], lines[1:]
    empty = Sheet(header, cells=cells, lines=lines).widths() == 0
    if empty.any():  # a line of separators only, as Excel writes for an empty row
        keep = pa.array(~empty)
        cells, lines = [c.filter(keep) for c in cells], lines[~empty]
    return Sheet(header, cells=cells, lines=lines, delimiter=_NAMES[delimiter])


def _record_lines(data: bytes) -> np.ndarray | None:
    """The line number of each non-empty line, or None when a record may span lines (or a lone CR ends one)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    returns = np.flatnonzero(buf == 13)
    if returns.size and ((returns + 1 >= buf.size) | (buf[np.minimum(returns + 1, buf.size - 1)] != 10)).any():
        return None
    breaks = np.flatnonzero(buf == 10)
    quotes = np.flatnonzero(buf == 34)
    if quotes.size and (np.bincount(np.searchsorted(breaks, quotes), minlength=breaks.size + 1) % 2).any():
        return None
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [buf.size]))
    lengths = ends - starts
    lengths -= (lengths > 0) & (buf[np.maximum(ends - 1, 0)] == 13)
    return np.flatnonzero(lengths > 0) + 1


def _read_xlsx(data: bytes, budget: _Budget) -> Sheet:
    """The first sheet of a workbook, read with a hardened XML parser and within the limits."""
    import openpyxl
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # entity expansion and external entities must be refused
        raise FileProblem(N_("Excel files cannot be read safely on this server (defusedxml is missing)."))
    _check_unpacked(data, budget.limits)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # a claimed dimension (A1:XFD1048576) is not a reason to pad rows
            records = _xlsx_rows(sheet, budget)
            notes = [sheet.title] if len(book.sheetnames) > 1 else []  # the sheet read, when there are several
        finally:
            book.close()
    except FileProblem:
        raise
    except Exception as err:  # any parser failure of an uploaded workbook is the file's problem
        if _caused_by(err, DefusedXmlException):  # openpyxl wraps the parser's refusal in a ValueError
            msgid = N_("the workbook holds XML entities or a document type, which are refused for safety.")
            raise FileProblem(msgid) from None
        raise FileProblem(N_("not a readable Excel workbook ({why})."), why=type(err).__name__) from None
    if not records:
        raise FileProblem(N_("the first sheet is empty."))
    (_, header), body = records[0], records[1:]
    return Sheet(header=header, rows=body, encoding="Excel workbook", notes=notes)


def _caused_by(err: BaseException | None, kind: type) -> bool:
    """True when ``err`` or any exception it was raised from is of ``kind``."""
    while err is not None:
        if isinstance(err, kind):
            return True
        err = err.__cause__ or err.__context__
    return False


def _check_unpacked(data: bytes, limits: Limits) -> None:
    """Refuse a workbook whose parts unzip to more than the limit, before unzipping any of them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise FileProblem(N_("not a readable Excel workbook ({why})."), why=type(err).__name__) from None
    if unpacked > limits.unpacked_bytes:
        raise FileProblem(
            N_("the workbook unpacks to {size} MB; over {limit} MB is refused. Split it into smaller files."),
            size=f"{unpacked / 1e6:.0f}",
            limit=limits.unpacked_bytes // (1024 * 1024),
        )


def _xlsx_rows(sheet: object, budget: _Budget) -> list[tuple[int, list[str]]]:
    records = []
    for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not any(v is not None for v in values):
            if n % 1000 == 0:
                budget.check_time()
            continue
        cells = budget.row(n, [_cell_text(v) for v in values])
        if cells:
            records.append((n, cells))
    return records


def _cell_text(value: object) -> str:
    """Excel cells as the text a CSV of the same sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
