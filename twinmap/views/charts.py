"""Plotly figures the pages, the kiosk and the report draw (no geo charts: they need a CDN), in the reader's terms.

The timeline, tourism series, partners by status, growth of signings and press coverage; and
:func:`for_reader`, which gives any figure the reader's digits, calendar and direction on its axes.

Hover texts are HTML-escaped: plotly renders a subset of HTML in them.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
import re

import jdatetime
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from twinmap.core import dates, reference
from twinmap.reads import queries
from twinmap.views.i18n import ENGLISH, Translator
from twinmap.views.labels import pair_labels

_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "star", "cross", "x", "pentagon", "hexagon")
_LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "legend": {"orientation": "h", "y": -0.15}}


def agreement_spans(frame: pd.DataFrame, today: dt.date, tr: Translator = ENGLISH) -> pd.DataFrame:
    """Start and end of each agreement in force: signing to expiry, or to today when open-ended."""
    rows = []
    for r, label in zip(frame.itertuples(index=False), pair_labels(frame, tr), strict=True):
        signed = dates.from_db(r.signed_on, r.signed_precision)
        if signed is None:
            continue
        until = dates.from_db(r.valid_until, r.valid_until_precision)
        rows.append(
            {
                "label": label,
                "status": r.status,
                "start": signed.start,
                "end": until.end if until else max(today, signed.end),
                "open_ended": until is None,
                "signed_text": tr.partial(signed),
            }
        )
    return pd.DataFrame(rows, columns=["label", "status", "start", "end", "open_ended", "signed_text"])


TIMELINE_ROWS = 40  # partnerships drawn as rows of their own; beyond that nobody can read the rows
TIMELINE_EVENTS = 2000  # events drawn one by one


def readable_timeline(partners: pd.DataFrame, events: pd.DataFrame) -> bool:
    """Whether one row per partnership and one marker per event is still something a person can read."""
    return len(partners) <= TIMELINE_ROWS and len(events) <= TIMELINE_EVENTS


def events_by_month(events: pd.DataFrame, today: dt.date, tr: Translator = ENGLISH,
                    counts: pd.DataFrame | None = None) -> go.Figure:  # fmt: skip
    """Events per month, stacked by kind: the timeline of many partnerships at once.

    ``counts`` is :func:`queries.events_per_month` of ``events`` when the caller holds it already
    (a page keeps it per data version instead of counting a million events on every run).
    """
    fig = go.Figure()
    counts = queries.events_per_month(events) if counts is None else counts
    for term in reference.EVENT_KINDS:
        part = counts[counts["kind"] == term.code]
        if part.empty:
            continue
        fig.add_trace(go.Bar(x=part["month"], y=part["events"].to_numpy(), name=html.escape(tr(term.label)),
                             marker={"color": term.colour}))  # fmt: skip
    fig.add_vline(x=pd.Timestamp(today).value / 1e6, line_dash="dot", line_color="#444")
    fig.update_layout(barmode="stack", height=420, xaxis={"type": "date", "title": None},
                      yaxis={"title": html.escape(tr("Events per month"))}, **_LAYOUT)  # fmt: skip
    return for_reader(fig, tr)


def timeline(partners: pd.DataFrame, events: pd.DataFrame, today: dt.date, tr: Translator = ENGLISH) -> go.Figure:
    """Agreements as spans from signing to expiry, events as markers by kind, and today."""
    fig = go.Figure()
    spans = agreement_spans(partners, today, tr)
    for term in reference.STATUSES:
        part = spans[spans["status"] == term.code]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                base=pd.to_datetime(part["start"]),
                x=[
                    (pd.Timestamp(e) - pd.Timestamp(s)).total_seconds() * 1000
                    for s, e in zip(part["start"], part["end"], strict=True)
                ],
                y=part["label"],
                orientation="h",
                name=tr("Agreement: {status}", status=tr(term.label)),
                marker={"color": term.colour, "opacity": 0.35},
                hovertext=[
                    html.escape(tr("{pair}: signed {date}", pair=lbl, date=txt))
                    for lbl, txt in zip(part["label"], part["signed_text"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    for i, term in enumerate(reference.EVENT_KINDS):
        part = events[events["kind"] == term.code]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part["starts_on"]),
                y=pair_labels(part, tr),
                mode="markers",
                name=tr(term.label),
                marker={
                    "symbol": _SYMBOLS[i % len(_SYMBOLS)],
                    "size": 11,
                    "color": term.colour,
                    "line": {"width": 1, "color": "#ffffff"},
                },
                hovertext=[_event_hover(r, tr) for r in part.itertuples(index=False)],
                hoverinfo="text",
            )
        )
    fig.add_vline(x=pd.Timestamp(today).value / 1e6, line_dash="dot", line_color="#444")
    labels = sorted(set(spans["label"]) | set(pair_labels(events, tr)))
    fig.update_layout(
        barmode="overlay",
        height=max(320, 38 * len(labels) + 140),
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "title": None},
        xaxis={"type": "date", "title": None},
        **_LAYOUT,
    )
    return for_reader(fig, tr)


def _event_hover(r: object, tr: Translator) -> str:
    who = " · " + tr("{n} participants", n=int(r.participants)) if pd.notna(r.participants) else ""
    text = f"{r.title}\n{tr.date(r.starts_on, r.starts_precision)} · {r.venue or ''}{who}"
    return html.escape(text).replace("\n", "<br>")


def tourism(series: pd.DataFrame, signings: pd.DataFrame, indicator_label: str, tr: Translator = ENGLISH) -> go.Figure:
    """Indicator over time, one line per origin country, signing periods shaded.

    A signing known only to a month is drawn as a band covering that month, not a line on an
    invented day.
    """
    fig = go.Figure()
    for origin, part in series.groupby("origin", sort=True):
        name = tr("All foreign visitors") if origin == "" else tr.country(origin)
        fig.add_trace(go.Scatter(x=part["period"], y=part["value"], mode="lines", name=html.escape(name)))
    for r in signings.itertuples(index=False):
        signed = dates.from_db(r.signed_on, r.signed_precision)
        if signed is None:
            continue
        end = signed.end + dt.timedelta(days=1)
        fig.add_vrect(
            x0=signed.start,
            x1=end,
            fillcolor="#d62728",
            opacity=0.25,
            line_width=1,
            line_color="#d62728",
            annotation_text=html.escape(
                tr("{city} signed", city=tr.city(r.partner_name, getattr(r, "partner_local_name", None)))
            ),
            annotation_position="top left",
            annotation_textangle=-90,
        )
    fig.update_layout(height=460, yaxis_title=html.escape(indicator_label), xaxis={"type": "date"}, **_LAYOUT)
    return for_reader(fig, tr)


def for_reader(fig: go.Figure, tr: Translator) -> go.Figure:
    """The last step of every chart: the reader's side, font, digits and calendar.

    Plotly writes numbers with Latin digits and dates in English Gregorian months whatever the
    page's language, so for any other reader the ticks, bar texts and hover texts are computed
    here and written by the translator (Persian digits, Jalali months, Russian month names).
    """
    if tr.rtl:
        fig.update_layout(yaxis={"side": "right"}, legend={"x": 1, "xanchor": "right"})
        fig.update_layout(font={"family": "Vazirmatn, Noto Naskh Arabic, Noto Sans Arabic, sans-serif"})
    if tr.lang != "en" or tr.cal != "gregorian":
        kinds = {axis: axis_kind(fig, axis) for axis in ("x", "y")}
        for axis, kind in kinds.items():
            _localise_axis(fig, axis, kind, tr)
        for trace in fig.data:
            _localise_trace(trace, kinds, tr)
    return fig


def _stack_tops(fig: go.Figure, axis: str) -> list[float]:
    """The tops of stacked bars on a value axis: a month of two events of two kinds reaches 2, not 1."""
    if fig.layout.barmode not in ("stack", "relative"):
        return []
    tops: dict[str, float] = {}
    for trace in fig.data:
        across = getattr(trace, "orientation", None) == "h"
        if trace.type != "bar" or axis != ("x" if across else "y"):
            continue
        keys, amounts = (trace.y, trace.x) if across else (trace.x, trace.y)
        for key, amount in zip(keys if keys is not None else (), amounts if amounts is not None else (), strict=False):
            if amount is not None and amount == amount:
                tops[str(key)] = tops.get(str(key), 0.0) + max(float(amount), 0.0)
    return list(tops.values())


def _axis_values(fig: go.Figure, axis: str) -> list:
    """Every value the traces place on an axis (a horizontal bar's base and end included)."""
    values: list = []
    for trace in fig.data:
        got = getattr(trace, axis, None)
        if got is None:
            continue
        got = list(got)
        base = getattr(trace, "base", None)
        if base is not None and axis == ("x" if getattr(trace, "orientation", None) == "h" else "y"):
            starts = pd.to_datetime(pd.Series(list(base)))
            values += list(starts) + list(starts + pd.to_timedelta(pd.Series(got, dtype=float), unit="ms"))
            continue
        values += got
    return values


def with_ticks(fig: go.Figure, tr: Translator = ENGLISH) -> go.Figure:
    """Ticks chosen here for every axis that has none of its own: for drawings made without plotly (print)."""
    for axis in ("x", "y"):
        kind = axis_kind(fig, axis)
        if kind in ("number", "date") and getattr(fig.layout, f"{axis}axis").tickvals is None:
            _localise_axis(fig, axis, kind, tr)
    return fig


def axis_kind(fig: go.Figure, axis: str) -> str:
    """'date', 'number', 'category' or '' (no values, or a funnel's hidden value axis)."""
    if any(t.type == "funnel" for t in fig.data):
        return "category" if axis == "y" else ""
    declared = getattr(fig.layout, f"{axis}axis").type
    values = [v for v in _axis_values(fig, axis) if v is not None and v == v]
    if declared == "date" or (values and all(isinstance(v, dt.date | pd.Timestamp | np.datetime64) for v in values)):
        return "date" if values else ""
    if values and all(isinstance(v, int | float | np.integer | np.floating) for v in values):
        return "number"
    return "category" if values else ""


def _localise_axis(fig: go.Figure, axis: str, kind: str, tr: Translator) -> None:
    """Ticks chosen here and labelled by the translator."""
    values = [v for v in _axis_values(fig, axis) if v is not None and v == v]
    layout_axis = getattr(fig.layout, f"{axis}axis")
    if kind == "number":
        top = max([float(max(values)), *_stack_tops(fig, axis)])
        ticks = nice_ticks(min(0.0, float(min(values))), top, layout_axis.nticks or 8)
        decimals = _decimals(ticks)
        fig.update_layout({f"{axis}axis": {"tickmode": "array", "tickvals": ticks,
                                           "ticktext": [tr.number(v, decimals) for v in ticks]}})  # fmt: skip
    elif kind == "date":
        stamps = pd.to_datetime(pd.Series(values))
        ticks = calendar_ticks(stamps.min().date(), stamps.max().date(), tr.cal)
        fig.update_layout({f"{axis}axis": {"tickmode": "array", "tickvals": [str(t.start) for t in ticks],
                                           "ticktext": [tr.partial(t) for t in ticks]}})  # fmt: skip
    elif kind == "":
        fig.update_layout({f"{axis}axis": {"showticklabels": False}})


def nice_ticks(low: float, high: float, most: int = 8) -> list[float]:
    """Round tick values covering low..high, at most ``most`` of them (every whole number up to ten)."""
    if high <= low:
        high = low + 1
    if high - low <= 10 and float(low).is_integer() and float(high).is_integer():
        step = 1.0
    else:
        raw = (high - low) / max(most - 1, 1)
        magnitude = 10 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    count = math.floor((high - first) / step + 1e-9) + 1
    return [round(first + i * step, 10) for i in range(count)]


def _decimals(ticks: list[float]) -> int:
    """The decimals a list of ticks needs to read apart (0 for whole numbers)."""
    if all(float(t).is_integer() for t in ticks):
        return 0
    step = min(abs(b - a) for a, b in itertools.pairwise(ticks)) if len(ticks) > 1 else 1
    return max(0, -math.floor(math.log10(step)))


_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240)


def calendar_ticks(first: dt.date, last: dt.date, cal: str, most: int = 8) -> list[dates.PartialDate]:
    """Month or year starts in the reader's calendar between two dates, at most ``most`` of them."""
    jalali = cal == "jalali"

    def month_index(day: dt.date) -> int:
        if jalali:
            j = jdatetime.date.fromgregorian(date=day)
            return j.year * 12 + j.month - 1
        return day.year * 12 + day.month - 1

    def start_of(index: int) -> dt.date:
        year, month = divmod(index, 12)
        return jdatetime.date(year, month + 1, 1).togregorian() if jalali else dt.date(year, month + 1, 1)

    low, high = month_index(first), month_index(last)
    step = next((s for s in _MONTH_STEPS if (high - low) // s + 1 <= most), _MONTH_STEPS[-1])
    precision = ("jyear" if jalali else "year") if step >= 12 else ("jmonth" if jalali else "month")
    ticks = []
    for index in range(low, high + 1):
        if index % step == 0:
            start = start_of(index)
            if first <= start <= last:
                ticks.append(dates.PartialDate(start, precision))
    return ticks


_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _localise_trace(trace: object, kinds: dict[str, str], tr: Translator) -> None:
    """Bar texts and hover texts written by the translator."""
    text = getattr(trace, "text", None)
    if text is not None and not isinstance(text, str) and len(text) and all(_PLAIN_NUMBER.match(str(v)) for v in text):
        trace.text = [tr.number(float(v), len(str(v).partition(".")[2])) for v in text]  # plotly keeps them as text
    if trace.type == "funnel":
        trace.text = [tr.number(v) for v in trace.x]
        trace.textinfo = "text"
        trace.hoverinfo = "skip"
        return
    if getattr(trace, "hovertext", None) is None and trace.hoverinfo not in ("skip", "none", "text"):
        xs = [_value_text(v, kinds["x"], tr) for v in trace.x]
        ys = [_value_text(v, kinds["y"], tr) for v in trace.y]
        trace.hovertext = [html.escape(f"{x} · {y}") for x, y in zip(xs, ys, strict=True)]
        trace.hoverinfo = "text+name"


def _value_text(value: object, kind: str, tr: Translator) -> str:
    """One value as the reader writes it (a month start as its month)."""
    if kind == "number":
        return tr.number(value, 0 if float(value).is_integer() else 1)
    if kind == "date":
        day = pd.Timestamp(value).date()
        if day.day == 1:
            return tr.partial(dates.PartialDate(day, "month"))
        return tr.partial(dates.PartialDate(day, "day"))
    return str(value)


def count_axis(largest: int) -> dict:
    """An axis of counts with readable ticks: every whole number up to ten, then plotly's few round ones.

    One tick per whole number on an axis running to 22,000 draws 22,000 labels: the browser
    spends a minute on them and they smear into a grey bar.
    """
    return {"dtick": 1} if largest <= 10 else {"tickformat": ",d", "nticks": 8}


def status_bar(by_status: dict[str, int], tr: Translator = ENGLISH, font_px: int = 14) -> go.Figure:
    """Partnerships by lifecycle stage, in lifecycle order, coloured as on the map (larger type for a kiosk)."""
    terms = [t for t in reference.STATUSES if by_status.get(t.code)]
    fig = go.Figure(
        go.Bar(
            x=[by_status[t.code] for t in terms],
            y=[tr(t.label) for t in terms],
            orientation="h",
            marker={"color": [t.colour for t in terms]},
            text=[tr.number(by_status[t.code]) for t in terms],
            textposition="auto",
            textangle=0,  # never turned on its side (plotly turns text that it thinks will not fit)
            textfont={"size": font_px},
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        title=tr("Partnerships by status"),
        font={"size": font_px},
        height=max(380, 3 * font_px * (len(terms) + 2)),
        uniformtext={"minsize": font_px, "mode": "show"},  # plotly would shrink a bar's number to fit
        yaxis={"autorange": "reversed", "automargin": True},  # room for the labels, whatever the theme
        xaxis={**count_axis(max(by_status.values(), default=0)), "automargin": True},
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 3 * font_px, "b": 10},
    )
    if tr.rtl:  # bars grow from the right, next to their labels
        fig.update_xaxes(autorange="reversed")
    return for_reader(fig, tr)


def growth(frame: pd.DataFrame, tr: Translator = ENGLISH, font_px: int = 14, room_lines: int = 0) -> go.Figure:
    """Partnerships in the network at the end of each year (the reader's calendar), to this year.

    Years are labels (a Persian reader's are Solar Hijri years in Persian digits); every year is
    labelled while twenty fit, then every fifth.
    """
    every = 1 if len(frame) <= 20 else 5
    years = [tr.digits(str(y)) for y in frame["year"]]
    fig = go.Figure(go.Bar(x=years, y=list(frame["total"]), marker={"color": "#2e9d3a"},
                           text=list(frame["total"]), textfont={"size": font_px}, hoverinfo="skip"))  # fmt: skip
    fig.update_layout(height=round((30 - 2 * room_lines) * font_px), font={"size": font_px},  # room for lines below
                      yaxis={"title": tr("Signed partners"), "automargin": True},
                      xaxis={"tickmode": "array", "tickvals": years[::every], "type": "category", "automargin": True},
                      margin={"l": 10, "r": 10, "t": 20, "b": 10})  # fmt: skip
    return for_reader(fig, tr)


def funnel(board: pd.DataFrame, tr: Translator = ENGLISH) -> go.Figure:
    """Partnerships per lifecycle stage, in the guide's order (dormant and ended at the end)."""
    counts = board["status"].value_counts()
    terms = [t for t in reference.STATUSES if t.code in counts]
    fig = go.Figure(
        go.Funnel(
            y=[tr(t.label) for t in terms],
            x=[int(counts[t.code]) for t in terms],
            marker={"color": [t.colour for t in terms]},
            textinfo="value",
        )
    )
    fig.update_layout(height=60 + 45 * len(terms), margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return for_reader(fig, tr)


def coverage_by_month(by_month: pd.DataFrame, tr: Translator = ENGLISH) -> go.Figure:
    """Press items about the city per month, stacked by tone (how the city's image moves)."""
    fig = go.Figure()
    for term in reference.TONES:
        part = by_month[by_month["tone"] == term.code]
        if part.empty:
            continue
        fig.add_trace(go.Bar(x=list(part["month"]), y=list(part["items"]), name=tr(term.label),
                             marker={"color": term.colour}))  # fmt: skip
    fig.update_layout(barmode="stack", title=tr("Press items per month, by tone"), height=320,
                      yaxis=count_axis(int(by_month.groupby("month")["items"].sum().max()) if len(by_month) else 0),
                      legend={"orientation": "h", "y": -0.2}, margin={"l": 10, "r": 10, "t": 50, "b": 10})  # fmt: skip
    return for_reader(fig, tr)
