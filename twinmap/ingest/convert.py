"""Turn one cell of an imported file into a stored value, by the column's kind.

Each converter returns the value or raises :class:`CellError` with a reason a staff member
can act on ("'abc' is not a whole number"). Persian and Arabic-Indic digits, Persian decimal
and thousands separators, and labels instead of codes are accepted.
"""

from __future__ import annotations

import functools
import math
import re

from twinmap.core import dates, reference
from twinmap.core.catalogue import spellings
from twinmap.core.dates import PartialDate
from twinmap.core.reference import N_, Explained, Term
from twinmap.core.text import fold, quoted
from twinmap.ingest import countries

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


# How numbers are read, stated once (the templates' "what goes in each column" says the same):
NUMBER_RULE = N_(
    "Numbers: a point is a decimal point (1.5). Spaces, apostrophes and the Persian thousands sign group "
    "thousands (1 234 / 1'234 / ۱٬۲۳۴). A comma followed by exactly three digits groups thousands "
    "(1,234 = 1234; 1,234,567) unless the number starts with 0 (0,125); any other single comma is a decimal "
    "comma (46,35 = 46.35). Several points group thousands (1.234.567). When a number holds both a point and a "
    "comma, the last of them is the decimal sign (1,234.5 or 1.234,5)."
)
_GROUPING = re.compile(r"[\s'\u066c\u00a0\u202f]")
_PLAIN = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_THOUSANDS = {sign: re.compile(rf"[-+]?[1-9]\d{{0,2}}(\{sign}\d{{3}})+") for sign in ",."}


def number(raw: str) -> float | None:
    """A finite number by :data:`NUMBER_RULE`; empty means none.

    One reader for whole and decimal columns, so "1,200" is 1200 in both. NaN and infinity are
    not numbers a person records, and would be stored as nothing.
    """
    clean = _GROUPING.sub("", dates.normalise_digits(raw).strip().replace("\u066b", "."))
    if not clean:
        return None
    if "," in clean and "." in clean:
        decimal_sign = "," if clean.rfind(",") > clean.rfind(".") else "."
        grouping = "." if decimal_sign == "," else ","
        clean = clean.replace(grouping, "").replace(decimal_sign, ".")
    elif "," in clean:
        clean = clean.replace(",", "") if _THOUSANDS[","].fullmatch(clean) else clean.replace(",", ".", 1)
    elif clean.count(".") > 1 and _THOUSANDS["."].fullmatch(clean):
        clean = clean.replace(".", "")
    if not _PLAIN.fullmatch(clean):
        raise CellError(N_("{value} is not a number"), value=quoted(raw))
    value = float(clean)
    if not math.isfinite(value):
        raise CellError(N_("{value} is not a number"), value=quoted(raw))
    return value


def integer(raw: str) -> int | None:
    """A whole number, read by the same rule as every number (1,234 / 1 234 / ۱٬۲۳۴ = 1234)."""
    try:
        value = number(raw)
    except CellError:
        raise CellError(N_("{value} is not a whole number"), value=quoted(raw)) from None
    if value is None:
        return None
    if not value.is_integer():
        raise CellError(N_("{value} is not a whole number"), value=quoted(raw))
    return int(value)


def decimal(raw: str) -> float | None:
    """A number by :data:`NUMBER_RULE` (a decimal comma, 46,35, or the Persian ۴۶٫۳۵ are fine)."""
    return number(raw)


def within(value: float | None, low: float | None, high: float | None) -> None:
    """Refuse a number outside a column's limits (the limits are defined with the column)."""
    if value is None:
        return
    if low is not None and value < low:
        raise CellError(N_("{value} is below the smallest allowed value, {low}"), value=_plain_number(value),
                        low=_plain_number(low))  # fmt: skip
    if high is not None and value > high:
        raise CellError(N_("{value} is above the largest allowed value, {high}"), value=_plain_number(value),
                        high=_plain_number(high))  # fmt: skip


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def link(raw: str) -> str | None:
    """A web address: http or https with a host, nothing else (no javascript:, data: or file: links)."""
    from urllib.parse import urlsplit

    value = raw.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise CellError(N_("{value} is not a web address (http:// or https://)"), value=quoted(raw))
    return value


def boolean(raw: str) -> bool:
    """Yes / no in English, Russian or Persian; empty is no."""
    value = raw.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(N_("{value} is not true or false"), value=quoted(raw))


def date(raw: str) -> PartialDate | None:
    """A date at the precision written (see :func:`twinmap.core.dates.parse`)."""
    try:
        return dates.parse(raw)
    except dates.DateParseError as err:
        raise CellError(err.msgid, **err.values) from None


def code(raw: str, terms: tuple[Term, ...]) -> str | None:
    """A vocabulary code, given as the code or as its label in English, Russian or Persian.

    Staff type what the app shows them: "امضا شده" or "подписано" is the stage ``signed``.
    """
    value = fold(raw)
    if not value:
        return None
    found = _spelled(terms).get(value)
    if found is not None:
        return found
    raise CellError(
        N_("{value} is not one of: {allowed}"), value=quoted(raw.strip()), allowed=", ".join(reference.codes(terms))
    )


@functools.cache
def _spelled(terms: tuple[Term, ...]) -> dict[str, str]:
    """Every folded spelling of a vocabulary (code, label in each language) to its code, first term first."""
    out: dict[str, str] = {}
    for term in terms:
        for spelling in (term.code, *spellings(term.label)):
            out.setdefault(fold(spelling), term.code)
    return out


def codes(raw: str, terms: tuple[Term, ...]) -> list[str]:
    """Several codes separated by ; or , (areas of cooperation)."""
    return [c for part in re.split(r"[;,،؛]", raw) if (c := code(part, terms))]


def country(raw: str) -> str | None:
    """An ISO 3166 alpha-2 code, from any form :mod:`twinmap.ingest.countries` reads."""
    found = country_reading(raw)
    return found.code if found else None


def country_reading(raw: str) -> countries.Reading | None:
    """How a country cell reads (code, candidates, region, note), or why it does not."""
    value = raw.strip()
    if not value:
        return None
    found = countries.read(value)
    if found:
        return found
    if countries.is_ambiguous(value):
        raise CellError(N_("{value} was several of today's countries: write which one (e.g. RU, UA, BY)"),
                        value=quoted(value))  # fmt: skip
    close = countries.near_misses(value)
    if len(close) > 1:
        raise CellError(N_("{value} is not a country; it is as close to {codes}: write which one"),
                        value=quoted(value), codes=", ".join(close))  # fmt: skip
    raise CellError(
        N_("{value} is not a country: write its name or ISO code (e.g. IR, Iran, Иран, ایران)"), value=quoted(value)
    )


_WIKIDATA = re.compile(r"(?:https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?([Qq][1-9]\d*)")


def wikidata(raw: str) -> str | None:
    """A Wikidata item id (Q1234), also from its page or entity address."""
    value = raw.strip()
    if not value:
        return None
    found = _WIKIDATA.fullmatch(value)
    if found is None:
        raise CellError(N_("{value} is not a Wikidata id (Q and digits, e.g. Q1234)"), value=quoted(raw))
    return found.group(1).upper()


def side(raw: str) -> str | None:
    """Which side of the partnership a contact belongs to."""
    value = fold(raw)
    aliases = {"home": "home", "дом": "home", "наш": "home", "میزبان": "home", "partner": "partner",
               "партнер": "partner", "партнёр": "partner", "همکار": "partner", "طرف مقابل": "partner"}  # fmt: skip
    if not value:
        return None
    if value in aliases:
        return aliases[value]
    raise CellError(N_("{value} is not 'home' or 'partner'"), value=quoted(raw))


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
            raise CellError(N_("{value} is not country:number (e.g. IR:20; RU:15)"), value=quoted(part))
        code_ = country(name)
        value = integer(number)
        if not code_ or value is None or value < 0:
            raise CellError(N_("{value} is not country:number (e.g. IR:20; RU:15)"), value=quoted(part))
        out[code_] = out.get(code_, 0) + value
    return ";".join(f"{c}:{n}" for c, n in out.items())
