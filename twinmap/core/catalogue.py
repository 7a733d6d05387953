"""The message catalogues (``twinmap/locales/*.po``), read once: what every label is in Russian and Persian.

In the bottom layer because reading a file uses them too: staff type the labels the app shows
("امضا شده" for the stage Signed), and the import accepts them as the code.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parents[1] / "locales"
TRANSLATED = ("ru", "fa")  # English is the source language


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Msgid -> translation for a language (empty for English, the source language)."""
    path = LOCALES / f"{lang}.po"
    if lang == "en" or not path.exists():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang)
    return {m.id: m.string for m in cat if m.id and m.string and isinstance(m.id, str)}


@functools.cache
def plurals(lang: str) -> tuple[dict[str, tuple[str, ...]], Callable[[int], int]]:
    """Counted messages (by their singular) with every plural form, and the language's rule picking a form for n.

    The rule is the catalogue's own ``Plural-Forms`` (Babel writes it from CLDR's plural rules).
    """
    path = LOCALES / f"{lang}.po"
    if lang == "en" or not path.exists():
        return {}, lambda n: 0 if n == 1 else 1
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang)
    forms = {m.id[0]: tuple(m.string) for m in cat if isinstance(m.id, tuple) and all(m.string)}
    return forms, gettext.c2py(cat.plural_expr)


def spellings(message: str) -> tuple[str, ...]:
    """A message in English and in every translated language."""
    return (message, *(t for lang in TRANSLATED if (t := catalogue(lang).get(message))))
