"""Tourism impact: whether visitors from a partner's country grew more than foreign visitors overall.

Method (stated on the page; indicative, not causal): for each signed partnership, the mean
monthly value of an indicator from the partner's country in the N whole months before the
signing period and the N whole months after it (:func:`twinmap.reads.queries.before_after`), and the
same change for all foreign visitors over the same months. The partnership is credited only with
the difference, in percentage points; within +/-5 points counts as the general trend. A window
with fewer than three quarters of its months recorded is "not enough data", never a zero.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from twinmap.core.reference import N_, Term
from twinmap.reads import queries

TREND_BAND_PP = 5.0
MIN_COVERAGE = 0.75

# A verdict says what the two changes did, in words that hold for every sign: visitors from the
# partner's country (p) against all foreign visitors (a), over the same months. "better" and
# "worse" group them for the overview's counts; none says "grew" unless p grew.
VERDICTS: tuple[Term, ...] = (
    Term("grew_faster", N_("Grew faster than all foreign visitors"), "#2e9d3a", frozenset({"better"})),
    Term("grew_while_others_fell", N_("Grew while all foreign visitors fell"), "#2e9d3a", frozenset({"better"})),
    Term(
        "steady_while_others_fell", N_("Held steady while all foreign visitors fell"), "#66a61e", frozenset({"better"})
    ),
    Term("fell_less", N_("Fell less than all foreign visitors"), "#a6761d", frozenset({"better"})),
    Term("in_line", N_("In line with all foreign visitors"), "#1f78b4", frozenset({"in_line"})),
    Term("grew_slower", N_("Grew more slowly than all foreign visitors"), "#e6ab02", frozenset({"worse"})),
    Term(
        "steady_while_others_grew", N_("Held steady while all foreign visitors grew"), "#e6ab02", frozenset({"worse"})
    ),
    Term("fell_while_others_grew", N_("Fell while all foreign visitors grew"), "#d95f02", frozenset({"worse"})),
    Term("fell_more", N_("Fell more than all foreign visitors"), "#d95f02", frozenset({"worse"})),
    Term("no_data", N_("Not enough data"), "#9e9e9e", frozenset({"no_data"})),
)
# The overview counts partnerships by these groups (each a true sentence for every verdict in it).
GROUPS: tuple[Term, ...] = (
    Term("better", N_("Better than all foreign visitors")),
    Term("in_line", N_("In line with all foreign visitors")),
    Term("worse", N_("Worse than all foreign visitors")),
    Term("no_data", N_("Not enough data")),
)
STEADY_PCT = 1.0  # a change within ±1 % is "held steady"


def verdict(partner_pct: float, all_pct: float) -> str:
    """The verdict for a partner country's change against everyone's, both in per cent."""
    difference = partner_pct - all_pct
    if abs(difference) <= TREND_BAND_PP:
        return "in_line"
    p = "up" if partner_pct > STEADY_PCT else "down" if partner_pct < -STEADY_PCT else "steady"
    if difference > 0:  # the partner's country did better than everyone
        return {"up": "grew_faster" if all_pct > STEADY_PCT else "grew_while_others_fell",
                "steady": "steady_while_others_fell", "down": "fell_less"}[p]  # fmt: skip
    return {"up": "grew_slower", "steady": "steady_while_others_grew",
            "down": "fell_more" if all_pct < -STEADY_PCT else "fell_while_others_grew"}[p]  # fmt: skip


def group(code: str) -> str:
    """The overview's group of a verdict."""
    return next(iter(next(t for t in VERDICTS if t.code == code).means))


def summarise(frame: pd.DataFrame, months: int) -> pd.DataFrame:
    """Add the difference from the general trend (percentage points) and a verdict to before/after rows."""
    out = frame.copy()
    out["beyond_pp"] = out["change_pct"] - out["all_foreign_change_pct"]
    enough = (out["n_before"] >= MIN_COVERAGE * months) & (out["n_after"] >= MIN_COVERAGE * months)
    enough &= out["beyond_pp"].notna()
    out["verdict"] = [
        verdict(p, a) if ok else "no_data"
        for p, a, ok in zip(out["change_pct"], out["all_foreign_change_pct"], enough, strict=True)
    ]
    out.loc[~enough, "beyond_pp"] = np.nan
    return out


def impact(
    con: duckdb.DuckDBPyConnection,
    f: queries.PartnershipFilter,
    indicator: str,
    today: dt.date,
    months: int = 24,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Before/after signing per partnership with the verdict against all foreign visitors (frame: see before_after)."""
    return summarise(queries.before_after(con, f, indicator, today, months, frame), months)
