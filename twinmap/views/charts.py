"""Plotly figure builders for the timeline and tourism pages (no geo charts: they need a CDN).

Hover texts are HTML-escaped: plotly renders a subset of HTML in them.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from twinmap.core import dates, reference
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


def events_by_month(events: pd.DataFrame, today: dt.date, tr: Translator = ENGLISH) -> go.Figure:
    """Events per month, stacked by kind: the timeline of many partnerships at once."""
    fig = go.Figure()
    months = pd.to_datetime(events["starts_on"]).dt.to_period("M").dt.to_timestamp()
    counts = events.assign(month=months).groupby(["kind", "month"]).size()
    for term in reference.EVENT_KINDS:
        if term.code not in counts.index.get_level_values(0):
            continue
        part = counts.loc[term.code]
        fig.add_trace(go.Bar(x=part.index, y=part.to_numpy(), name=html.escape(tr(term.label)),
                             marker={"color": term.colour}))  # fmt: skip
    fig.add_vline(x=pd.Timestamp(today).value / 1e6, line_dash="dot", line_color="#444")
    fig.update_layout(barmode="stack", height=420, xaxis={"type": "date", "title": None},
                      yaxis={"title": html.escape(tr("Events per month"))}, **_LAYOUT)  # fmt: skip
    return direction(fig, tr)


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
    return direction(fig, tr)


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
    return direction(fig, tr)


def direction(fig: go.Figure, tr: Translator) -> go.Figure:
    """Right-to-left readers get the value axis and the legend on the right."""
    if tr.rtl:
        fig.update_layout(yaxis={"side": "right"}, legend={"x": 1, "xanchor": "right"})
        fig.update_layout(font={"family": "Vazirmatn, Noto Naskh Arabic, Noto Sans Arabic, sans-serif"})
    return fig


def count_axis(largest: int) -> dict:
    """An axis of counts with readable ticks: every whole number up to ten, then plotly's few round ones.

    One tick per whole number on an axis running to 22,000 draws 22,000 labels: the browser
    spends a minute on them and they smear into a grey bar.
    """
    return {"dtick": 1} if largest <= 10 else {"tickformat": ",d", "nticks": 8}


def status_bar(by_status: dict[str, int], tr: Translator = ENGLISH) -> go.Figure:
    """Partnerships by lifecycle stage, in lifecycle order, coloured as on the map."""
    terms = [t for t in reference.STATUSES if by_status.get(t.code)]
    fig = go.Figure(
        go.Bar(
            x=[by_status[t.code] for t in terms],
            y=[tr(t.label) for t in terms],
            orientation="h",
            marker={"color": [t.colour for t in terms]},
            text=[tr.number(by_status[t.code]) for t in terms],
            textposition="auto",
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        title=tr("Partnerships by status"),
        height=380,
        yaxis={"autorange": "reversed"},
        xaxis=count_axis(max(by_status.values(), default=0)),
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    if tr.rtl:  # bars grow from the right, next to their labels
        fig.update_xaxes(autorange="reversed")
    return direction(fig, tr)


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
    return direction(fig, tr)
