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
import zipfile
from dataclasses import dataclass, field

from twinmap.reference import N_, Explained

MAX_BYTES = 10 * 1024 * 1024  # 10 MB: a year of monthly indicators for every partner is far smaller
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_DELIMITERS = (",", ";", "\t")


class FileProblem(Explained):
    """The file as a whole cannot be read (message says why and what to do)."""


@dataclass
class Sheet:
    """A file's content as text: header, rows (each with its line number) and how it was read."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def read(data: bytes, filename: str) -> Sheet:
    """Read an uploaded file's bytes (CSV or .xlsx) into a :class:`Sheet`."""
    if len(data) > MAX_BYTES:
        raise FileProblem(
            N_("the file is {size} MB; files over {limit} MB are refused. Split it into smaller files."),
            size=f"{len(data) / 1e6:.1f}",
            limit=MAX_BYTES // (1024 * 1024),
        )
    if not data.strip():
        raise FileProblem(N_("the file is empty."))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, filename)
    text, encoding = decode(data, filename)
    return _read_csv(text, encoding, filename)


def decode(data: bytes, filename: str) -> tuple[str, str]:
    """Detect the encoding of CSV bytes and decode them."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (with BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if _looks_utf16(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(enc), "UTF-16"
    if b"\x00" in data or _control_ratio(data) > 0.02:
        raise FileProblem(N_("this is not a text (CSV) file. Save it from Excel as CSV or .xlsx."))
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    cyr, ara = data.decode("cp1251", errors="replace"), data.decode("cp1256", errors="replace")
    if len(_ARABIC.findall(ara)) > len(_CYRILLIC.findall(cyr)):
        return ara, "Windows-1256 (Persian/Arabic)"
    return cyr, "Windows-1251 (Cyrillic)"


def _looks_utf16(data: bytes) -> bool:
    sample = data[:400]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def _control_ratio(data: bytes) -> float:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls / max(len(sample), 1)


def _read_csv(text: str, encoding: str, filename: str) -> Sheet:
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as err:
        raise FileProblem(
            N_("line {line}: the CSV is malformed ({why})."), line=reader.line_num, why=str(err)
        ) from None
    records = [(n, [c.strip() for c in row]) for n, row in records if any(c.strip() for c in row)]
    if not records:
        raise FileProblem(N_("the file is empty."))
    (_, header), body = records[0], records[1:]
    names = {",": N_("comma-separated"), ";": N_("semicolon-separated"), "\t": N_("tab-separated")}
    return Sheet(header=header, rows=body, encoding=encoding, delimiter=names[delimiter])


def _read_xlsx(data: bytes, filename: str) -> Sheet:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise FileProblem(N_("not a readable Excel workbook ({why})."), why=str(err)) from None
    sheet = book.worksheets[0]
    records = []
    for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        row = [_cell_text(v) for v in values]
        if any(row):
            records.append((n, row))
    book.close()
    if not records:
        raise FileProblem(N_("the first sheet is empty."))
    (_, header), body = records[0], records[1:]
    notes = [sheet.title] if len(book.sheetnames) > 1 else []  # the sheet read, when there are several
    return Sheet(header=header, rows=body, encoding="Excel workbook", notes=notes)


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
