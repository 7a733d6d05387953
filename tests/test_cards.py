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


def test_a_partner_city_without_a_time_zone_gets_a_card_with_no_local_time(crafted):
    """A city an import created without a zone: its card, on the Map page and the kiosk, draws without one."""
    from twinmap.ingest import batches, importer
    from twinmap.reads import queries
    from twinmap.views import labels

    rows = b"home_city,home_country,partner_city,partner_country,kind,status,signed_on\n"
    rows += b"Alpha,IR,Nozone,AM,sister_city,signed,2020-01-01\n"
    cities = b"name,country_code,lat,lon\nNozone,AM,40.1,44.5\n"
    batches.commit(crafted, importer.plan_import(crafted, cities, "cities.csv", "cities"), "test")
    batches.commit(crafted, importer.plan_import(crafted, rows, "p.csv", "partnerships"), "test")
    frame = queries.partnerships(crafted, queries.PartnershipFilter(), TODAY)
    row = labels.plain_row(frame[frame["partner_name"] == "Nozone"].iloc[0])
    raw = frame.loc[frame["partner_name"] == "Nozone", "partner_timezone"].iloc[0]
    assert not isinstance(raw, str)  # NaN or None, as a frame holds a missing zone
    assert labels.local_time(raw) == "" and labels.local_time(float("nan")) == ""
    card = dict(cards.partner_card(row, Translator("en", "gregorian")))
    assert card["Local time"] == "—" and card["Country"] == "Armenia"


def _pairs(ids: list[int], **columns: list) -> pd.DataFrame:
    return pd.DataFrame({"id": ids, "home_name": ["Sari"] * len(ids), "home_local_name": ["ساری"] * len(ids),
                         "partner_name": [f"Partner {i}" for i in ids], "partner_local_name": [None] * len(ids),
                         **columns})  # fmt: skip


def test_the_first_screen_names_the_partnerships_by_health_class_not_by_stage():
    assessed = _pairs([1, 2, 3, 4, 5, 6, 7], klass=["alive", "alive", "at_risk", "inactive", "inactive", "inactive",
                                                     "inactive"], status=["signed"] * 7)  # fmt: skip
    upcoming = _pairs([1], starts_on=[pd.Timestamp("2026-12-12")], starts_precision=["day"], title=["Nowruz fair"])
    expiring = _pairs([3], expires_on=[dt.date(2027, 3, 1)])
    verdicts = _pairs([1, 2, 3], verdict=["more", "no_clear", "no_data"])
    blocks = dict(cards.at_a_glance(assessed, upcoming, expiring, verdicts, Translator()))
    health = blocks["How the partnerships are doing"]
    assert health[0] == "Alive (2): Sari – Partner 1, Sari – Partner 2"
    assert health[1] == "At risk (1): Sari – Partner 3"
    assert health[2] == "Fading (4): Sari – Partner 4, Sari – Partner 5, Sari – Partner 6, Sari – Partner 7"
    assert blocks["What is coming"] == ["12 Dec 2026 · Nowruz fair (Sari – Partner 1)"]
    assert blocks["Agreements expiring within 12 months"] == ["Sari – Partner 3 · 1 Mar 2027"]
    assert blocks["Tourism from partner countries against the trend"][0].startswith("More visitors than the trend (1)")
    persian = dict(cards.at_a_glance(assessed, upcoming, expiring, verdicts, Translator("fa", "jalali")))
    assert all("ساری" in line for line in persian["وضعیت هر خواهرخواندگی"][:2])  # one spelling: the reader's
