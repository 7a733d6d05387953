"""Charts and the partner map as SVG, for print: the pages' own figures, drawn without a browser.

A printed report needs vector graphics, and the figures come from the chart builders the pages
use (``charts``), so a reader sees the same bars, colours, ticks and labels on paper. Plotly
draws only in a browser; this module draws the traces those builders make (bars, stacked or
not, across or up, lines, a dotted "today" line) from the figure's own data and layout.
Every text is escaped: titles, names and labels are data, never markup.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from html import escape, unescape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from twinmap.core import geo, reference
from twinmap.views import charts
from twinmap.views.i18n import ENGLISH, Translator

FONT = "Vazirmatn, Noto Sans"  # the report's embedded fonts (Persian first: its Latin is Noto's width)
_TEXT = "#222222"
_GRID = "#d9d9d9"
_MARGIN = {"l": 60, "r": 14, "t": 30, "b": 34}


def _esc(value: object) -> str:
    """A label for SVG text: plotly labels arrive HTML-escaped, so they are unescaped once and escaped for XML."""
    return escape(unescape(str(value)), quote=True)


def _text(x: float, y: float, value: object, size: float = 10, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{_TEXT}" '
            f'font-family="{FONT}"{extra}>{_esc(value)}</text>')  # fmt: skip


class _Axis:
    """One axis: where a value lands in pixels, and its ticks with the reader's labels."""

    def __init__(self, layout_axis: object, values: list, lo_px: float, hi_px: float, kind: str,
                 span: tuple[dt.date, dt.date] | None = None, tr: Translator = ENGLISH):  # fmt: skip
        self.kind, self.lo_px, self.hi_px = kind, lo_px, hi_px
        self.reversed = getattr(layout_axis, "autorange", None) == "reversed"
        if kind == "category":
            self.categories = list(dict.fromkeys(str(v) for v in values))
            self.lo, self.hi = -0.5, len(self.categories) - 0.5
        else:
            numbers = [self.number(v) for v in values] or [0.0, 1.0]
            ticks = [self.number(v) for v in (layout_axis.tickvals or ())]
            self.lo, self.hi = min(numbers + ticks), max(numbers + ticks)
            if kind == "number":
                self.lo = min(self.lo, 0.0)
            if self.hi <= self.lo:
                self.hi = self.lo + 1
            pad = (self.hi - self.lo) * (0.03 if kind == "date" else 0.0)
            self.lo, self.hi = self.lo - pad, self.hi + pad
        labels = layout_axis.ticktext or ()
        self.ticks = list(zip(layout_axis.tickvals or (), labels, strict=False))
        if span is not None and kind == "date":  # a report's year: the whole year, whatever its events
            self.lo, self.hi = self.number(span[0]), self.number(span[1] + dt.timedelta(days=1))
            self.ticks = [(t.start, tr.partial(t)) for t in charts.calendar_ticks(span[0], span[1], tr.cal, 7)]
        if kind == "category":
            self.ticks = [(c, c) for c in (layout_axis.tickvals or self.categories)]

    def number(self, value: object) -> float:
        """A date as milliseconds (plotly's own unit on a date axis), a number as itself."""
        if self.kind == "date":
            return pd.Timestamp(value).value / 1e6
        return float(value)

    def px(self, value: object) -> float:
        """Where a value stands on this axis, in pixels."""
        v = self.categories.index(str(value)) if self.kind == "category" else self.number(value)
        share = (v - self.lo) / (self.hi - self.lo)
        if self.reversed:
            share = 1 - share
        return self.lo_px + share * (self.hi_px - self.lo_px)

    def step_px(self) -> float:
        """The pixels one category (or the narrowest gap between dates) takes."""
        return abs(self.hi_px - self.lo_px) / max(self.hi - self.lo, 1e-9)


def _values(trace: object, axis: str) -> list:
    got = getattr(trace, axis, None)
    return [] if got is None else list(got)


def _bars(fig: go.Figure, x: _Axis, y: _Axis) -> list[str]:
    """Bars of every bar trace, stacked where the layout stacks them, with their texts."""
    out: list[str] = []
    traces = [t for t in fig.data if t.type == "bar"]
    stacked = fig.layout.barmode in ("stack", "relative")
    base: dict[str, float] = {}
    for n, trace in enumerate(traces):
        across = trace.orientation == "h"
        place, size = (y, x) if across else (x, y)
        keys, amounts = (_values(trace, "y"), _values(trace, "x")) if across else (_values(trace, "x"),
                                                                                    _values(trace, "y"))  # fmt: skip
        colours = trace.marker.color if trace.marker is not None else None
        texts = trace.text if trace.text is not None and not isinstance(trace.text, str) else None
        width = _bar_width(place, keys) / (1 if stacked else len(traces))
        for i, (key, amount) in enumerate(zip(keys, amounts, strict=True)):
            if amount is None or amount != amount:
                continue
            start = base.get(str(key), 0.0) if stacked else 0.0
            centre = place.px(key) + (0 if stacked else (n - (len(traces) - 1) / 2) * width)
            a, b = size.px(start), size.px(start + float(amount))
            colour = colours[i] if isinstance(colours, list | tuple) else (colours or "#1a659a")
            lo, hi = sorted((a, b))
            if across:
                out.append(f'<rect x="{lo:.1f}" y="{centre - width / 2:.1f}" width="{hi - lo:.1f}" '
                           f'height="{width:.1f}" fill="{colour}"/>')  # fmt: skip
            else:
                out.append(f'<rect x="{centre - width / 2:.1f}" y="{lo:.1f}" width="{width:.1f}" '
                           f'height="{hi - lo:.1f}" fill="{colour}"/>')  # fmt: skip
            if texts is not None and i < len(texts):
                out.append(_bar_text(texts[i], across, centre, a, b))
            if stacked:
                base[str(key)] = start + float(amount)
    return out


def _bar_width(axis: _Axis, keys: list) -> float:
    """A bar's thickness: most of a category, or most of the narrowest gap between dates."""
    if axis.kind != "date":
        return 0.7 * axis.step_px() if axis.kind == "category" else 12.0
    month = abs(axis.px(pd.Timestamp("2000-01-31")) - axis.px(pd.Timestamp("2000-01-01")))
    spots = sorted({axis.px(k) for k in keys})
    gaps = [b - a for a, b in itertools.pairwise(spots) if b > a]
    return max(1.5, 0.8 * min([month, *gaps]))


def _bar_text(value: object, across: bool, centre: float, a: float, b: float) -> str:
    """A bar's number, just past its end (outside the bar, so it reads on every colour)."""
    if across:
        right = b >= a
        return _text(b + (4 if right else -4), centre + 3.5, value, 10, "start" if right else "end")
    return _text(centre, min(a, b) - 3, value, 9)


def _lines(fig: go.Figure, x: _Axis, y: _Axis) -> list[str]:
    """Line traces as polylines, broken where a value is missing."""
    out = []
    for trace in fig.data:
        if trace.type != "scatter":
            continue
        colour = (trace.line.color if trace.line is not None else None) or "#1a659a"
        run: list[str] = []
        for xv, yv in zip(_values(trace, "x"), _values(trace, "y"), strict=True):
            if yv is None or yv != yv:
                out.append(_polyline(run, colour))
                run = []
                continue
            run.append(f"{x.px(xv):.1f},{y.px(yv):.1f}")
        out.append(_polyline(run, colour))
    return [o for o in out if o]


def _polyline(points: list[str], colour: str) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="1.5"/>' if points else ""


def _vlines(fig: go.Figure, x: _Axis, top: float, bottom: float) -> list[str]:
    """Vertical marker lines (today) the builders add as shapes."""
    out = []
    for shape in fig.layout.shapes or ():
        if shape.type == "line" and shape.x0 == shape.x1 and shape.x0 is not None:
            px = x.px(pd.Timestamp(shape.x0, unit="ms") if x.kind == "date" and isinstance(shape.x0, int | float)
                      else shape.x0)  # fmt: skip
            if min(x.lo_px, x.hi_px) <= px <= max(x.lo_px, x.hi_px):
                out.append(f'<line x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{bottom}" stroke="#444" '
                           'stroke-dasharray="3 3"/>')  # fmt: skip
    return out


def _kind(fig: go.Figure, axis: str) -> str:
    kind = charts.axis_kind(fig, axis)
    return kind or "number"


def figure_svg(fig: go.Figure, width: int = 500, height: int | None = None, tr: Translator = ENGLISH,
               span: tuple[dt.date, dt.date] | None = None) -> str:  # fmt: skip
    """A chart builder's figure as an SVG document of ``width`` × ``height`` points (a date axis over ``span``)."""
    fig = charts.with_ticks(go.Figure(fig), tr)
    height = height or int(min(fig.layout.height or 380, 420) * width / 700)
    legend = [t for t in fig.data if t.name and (len(fig.data) > 1 or fig.layout.showlegend)]
    legend_rows = math.ceil(len(legend) / 3)
    m = dict(_MARGIN)
    across = any(getattr(t, "orientation", None) == "h" for t in fig.data)
    labels_px = 8 + 5.6 * max((len(str(v)) for t in fig.data for v in _values(t, "y")), default=4) if across else 50
    side = "r" if tr.rtl else "l"
    m[side] = min(max(m[side], labels_px), width * 0.45)
    m["b"] += 16 * legend_rows
    title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else None
    m["t"] = 30 if title else 12
    x_vals = [v for t in fig.data for v in _values(t, "x") if v is not None and v == v]
    y_vals = [v for t in fig.data for v in _values(t, "y") if v is not None and v == v]
    x_kind, y_kind = _kind(fig, "x"), _kind(fig, "y")
    x_totals, y_totals = _stack_totals(fig, x_vals, y_vals)
    x = _Axis(fig.layout.xaxis, x_totals if x_kind == "number" else x_vals, m["l"], width - m["r"], x_kind, span, tr)
    y = _Axis(fig.layout.yaxis, y_totals if y_kind == "number" else y_vals, height - m["b"], m["t"], y_kind)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']  # fmt: skip
    if title:
        parts.append(_text(width - 4 if tr.rtl else 4, 16, title, 12, "end" if tr.rtl else "start",
                           ' font-weight="bold"'))  # fmt: skip
    parts += _grid(x, y, m, width, height, tr)
    parts += _bars(fig, x, y) + _lines(fig, x, y) + _vlines(fig, x, m["t"], height - m["b"])
    parts += _legend(legend, width, height - 16 * legend_rows + 4, tr)
    parts.append("</svg>")
    return "\n".join(p for p in parts if p)


def _stack_totals(fig: go.Figure, x_vals: list, y_vals: list) -> tuple[list, list]:
    """The values a stacked chart's number axis must reach: the stacks' tops, not the single bars."""
    if fig.layout.barmode not in ("stack", "relative"):
        return x_vals, y_vals
    tops: dict[tuple[str, str], float] = {}
    for t in fig.data:
        across = getattr(t, "orientation", None) == "h"
        keys, amounts = (_values(t, "y"), _values(t, "x")) if across else (_values(t, "x"), _values(t, "y"))
        for k, v in zip(keys, amounts, strict=True):
            if v is not None and v == v:
                tops[("x" if across else "y", str(k))] = tops.get(("x" if across else "y", str(k)), 0.0) + float(v)
    xs = [v for (a, _k), v in tops.items() if a == "x"] or x_vals
    ys = [v for (a, _k), v in tops.items() if a == "y"] or y_vals
    return xs, ys


def _grid(x: _Axis, y: _Axis, m: dict, width: int, height: int, tr: Translator) -> list[str]:
    """Grid lines and tick labels of both axes (labels on the reader's side)."""
    out = []
    for value, label in x.ticks:
        px = x.px(value)
        if x.kind != "category":
            out.append(f'<line x1="{px:.1f}" y1="{m["t"]}" x2="{px:.1f}" y2="{height - m["b"]}" stroke="{_GRID}"/>')
        out.append(_text(px, height - m["b"] + 13, label, 9))
    for value, label in y.ticks:
        py = y.px(value)
        if y.kind != "category":
            out.append(f'<line x1="{m["l"]}" y1="{py:.1f}" x2="{width - m["r"]}" y2="{py:.1f}" stroke="{_GRID}"/>')
        if tr.rtl:
            out.append(_text(width - m["r"] + 5, py + 3.5, label, 9, "start"))
        else:
            out.append(_text(m["l"] - 5, py + 3.5, label, 9, "end"))
    base = y.px(0) if y.kind == "number" and y.lo <= 0 <= y.hi else height - m["b"]
    out.append(f'<line x1="{m["l"]}" y1="{base:.1f}" x2="{width - m["r"]}" y2="{base:.1f}" stroke="#888"/>')
    return out


def _legend(traces: list, width: int, top: float, tr: Translator) -> list[str]:
    """Swatches with the traces' names, three to a row, from the reader's side."""
    out = []
    column = width / 3
    for i, t in enumerate(traces):
        row, col = divmod(i, 3)
        colour = t.marker.color if t.type == "bar" and isinstance(t.marker.color, str) else (
            t.line.color if t.type == "scatter" and t.line is not None and t.line.color else "#1a659a")  # fmt: skip
        x0 = width - col * column - 14 if tr.rtl else col * column + 4
        y0 = top + row * 16
        out.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="10" height="10" fill="{colour}"/>')
        if tr.rtl:
            out.append(_text(x0 - 4, y0 + 9, t.name, 9, "end"))
        else:
            out.append(_text(x0 + 14, y0 + 9, t.name, 9, "start"))
    return out


def map_svg(partners: pd.DataFrame, width: int = 500, height: int = 280) -> str:
    """The partner map for print: country outlines, a line from each home city to each partner, dots by stage.

    The view is the partnerships' extent (padded, never narrower than a region); partners on
    both sides of the antimeridian get the whole world. Outlines are simplified to what the
    printed size can show, so a province's map weighs kilobytes, not megabytes.
    """
    lats = pd.concat([partners["home_lat"], partners["partner_lat"]]).dropna().to_numpy(dtype=float)
    lons = pd.concat([partners["home_lon"], partners["partner_lon"]]).dropna().to_numpy(dtype=float)
    west, east, south, north = _extent(lats, lons, width / height)
    sx = width / (east - west)
    sy = height / (north - south)

    def pt(lon: float, lat: float) -> str:
        return f"{(lon - west) * sx:.1f},{(north - lat) * sy:.1f}"

    outlines = geo.country_outlines()
    clipped = shapely.clip_by_rect(outlines.geometry.values, west, south, east, north)
    simple = shapely.simplify(clipped, 0.6 / sx)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><rect width="{width}" height="{height}" fill="#eef4f8"/>']  # fmt: skip
    for geom in simple:
        d = _path(geom, pt)
        if d:
            parts.append(f'<path d="{d}" fill="#f4f1ea" stroke="#a8a39a" stroke-width="0.4"/>')
    rows = partners.dropna(subset=["home_lat", "home_lon", "partner_lat", "partner_lon"])
    for r in rows.itertuples():
        colour = reference.colour(reference.STATUSES, r.status)
        parts.append(f'<line x1="{(r.home_lon - west) * sx:.1f}" y1="{(north - r.home_lat) * sy:.1f}" '
                     f'x2="{(r.partner_lon - west) * sx:.1f}" y2="{(north - r.partner_lat) * sy:.1f}" '
                     f'stroke="{colour}" stroke-width="0.5" stroke-opacity="0.6"/>')  # fmt: skip
    for r in rows.itertuples():
        x, y = (r.partner_lon - west) * sx, (north - r.partner_lat) * sy
        colour = reference.colour(reference.STATUSES, r.status)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}" stroke="#fff" stroke-width="0.4"/>')
    for lat, lon in rows[["home_lat", "home_lon"]].drop_duplicates().itertuples(index=False):
        x, y = (lon - west) * sx, (north - lat) * sy
        parts.append(f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="#1a1a1a"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def _extent(lats: np.ndarray, lons: np.ndarray, aspect: float) -> tuple[float, float, float, float]:
    """West, east, south, north of the view: the points padded, widened to the page's shape, within the world."""
    if not len(lats):
        return -180.0, 180.0, -60.0, 85.0
    west, east = float(lons.min()) - 8, float(lons.max()) + 8
    south, north = float(lats.min()) - 6, float(lats.max()) + 6
    if east - west > 200:
        west, east = -180.0, 180.0
    width, height = max(east - west, 30.0), max(north - south, 18.0)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = (west + east) / 2, (south + north) / 2
    width, height = min(width, 360.0), min(height, 145.0)
    west, east = max(-180.0, cx - width / 2), min(180.0, cx + width / 2)
    south, north = max(-60.0, cy - height / 2), min(85.0, cy + height / 2)
    return west, east, south, north


def _path(geom: object, pt: object) -> str:
    """An SVG path of a (multi)polygon's rings."""
    if geom is None or geom.is_empty:
        return ""
    polygons = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and not g.is_empty]
    nested = [p for g in getattr(geom, "geoms", []) if g.geom_type == "MultiPolygon" for p in g.geoms]
    rings = []
    for poly in polygons + nested:
        for ring in (poly.exterior, *poly.interiors):
            coords = list(ring.coords)
            if len(coords) >= 3:
                rings.append("M" + "L".join(pt(lon, lat) for lon, lat in coords) + "Z")
    return "".join(rings)
