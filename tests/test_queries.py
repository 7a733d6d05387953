"""Every read on the crafted store (tests/fixtures/crafted.py), whose rows make each figure checkable."""

import datetime as dt

import pandas as pd
import pytest

from twinmap.reads import queries
from twinmap.reads.queries import PartnershipFilter as F

from .conftest import TODAY

pytestmark = pytest.mark.both_backends  # every test here runs on a DuckDB file and on PostgreSQL


def _city_id(con, name):
    return con.execute("SELECT id FROM cities WHERE name = ?", [name]).fetchone()[0]


def _partners(con, **filters) -> set[str]:
    return set(queries.partnerships(con, F(**filters), TODAY)["partner_name"])


def test_private_stages_are_hidden_unless_asked_for(crafted):
    assert _partners(crafted) == {"Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Iota"}
    assert _partners(crafted, include_private=True) - _partners(crafted) == {"Theta"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"statuses": ("dormant",)}, {"Epsilon"}),
        ({"statuses": ("signed", "ended")}, {"Delta", "Eta", "Iota"}),
        ({"kinds": ("friendship",)}, {"Delta"}),
        ({"areas": ("youth",)}, {"Zeta"}),
        ({"areas": ("tourism", "economy")}, {"Gamma", "Delta"}),
        ({"signed_from": dt.date(2021, 1, 1), "signed_to": dt.date(2022, 12, 31)}, {"Zeta", "Eta"}),
        ({"signed_from": dt.date(2014, 1, 1), "signed_to": dt.date(2014, 12, 31)}, {"Gamma"}),
        ({"signed_from": dt.date(2014, 3, 21), "signed_to": dt.date(2015, 3, 20)}, {"Gamma"}),  # Solar Hijri 1393
    ],
)
def test_filters_narrow_the_partners(crafted, filters, expected):
    assert _partners(crafted, **filters) == expected


def test_the_home_city_filter_gives_one_citys_partners(crafted):
    assert _partners(crafted, home_city_ids=(_city_id(crafted, "Beta"),)) == {"Zeta", "Eta", "Iota"}


def test_activity_columns_follow_the_events_and_skip_cancelled_ones(crafted):
    row = queries.partnerships(crafted, F(), TODAY).set_index("partner_name").loc["Gamma"]
    assert row["last_event"].date() == dt.date(2026, 8, 7)
    assert row["next_event"].date() == dt.date(2027, 3, 16)  # the show on 1 Dec 2026 is cancelled
    assert row["events_held"] == 2


def test_headline_figures_add_up_the_public_rows(crafted):
    head = queries.headline(crafted, F(), TODAY)
    assert head == queries.Headline(
        signed_partners=5,
        in_pipeline=0,  # the candidate is private
        by_status={"signed": 2, "active": 2, "dormant": 1, "ended": 1},
        countries=5,
        events_this_year=3,
        upcoming_events=2,
        expiring_12_months=2,
    )


def test_expiry_runs_to_the_end_of_a_month_precision_term():
    frame = pd.DataFrame(
        {
            "valid_until": [pd.Timestamp("2026-11-01"), pd.Timestamp("2026-10-01"), pd.Timestamp("2027-12-01")],
            "valid_until_precision": ["month", "month", "month"],
            "status": ["active", "active", "active"],
        }
    )
    out = queries.expiring(frame, TODAY, 12)
    # "Until November 2026" is still in force on 23 November; October has passed; Dec 2027 is too far.
    assert list(out["expires_on"]) == [dt.date(2026, 11, 30)]


def test_agreements_expiring_soonest_first(crafted):
    out = queries.expiring(queries.partnerships(crafted, F(), TODAY), TODAY, 12)
    assert list(zip(out["partner_name"], out["expires_on"], strict=True)) == [
        ("Epsilon", dt.date(2027, 1, 15)),
        ("Gamma", dt.date(2027, 6, 30)),
    ]


def test_upcoming_events_are_sorted_and_exclude_the_past_the_cancelled_and_the_private(crafted):
    assert list(queries.upcoming_events(crafted, F(), TODAY, 5)["title"]) == ["Youth camp", "Gamma visit"]
    staff = queries.upcoming_events(crafted, F(include_private=True), TODAY, 5)
    assert list(staff["title"]) == ["Secret talks", "Youth camp", "Gamma visit"]


def test_before_after_on_a_hand_computed_series(crafted):
    gamma = queries.partnerships(crafted, F(), TODAY).query("partner_name == 'Gamma'")["id"].iloc[0]
    out = queries.before_after(crafted, F(partnership_ids=(int(gamma),)), "tourist_arrivals", TODAY)
    row = out.iloc[0]
    # From Russia: 100 a month in the 12 months before May 2014, 150 in the 12 after (May itself
    # counts in neither); all foreign visitors 1000 then 1600: the general trend (+60 %) beat +50 %.
    assert (row["before"], row["after"], row["n_before"], row["n_after"]) == (100, 150, 12, 12)
    assert row["change_pct"] == pytest.approx(50.0)
    assert row["all_foreign_change_pct"] == pytest.approx(60.0)


def test_filters_are_bound_not_formatted(crafted):
    hostile = "x') OR 1=1 --"
    assert queries.partnerships(crafted, F(statuses=(hostile,)), TODAY).empty


def test_events_this_year_count_the_readers_year(crafted):
    """On 10 March 2026 a Gregorian reader's year holds Seminar, Gamma days and Youth camp; a Solar
    Hijri reader's (1404, to 20 March 2026) holds Old fest and Seminar."""
    day = dt.date(2026, 3, 10)
    assert queries.headline(crafted, F(), day).events_this_year == 3
    assert queries.headline(crafted, F(), day, "jalali").events_this_year == 2


def test_events_are_counted_by_kind_and_month_of_their_start():
    events = pd.DataFrame(
        {
            "kind": ["festival", "festival", "sport", "festival"],
            "starts_on": pd.to_datetime(
                ["2026-06-30 18:00", "2026-06-01 00:00", "2026-06-15 00:00", "2026-07-01 00:00"]
            ),
        }
    )
    counts = queries.events_per_month(events)
    assert counts.to_dict("records") == [
        {"kind": "festival", "month": pd.Timestamp("2026-06-01"), "events": 2},
        {"kind": "festival", "month": pd.Timestamp("2026-07-01"), "events": 1},
        {"kind": "sport", "month": pd.Timestamp("2026-06-01"), "events": 1},
    ]
    assert queries.events_per_month(events.head(0)).empty
