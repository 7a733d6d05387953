"""Print drawings: the pages' own figures and the partner map as SVG, without a browser."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from defusedxml import ElementTree as ET

from twinmap.core import reference
from twinmap.views import charts, vector
from twinmap.views.i18n import Translator

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str):
    return ET.fromstring(svg)  # well-formed XML, or this raises


def _bars(root: ET.Element) -> list[dict]:
    return [r.attrib for r in root.iter(f"{SVG}rect") if r.get("fill") not in ("#eef4f8",) and r.get("width") != "10"]


def test_a_status_bar_draws_one_bar_per_stage_in_its_colour_and_length():
    svg = vector.figure_svg(charts.status_bar({"active": 4, "dormant": 2, "ended": 1}), 500)
    bars = _bars(_parse(svg))
    colours = {t.code: t.colour for t in reference.STATUSES}
    assert [b["fill"] for b in bars] == [colours["active"], colours["dormant"], colours["ended"]]
    widths = [float(b["width"]) for b in bars]
    assert abs(widths[0] / widths[1] - 2) < 0.01 and abs(widths[1] / widths[2] - 2) < 0.01
    texts = [t.text for t in _parse(svg).iter(f"{SVG}text")]
    assert {"Active", "Dormant", "Ended", "Partnerships by status"} <= set(texts)


def test_a_right_to_left_reader_gets_bars_from_the_right_and_persian_digits():
    tr = Translator("fa", "jalali")
    root = _parse(vector.figure_svg(charts.status_bar({"active": 4, "dormant": 2}, tr), 500, tr=tr))
    bars = _bars(root)
    ends = [float(b["x"]) + float(b["width"]) for b in bars]
    assert abs(ends[0] - ends[1]) < 0.1 and ends[0] > 400  # both grow leftwards from the same right edge
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "۴" in texts and not any(re.search("[0-9]", t) for t in texts)


def test_stacked_months_reach_their_total_and_a_year_span_puts_ticks_in_the_readers_calendar():
    events = pd.DataFrame({"kind": ["festival", "sport", "sport"], "starts_on": pd.to_datetime(
        ["2026-05-03", "2026-05-20", "2026-05-28"])})  # fmt: skip
    tr = Translator("fa", "jalali")
    fig = charts.events_by_month(events, dt.date(2026, 11, 23), tr)
    root = _parse(vector.figure_svg(fig, 500, 230, tr, (dt.date(2026, 3, 21), dt.date(2027, 3, 20))))
    bars = _bars(root)
    heights = sorted(float(b["height"]) for b in bars)
    assert len(bars) == 2 and abs(heights[1] / heights[0] - 2) < 0.01  # one festival, two sports, one stack
    xs = {round(float(b["x"]), 1) for b in bars}
    assert len(xs) == 1
    ticks = [t.text for t in root.iter(f"{SVG}text")]
    assert "فروردین ۱۴۰۵" in ticks  # the year's first month, though no event fell in it


def test_every_label_is_text_never_markup():
    fig = charts.status_bar({"active": 1}, Translator())
    fig.update_layout(title='<script>alert(1)</script> & "x"')
    svg = vector.figure_svg(fig, 400)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert next(t.text for t in _parse(svg).iter(f"{SVG}text")) == '<script>alert(1)</script> & "x"'


def test_the_partner_map_frames_the_partnerships_and_draws_each_one():
    partners = pd.DataFrame({"home_lat": [36.56, 36.56], "home_lon": [53.06, 53.06], "partner_lat": [46.35, 42.46],
                             "partner_lon": [48.04, 14.21], "status": ["active", "dormant"]})  # fmt: skip
    root = _parse(vector.map_svg(partners, 500, 280))
    lines = list(root.iter(f"{SVG}line"))
    dots = list(root.iter(f"{SVG}circle"))
    assert len(lines) == 2 and len(dots) == 2
    assert [d.get("fill") for d in dots] == [reference.colour(reference.STATUSES, s) for s in ("active", "dormant")]
    for dot in dots:  # inside the frame, not on its edge
        assert 10 < float(dot.get("cx")) < 490 and 10 < float(dot.get("cy")) < 270
    paths = list(root.iter(f"{SVG}path"))
    assert 20 < len(paths) < 150  # the countries of Europe and western Asia, not the world's 240
    assert len(vector.map_svg(partners, 500, 280)) < 400_000  # simplified to the printed size


def test_partners_on_both_sides_of_the_antimeridian_get_the_whole_world_without_a_band():
    partners = pd.DataFrame({"home_lat": [64.7], "home_lon": [177.5], "partner_lat": [61.2], "partner_lon": [-149.9],
                             "status": ["active"]})  # fmt: skip
    root = _parse(vector.map_svg(partners, 500, 280))
    for path in root.iter(f"{SVG}path"):
        xs = [float(p.split(",")[0]) for p in re.findall(r"[-\d.]+,[-\d.]+", path.get("d"))]
        assert max(xs) <= 500.5 and min(xs) >= -0.5
