"""What a person reads: data shown as typed, never as links or markup."""

import re
from types import SimpleNamespace

import pytest

from twinmap.views import labels, previews
from twinmap.views.i18n import Translator


@pytest.mark.parametrize(
    "typed",
    [
        "[Official site](https://evil.example)",
        "see https://example.com/a",
        "www.example.org",
        "write to me@example.com",
        "**bold** _it_ <b>x</b> `code` # heading",
    ],
)
def test_markdown_escaping_leaves_no_link_or_markup_and_the_same_visible_text(typed):
    shown = labels.md_escape(typed)
    assert "://" not in shown and "www." not in shown.lower() and not re.search(r"\w@", shown)
    # Escapes and the invisible word joiner aside, the reader sees exactly what was typed.
    assert shown.replace("\\", "").replace("\u2060", "") == typed


def test_an_import_is_described_before_it_is_undone():
    import datetime as dt

    row = {"id": 11, "table_name": "events", "file_name": "june.csv", "user_name": "leila",
           "created_at": dt.datetime(2026, 11, 23, 9, 30), "inserted": 3, "updated": 1, "cities_created": 0}  # fmt: skip
    assert previews.batch_label(row) == "#11 · Events · june.csv · leila · 23 Nov 2026 09:30"
    assert previews.batch_details(row) == "Import #11 of june.csv into Events by leila on 23 Nov 2026 09:30."
    undo = SimpleNamespace(counts={("events", "insert"): 1, ("events", "update"): 2, ("cities", "insert"): 21},
                           rows=[])  # fmt: skip
    assert previews.undo_lines(undo) == ["Undo removes 1 row added to Events.",
                                         "Undo restores the previous values of 2 rows changed in Events.",
                                         "Undo removes 21 rows added to Cities."]  # fmt: skip
    ru = previews.undo_lines(undo, Translator("ru"))
    assert ru[0].startswith("Отмена удалит 1 строку,") and ru[2].startswith("Отмена удалит 21 строку,")
    assert "2 строк," in ru[1]
    persian = previews.batch_label(row, Translator("fa", "jalali"))
    assert persian.startswith("#۱۱ · ") and persian.endswith("۲ آذر ۱۴۰۵ ۰۹:۳۰")  # the reader's calendar and digits
