"""Languages: English, Russian and Persian, from gettext catalogues (``twinmap/locales/*.po``).

Every text a person reads goes through a :class:`Translator`: messages (``_("Partners")``),
reference labels, numbers, dates (Gregorian or Jalali, at their own precision), country and
city names. English is the source language, so it needs no catalogue; the test suite fails if
the Persian or Russian catalogue lacks any message the code uses.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

from twinmap.core import dates, geo, reference, spellings
from twinmap.core.catalogue import LOCALES, catalogue, plurals
from twinmap.core.reference import N_, NP_, Term
from twinmap.core.text import SCRIPTS, format_number, in_alphabet
from twinmap.core.text import digits as text_digits

__all__ = ["ENGLISH", "LANGUAGES", "NP_", "N_", "Translator", "learn_spellings", "learned"]

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

    def sentence(self, message: str, **values: object) -> str:
        """The message as a sentence: its first letter raised (``str.capitalize`` would lower the rest, names too)."""
        text = self(message, **values)
        return text[:1].upper() + text[1:]

    def told(self, err: object) -> str:
        """An error raised for people (its ``msgid`` and ``values``) in this language, as a sentence."""
        return self.sentence(err.msgid, **err.values)  # type: ignore[attr-defined]

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
        """A city's name in the reader's script, the same on every page, table, map, PDF and e-mail.

        The store's local name where it is written in this language's alphabet (an Arabic one
        with Persian's letter forms for a Persian reader), else the gazetteer's spelling for this
        language, else its English name.
        """
        local = local_name if isinstance(local_name, str) else None  # NaN from a frame is no name
        if local and in_alphabet(local, self.lang):
            return spellings.as_persian(local) if self.lang == "fa" else local
        return _SPELLINGS.get(self.lang, {}).get((name, local)) or name

    def place(self, name: str, country_code: str, geonameid: int | None = None) -> str:
        """A gazetteer city's name in the reader's script, whether or not the store holds it (the finder's)."""
        if self.lang not in spellings.LANGS:
            return name
        return spellings.of_city(name, country_code, geonameid).get(self.lang) or self.city(name)


ENGLISH = Translator()

# Each city's spelling per reader's language, by the (name, local name) pages read: learned from
# the store's cities (:func:`learn_spellings`) before a data version is read, so labels made for
# that version spell them. Two cities that share both names but not a spelling get neither; a
# name given alone finds its city's spelling unless two cities of that name are spelled apart.
_SPELLINGS: dict[str, dict[tuple[str, str | None], str | None]] = {lang: {} for lang in spellings.LANGS}
_LEARNED: set[tuple[str, str | None, str, int | None]] = set()
_SOURCES: set[Hashable] = set()
_spellings_lock = threading.Lock()


def learned(source: Hashable) -> bool:
    """Whether the spellings of ``source`` (a store's data version) were learned (since the last reset)."""
    return source in _SOURCES


def learn_spellings(cities: Iterable[tuple[str, str | None, str, int | None]], source: Hashable = None) -> None:
    """Learn the Russian and Persian spellings of cities given as (name, local name, country, GeoNames id).

    Only what is new is worked out, so calling this on every new data version costs a set lookup
    per city. ``source`` records where they came from (see :func:`learned`).
    """
    with _spellings_lock:
        _SOURCES.add(source)
        for name, local, country, geonameid in cities:
            local = local if isinstance(local, str) else None
            if (name, local, country, geonameid) in _LEARNED:
                continue
            _LEARNED.add((name, local, country, geonameid))
            for lang, spelled in spellings.of_city(name, country, geonameid).items():
                known = _SPELLINGS[lang]
                for key in {(name, local), (name, None)}:  # a table that carries the name alone finds it too
                    known[key] = spelled if known.get(key, spelled) == spelled else None


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
