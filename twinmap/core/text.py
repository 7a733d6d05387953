"""Comparing names as people mean them: without case, accents or Persian Excel's Arabic letter forms."""

from __future__ import annotations

import unicodedata

# Arabic letters that Persian text written through Windows-1256 (Persian Excel) uses instead of
# the Persian ones: Arabic yeh and kaf for Persian yeh and keheh.
PERSIAN_FORMS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"})


def fold(name: str) -> str:
    """Compare names without case, accents, punctuation or Arabic/Persian letter variants."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(PERSIAN_FORMS))
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in letters).split())


def is_latin(name: str) -> bool:
    """True when every letter of a name is Latin (an English name), False for Cyrillic, Persian..."""
    letters = [ch for ch in name if ch.isalpha()]
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


def parse_counts(stored: str | None) -> dict[str, int]:
    """Participants by country as stored ("IR:20;RU:15", see ``ingest.convert.counts``) as a dict."""
    if not stored:
        return {}
    return {c: int(n) for c, _, n in (p.partition(":") for p in stored.split(";"))}
