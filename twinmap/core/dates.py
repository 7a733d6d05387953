"""Dates that keep their precision, in the Gregorian and the Solar Hijri (Jalali) calendars.

The sources know "Ordibehesht 1393", not a day, and that month is not a Gregorian month
(21 April - 21 May 2014). A :class:`PartialDate` is stored as the first day of its period
plus a precision code, so the period can be rebuilt exactly and shown in either calendar
without inventing a day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import jdatetime
import numpy as np
from babel import Locale

from twinmap.core.reference import N_, Explained
from twinmap.core.text import PERSIAN_FORMS, quoted

GREGORIAN_MONTHS = tuple(calendar.month_name)[1:]
JALALI_MONTHS = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
JALALI_MONTHS_RU = (
    "Фарвардин", "Ордибехешт", "Хордад", "Тир", "Мордад", "Шахривар",
    "Мехр", "Абан", "Азар", "Дей", "Бахман", "Эсфанд",
)  # fmt: skip
JALALI_MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits, as Persian and Arabic Excel write them.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# Years below this are Solar Hijri: 1300-1500 SH is 1921-2122 CE, far from any Gregorian year we hold.
_JALALI_YEAR_LIMIT = 1700

_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_Y = re.compile(r"^(\d{4})$")
_NAMED_MONTH = re.compile(r"^(\D+?)\s+(\d{4})$")


class DateParseError(Explained):
    """Raised with a message a staff member can act on."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a day, a month or a year, in the calendar the source used."""

    start: dt.date
    precision: str = "day"

    @property
    def end(self) -> dt.date:
        """Last day of the period (inclusive)."""
        if self.precision == "day":
            return self.start
        if self.precision == "month":
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last)
        if self.precision == "year":
            return self.start.replace(month=12, day=31)
        j = jdatetime.date.fromgregorian(date=self.start)
        if self.precision == "jmonth":
            nxt = jdatetime.date(j.year + 1, 1, 1) if j.month == 12 else jdatetime.date(j.year, j.month + 1, 1)
        else:
            nxt = jdatetime.date(j.year + 1, 1, 1)
        return nxt.togregorian() - dt.timedelta(days=1)

    def text(self) -> str:
        """Canonical text in the source's calendar; :func:`parse` reads it back unchanged."""
        s = self.start
        if self.precision == "day":
            return s.isoformat()
        if self.precision == "month":
            return f"{s.year:04d}-{s.month:02d}"
        if self.precision == "year":
            return f"{s.year:04d}"
        j = jdatetime.date.fromgregorian(date=s)
        return f"{j.year}/{j.month:02d}" if self.precision == "jmonth" else f"{j.year}"

    def editable(self, cal: str = "gregorian") -> str:
        """Text to edit in the reader's calendar that :func:`parse` reads back to this very date.

        A day is written in the reader's calendar (1393/02/15 for a Solar Hijri reader); a month
        or year stays in the calendar the source gave it, which is the only way to keep it exact.
        """
        if cal == "jalali" and self.precision == "day":
            j = jdatetime.date.fromgregorian(date=self.start)
            return f"{j.year}/{j.month:02d}/{j.day:02d}"
        return self.text()

    def display(self, cal: str = "gregorian", lang: str = "en") -> str:
        """Human text in the chosen calendar and language, never showing a day the source did not give."""
        text = _display_jalali(self, lang) if cal == "jalali" else _display_gregorian(self, lang)
        return text[:1].upper() + text[1:]


def normalise_digits(text: str) -> str:
    """Turn Persian and Arabic-Indic digits into ASCII digits."""
    return text.translate(_DIGITS)


def parse(text: str | None) -> PartialDate | None:
    """Read a date as staff and sources write it; ``None`` for an empty cell.

    Accepts ISO (``2014-05-03``, ``2014-05``, ``2014``), ``DD.MM.YYYY``, Jalali
    (``1393/02/15``, ``1393/02``, ``1393``) and month names (``Ordibehesht 1393``,
    ``May 2014``). Raises :class:`DateParseError` for anything else.
    """
    if text is None:
        return None
    raw = normalise_digits(str(text)).strip()
    if not raw or raw.lower() in {"nan", "nat", "none"}:
        return None
    try:
        return _parse_numeric(raw) or _parse_named(raw) or _fail(text)
    except _NoSuchDay as err:
        if err.month is not None:
            raise DateParseError(N_("{value} is not a real date: there is no month {month}"),
                                 value=quoted(text), month=err.month) from None  # fmt: skip
        raise DateParseError(N_("{value} is not a real date: that month has no day {day}"),
                             value=quoted(text), day=err.day) from None  # fmt: skip


def _fail(text: str) -> PartialDate:
    raise DateParseError(
        N_("{value} is not a date; write 2014-05-21, 2014-05, 2014, 21.05.2014 or 1393/02/31"), value=quoted(text)
    )


class _NoSuchDay(ValueError):
    """A month or day the calendar does not have (the message says which, in the reader's words)."""

    def __init__(self, month: int | None = None, day: int | None = None):
        super().__init__(month, day)
        self.month, self.day = month, day


def _parse_numeric(raw: str) -> PartialDate | None:
    if m := _YMD.match(raw):
        y, mo, d = (int(g) for g in m.groups())
        return _make(y, mo, d, "day")
    if m := _DMY.match(raw):
        d, mo, y = (int(g) for g in m.groups())
        return _make(y, mo, d, "day")
    if m := _YM.match(raw):
        y, mo = (int(g) for g in m.groups())
        return _make(y, mo, 1, "month")
    if m := _Y.match(raw):
        return _make(int(m.group(1)), 1, 1, "year")
    return None


def _parse_named(raw: str) -> PartialDate | None:
    m = _NAMED_MONTH.match(raw)
    if not m:
        return None
    name, year = m.group(1).strip().lower().translate(PERSIAN_FORMS).replace("\u200c", ""), int(m.group(2))
    for i, month in enumerate(JALALI_MONTHS):
        if name in {month.lower(), JALALI_MONTHS_FA[i], JALALI_MONTHS_RU[i].lower()}:
            return _make(year, i + 1, 1, "month")
    for i, month in enumerate(GREGORIAN_MONTHS):
        if name in {month.lower(), month[:3].lower()}:
            return _make(year, i + 1, 1, "month")
    return None


def _make(year: int, month: int, day: int, precision: str) -> PartialDate:
    """Build a PartialDate, converting from Jalali when the year is a Solar Hijri year."""
    if not 1 <= month <= 12:
        raise _NoSuchDay(month=month)
    try:
        if year < _JALALI_YEAR_LIMIT:
            start = jdatetime.date(year, month, day).togregorian()
            jprec = {"day": "day", "month": "jmonth", "year": "jyear"}[precision]
            return PartialDate(start, jprec)
        return PartialDate(dt.date(year, month, day), precision)
    except ValueError:
        raise _NoSuchDay(day=day) from None


def year_of(day: object, cal: str = "gregorian") -> int:
    """The year a date falls in, in a calendar (the Solar Hijri year for ``jalali``)."""
    p = from_db(day, "day")
    if p is None:
        raise ValueError("no date")
    return jdatetime.date.fromgregorian(date=p.start).year if cal == "jalali" else p.start.year


def year_span(year: int, cal: str = "gregorian") -> tuple[dt.date, dt.date]:
    """The first and last (Gregorian) day of a year of a calendar."""
    if cal == "jalali":
        return jdatetime.date(year, 1, 1).togregorian(), jdatetime.date(year + 1, 1, 1).togregorian() - dt.timedelta(1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def from_db(start: object, precision: str | None) -> PartialDate | None:
    """Rebuild a PartialDate from its two stored columns (date, Timestamp, NaT or None)."""
    if start is None or start != start:  # NaN and NaT are not equal to themselves
        return None
    if isinstance(start, dt.datetime) or hasattr(start, "to_pydatetime"):
        start = start.date()
    elif not isinstance(start, dt.date):
        start = dt.date.fromisoformat(str(start)[:10])
    return PartialDate(start, precision or "day")


def period_ends(starts: np.ndarray, precisions: np.ndarray) -> np.ndarray:
    """The last day of many periods at once (``datetime64[D]``, NaT where a start is missing).

    The same rule as :attr:`PartialDate.end`, over whole columns: a month's or a year's last day
    by arithmetic, a Solar Hijri month or year once per distinct period by the calendar.
    """
    first = np.asarray(starts, dtype="datetime64[D]")
    kind = np.asarray(precisions, dtype=object)
    out = first.copy()
    month, year = kind == "month", kind == "year"
    out[month] = (first[month].astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    out[year] = (first[year].astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    known: dict[tuple, np.datetime64] = {}
    for i in np.flatnonzero(~np.isnat(first) & np.isin(kind, ["jmonth", "jyear"])):
        period = (first[i], kind[i])
        if period not in known:
            known[period] = np.datetime64(PartialDate(first[i].item(), kind[i]).end)
        out[i] = known[period]
    return out


def _months(lang: str, cal: str, form: str = "stand-alone") -> tuple[str, ...]:
    """Month names: Jalali ones from our tables, Gregorian ones from CLDR (Babel)."""
    if cal == "jalali":
        return {"fa": JALALI_MONTHS_FA, "ru": JALALI_MONTHS_RU}.get(lang, JALALI_MONTHS)
    if lang == "en":
        return GREGORIAN_MONTHS
    names = Locale.parse(lang).months[form]["wide"]
    return tuple(names[i] for i in range(1, 13))


def _span(first: str, y1: int, last: str, y2: int) -> str:
    return f"{first}–{last} {y1}" if y1 == y2 else f"{first} {y1} – {last} {y2}"


def _display_gregorian(p: PartialDate, lang: str) -> str:
    s, e = p.start, p.end
    if p.precision == "day":
        day_month = _months(lang, "gregorian", "format")[s.month - 1]
        return f"{s.day} {day_month[:3] if lang == 'en' else day_month} {s.year}"
    months = _months(lang, "gregorian")
    if p.precision == "month":
        return f"{months[s.month - 1]} {s.year}"
    if p.precision == "year":
        return str(s.year)
    if p.precision == "jyear":
        return f"{s.year}–{e.year}"
    return _span(months[s.month - 1], s.year, months[e.month - 1], e.year)


def _display_jalali(p: PartialDate, lang: str) -> str:
    js = jdatetime.date.fromgregorian(date=p.start)
    je = jdatetime.date.fromgregorian(date=p.end)
    months = _months(lang, "jalali")
    if p.precision == "day":
        return f"{js.day} {months[js.month - 1]} {js.year}"
    if p.precision == "jmonth":
        return f"{months[js.month - 1]} {js.year}"
    if p.precision == "jyear":
        return str(js.year)
    if p.precision == "year":
        return f"{js.year}–{je.year}"
    return _span(months[js.month - 1], js.year, months[je.month - 1], je.year)
