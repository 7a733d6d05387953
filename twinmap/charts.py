"""Plotly figure builders for the timeline and tourism pages (no geo charts: they need a CDN).

Hover texts are HTML-escaped: plotly renders a subset of HTML in them.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from twinmap import dates, geo, reference

_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "star", "cross", "x", "pentagon", "hexagon")
_LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "legend": {"orientation": "h", "y": -0.15}}


def pair_label(home: str, partner: str) -> str:
    """The y-axis label of a partnership."""
    return f"{home} – {partner}"


def pair_labels(frame: pd.DataFrame) -> list[str]:
    """Labels of many partnerships, in frame order."""
    return [pair_label(h, p) for h, p in zip(frame["home_name"], frame["partner_name"], strict=True)]


def agreement_spans(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Start and end of each agreement in force: signing to expiry, or to today when open-ended."""
    rows = []
    for r in frame.itertuples(index=False):
        signed = dates.from_db(r.signed_on, r.signed_precision)
        if signed is None:
            continue
        until = dates.from_db(r.valid_until, r.valid_until_precision)
        rows.append(
            {
                "label": pair_label(r.home_name, r.partner_name),
                "status": r.status,
                "start": signed.start,
                "end": until.end if until else max(today, signed.end),
                "open_ended": until is None,
                "signed_text": signed.display(),
            }
        )
    return pd.DataFrame(rows, columns=["label", "status", "start", "end", "open_ended", "signed_text"])


def timeline(partners: pd.DataFrame, events: pd.DataFrame, today: dt.date) -> go.Figure:
    """Agreements as spans from signing to expiry, events as markers by kind, and today."""
    fig = go.Figure()
    spans = agreement_spans(partners, today)
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
                name=f"Agreement: {term.label}",
                marker={"color": term.colour, "opacity": 0.35},
                hovertext=[
                    html.escape(f"{lbl}: signed {txt}")
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
                y=[pair_label(h, p) for h, p in zip(part["home_name"], part["partner_name"], strict=True)],
                mode="markers",
                name=term.label,
                marker={
                    "symbol": _SYMBOLS[i % len(_SYMBOLS)],
                    "size": 11,
                    "color": term.colour,
                    "line": {"width": 1, "color": "#ffffff"},
                },
                hovertext=[_event_hover(r) for r in part.itertuples(index=False)],
                hoverinfo="text",
            )
        )
    fig.add_vline(x=pd.Timestamp(today).value / 1e6, line_dash="dot", line_color="#444")
    labels = sorted(
        set(spans["label"])
        | {pair_label(h, p) for h, p in zip(events["home_name"], events["partner_name"], strict=True)}
    )
    fig.update_layout(
        barmode="overlay",
        height=max(320, 38 * len(labels) + 140),
        yaxis={"categoryorder": "array", "categoryarray": labels[::-1], "title": None},
        xaxis={"type": "date", "title": None},
        **_LAYOUT,
    )
    return fig


def _event_hover(r: object) -> str:
    start = dates.from_db(r.starts_on, r.starts_precision)
    who = f" · {r.participants} participants" if pd.notna(r.participants) else ""
    text = f"{r.title}\n{start.display() if start else ''} · {r.venue or ''}{who}"
    return html.escape(text).replace("\n", "<br>")


def tourism(series: pd.DataFrame, signings: pd.DataFrame, indicator_label: str) -> go.Figure:
    """Indicator over time, one line per origin country, signing periods shaded.

    A signing known only to a month is drawn as a band covering that month, not a line on an
    invented day.
    """
    fig = go.Figure()
    for origin, part in series.groupby("origin", sort=True):
        name = "All foreign visitors" if origin == "" else geo.country_name(origin)
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
            annotation_text=html.escape(f"{r.partner_name} signed"),
            annotation_position="top left",
            annotation_textangle=-90,
        )
    fig.update_layout(height=460, yaxis_title=html.escape(indicator_label), xaxis={"type": "date"}, **_LAYOUT)
    return fig


def status_bar(by_status: dict[str, int]) -> go.Figure:
    """Partnerships by lifecycle stage, in lifecycle order, coloured as on the map."""
    terms = [t for t in reference.STATUSES if by_status.get(t.code)]
    fig = go.Figure(
        go.Bar(
            x=[by_status[t.code] for t in terms],
            y=[t.label for t in terms],
            orientation="h",
            marker={"color": [t.colour for t in terms]},
            text=[by_status[t.code] for t in terms],
            textposition="auto",
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        title="Partnerships by status",
        height=380,
        yaxis={"autorange": "reversed"},
        xaxis={"dtick": 1},
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    return fig
