"""Tourism impact of a signing: an estimate with a range, judged against the home city's other markets.

Method (stated on the Tourism page and in the README; measured by ``bench/bench_impact.py``):
difference in differences on log visitors, with the home city's other origin countries as the
comparison and as placebos.

- For the partnership's window (the N whole months before the signing period and the N after
  it), each origin country recorded for the home city has a change: the log of its mean month
  after over its mean month before. Seasons and the city's common trend cancel in it.
- The estimate is the partner country's change minus the mean change of the *other* origin
  countries (never the partner's own country, never "all foreign visitors", which holds it).
- Its range comes from the same comparison made for each other country as if it were the
  partner (placebos: how far one market moves from the rest with no partnership at all), plus
  the counting noise of the partner's own visitors (a Poisson count: a country with 10 visitors
  a month gets a wide range, never a confident claim). The 95 % range is the estimate ± t·se,
  t of Student's distribution with one fewer degree of freedom than there are comparison countries.
- A difference is claimed only when the range excludes zero. Too few months recorded in either
  window (under three quarters), a partner country never recorded, or fewer than
  :data:`MIN_CONTROLS` comparison countries is "not enough data", with the reason.

Indicative, not proof of cause: the comparison countries may have reasons of their own to move.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from twinmap.core import dates
from twinmap.core.reference import N_, Term
from twinmap.reads import queries

MIN_COVERAGE = 0.75  # share of a window's months that must be recorded
MIN_CONTROLS = 3  # comparison countries needed for a range

VERDICTS: tuple[Term, ...] = (
    Term("more", N_("More visitors than the trend"), "#2e9d3a", frozenset({"better"})),
    Term("no_clear", N_("No clear difference from the trend"), "#1f78b4", frozenset({"in_line"})),
    Term("fewer", N_("Fewer visitors than the trend"), "#d95f02", frozenset({"worse"})),
    Term("no_data", N_("Not enough data"), "#9e9e9e", frozenset({"no_data"})),
)
# The overview counts partnerships by these groups.
GROUPS: tuple[Term, ...] = (
    Term("better", N_("More visitors than the trend")),
    Term("in_line", N_("No clear difference from the trend")),
    Term("worse", N_("Fewer visitors than the trend")),
    Term("no_data", N_("Not enough data")),
)

# Why there is no estimate (shown after "not enough data: ").
NOT_RECORDED = N_("visitors from the partner's country are not recorded")
ONLY_TOTAL = N_("no visitors by country of origin are recorded for the home city")
FEW_BEFORE = N_("{n} of the {need} months before the signing recorded")
FEW_AFTER = N_("{n} of the {need} months after the signing recorded")
NOT_YET = N_("the {months} months after the signing have not all passed")
NOT_YET_SIGNED = N_("no signing date is recorded")
FEW_CONTROLS = N_("{n} other countries of origin recorded, {need} needed for a comparison")


# Student's t at 97.5 % (a two-sided 95 % range) for 1-10 degrees of freedom; beyond, the
# Cornish-Fisher expansion around the normal's 1.96 (within 0.002 of the exact value).
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228)
_Z = 1.959964


def t_975(df: np.ndarray) -> np.ndarray:
    """Student's t quantile for a two-sided 95 % range with ``df`` degrees of freedom (at least 1)."""
    df = np.maximum(np.asarray(df, dtype=float), 1)
    z = _Z
    approx = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
    table = np.array(_T975)[np.clip(df.astype(int), 1, 10) - 1]
    return np.where(df <= 10, table, approx)


def group(code: str) -> str:
    """The overview's group of a verdict."""
    return next(iter(next(t for t in VERDICTS if t.code == code).means))


_SERIES_SQL = """
SELECT w.id, i.origin_country AS origin,
       sum(i.value) FILTER (WHERE i.period + INTERVAL 1 MONTH <= w.s0 AND i.period > w.s0 - to_months($months + 1))
           AS sum_before,
       count(i.value) FILTER (WHERE i.period + INTERVAL 1 MONTH <= w.s0 AND i.period > w.s0 - to_months($months + 1))
           AS n_before,
       sum(i.value) FILTER (WHERE i.period >= w.a0 AND i.period < w.a0 + to_months($months)) AS sum_after,
       count(i.value) FILTER (WHERE i.period >= w.a0 AND i.period < w.a0 + to_months($months)) AS n_after
FROM _windows w JOIN indicators i ON i.city_id = w.home_city_id AND i.indicator = $indicator
WHERE i.origin_country IS NOT NULL
GROUP BY ALL
"""


def windows(frame: pd.DataFrame, months: int) -> pd.DataFrame:
    """Each signed partnership's window: the signing period's first day and the day after it ends.

    A signing known only to a month (or a Jalali month) is never pinned to an invented day: its
    month counts in neither window.
    """
    frame = frame[frame["signed_on"].notna()]
    signed = [dates.from_db(d, p) for d, p in zip(frame["signed_on"], frame["signed_precision"], strict=True)]
    out = pd.DataFrame({
        "id": frame["id"].to_numpy(),
        "home_city_id": frame["home_city_id"].to_numpy(),
        "partner_country": frame["partner_country"].to_numpy(),
        "s0": pd.to_datetime([p.start for p in signed]),
        "a0": pd.to_datetime([p.end + dt.timedelta(days=1) for p in signed]),
    })  # fmt: skip
    out["window_end"] = out["a0"] + pd.DateOffset(months=months)
    return out


def series(con: duckdb.DuckDBPyConnection, spans: pd.DataFrame, indicator: str, months: int) -> pd.DataFrame:
    """Per partnership and origin country: visitors and months recorded in the window before and after."""
    cur = con.cursor()
    cur.register("_windows", spans[["id", "home_city_id", "s0", "a0"]])
    out = cur.execute(_SERIES_SQL, {"indicator": indicator, "months": months}).df()
    cur.close()
    return out


def estimate(spans: pd.DataFrame, counts: pd.DataFrame, months: int, today: dt.date) -> pd.DataFrame:
    """The estimate, its range and the verdict per partnership, from :func:`windows` and :func:`series`."""
    need = int(np.ceil(MIN_COVERAGE * months))
    c = counts.copy()
    c["full"] = (c["n_before"] >= need) & (c["n_after"] >= need)
    # log of the mean month, with half a visitor so that a month of none is not minus infinity
    c["d"] = np.log((c["sum_after"].fillna(0) + 0.5) / c["n_after"].clip(lower=1)) - np.log(
        (c["sum_before"].fillna(0) + 0.5) / c["n_before"].clip(lower=1)
    )
    c["v"] = 1 / (c["sum_after"].fillna(0) + 0.5) + 1 / (c["sum_before"].fillna(0) + 0.5)  # Poisson, log scale
    c = c.merge(spans[["id", "partner_country"]], on="id")
    own = c[c["origin"] == c["partner_country"]].set_index("id")
    others = c[(c["origin"] != c["partner_country"]) & c["full"]]
    k = others.groupby("id")["d"].agg(["size", "sum", "mean"])
    placebo = others.join(k, on="id")
    placebo["e"] = (placebo["size"] * placebo["d"] - placebo["sum"]) / (placebo["size"] - 1).replace(0, np.nan)
    spread = placebo.groupby("id").agg(var_e=("e", "var"), mean_v=("v", "mean"))
    out = spans[["id"]].set_index("id")
    out = out.join(own[["sum_before", "n_before", "sum_after", "n_after", "d", "v"]]).join(k).join(spread)
    out["n_controls"] = out["size"].fillna(0).astype(int)
    kk = out["n_controls"].clip(lower=2).astype(float)
    drift = (out["var_e"] * (kk - 1) / kk - out["mean_v"]).clip(lower=0)
    se = np.sqrt(drift * (1 + 1 / kk) + out["v"] + out["mean_v"] / kk)
    half = t_975(kk.to_numpy() - 1) * se
    e = out["d"] - out["mean"]
    out["effect_pct"] = np.expm1(e) * 100
    out["low_pct"], out["high_pct"] = np.expm1(e - half) * 100, np.expm1(e + half) * 100
    out["change_pct"] = np.expm1(out["d"]) * 100
    out["comparison_pct"] = np.expm1(out["mean"]) * 100
    out["before"] = out["sum_before"] / out["n_before"].replace(0, np.nan)
    out["after"] = out["sum_after"] / out["n_after"].replace(0, np.nan)
    out = out.reset_index()
    _judge(out, spans, counts, need, months, today)
    return out


def _judge(out: pd.DataFrame, spans: pd.DataFrame, counts: pd.DataFrame, need: int, months: int,
           today: dt.date) -> None:  # fmt: skip
    """The verdict and, where there is none, the reason (the first that applies), in place."""
    recorded = set(counts["id"])
    ends = spans.set_index("id")["window_end"].reindex(out["id"]).to_numpy()
    reasons: list[tuple[str, dict]] = []
    for i, row in enumerate(out.itertuples(index=False)):
        if row.id not in recorded:
            reasons.append((ONLY_TOTAL, {}))
        elif pd.isna(row.n_before) and pd.isna(row.n_after):
            reasons.append((NOT_RECORDED, {}))
        elif not (row.n_before >= need):
            reasons.append((FEW_BEFORE, {"n": int(np.nan_to_num(row.n_before)), "need": months}))
        elif not (row.n_after >= need):
            not_yet = pd.Timestamp(ends[i]) > pd.Timestamp(today)
            reasons.append((NOT_YET, {"months": months}) if not_yet else
                           (FEW_AFTER, {"n": int(np.nan_to_num(row.n_after)), "need": months}))  # fmt: skip
        elif row.n_controls < MIN_CONTROLS:
            reasons.append((FEW_CONTROLS, {"n": int(row.n_controls), "need": MIN_CONTROLS}))
        else:
            reasons.append(("", {}))
    out["reason"] = [r[0] for r in reasons]
    out["reason_values"] = [r[1] for r in reasons]
    judged = out["reason"] == ""
    out["verdict"] = np.where(out["low_pct"] > 0, "more", np.where(out["high_pct"] < 0, "fewer", "no_clear"))
    out.loc[~judged, "verdict"] = "no_data"
    for col in ("effect_pct", "low_pct", "high_pct", "comparison_pct"):
        out.loc[~judged, col] = np.nan


_COLUMNS = ["id", "home_name", "home_local_name", "partner_name", "partner_local_name", "partner_country",
            "signed_on", "signed_precision"]  # fmt: skip


def impact(
    con: duckdb.DuckDBPyConnection,
    f: queries.PartnershipFilter,
    indicator: str,
    today: dt.date,
    months: int = 24,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per signed partnership of ``f``: the estimate of the signing's effect on visitors, its range and verdict.

    ``frame`` is :func:`twinmap.reads.queries.partnerships` of ``f`` when the caller holds it.
    """
    frame = queries.partnerships(con, f, today) if frame is None else frame
    spans = windows(frame, months)
    found = estimate(spans, series(con, spans, indicator, months), months, today)
    return frame[_COLUMNS].merge(found, on="id", how="inner").reset_index(drop=True)
