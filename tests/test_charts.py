import datetime as dt

import pandas as pd

from twinmap.views import charts

from .conftest import TODAY

PARTNERS = pd.DataFrame(
    {
        "home_name": ["Sari", "Sari"],
        "partner_name": ["Astrakhan", "Varna"],
        "status": ["signed", "signed"],
        "signed_on": [pd.Timestamp("2014-04-21"), pd.Timestamp("2024-05-20")],
        "signed_precision": ["jmonth", "day"],
        "valid_until": [pd.NaT, pd.Timestamp("2027-05-19")],
        "valid_until_precision": [None, "day"],
    }
)
EVENTS = pd.DataFrame(
    {
        "home_name": ["Sari"], "partner_name": ["Astrakhan"], "kind": ["festival"], "title": ["<b>Fest</b>"],
        "starts_on": [pd.Timestamp("2026-06-12")], "starts_precision": ["day"], "venue": ["City park"],
        "participants": [None],
    }
)  # fmt: skip


def test_agreements_span_from_signing_to_expiry_or_today():
    spans = charts.agreement_spans(PARTNERS, TODAY).set_index("label")
    assert spans.loc["Sari – Astrakhan", "start"] == dt.date(2014, 4, 21)
    assert spans.loc["Sari – Astrakhan", "end"] == TODAY  # open-ended
    assert spans.loc["Sari – Varna", "end"] == dt.date(2027, 5, 19)


def test_timeline_has_a_span_per_agreement_and_a_marker_per_event():
    fig = charts.timeline(PARTNERS, EVENTS, TODAY)
    bars = [t for t in fig.data if t.type == "bar"]
    markers = [t for t in fig.data if t.type == "scatter"]
    assert sum(len(t.y) for t in bars) == 2
    assert [t.name for t in markers] == ["Festival"]
    assert "&lt;b&gt;Fest&lt;/b&gt;" in markers[0].hovertext[0]


def test_tourism_marks_a_month_precision_signing_as_a_band_over_that_month():
    series = pd.DataFrame(
        {"period": pd.to_datetime(["2014-03-01", "2014-06-01"]), "origin": ["RU", "RU"], "value": [1, 2]}
    )
    fig = charts.tourism(series, PARTNERS.iloc[:1], "Tourist arrivals")
    band = fig.layout.shapes[0]
    assert (str(band.x0)[:10], str(band.x1)[:10]) == ("2014-04-21", "2014-05-22")
    assert fig.data[0].name == "Russia"


def test_a_count_axis_has_a_few_readable_ticks_however_large_the_counts():
    small = charts.status_bar({"signed": 3, "active": 5})
    large = charts.status_bar({"signed": 15_193, "active": 22_371})
    assert small.layout.xaxis.dtick == 1
    assert large.layout.xaxis.dtick is None and large.layout.xaxis.nticks <= 10
