import datetime as dt
import re

import pandas as pd
import pytest

from twinmap.reads import public
from twinmap.views import charts
from twinmap.views.i18n import Translator

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


LATIN_DIGIT = re.compile(r"[0-9]")
PERSIAN = Translator("fa", "jalali")
RUSSIAN = Translator("ru")


def _shown_texts(fig) -> list[str]:
    """What plotly would write on the chart: tick labels, bar texts and hover texts."""
    texts = []
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        texts += [str(t) for t in axis.ticktext or ()]
    for trace in fig.data:
        texts += [str(t) for t in (getattr(trace, "text", None) or ())]
        texts += [str(t) for t in (getattr(trace, "hovertext", None) or ())]
    return texts


def test_persian_charts_write_persian_digits_on_every_axis_bar_and_hover():
    events = pd.DataFrame(
        {"kind": ["festival"] * 3, "starts_on": pd.to_datetime(["2025-03-05", "2026-06-12", "2026-06-20"])}
    )
    figures = [
        charts.status_bar({"signed": 15_193, "active": 22_371}, PERSIAN),
        charts.status_bar({"signed": 3, "active": 5}, PERSIAN),
        charts.events_by_month(events, TODAY, PERSIAN),
        charts.timeline(PARTNERS, EVENTS, TODAY, PERSIAN),
        charts.funnel(pd.DataFrame({"status": ["signed"] * 1200 + ["active"] * 3}), PERSIAN),
    ]
    for fig in figures:
        shown = _shown_texts(fig)
        assert shown, "nothing localised"
        assert not [t for t in shown if LATIN_DIGIT.search(t) and "Fest" not in t], shown
    assert list(figures[0].layout.xaxis.ticktext) == ["۰", "۵٬۰۰۰", "۱۰٬۰۰۰", "۱۵٬۰۰۰", "۲۰٬۰۰۰"]
    assert list(figures[4].data[0].text) == ["۱٬۲۰۰", "۳"]  # never plotly's "1.2k"


def test_a_persian_date_axis_ticks_at_solar_hijri_months_and_years():
    timeline = charts.timeline(PARTNERS, EVENTS, TODAY, PERSIAN)
    ticks = list(timeline.layout.xaxis.ticktext)
    assert ticks[0] == "۱۳۹۴" and all(len(t) == 4 for t in ticks)  # Solar Hijri years, two apart
    assert str(timeline.layout.xaxis.tickvals[0])[:10] == "2015-03-21"  # 1 Farvardin 1394
    months = charts.calendar_ticks(dt.date(2026, 1, 1), dt.date(2026, 11, 23), "jalali")
    assert [PERSIAN.partial(m) for m in months][:2] == ["بهمن ۱۴۰۴", "فروردین ۱۴۰۵"]


def test_russian_date_ticks_name_russian_months():
    events = pd.DataFrame({"kind": ["festival"] * 2, "starts_on": pd.to_datetime(["2026-01-05", "2026-06-12"])})
    fig = charts.events_by_month(events, TODAY, RUSSIAN)
    assert list(fig.layout.xaxis.ticktext)[:2] == ["Январь 2026", "Февраль 2026"]
    assert "Июнь 2026 · 1" in fig.data[0].hovertext


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 5, [0, 1, 2, 3, 4, 5]),
        (0, 22_371, [0, 5000, 10000, 15000, 20000]),
        (0, 0.37, [0, 0.1, 0.2, 0.3]),
    ],
)
def test_nice_ticks_are_few_and_round(low, high, expected):
    assert charts.nice_ticks(low, high) == expected


def test_the_growth_chart_runs_to_this_year_in_the_readers_calendar():
    partners = pd.DataFrame(
        {"signed_on": pd.to_datetime(["2014-05-01", "2024-05-20"]), "partner_name": ["Astrakhan", "Varna"]}
    )
    persian = public.growth(partners, TODAY, "jalali")
    assert (persian["year"].iloc[0], persian["year"].iloc[-1]) == (1393, 1405)  # up to this Solar Hijri year
    assert persian["total"].iloc[-1] == 2
    english = public.growth(partners, TODAY)
    assert list(english["year"])[-3:] == [2024, 2025, 2026]
    fig = charts.growth(persian, PERSIAN)
    assert fig.data[0].x[-1] == "۱۴۰۵" and fig.data[0].text[-1] == "۲"


def test_a_stacked_count_axis_is_labelled_up_to_its_tallest_stack():
    """Two events of two kinds in one month stand 2 high: the axis is labelled to 2, not stopped at 1."""
    import plotly.graph_objects as go

    fig = go.Figure([go.Bar(x=["Jan"], y=[1], name="Visit"), go.Bar(x=["Jan"], y=[1], name="Sport")])
    fig.update_layout(barmode="stack")
    assert max(charts.with_ticks(fig).layout.yaxis.tickvals) >= 2
    fig.update_layout(barmode="group")  # side by side, each bar 1 high
    fig.layout.yaxis.tickvals = None
    assert max(charts.with_ticks(fig).layout.yaxis.tickvals) == 1
