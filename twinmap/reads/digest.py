"""What a leader's digest says: expiring agreements, follow-ups, next events, partnerships turned fading, fees due.

It reads what signed-in staff read (private stages included): the digest goes to the office's
leadership, not to the public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from twinmap.core import reference
from twinmap.reads import health, lifecycle, queries, relations

DUE_SOON_DAYS = 14
NEXT_EVENTS = 8
FEES_DAYS = 30  # an organisation's fee due or call closing this soon (a fee also when overdue) is in the digest


@dataclass
class Digest:
    """The digest's parts (each a frame of the reads it comes from) and the fading partnerships now."""

    expiring_6: pd.DataFrame
    expiring_12: pd.DataFrame
    overdue: pd.DataFrame
    due_soon: pd.DataFrame
    next_events: pd.DataFrame
    turned_fading: pd.DataFrame
    fading_now: list[int] = field(default_factory=list)
    # organisations' fees due and calls closing within 30 days (their follow-ups are with the others)
    organisations_due: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def empty(self) -> bool:
        """Nothing to say: no digest is sent."""
        parts = (self.expiring_6, self.expiring_12, self.overdue, self.due_soon, self.next_events, self.turned_fading,
                 self.organisations_due)  # fmt: skip
        return all(len(p) == 0 for p in parts)


def gather(con: duckdb.DuckDBPyConnection, today: dt.date, fading_before: set[int]) -> Digest:
    """The digest as of ``today``; ``fading_before`` lists the partnerships the last digest found fading."""
    f = queries.PartnershipFilter(include_private=True)
    partners = queries.partnerships(con, f, today)
    six = queries.expiring(partners, today, 6)
    twelve = queries.expiring(partners, today, 12)
    twelve = twelve[~twelve["id"].isin(six["id"])]
    follow = lifecycle.follow_ups(con, today)
    is_open = follow["status"].isin(reference.FOLLOW_UP_OPEN)
    soon = is_open & ~follow["overdue"] & (follow["due_end"] <= today + dt.timedelta(days=DUE_SOON_DAYS))
    assessed = health.assess_all(con, f, today)
    fading = assessed[assessed["klass"] == reference.INACTIVE]
    turned = fading[~fading["id"].isin(fading_before)]
    due = relations.due(relations.organisations(con, None), relations.work(con, None), today, FEES_DAYS)
    due = due[due["what"] != "follow_up"]
    return Digest(six, twelve, follow[follow["overdue"]], follow[soon],
                  queries.upcoming_events(con, f, today, NEXT_EVENTS), turned,
                  sorted(int(i) for i in fading["id"]), due)  # fmt: skip
