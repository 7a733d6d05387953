"""Bring twinmap/locales/{ru,fa}.po up to date with the messages the code uses.

Run by hand after adding or changing texts: ``python scripts/update_catalogues.py``. New
messages are added with an empty translation (tests/test_i18n.py then fails until a translator
fills them in); messages the code no longer uses are dropped; existing translations are kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from twinmap.views import i18n


def update(lang: str, extra: dict[str, str] | None = None) -> list[str]:
    """Merge the used messages into one language's catalogue; return the untranslated ones."""
    path = i18n.LOCALES / f"{lang}.po"
    old = {}
    if path.exists():
        with path.open("rb") as fh:
            old = {m.id: m.string for m in read_po(fh, locale=lang) if m.id}
    old.update(extra or {})
    catalog = Catalog(locale=lang, project="twinmap", charset="utf-8")
    for message in sorted(i18n.used_messages()):
        catalog.add(message, old.get(message, ""))
    for counted in sorted(i18n.used_plurals()):  # every plural form the language's rules name
        catalog.add(counted, old.get(counted) or ("",) * catalog.num_plurals)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, sort_output=True)
    return [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.id, tuple) else m.string)]


if __name__ == "__main__":
    for code in ("ru", "fa"):
        missing = update(code)
        print(f"{code}: {len(missing)} message(s) without a translation")
