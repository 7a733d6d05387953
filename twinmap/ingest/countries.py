"""Countries as people write them: one table of every accepted form, read to an ISO 3166 alpha-2 code.

Accepted: the two- and three-letter codes; the names CLDR gives in English, Russian and Persian;
pycountry's short, official and common names; and the short and historical forms files really
hold (USA, UK, England, Turkey, Czech Republic, Kosovo, Palestine, "Georgia (country)", Burma,
Byelorussia...). A name that could mean several of today's countries (Soviet Union, Yugoslavia,
Czechoslovakia, Prussia) is refused, never guessed.

Names are compared folded (case, accents, punctuation), without "the" and "and", with "St."
and "Saint" alike and without a qualifier in brackets.

Lists write more than a country in the country cell; :func:`read` states how it reads them:

- "Region, Country" and "City, Country" (``England, United Kingdom``, ``Brandenburg, Germany``):
  the last part that names a country is the country, the parts before it are kept as the region.
  When two parts name countries (``Réunion, France``), both are candidates; the importer picks
  the one whose gazetteer holds the city, else the one whose outline holds the file's point,
  else the last.
- A near miss (``Grece``, ``Madagaskar``): accepted when every accepted form within
  :data:`NEAR_MISS` (difflib's similarity ratio, 0 to 1) of it names one and the same country, with
  a note naming the reading; two countries that close (``Austrlia``: Australia, Austria) are refused.
- A place the file puts outside the named country, in one of its overseas or outlying parts
  that have their own ISO 3166-1 code (:func:`parts`: Réunion, Guadeloupe or Martinique for
  France; Puerto Rico or Guam for the United States; Aruba for the Netherlands), is read in that
  part, with a note (the importer's rule, for rows with coordinates).
- Territories without an ISO 3166-1 code of their own (:data:`TERRITORIES`: Northern Cyprus,
  Abkhazia, Transnistria...) are read as the ISO country whose ISO 3166-2 subdivisions they lie
  in, with a note. Kosovo is XK (the user-assigned code CLDR and the EU use), Palestine PS and
  Western Sahara EH (both ISO 3166-1).
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

import pycountry
from babel import Locale

from twinmap.core.text import fold

# Forms that neither ISO nor CLDR spells this way, as files from Wikidata, English, Russian and
# Persian offices write them.
ALIASES: dict[str, str] = {
    # short forms and the usual English names
    "USA": "US", "U.S.": "US", "U.S.A.": "US", "United States of America": "US", "America": "US",
    "UK": "GB", "U.K.": "GB", "Great Britain": "GB", "Britain": "GB", "England": "GB", "Scotland": "GB",
    "Wales": "GB", "Northern Ireland": "GB",
    "Turkey": "TR", "Turkiye": "TR", "Czech Republic": "CZ", "Bosnia": "BA", "Holland": "NL",
    "Kingdom of the Netherlands": "NL", "People's Republic of China": "CN", "PRC": "CN", "Mainland China": "CN",
    "Republic of Macedonia": "MK", "Macedonia": "MK", "FYROM": "MK", "Ivory Coast": "CI",
    "Republic of the Congo": "CG", "Congo-Brazzaville": "CG", "Democratic Republic of the Congo": "CD",
    "DR Congo": "CD", "Congo-Kinshasa": "CD", "Zaire": "CD", "East Timor": "TL", "Swaziland": "SZ",
    "Cape Verde": "CV", "Vatican": "VA", "Vatican City": "VA", "Holy See": "VA", "South Korea": "KR",
    "Republic of Korea": "KR", "North Korea": "KP", "DPRK": "KP", "Kosovo": "XK",
    "Palestine": "PS", "State of Palestine": "PS", "Palestinian National Authority": "PS",
    "Palestinian Territories": "PS", "Republic of Ireland": "IE", "Persia": "IR", "Burma": "MM",
    "Macao": "MO",
    # historical forms that name one country of today
    "Byelorussia": "BY", "Belorussia": "BY", "Byelorussian SSR": "BY", "Moldavia": "MD", "Kirghizia": "KG",
    "Kirgizia": "KG", "Turkmenia": "TM", "Kingdom of Hungary": "HU", "Ceylon": "LK", "Siam": "TH",
    "Dahomey": "BJ", "Upper Volta": "BF", "Rhodesia": "ZW",
    # Russian and Persian everyday names
    "США": "US", "Америка": "US", "Англия": "GB", "Белоруссия": "BY", "Молдавия": "MD",
    "آمریکا": "US", "امریکا": "US", "ایالات متحده": "US", "انگلیس": "GB", "انگلستان": "GB", "بریتانیا": "GB",
}  # fmt: skip

# Names that could be several of today's countries: refused with a reason, never guessed.
AMBIGUOUS = frozenset(fold(n) for n in ("Soviet Union", "USSR", "Yugoslavia", "Czechoslovakia", "Prussia", "Congo",
                                         "СССР", "Югославия", "Чехословакия"))  # fmt: skip

# Territories that ISO 3166-1 does not list, read as the country ISO 3166-2 places them in.
TERRITORIES: dict[str, str] = {
    "Northern Cyprus": "CY", "Turkish Republic of Northern Cyprus": "CY", "TRNC": "CY", "Abkhazia": "GE",
    "South Ossetia": "GE", "Transnistria": "MD", "Pridnestrovie": "MD", "Somaliland": "SO",
    "Nagorno-Karabakh": "AZ", "Artsakh": "AZ", "Republic of China": "TW", "Donetsk People's Republic": "UA",
    "Luhansk People's Republic": "UA", "Crimea": "UA", "Republic of Crimea": "UA",
}  # fmt: skip

NEAR_MISS = 0.85  # difflib ratio from which a form that is not exactly known is read as a near miss
_PARTS = re.compile(r"\s*[,،;/]\s*")
_BRACKETS = re.compile(r"\s*[(\[].*?[)\]]\s*")
_DROP = {"the", "and"}


def key(name: str) -> str:
    """A country name as compared: folded, without brackets, "the" or "and", St. = Saint."""
    words = fold(_BRACKETS.sub(" ", name)).split()
    return " ".join("st" if w == "saint" else w for w in words if w not in _DROP)


@functools.cache
def table() -> dict[str, str]:
    """Every accepted form (as :func:`key` folds it) and its ISO alpha-2 code."""
    forms: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                forms.setdefault(key(value), country.alpha_2)
    for locale in ("en", "ru", "fa"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                forms.setdefault(key(name), code)
    for alias, code in ALIASES.items():
        forms[key(alias)] = code
    forms["xk"] = "XK"  # Kosovo: a CLDR territory, not (yet) in ISO 3166
    return forms


def code(name: str) -> str | None:
    """The ISO alpha-2 code of a country written any accepted way; None when unknown or ambiguous."""
    folded = key(name)
    if not folded or folded in AMBIGUOUS:
        return None
    return table().get(folded)


def is_ambiguous(name: str) -> bool:
    """True for a name that stands for several of today's countries (Soviet Union, Yugoslavia...)."""
    return key(name) in AMBIGUOUS


def codes() -> tuple[str, ...]:
    """Every country code the store may hold (ISO 3166 and the user-assigned XK for Kosovo), for pickers."""
    return tuple(sorted({c.alpha_2 for c in pycountry.countries} | set(ALIASES.values())))


@dataclass(frozen=True)
class Reading:
    """How a country cell was read: the code, other candidate codes, the region it named, and a note."""

    code: str
    candidates: tuple[str, ...] = ()  # every code a part named, last part first (Réunion, France: FR, RE)
    region: str = ""  # the parts before the country ("England" of "England, United Kingdom")
    note: str = ""  # how a near miss or a territory was read ("Greece", "Cyprus (Northern Cyprus)")


def read(value: str) -> Reading | None:
    """A country cell as lists write it (see the module's rules); None when no rule reads it."""
    value = value.strip()
    whole = _one(value)
    if whole is not None:
        return whole
    parts = [p for p in _PARTS.split(value) if p]
    if len(parts) < 2:
        return None
    found = [(i, r) for i, r in ((i, _one(p, fuzzy=False)) for i, p in enumerate(parts)) if r is not None]
    if not found:
        last = _one(parts[-1])
        found = [(len(parts) - 1, last)] if last is not None else []
    if not found:
        return None
    at, last = found[-1]
    candidates = tuple(dict.fromkeys(r.code for _, r in reversed(found)))
    region = ", ".join(parts[:at]) if at else ", ".join(parts[at + 1 :])
    return Reading(last.code, candidates, region, last.note)


def _one(value: str, fuzzy: bool = True) -> Reading | None:
    """One country name: a known form, a territory, or (``fuzzy``) a near miss of one country."""
    folded = key(value)
    if not folded or folded in AMBIGUOUS:
        return None
    found = table().get(folded)
    if found:
        return Reading(found, (found,))
    territory = _territories().get(folded)
    if territory:
        return Reading(territory, (territory,), note=value)
    if not fuzzy or len(folded) < 4:
        return None
    close = {table()[m] for m in difflib.get_close_matches(folded, _long_forms(), n=8, cutoff=NEAR_MISS)}
    if len(close) != 1:
        return None
    (near,) = close
    return Reading(near, (near,), note=value)


def near_misses(value: str) -> list[str]:
    """The codes of the forms within :data:`NEAR_MISS` of a name (for "did you mean" when there are several)."""
    folded = key(value)
    found = difflib.get_close_matches(folded, _long_forms(), n=8, cutoff=NEAR_MISS) if len(folded) >= 4 else []
    return sorted({table()[m] for m in found})


@functools.cache
def _territories() -> dict[str, str]:
    return {key(name): code for name, code in TERRITORIES.items()}


@functools.cache
def _long_forms() -> list[str]:
    """The accepted forms a near miss is compared with: names, not two- or three-letter codes."""
    return [k for k in table() if len(k) > 3]


_PART_TYPES = ("overseas", "outlying", "special administrative", "country", "dependency")


@functools.cache
def parts(code: str) -> frozenset[str]:
    """The ISO 3166-1 codes of a country's overseas and outlying parts, as ISO 3166-2 lists them.

    A subdivision of such a type (overseas collectivity or department, outlying area, special
    administrative region, constituent country) that is a country of ISO 3166-1 by its name or
    its code (FR-RE, US-PR, NL-AW, CN-HK).
    """
    found = set()
    for sub in pycountry.subdivisions.get(country_code=code) or ():
        if not any(t in sub.type.lower() for t in _PART_TYPES):
            continue
        suffix = sub.code.split("-", 1)[1]
        named = read(sub.name)
        local = _local_names(code).get(key(_BRACKETS.sub(" ", sub.name)))  # ISO names parts in the country's language
        if named is not None and named.code != code:
            found.add(named.code)
        elif local and local != code:
            found.add(local)
        elif len(suffix) == 2 and pycountry.countries.get(alpha_2=suffix) is not None:
            found.add(suffix)
    return frozenset(found)


def _local_names(code: str) -> dict[str, str]:
    """Territory names in the country's own main language (CLDR), to read its ISO 3166-2 names."""
    try:
        language = Locale.parse(f"und_{code}").language
        names = Locale.parse(language).territories
    except (ValueError, LookupError):
        return {}
    out = {}
    for territory, name in names.items():
        if len(territory) == 2 and territory.isalpha():
            out.setdefault(key(name), territory)
            out.setdefault(key(re.sub(r"^(la|le|les|l')\s*", "", name, flags=re.IGNORECASE)), territory)
    return out
