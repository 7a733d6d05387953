"""Languages: English, Russian and Persian, from gettext catalogues (``twinmap/locales/*.po``).

Every text a person reads goes through a :class:`Translator`: messages (``_("Partners")``),
reference labels, numbers, dates (Gregorian or Jalali, at their own precision), country and
city names. English is the source language, so it needs no catalogue; the test suite fails if
the Persian or Russian catalogue lacks any message the code uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.numbers import format_decimal

from twinmap.core import dates, geo, reference
from twinmap.core.catalogue import LOCALES, catalogue
from twinmap.core.reference import N_, Term
from twinmap.core.text import SCRIPTS

__all__ = ["ENGLISH", "LANGUAGES", "N_", "Translator"]

LANGUAGES = {"en": "English", "ru": "Русский", "fa": "فارسی"}
RTL = frozenset({"fa"})
MISSING = "—"  # what a reader sees where a value is not known
CALENDARS = ("gregorian", "jalali")
_PERSIAN_DIGITS = str.maketrans("0123456789.,", "۰۱۲۳۴۵۶۷۸۹٫٬")


def default_calendar(lang: str) -> str:
    """Persian readers get the Solar Hijri calendar by default, others the Gregorian."""
    return "jalali" if lang == "fa" else "gregorian"


@dataclass(frozen=True)
class Translator:
    """Everything language-dependent for one reader: messages, numbers, dates, names."""

    lang: str = "en"
    cal: str = "gregorian"

    def __call__(self, message: str, **values: object) -> str:
        """The message in this language, with ``{name}`` fields filled (numbers localised)."""
        text = catalogue(self.lang).get(message) or message
        if values:
            text = text.format(**{k: self.number(v) if isinstance(v, int | float) else v for k, v in values.items()})
        return text

    @property
    def rtl(self) -> bool:
        """True for right-to-left languages."""
        return self.lang in RTL

    def term(self, terms: tuple[Term, ...], code: str | None) -> str:
        """A reference value's label (status, kind, area...) in this language."""
        return self(reference.label(terms, code))

    def join(self, items: list[str]) -> str:
        """Items of a list, separated as the language writes them (the Persian comma in Persian)."""
        return ("، " if self.lang == "fa" else ", ").join(items)

    def digits(self, text: str) -> str:
        """Digits as this language writes them (Persian digits in Persian)."""
        return text.translate(_PERSIAN_DIGITS) if self.lang == "fa" else text

    def number(self, value: float | int | None, decimals: int = 0) -> str:
        """A number formatted for the locale ('—' when unknown)."""
        if value is None or value != value:
            return MISSING
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        text = format_decimal(value, format=pattern, locale="en" if self.lang == "fa" else self.lang)
        return self.digits(text)

    def date(self, value: object, precision: str | None) -> str:
        """A stored date at its own precision, in this calendar and language ('—' when unknown)."""
        p = dates.from_db(value, precision)
        return self.digits(p.display(self.cal, self.lang)) if p else MISSING

    def partial(self, p: dates.PartialDate | None) -> str:
        """A :class:`PartialDate` in this calendar and language."""
        return self.digits(p.display(self.cal, self.lang)) if p else MISSING

    def country(self, code: str | None) -> str:
        """A country's name in this language (CLDR), falling back to English."""
        return geo.country_name(code, self.lang)

    def city(self, name: str, local_name: str | None = None) -> str:
        """A city's name in this language's script where known (its local name), else English."""
        script = SCRIPTS.get(self.lang)
        if script and isinstance(local_name, str) and script.search(local_name):  # NaN from a frame is no name
            return local_name
        return name


ENGLISH = Translator()


KEYWORDS = {"_": None, "N_": None, "tr": None}


def used_messages(root: Path | None = None) -> set[str]:
    """Every message the code marks for translation (``_("...")``, ``tr("...")``, ``N_("...")``)."""
    from babel.messages.extract import extract_from_file

    root = root or LOCALES.parent.parent
    files = [root / "app.py", *sorted((root / "pages").glob("*.py")), *sorted((root / "twinmap").rglob("*.py"))]
    found: set[str] = set()
    for path in files:
        for _line, message, _comments, _context in extract_from_file("python", path, keywords=KEYWORDS):
            if isinstance(message, str) and message:
                found.add(message)
    return found
