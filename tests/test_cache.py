"""The read cache's data version: read once per run, never stale after this process's own write."""

from __future__ import annotations

import pytest

from twinmap.store import db


@pytest.fixture
def cache(crafted_env):
    from twinmap.ui import cache

    cache.clear_reads()
    yield cache
    cache.begin_run()


def _bump_elsewhere(con) -> None:
    """A commit by another process (another replica, the command line): not through this process's writes."""
    con.cursor().execute(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'data_version'"
    )


def test_a_run_reads_one_data_version_from_start_to_end(cache):
    cache.begin_run()
    first = cache.data_version()
    titles = set(cache.events(cache.queries.PartnershipFilter())["title"])
    con = cache.connection()
    con.cursor().execute("UPDATE events SET title = 'Renamed elsewhere' WHERE title = 'Gamma days'")
    _bump_elsewhere(con)
    assert cache.data_version() == first  # the rest of this run reads what its start read
    assert set(cache.events(cache.queries.PartnershipFilter())["title"]) == titles
    cache.begin_run()  # the next run
    assert cache.data_version() == first + 1
    assert "Renamed elsewhere" in set(cache.events(cache.queries.PartnershipFilter())["title"])


def test_a_write_of_this_process_shows_at_once_in_the_same_run(cache):
    cache.begin_run()
    first = cache.data_version()
    with db.write_transaction(cache.connection()) as cur:
        cur.execute("UPDATE events SET title = 'Renamed here' WHERE title = 'Gamma days'")
    assert cache.data_version() == first + 1
    assert "Renamed here" in set(cache.events(cache.queries.PartnershipFilter())["title"])
    assert cache.data_version() == first + 1  # pinned again: asked once more, not on every read


def test_a_commit_starts_making_the_new_versions_first_reads_before_anyone_asks(cache):
    cache.begin_run()
    first = cache.data_version()
    with db.write_transaction(cache.connection()) as cur:
        cur.execute("UPDATE events SET title = 'Renamed here' WHERE title = 'Gamma days'")
    assert cache.data_version() == first + 1
    path = cache.config.db_target()
    assert (path, first + 1) in cache._warmed  # the commit started it
    warming = cache.warm(path, first + 1)  # the same one, not a second
    warming.join(timeout=60)
    assert not warming.is_alive()
    made = {key[0] for key in cache._snapshot_of(path, first + 1)._memo}
    assert {"headline", "partner_map", "register", "board", "impact", "network_map"} <= made, made
    assert "Renamed here" in set(cache.events(cache.queries.PartnershipFilter())["title"])
