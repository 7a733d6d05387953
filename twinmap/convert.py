"""Turn one cell of an imported file into a stored value, by the column's kind.

Each converter returns the value or raises :class:`CellError` with a reason a staff member
can act on ("'abc' is not a whole number"). Persian and Arabic-Indic digits, Persian decimal
and thousands separators, and labels instead of codes are accepted.
"""

from __future__ import annotations

import functools
import re

import pycountry
from babel import Locale

from twinmap import dates, reference
from twinmap.dates import PartialDate
from twinmap.gazetteer import fold
from twinmap.reference import N_, Explained, Term

_TRUE = {"true", "yes", "y", "1", "да", "بله", "آری", "x"}
_FALSE = {"false", "no", "n", "0", "нет", "خیر", ""}


class CellError(Explained):
    """A cell's value cannot be stored (the message says why)."""


def text(raw: str) -> str | None:
    """Free text, trimmed; empty means none.

    The apostrophe our exports put before text that Excel would run as a formula ('=..., '+...)
    is taken off again, so an export imports back unchanged.
    """
    raw = raw.strip()
    if raw[:1] == "'" and raw[1:2] in {"=", "+", "-", "@"}:
        raw = raw[1:]
    return raw or None


def integer(raw: str) -> int | None:
    """A whole number; thousands separators (1,234 / 1 234 / ۱٬۲۳۴) are fine."""
    clean = re.sub(r"[\s,'٬]", "", dates.normalise_digits(raw))
    if not clean:
        return None
    if re.fullmatch(r"[-+]?\d+(\.0+)?", clean):
        return int(float(clean))
    raise CellError(N_("{value} is not a whole number"), value=repr(raw))


def decimal(raw: str) -> float | None:
    """A number; a decimal comma (46,35) or the Persian decimal sign (۴۶٫۳۵) are fine."""
    clean = dates.normalise_digits(raw).strip().replace("٫", ".").replace(" ", "")
    if not clean:
        return None
    if clean.count(",") == 1 and "." not in clean:
        clean = clean.replace(",", ".")
    try:
        return float(clean.replace(",", ""))
    except ValueError:
        raise CellError(N_("{value} is not a number"), value=repr(raw)) from None


def boolean(raw: str) -> bool:
    """Yes / no in English, Russian or Persian; empty is no."""
    value = raw.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(N_("{value} is not true or false"), value=repr(raw))


def date(raw: str) -> PartialDate | None:
    """A date at the precision written (see :func:`twinmap.dates.parse`)."""
    try:
        return dates.parse(raw)
    except dates.DateParseError as err:
        raise CellError(err.msgid, **err.values) from None


def code(raw: str, terms: tuple[Term, ...]) -> str | None:
    """A vocabulary code, given as the code or as its English label."""
    value = fold(raw)
    if not value:
        return None
    for term in terms:
        if value in {fold(term.code), fold(term.label)}:
            return term.code
    raise CellError(
        N_("{value} is not one of: {allowed}"), value=repr(raw.strip()), allowed=", ".join(reference.codes(terms))
    )


def codes(raw: str, terms: tuple[Term, ...]) -> list[str]:
    """Several codes separated by ; or , (areas of cooperation)."""
    return [c for part in re.split(r"[;,،]", raw) if (c := code(part, terms))]


@functools.cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale in ("en", "ru", "fa"):
        for code_, name in Locale.parse(locale).territories.items():
            if len(code_) == 2 and code_.isalpha():
                names.setdefault(fold(name), code_)
    return names


def country(raw: str) -> str | None:
    """An ISO 3166 alpha-2 code, given as the code or as the country's name in en/ru/fa."""
    value = raw.strip()
    if not value:
        return None
    if len(value) == 2 and pycountry.countries.get(alpha_2=value.upper()):
        return value.upper()
    found = _country_names().get(fold(value))
    if found:
        return found
    raise CellError(
        N_("{value} is not a country code (write the two-letter ISO code, e.g. IR, RU, IT)"), value=repr(value)
    )


def side(raw: str) -> str | None:
    """Which side of the partnership a contact belongs to."""
    value = fold(raw)
    aliases = {"home": "home", "дом": "home", "наш": "home", "میزبان": "home", "partner": "partner",
               "партнер": "partner", "партнёр": "partner", "همکار": "partner", "طرف مقابل": "partner"}  # fmt: skip
    if not value:
        return None
    if value in aliases:
        return aliases[value]
    raise CellError(N_("{value} is not 'home' or 'partner'"), value=repr(raw))


def counts(raw: str) -> str | None:
    """Participants by country, "IR:20; RU:15" (names or codes), stored canonically as "IR:20;RU:15".

    Grant forms ask for participants per country; one cell keeps the template one row per event.
    """
    parts = [p.strip() for p in re.split(r"[;،\n]", raw) if p.strip()]
    if not parts:
        return None
    out: dict[str, int] = {}
    for part in parts:
        name, sep, number = part.rpartition(":")
        if not sep:
            raise CellError(N_("{value} is not country:number (e.g. IR:20; RU:15)"), value=repr(part))
        code_ = country(name)
        value = integer(number)
        if not code_ or value is None or value < 0:
            raise CellError(N_("{value} is not country:number (e.g. IR:20; RU:15)"), value=repr(part))
        out[code_] = out.get(code_, 0) + value
    return ";".join(f"{c}:{n}" for c, n in out.items())


def parse_counts(stored: str | None) -> dict[str, int]:
    """The stored "IR:20;RU:15" as a dict (empty when none)."""
    if not stored:
        return {}
    return {c: int(n) for c, _, n in (p.partition(":") for p in stored.split(";"))}
