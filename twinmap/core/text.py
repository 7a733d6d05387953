"""Comparing names as people mean them: without case, accents or Persian Excel's Arabic letter forms."""

from __future__ import annotations

import functools
import re
import unicodedata

# Arabic letters that Persian text written through Windows-1256 (Persian Excel) uses instead of
# the Persian ones: Arabic yeh and kaf for Persian yeh and keheh.
PERSIAN_FORMS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"})


# Every combining mark (accents, Arabic vowel signs...) and every run of what is not a letter or
# digit, as character classes built once: folding the gazetteer's 360,000 names stays fast.
_MARKS = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))) + "]+"
)
_NOT_ALNUM = re.compile(r"[\W_]+")


# The script each translated language writes names in (a local name "is in the reader's script").
SCRIPTS = {"fa": re.compile(r"[\u0600-\u06FF]"), "ru": re.compile(r"[\u0400-\u04FF]")}
# A name a reader of the language can read as written in it: only the language's own letters.
# Kazakh "Ақтау" or Ukrainian "Київ" are Cyrillic but not Russian; a Russian reader gets the
# English name rather than another language's spelling.
ALPHABETS = {
    "fa": re.compile(r"[\u0600-\u06FF\u200c\s\-'.()0-9۰-۹]+"),
    "ru": re.compile(r"[А-Яа-яЁё\s\-'’.()0-9]+"),
}


def in_alphabet(name: str, lang: str) -> bool:
    """Whether a name is written only in a language's own alphabet (and so reads as that language)."""
    alphabet = ALPHABETS.get(lang)
    return bool(alphabet and alphabet.fullmatch(name))


@functools.lru_cache(maxsize=1 << 18)
def fold(name: str) -> str:
    """Compare names without case, accents, punctuation or Arabic/Persian letter variants.

    Cached: an import folds the same few thousand names and codes a million times.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(PERSIAN_FORMS))
    return _NOT_ALNUM.sub(" ", _MARKS.sub("", decomposed)).strip()


def is_latin(name: str) -> bool:
    """True when every letter of a name is Latin (an English name), False for Cyrillic, Persian..."""
    letters = [ch for ch in name if ch.isalpha()]
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


def parse_counts(stored: str | None) -> dict[str, int]:
    """Participants by country as stored ("IR:20;RU:15", see ``ingest.convert.counts``) as a dict."""
    if not stored:
        return {}
    return {c: int(n) for c, _, n in (p.partition(":") for p in stored.split(";"))}


PERSIAN_DIGITS = str.maketrans("0123456789.,", "۰۱۲۳۴۵۶۷۸۹٫٬")


def digits(text: str, lang: str) -> str:
    """Digits (and separators) as a language writes them: Persian digits in Persian."""
    return text.translate(PERSIAN_DIGITS) if lang == "fa" else text


@functools.lru_cache(maxsize=1 << 16)
def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """A number grouped and written as a language writes it (1,234 / 1 234 / ۱٬۲۳۴).

    Cached: babel takes a tenth of a millisecond a number, and a map of 20,000 cities labels
    them with the same few hundred counts.
    """
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    if lang == "fa" and value < 0:  # CLDR's Persian minus: a left-to-right mark keeps it left of the digits
        written = format_decimal(-value, format=pattern, locale="en")
        return digits(written, lang) if set(written) <= set("0.,") else "\u200e\u2212" + digits(written, lang)
    return digits(format_decimal(value, format=pattern, locale="en" if lang == "fa" else lang), lang)


def quoted(value: object) -> str:
    """A value named in a message: in quotes, as typed, with only control characters made visible.

    ``repr`` would also spell a Persian zero-width non-joiner as an escape code in front of the reader.
    """
    text = "".join(ch if unicodedata.category(ch) != "Cc" else repr(ch)[1:-1] for ch in str(value))
    return f"'{text}'"


# What a terminal obeys rather than shows: control characters (escape sequences clear a screen or
# retitle a window) and the bidirectional overrides that reorder a line as it is displayed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """Text for a terminal: every control character but line breaks and tabs, and every bidi override, made visible.

    Names typed at a sign-in form or in an imported file reach the command line's tables; an
    escape sequence among them must show as its escape code, never act.
    """
    return "".join(
        (repr(ch)[1:-1] if ch not in _BIDI_CONTROLS else f"\\u{ord(ch):04x}")
        if (unicodedata.category(ch) == "Cc" and ch not in "\n\t") or ch in _BIDI_CONTROLS
        else ch
        for ch in text
    )
