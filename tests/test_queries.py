import datetime as dt

import pandas as pd
import pytest

from twinmap.reads import queries
from twinmap.reads.queries import PartnershipFilter as F
from twinmap.store import db

from .conftest import TODAY


def _city_id(con, name):
    return con.execute("SELECT id FROM cities WHERE name = ?", [name]).fetchone()[0]


def test_private_stages_are_hidden_unless_asked_for(con):
    public = queries.partnerships(con, F(), TODAY)
    everything = queries.partnerships(con, F(include_private=True), TODAY)
    assert set(everything["status"]) - set(public["status"]) == {"candidate", "negotiating"}
    assert len(public) == 12 and len(everything) == 14


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"statuses": ("dormant",)}, {"Kuala Lumpur", "Al Wakrah", "Trabzon"}),
        ({"kinds": ("friendship",)}, {"Batumi", "Makhachkala", "Samarkand"}),
        ({"areas": ("youth",)}, {"Aktau"}),
        ({"signed_from": 2021, "signed_to": 2022}, {"Samarkand", "Kazan"}),
        ({"signed_from": 2014, "signed_to": 2014}, {"Astrakhan"}),
    ],
)
def test_filters_narrow_the_partners(con, kwargs, expected):
    assert set(queries.partnerships(con, F(**kwargs), TODAY)["partner_name"]) == expected


def test_home_city_filter_gives_saris_partners(con):
    sari = queries.partnerships(con, F(home_city_ids=(_city_id(con, "Sari"),)), TODAY)
    assert len(sari) == 8  # ten in all, two of them still private (candidate, negotiating)


def test_activity_columns_follow_the_events(con):
    row = queries.partnerships(con, F(), TODAY).set_index("partner_name").loc["Astrakhan"]
    assert row["last_event"].date() == dt.date(2026, 8, 7)
    assert row["next_event"].date() == dt.date(2027, 3, 16)
    assert row["events_held"] == 9


def test_headline_figures_for_the_shipped_data(con):
    head = queries.headline(con, F(), TODAY)
    assert head.partners == 12
    assert head.by_status == {"signed": 3, "active": 5, "dormant": 3, "ended": 1}
    assert head.countries == 10
    assert head.events_this_year == 7
    assert head.upcoming_events == 10
    assert head.expiring_12_months == 3


def test_expiry_runs_to_the_end_of_a_month_precision_term(con):
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


def test_upcoming_events_are_sorted_and_exclude_the_past(con):
    up = queries.upcoming_events(con, F(), TODAY, 3)
    assert list(up["title"]) == [
        "Webinar: seaside towns off-season",
        "Aktau mayor's office visits Sari",
        "Persian calligraphy exhibition",
    ]


def test_before_after_on_a_hand_computed_series(con):
    sari, ast = _city_id(con, "Sari"), _city_id(con, "Astrakhan")
    with db.write_transaction(con) as w:
        w.execute("DELETE FROM indicators")
        w.execute(
            "UPDATE partnerships SET signed_on = '2014-05-01', signed_precision = 'month' WHERE partner_city_id = ?",
            [ast],
        )
        # From Russia: 12 months before at 100, 12 after at 150; May 2014 itself (300) counts in neither.
        # All foreign visitors: 1000 before, 1600 after, so the general trend (+60 %) beat Russia's +50 %.
        rows = [("2013-05-01", i, 100, 1000) for i in range(12)] + [("2014-06-01", i, 150, 1600) for i in range(12)]
        rows += [("2014-05-01", 0, 300, 9999)]
        for first, offset, value, total in rows:
            period = pd.Timestamp(first) + pd.DateOffset(months=offset)
            w.execute(
                "INSERT INTO indicators (city_id, origin_country, indicator, period, value) VALUES (?, 'RU', 'tourist_arrivals', ?, ?)",
                [sari, period.date(), value],
            )
            w.execute(
                "INSERT INTO indicators (city_id, origin_country, indicator, period, value) VALUES (?, NULL, 'tourist_arrivals', ?, ?)",
                [sari, period.date(), total],
            )
    out = queries.before_after(con, F(partnership_ids=(_pid(con, ast),)), "tourist_arrivals", TODAY)
    row = out.iloc[0]
    assert (row["before"], row["after"], row["n_before"], row["n_after"]) == (100, 150, 12, 12)
    assert row["change_pct"] == pytest.approx(50.0)
    assert row["all_foreign_change_pct"] == pytest.approx(60.0)


def _pid(con, partner_city_id):
    return con.execute("SELECT id FROM partnerships WHERE partner_city_id = ?", [partner_city_id]).fetchone()[0]


def test_filters_are_bound_not_formatted(con):
    hostile = "x') OR 1=1 --"
    assert queries.partnerships(con, F(statuses=(hostile,)), TODAY).empty
