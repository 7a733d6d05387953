"""Tourism impact: whether visitors from a partner's country grew more than foreign visitors overall.

Method (stated on the page; indicative, not causal): for each signed partnership, the mean
monthly value of an indicator from the partner's country in the N whole months before the
signing period and the N whole months after it (:func:`twinmap.queries.before_after`), and the
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

VERDICTS: tuple[Term, ...] = (
    Term("beyond", N_("Grew beyond the general trend"), "#2e9d3a"),
    Term("in_line", N_("In line with the general trend"), "#1f78b4"),
    Term("below", N_("Below the general trend"), "#d95f02"),
    Term("no_data", N_("Not enough data"), "#9e9e9e"),
)


def summarise(frame: pd.DataFrame, months: int) -> pd.DataFrame:
    """Add the difference from the general trend (percentage points) and a verdict to before/after rows."""
    out = frame.copy()
    out["beyond_pp"] = out["change_pct"] - out["all_foreign_change_pct"]
    enough = (out["n_before"] >= MIN_COVERAGE * months) & (out["n_after"] >= MIN_COVERAGE * months)
    enough &= out["beyond_pp"].notna()
    out["verdict"] = np.select(
        [~enough, out["beyond_pp"] > TREND_BAND_PP, out["beyond_pp"] < -TREND_BAND_PP],
        ["no_data", "beyond", "below"],
        default="in_line",
    )
    out.loc[~enough, "beyond_pp"] = np.nan
    return out


def impact(
    con: duckdb.DuckDBPyConnection, f: queries.PartnershipFilter, indicator: str, today: dt.date, months: int = 24
) -> pd.DataFrame:
    """Before/after signing per partnership with the verdict against all foreign visitors."""
    return summarise(queries.before_after(con, f, indicator, today, months), months)
