"""One data version's reads: each made once, composed reads share their frames, a new version is a new snapshot."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pandas as pd
import pytest

from twinmap.reads import queries, snapshot
from twinmap.reads.queries import PartnershipFilter

TODAY = dt.date(2026, 11, 23)


def _counting(monkeypatch, module, name: str) -> list:
    """Count the calls of ``module.name`` this test's own thread makes (as the snapshot's reads make them).

    A warm-up thread an earlier test's commit started in this process may still be reading: not counted.
    """
    calls: list = []
    real, mine = getattr(module, name), threading.get_ident()

    def counted(*args, **kwargs):
        if threading.get_ident() == mine:
            calls.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_the_overviews_reads_share_one_partnerships_frame_and_agree_with_reading_alone(crafted, monkeypatch):
    calls = _counting(monkeypatch, queries, "partnerships")
    snap = snapshot.Snapshot(lambda: crafted, version=1)
    f = PartnershipFilter()
    head = snap.headline(f, TODAY, "gregorian")
    assessed = snap.assessed_health(f, TODAY)
    snap.tourism_impact(f, "tourist_arrivals", TODAY, 24)
    snap.expiring(f, TODAY, 12)
    snap.register_table(f, TODAY)
    assert len(calls) == 1  # one read of the partnerships, handed to the five
    monkeypatch.undo()
    assert head == queries.headline(crafted, f, TODAY, "gregorian")  # the same figures as each reading its own
    from twinmap.reads import health

    alone = health.assess_all(crafted, f, TODAY)
    pd.testing.assert_frame_equal(assessed.drop(columns="health"), alone.drop(columns="health"))


def test_two_readers_asking_at_once_wait_for_one_read(crafted):
    made: list[int] = []

    def slow() -> str:
        made.append(1)
        time.sleep(0.3)
        return "figures"

    snap = snapshot.Snapshot(lambda: crafted, version=1)
    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(snap.memo("k", slow))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["figures"] * 4 and len(made) == 1


def test_a_read_that_fails_is_not_kept_and_is_tried_again(crafted):
    snap = snapshot.Snapshot(lambda: crafted, version=1)
    tries: list[int] = []

    def flaky() -> int:
        tries.append(1)
        if len(tries) == 1:
            raise RuntimeError("store busy")
        return 7

    with pytest.raises(RuntimeError):
        snap.memo("k", flaky)
    assert snap.memo("k", flaky) == 7 and len(tries) == 2


def test_a_snapshot_keeps_only_its_newest_reads(crafted, monkeypatch):
    monkeypatch.setattr(snapshot, "MAX_ENTRIES", 3)
    snap = snapshot.Snapshot(lambda: crafted, version=1)
    for i in range(5):
        snap.memo(i, lambda i=i: i)
    made: list[int] = []
    assert snap.memo(4, lambda: made.append(1)) == 4 and not made  # the newest is kept
    snap.memo(0, lambda: made.append(1))
    assert made == [1]  # the oldest was let go and is made again


def test_a_newer_version_makes_what_the_older_was_asked_most_recent_first_until_told_to_stop(crafted):
    older, newer = snapshot.Snapshot(lambda: crafted, version=1), snapshot.Snapshot(lambda: crafted, version=2)
    f, ours = PartnershipFilter(), PartnershipFilter(home_city_ids=(1,))
    older.ask(snapshot.Snapshot.headline, f, TODAY, "gregorian")
    older.ask(snapshot.Snapshot.read, queries.events, ours, (), None, None)
    older.ask(snapshot.Snapshot.headline, f, TODAY, "gregorian")  # asked again: now the most recent
    assert newer.replay(older, until=lambda: len(newer._memo) >= 1) == 1
    assert ("headline", f, TODAY, "gregorian") in newer._memo  # the most recent first
    assert newer.replay(older) == 2
    assert ("twinmap.reads.queries", "events", (ours, (), None, None)) in newer._memo
    paused: list[int] = []
    newest = snapshot.Snapshot(lambda: crafted, version=3)
    assert newest.replay(older, pause=lambda: paused.append(len(newest._memo))) == 2
    assert len(paused) == 2 and paused[0] == 0  # asked before each read is made: the readers may go first


def test_only_the_most_recent_reads_are_remembered_for_the_next_version(crafted):
    snap = snapshot.Snapshot(lambda: crafted, version=1)
    for months in range(snapshot.MAX_ASKED + 5):
        snap.ask(snapshot.Snapshot.expiring, PartnershipFilter(), TODAY, months)
    asked = [args[2] for _, args in snap._asked]
    assert asked == list(range(5, snapshot.MAX_ASKED + 5))
