"""How alive a partnership is: a transparent score from its activity, with the reasons.

Five parts, each scored 0..1 and weighted; a part with nothing to judge (no follow-up action
due yet, no target whose period has ended) is left out rather than counted as a failure:

============  ======  =====================================================================
part          weight  full marks when
============  ======  =====================================================================
activity        30    4 or more events or exchanges held in the last 24 months
balance         15    as many visits hosted by the partner as by us in 5 years (min / max)
follow-ups      20    every action due so far was done by its due date
targets         15    every indicator target whose period has ended was met
contact         20    last contact within 6 months; none for 24 months scores 0
============  ======  =====================================================================

Score = weighted mean x 100. Fading below 35 or with no contact for 24 months, at risk
below 65, alive otherwise. Only agreements in force (signed, active, dormant) are assessed.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from twinmap.core import reference
from twinmap.core.reference import N_, NP_
from twinmap.reads import lifecycle
from twinmap.reads.queries import PartnershipFilter, partnerships

WEIGHTS = {"activity": 30, "balance": 15, "follow_ups": 20, "targets": 15, "contact": 20}
PARTS = {
    "activity": N_("Events and exchanges"),
    "balance": N_("Visits both ways"),
    "follow_ups": N_("Follow-ups on time"),
    "targets": N_("Targets met"),
    "contact": N_("Recent contact"),
}
DORMANT_BELOW, AT_RISK_BELOW, SILENT_MONTHS = 35, 65, 24


@dataclass(frozen=True)
class Reason:
    """One finding, as a catalogue message with values (shown in the reader's language)."""

    msgid: str | tuple[str, str]  # a counted finding (NP_) has its singular and plural
    values: dict = field(default_factory=dict)

    def text(self) -> str:
        """The finding in English."""
        if isinstance(self.msgid, tuple):
            return self.msgid[0 if self.values.get("n") == 1 else 1].format(**self.values)
        return self.msgid.format(**self.values)


@dataclass(frozen=True)
class Health:
    """A partnership's score, class, the score of each part (None = not judged) and the reasons."""

    score: int
    klass: str
    parts: dict[str, float | None]
    reasons: tuple[Reason, ...]


def _activity(n: int) -> tuple[float, list[Reason]]:
    if n == 0:
        return 0.0, [Reason(N_("no events or exchanges in the last 24 months"))]
    if n < 4:
        return n / 4, [
            Reason(
                NP_(
                    "only {n} event or exchange in the last 24 months",
                    "only {n} events or exchanges in the last 24 months",
                ),
                {"n": n},
            )
        ]
    return 1.0, []


def _balance(sent: int, received: int) -> tuple[float, list[Reason]]:
    if sent + received == 0:
        return 0.0, [Reason(N_("no visits either way in the last 5 years"))]
    score = min(sent, received) / max(sent, received)
    if score == 0:
        return 0.0, [Reason(N_("visits go one way only: {sent} to the partner, {received} from the partner"),
                            {"sent": sent, "received": received})]  # fmt: skip
    return score, []


def _follow_ups(due: int, on_time: int, overdue: int, late: int) -> tuple[float | None, list[Reason]]:
    reasons = []
    if overdue:
        reasons.append(Reason(NP_("{n} follow-up action overdue", "{n} follow-up actions overdue"), {"n": overdue}))
    if late:
        reasons.append(Reason(NP_("{n} follow-up action done late", "{n} follow-up actions done late"), {"n": late}))
    return (on_time / due if due else None), reasons


def _targets(judged: int, met: int) -> tuple[float | None, list[Reason]]:
    if not judged:
        return None, []
    missed = judged - met
    reasons = (
        [
            Reason(
                NP_("{n} of {total} indicator targets missed", "{n} of {total} indicator targets missed"),
                {"n": missed, "total": judged},
            )
        ]
        if missed
        else []
    )
    return met / judged, reasons


def _contact(months: int | None) -> tuple[float, list[Reason]]:
    if months is None:
        return 0.0, [Reason(N_("no contact recorded"))]
    reasons = [Reason(N_("last contact {months} months ago"), {"months": months})] if months > 12 else []
    return max(0.0, min(1.0, (SILENT_MONTHS - months) / (SILENT_MONTHS - 6))), reasons


_COUNTS = ("events_24m", "sent", "received", "fu_due", "fu_on_time", "fu_overdue", "fu_late", "targets_judged",
           "targets_met")  # fmt: skip


def assess(row: dict, today: dt.date) -> Health:
    """Score one partnership from its activity counts (see :func:`activity`)."""
    last = row.get("last_contact")
    months = None if last is None or pd.isna(last) else _months_between(pd.Timestamp(last).date(), today)
    return _scored(tuple(int(row[c]) for c in _COUNTS), months)


@functools.lru_cache(maxsize=65_536)
def _scored(counts: tuple[int, ...], months: int | None) -> Health:
    """The health of one combination of counts: 45,000 agreements share a few thousand (and Health is immutable)."""
    events_24m, sent, received, fu_due, fu_on_time, fu_overdue, fu_late, judged_targets, met = counts
    found = {
        "activity": _activity(events_24m),
        "balance": _balance(sent, received),
        "follow_ups": _follow_ups(fu_due, fu_on_time, fu_overdue, fu_late),
        "targets": _targets(judged_targets, met),
        "contact": _contact(months),
    }
    parts = {k: v[0] for k, v in found.items()}
    judged = {k: v for k, v in parts.items() if v is not None}
    score = round(100 * sum(WEIGHTS[k] * v for k, v in judged.items()) / sum(WEIGHTS[k] for k in judged))
    silent = months is None or months >= SILENT_MONTHS
    klass = (
        reference.INACTIVE if score < DORMANT_BELOW or silent else reference.AT_RISK if score < AT_RISK_BELOW
        else reference.ALIVE
    )  # fmt: skip
    return Health(score, klass, parts, tuple(r for v in found.values() for r in v[1]))


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return max(0, (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day))


_ACTIVITY_SQL = """
SELECT p.id,
       count(*) FILTER (WHERE list_contains($held, e.status) AND e.starts_on <= $today
                        AND e.starts_on > $today - INTERVAL 24 MONTH) AS events_24m,
       count(*) FILTER (WHERE list_contains($held, e.status) AND e.starts_on > $today - INTERVAL 60 MONTH
                        AND e.host_city_id = p.partner_city_id) AS sent,
       count(*) FILTER (WHERE list_contains($held, e.status) AND e.starts_on > $today - INTERVAL 60 MONTH
                        AND e.host_city_id = p.home_city_id) AS received,
       max(e.starts_on) FILTER (WHERE list_contains($held, e.status) AND e.starts_on <= $today) AS last_held
FROM partnerships p JOIN _assessed a ON a.id = p.id LEFT JOIN events e ON e.partnership_id = p.id
GROUP BY p.id
"""
_LAST_SQL = """
SELECT partnership_id AS id, max(d) AS last_other FROM (
    SELECT partnership_id, starts_on AS d FROM missions WHERE list_contains($done, status) AND starts_on <= $today
    UNION ALL SELECT partnership_id, done_on FROM follow_ups WHERE done_on <= $today
    UNION ALL SELECT partnership_id, entered_on FROM stages WHERE entered_on <= $today
) WHERE partnership_id IS NOT NULL GROUP BY partnership_id
"""


def activity(con: duckdb.DuckDBPyConnection, f: PartnershipFilter, today: dt.date,
             frame: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """Per agreement in force: the counts :func:`assess` scores, aggregated in DuckDB (``frame``: the partnerships)."""
    frame = partnerships(con, f, today) if frame is None else frame
    frame = frame[frame["status"].isin(reference.AGREEMENT_STATUSES)]
    ids = [int(i) for i in frame["id"]]
    cur = con.cursor()
    cur.register("_assessed", pd.DataFrame({"id": ids}, dtype="int64"))  # a join: 45,000 ids as a list cost 0.9 s
    counts = cur.execute(_ACTIVITY_SQL, {"today": today, "held": list(reference.EVENT_HELD)}).df()
    cur.unregister("_assessed")
    other = cur.execute(_LAST_SQL, {"today": today, "done": list(reference.MISSION_DONE)}).df()
    fu = lifecycle.follow_ups(con, today, tuple(ids))
    fu = fu[~fu["status"].isin(reference.FOLLOW_UP_CANCELLED)]
    fu_counts = (
        fu.assign(due=(fu["due_end"] < today) | fu["status"].isin(reference.FOLLOW_UP_DONE))
        .groupby("partnership_id")
        .agg(
            fu_due=("due", "sum"), fu_on_time=("on_time", "sum"), fu_overdue=("overdue", "sum"), fu_late=("late", "sum")
        )
    )
    tg = lifecycle.targets(con, today, tuple(ids))
    tg_counts = (
        tg.assign(judged=tg["state"].isin(["met", "missed"]), met=tg["state"] == "met")
        .groupby("partnership_id")[["judged", "met"]]
        .sum()
    )
    out = frame.merge(counts, on="id", how="left").merge(other, on="id", how="left")
    out = out.merge(fu_counts, left_on="id", right_index=True, how="left")
    out = out.merge(tg_counts.rename(columns={"judged": "targets_judged", "met": "targets_met"}),
                    left_on="id", right_index=True, how="left")  # fmt: skip
    for col in ("fu_due", "fu_on_time", "fu_overdue", "fu_late", "targets_judged", "targets_met"):
        out[col] = out[col].fillna(0).astype(int)
    contact = pd.concat([pd.to_datetime(out[c]) for c in ("last_held", "last_other", "signed_on")], axis=1)
    out["last_contact"] = contact.max(axis=1)
    return out


def assess_all(con: duckdb.DuckDBPyConnection, f: PartnershipFilter, today: dt.date,
               frame: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """Agreements in force with score, class and reasons (``health``: the :class:`Health`; ``frame``: as activity)."""
    frame = activity(con, f, today, frame)
    needed = ["events_24m", "sent", "received", "fu_due", "fu_on_time", "fu_overdue", "fu_late", "targets_judged",
              "targets_met", "last_contact"]  # fmt: skip
    found = [assess(r, today) for r in frame[needed].to_dict("records")]
    frame["health"] = found
    frame["score"] = [h.score for h in found]
    frame["klass"] = [h.klass for h in found]
    return frame.sort_values(["score", "home_name", "partner_name"]).reset_index(drop=True)
