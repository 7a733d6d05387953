"""The pipeline board's columns (twinmap.views.cards.stage_columns), built without Streamlit."""

import datetime as dt

import pandas as pd

from twinmap.views import cards
from twinmap.views.i18n import Translator

TODAY = dt.date(2026, 11, 23)


def _board(rows: list[tuple[int, str, str | None]]) -> pd.DataFrame:
    """Partnerships of Sari with the date their stage began (None: never recorded)."""
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "status": [r[1] for r in rows],
            "entered_on": pd.to_datetime([r[2] for r in rows]),
            "entered_precision": ["day"] * len(rows),
            "home_name": ["Sari"] * len(rows),
            "home_local_name": ["ساری"] * len(rows),
            "partner_name": [f"Partner {r[0]}" for r in rows],
            "partner_local_name": [None] * len(rows),
        }
    )


def test_each_stage_shows_those_longest_in_it_first_and_counts_the_rest():
    board = _board([(1, "active", "2024-05-01"), (2, "active", "2020-01-10"), (3, "active", None),
                    (4, "negotiating", "2026-11-13"), (5, "active", "2022-03-03")])  # fmt: skip
    columns = cards.stage_columns(board, TODAY, shown=2)

    assert [c.label for c in columns] == ["Negotiating", "Active"]  # the guide's order, only stages held
    active = columns[1]
    assert active.count == "4" and active.more == 2
    assert [name for name, _ in active.cards] == ["Sari – Partner 3", "Sari – Partner 2"]  # undated, then oldest
    assert active.cards[0][1] == "Date not recorded"
    assert "(2,509 days)" in active.cards[1][1]
    assert columns[0].cards == (("Sari – Partner 4", "Since 13 Nov 2026 (10 days)"),) and columns[0].more == 0


def test_a_persian_reader_gets_the_board_in_persian_names_digits_and_calendar():
    board = _board([(1, "signed", "2026-11-13")])
    (signed,) = cards.stage_columns(board, TODAY, Translator("fa", "jalali"))

    name, since = signed.cards[0]
    assert name.startswith("ساری")
    assert "۱۰" in since and "۱۴۰۵" in since and "10" not in since
    assert signed.count == "۱"


def test_an_empty_board_has_no_columns():
    assert cards.stage_columns(_board([]), TODAY) == []
