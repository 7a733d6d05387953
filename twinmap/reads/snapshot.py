"""Every read of one data version, made once and shared, composed here rather than in a cache.

A page run reads at one data version, pinned at its start (``twinmap.ui.cache.begin_run``). The
reads of that version live in its :class:`Snapshot`: each is made once, by whichever session
asks first (the others wait for it rather than make it again), and the composed ones are handed
the frames they build on instead of reading them again. At 50,000 partnerships the overview's
headline, health, tourism impact and expiring agreements each read the partnerships themselves
(0.6 s a time); here they share one frame of the same version. A newer version is a new
snapshot: a run that began on the old one finishes on it, nothing is cleared under it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import duckdb
import pandas as pd

from twinmap.reads import finder, health, impact, lifecycle, queries, register
from twinmap.reads.queries import PartnershipFilter

MAX_ENTRIES = 256  # distinct reads kept per version (filters, languages...); the oldest used go first
MAX_ASKED = 128  # the most recent distinct reads pages asked (every page as visitor and admin: ~50), made again ahead


class Snapshot:
    """The reads of one data version of one store; ``connect`` gives the store's connection when a read is made."""

    def __init__(self, connect: Callable[[], duckdb.DuckDBPyConnection], version: int,
                 train: Callable[..., Any] = finder.tm.train) -> None:  # fmt: skip
        """``train`` fits the finder's model when none is kept (the app gives one that runs in a worker process)."""
        self.connect, self.version, self.train = connect, version, train
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._making: dict[Hashable, threading.Lock] = {}
        self._asked: OrderedDict[tuple[Callable, tuple], None] = OrderedDict()
        self._lock = threading.Lock()

    def ask(self, read: Callable[..., Any], *args: Any) -> Any:
        """``read(self, *args)`` for a page, remembered so that the next version makes it ahead (:meth:`replay`)."""
        with self._lock:
            self._asked[(read, args)] = None
            self._asked.move_to_end((read, args))
            while len(self._asked) > MAX_ASKED:
                self._asked.popitem(last=False)
        return read(self, *args)

    def replay(self, older: Snapshot, until: Callable[[], bool] = lambda: False,
               pause: Callable[[], None] = lambda: None) -> int:  # fmt: skip
        """Make the reads pages last asked of ``older``, the most recent first, until ``until()``; how many.

        After an import the first visitors would each wait for what they saw before, read afresh;
        made here, in the background, they find it made, whatever their page, filter, language
        or role: nothing lists the pages' reads a second time. ``pause()`` is called before each.
        """
        with older._lock:
            calls = list(reversed(older._asked))
        made = 0
        for read, args in calls:
            pause()  # readers first: the caller may hold the next read back while pages are being run
            if until():
                break
            self.ask(read, *args)
            made += 1
        return made

    def memo(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept under ``key``, made by ``make`` once (a second asker waits for the first)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            making = self._making.setdefault(key, threading.Lock())
        with making:
            with self._lock:
                if key in self._memo:
                    return self._memo[key]
            value = make()  # outside the snapshot's lock: other reads go on meanwhile
            with self._lock:
                self._memo[key] = value
                self._making.pop(key, None)
                while len(self._memo) > MAX_ENTRIES:
                    self._memo.popitem(last=False)
        return value

    def read(self, query: Callable, *args: Any) -> Any:
        """``query(connection, *args)``, made once for this version."""
        return self.memo((query.__module__, query.__qualname__, args), lambda: query(self.connect(), *args))

    def partnerships(self, f: PartnershipFilter, today: dt.date) -> pd.DataFrame:
        """The filter's partnerships with their activity: what most composed reads build on."""
        return self.read(queries.partnerships, f, today)

    def headline(self, f: PartnershipFilter, today: dt.date, cal: str) -> queries.Headline:
        """The overview's headline figures, from the shared partnerships."""

        def make() -> queries.Headline:
            return queries.headline(self.connect(), f, today, cal, self.partnerships(f, today))

        return self.memo(("headline", f, today, cal), make)

    def assessed_health(self, f: PartnershipFilter, today: dt.date) -> pd.DataFrame:
        """Health of the filter's agreements in force, from the shared partnerships."""
        return self.memo(("health", f, today),
                         lambda: health.assess_all(self.connect(), f, today, self.partnerships(f, today)))  # fmt: skip

    def board(self, f: PartnershipFilter, today: dt.date) -> pd.DataFrame:
        """Partnerships with the date of their current stage, from the shared partnerships."""
        return self.memo(("board", f, today),
                         lambda: lifecycle.board(self.connect(), f, today, self.partnerships(f, today)))  # fmt: skip

    def register_table(self, f: PartnershipFilter, today: dt.date, with_health: bool = True) -> pd.DataFrame:
        """The register, from the shared board and (for a signed-in reader) the health of their own cities."""

        def make() -> pd.DataFrame:
            assessed = self.assessed_health(f.own(), today) if with_health else register.NO_HEALTH
            return register.table(self.connect(), f, today, self.board(f, today), assessed)

        return self.memo(("register", f, today, with_health), make)

    def tourism_impact(self, f: PartnershipFilter, indicator: str, today: dt.date, months: int = 24) -> pd.DataFrame:
        """Before/after signing with the verdicts, from the shared partnerships."""
        return self.memo(("impact", f, indicator, today, months), lambda: impact.impact(
            self.connect(), f, indicator, today, months, self.partnerships(f, today)))  # fmt: skip

    def events_per_month(self, f: PartnershipFilter, kinds: tuple[str, ...], start: dt.date | None,
                         end: dt.date | None) -> pd.DataFrame:  # fmt: skip
        """The timeline's events per month and kind, counted once per version instead of on every run."""
        return self.memo(("events_per_month", f, kinds, start, end),
                         lambda: queries.events_per_month(self.read(queries.events, f, kinds, start, end)))  # fmt: skip

    def expiring(self, f: PartnershipFilter, today: dt.date, months: int) -> pd.DataFrame:
        """Agreements of the filter that expire within ``months``."""
        return self.memo(("expiring", f, today, months),
                         lambda: queries.expiring(self.partnerships(f, today), today, months))  # fmt: skip

    def ids(self, f: PartnershipFilter, today: dt.date) -> tuple[int, ...]:
        """The filter's partnership ids (one tuple per version: a 50,000-id key is hashed once, here)."""
        return self.memo(("ids", f, today), lambda: tuple(int(i) for i in self.partnerships(f, today)["id"]))

    def follow_ups_of(self, f: PartnershipFilter, today: dt.date) -> pd.DataFrame:
        """The follow-up actions of the filter's partnerships."""
        return self.memo(("follow_ups", f, today),
                         lambda: lifecycle.follow_ups(self.connect(), today, self.ids(f, today)))  # fmt: skip

    def targets_of(self, f: PartnershipFilter, today: dt.date) -> pd.DataFrame:
        """The targets of the filter's partnerships."""
        return self.memo(("targets", f, today),
                         lambda: lifecycle.targets(self.connect(), today, self.ids(f, today)))  # fmt: skip

    def finder_learned(self) -> finder.Learned:
        """The partner finder's model of this version's twinnings (read back, unless a commit changed them)."""
        return self.memo(("finder_learned",), lambda: finder.learn(self.connect(), train=self.train))

    def finder_already(self, home_id: int) -> pd.DataFrame:
        """The cities a home city is already twinned with (never offered), with the version's model's network."""
        return self.memo(("finder_already", home_id),
                         lambda: finder.already(self.connect(), home_id, self.finder_learned()))  # fmt: skip

    def finder_rank(self, home_id: int, weights: finder.Weights, themes: tuple[str, ...], min_population: int,
                    limit: int) -> pd.DataFrame:  # fmt: skip
        """The finder's ranking for a home city, with the version's model."""
        return self.memo(("finder_rank", home_id, weights, themes, min_population, limit), lambda: finder.rank(
            self.connect(), home_id, weights, themes, min_population, limit, self.finder_learned()))  # fmt: skip
