"""Languages: English, Russian and Persian, from gettext catalogues (``twinmap/locales/*.po``).

Every text a person reads goes through a :class:`Translator`: messages (``_("Partners")``),
reference labels, numbers, dates (Gregorian or Jalali, at their own precision), country and
city names. English is the source language, so it needs no catalogue; the test suite fails if
the Persian or Russian catalogue lacks any message the code uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from twinmap.core import dates, geo, reference
from twinmap.core.catalogue import LOCALES, catalogue, plurals
from twinmap.core.reference import N_, NP_, Term
from twinmap.core.text import SCRIPTS, format_number, in_alphabet
from twinmap.core.text import digits as text_digits

__all__ = ["ENGLISH", "LANGUAGES", "NP_", "N_", "Translator"]

LANGUAGES = {"en": "English", "ru": "Русский", "fa": "فارسی"}
RTL = frozenset({"fa"})
MISSING = "—"  # what a reader sees where a value is not known
CALENDARS = ("gregorian", "jalali")


def default_calendar(lang: str) -> str:
    """Persian readers get the Solar Hijri calendar by default, others the Gregorian."""
    return "jalali" if lang == "fa" else "gregorian"


@dataclass(frozen=True)
class Translator:
    """Everything language-dependent for one reader: messages, numbers, dates, names."""

    lang: str = "en"
    cal: str = "gregorian"

    def __call__(self, message: str, **values: object) -> str:
        """The message in this language, with ``{name}`` fields filled (numbers localised, text isolated)."""
        text = catalogue(self.lang).get(message) or message
        if values:
            text = text.format(**{k: self.number(v) if isinstance(v, int | float) else self.isolate(v)
                                  for k, v in values.items()})  # fmt: skip
        return text

    def plural(self, message: tuple[str, str], n: int, **values: object) -> str:
        """A counted message (:func:`NP_`) in the form this language uses for ``n``, with ``{n}`` and fields filled."""
        forms, rule = plurals(self.lang)
        found = forms.get(message[0])
        text = found[rule(int(n))] if found else message[0 if n == 1 else 1]
        return text.format(n=self.number(n), **{k: self.number(v) if isinstance(v, int | float) else self.isolate(v)
                                                for k, v in values.items()})  # fmt: skip

    def isolate(self, value: object) -> object:
        """Text set into a right-to-left sentence as a unit of its own direction (Unicode isolates).

        An English name or sentence inside Persian text otherwise lends its punctuation to the
        Persian sentence: "(Russia) Astrakhan" or a full stop at the wrong end.
        """
        if self.rtl and isinstance(value, str) and value and not SCRIPTS["fa"].search(value):
            return f"\u2068{value}\u2069"
        return value

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
        return text_digits(text, self.lang)

    def number(self, value: float | int | None, decimals: int = 0) -> str:
        """A number formatted for the locale ('—' when unknown)."""
        if value is None or value != value:
            return MISSING
        return format_number(value, self.lang, decimals)

    def figures(self, values: object, decimals: int = 0) -> list[str]:
        """A table column of numbers written for this reader: digits, separators, and '—' where unknown.

        Streamlit would write Latin digits, English separators and "None" for every reader.
        """
        return [self.number(v, decimals) for v in values]

    def date(self, value: object, precision: str | None) -> str:
        """A stored date at its own precision, in this calendar and language ('—' when unknown)."""
        p = dates.from_db(value, precision)
        return self.digits(p.display(self.cal, self.lang)) if p else MISSING

    def moment(self, value: object) -> str:
        """A stored timestamp (when something was saved) as a day in this calendar and the time ('—' when unknown)."""
        if value is None or value != value:
            return MISSING
        return f"{self.date(value, 'day')} {self.digits(f'{value:%H:%M}')}"

    def partial(self, p: dates.PartialDate | None) -> str:
        """A :class:`PartialDate` in this calendar and language."""
        return self.digits(p.display(self.cal, self.lang)) if p else MISSING

    def country(self, code: str | None) -> str:
        """A country's name in this language (CLDR), falling back to English."""
        return geo.country_name(code, self.lang)

    def city(self, name: str, local_name: str | None = None) -> str:
        """A city's local name where it is written in this language's own alphabet, else its English name."""
        if isinstance(local_name, str) and in_alphabet(local_name, self.lang):  # NaN from a frame is no name
            return local_name
        return name


ENGLISH = Translator()


KEYWORDS = {"_": None, "N_": None, "tr": None, "NP_": (1, 2)}


def used_messages(root: Path | None = None) -> set[str]:
    """Every message the code marks for translation (``_("...")``, ``tr("...")``, ``N_("...")``)."""
    return {m for m in _extracted(root) if isinstance(m, str) and m}


def used_plurals(root: Path | None = None) -> set[tuple[str, str]]:
    """Every counted message the code marks (``NP_("{n} row", "{n} rows")``), as (singular, plural)."""
    return {m for m in _extracted(root) if isinstance(m, tuple) and len(m) == 2 and all(m)}


def _extracted(root: Path | None) -> list[object]:
    from babel.messages.extract import extract_from_file

    root = root or LOCALES.parent.parent
    files = [root / "app.py", *sorted((root / "pages").glob("*.py")), *sorted((root / "twinmap").rglob("*.py"))]
    found = []
    for path in files:
        found += [message for _line, message, _notes, _context in extract_from_file("python", path, keywords=KEYWORDS)]
    return found
