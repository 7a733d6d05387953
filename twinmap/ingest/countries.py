"""Countries as people write them: one table of every accepted form, read to an ISO 3166 alpha-2 code.

Accepted: the two- and three-letter codes; the names CLDR gives in English, Russian and Persian;
pycountry's short, official and common names; and the short and historical forms files really
hold (USA, UK, England, Turkey, Czech Republic, Kosovo, Palestine, "Georgia (country)", Burma,
Byelorussia...). A name that could mean several of today's countries (Soviet Union, Yugoslavia,
Czechoslovakia, Prussia) is refused, never guessed.

Names are compared folded (case, accents, punctuation), without "the" and "and", with "St."
and "Saint" alike and without a qualifier in brackets.
"""

from __future__ import annotations

import functools
import re

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
