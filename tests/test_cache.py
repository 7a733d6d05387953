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


def test_a_commit_makes_again_what_pages_asked_of_the_previous_version_before_anyone_asks(cache):
    cache.begin_run()
    first = cache.data_version()
    tr, today = cache.Translator("fa", "jalali"), cache.config.today()
    ours = cache.queries.PartnershipFilter(home_city_ids=(1,), include_private=True)
    cache.headline(ours, today, tr.cal)  # a Persian staff reader's overview of one home city
    cache.partner_map(ours, today, "none", tr)
    cache.events(ours, (), None, None)
    cache.table_frame("events")  # a download's file: not made again
    cache.contacts(1)  # one record's details: not opted in, not made again
    with db.write_transaction(cache.connection()) as cur:
        cur.execute("UPDATE events SET title = 'Renamed here' WHERE title = 'Gamma days'")
    assert cache.data_version() == first + 1
    path = cache.config.db_target()
    warming = cache._warmed[(path, first + 1)]  # the commit started it
    assert cache.warm(path, first, first + 1) is warming  # the same one, not a second
    warming.join(timeout=60)
    assert not warming.is_alive()
    made = set(cache._snapshot_of(path, first + 1)._memo)
    assert ("headline", ours, today, "jalali") in made
    assert ("made", "twinmap.ui.cache", "_partner_map", (ours, today, "none", tr)) in made
    assert ("twinmap.reads.queries", "events", (ours, (), None, None)) in made
    assert not any(key[1:2] in (("table_frame",), ("contacts",)) for key in made), made
    events = cache._snapshot_of(path, first + 1)._memo[("twinmap.reads.queries", "events", (ours, (), None, None))]
    assert "Renamed here" in set(events["title"])  # made of the new version


def test_the_warm_up_is_bounded_in_time(cache, monkeypatch):
    """Past :data:`WARM_SECONDS` the warm-up stops: what is left, its first reader makes."""
    monkeypatch.setattr(cache, "WARM_SECONDS", 0.0)
    cache.begin_run()
    first = cache.data_version()
    cache.partnerships(cache.queries.PartnershipFilter(), cache.config.today())
    with db.write_transaction(cache.connection()) as cur:
        cur.execute("UPDATE events SET title = 'Renamed here' WHERE title = 'Gamma days'")
    assert cache.data_version() == first + 1
    path = cache.config.db_target()
    cache._warmed[(path, first + 1)].join(timeout=60)
    assert not cache._snapshot_of(path, first + 1)._memo


def test_a_store_read_elsewhere_is_warmed_at_the_next_run_that_sees_its_commit(cache):
    cache.begin_run()
    first = cache.data_version()
    cache.headline(cache.queries.PartnershipFilter(), cache.config.today(), "gregorian")
    _bump_elsewhere(cache.connection())
    cache.begin_run()  # the next run of any session sees the other process's commit
    warming = cache._warmed[(cache.config.db_target(), first + 1)]
    warming.join(timeout=60)
    made = {key[0] for key in cache._snapshot_of(cache.config.db_target(), first + 1)._memo}
    assert "headline" in made


def test_no_page_or_module_uses_a_bare_streamlit_fragment():
    """A fragment's run must pin its data version (``cache.fragment``); a bare ``st.fragment`` would not."""
    import ast

    from .conftest import ROOT

    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "twinmap").rglob("*.py")]
    bare = sorted(
        f"{f.relative_to(ROOT)}:{node.lineno}"
        for f in files
        if f.name != "cache.py" or f.parent.name != "ui"
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "fragment" and isinstance(node.value, ast.Name)
        and node.value.id == "st"
    )  # fmt: skip
    assert not bare, f"use twinmap.ui.cache.fragment instead of st.fragment: {bare}"


def test_the_warm_up_waits_for_a_quiet_moment_but_never_for_long(monkeypatch):
    """After a commit the warm-up's next read waits while pages are being run, up to MOST_DEFERRED seconds."""
    import threading
    import time

    from twinmap.ui import cache as reads

    monkeypatch.setattr(reads, "_last_run", [0.0])
    began = time.monotonic()
    reads._readers_first()
    assert time.monotonic() - began < 0.05  # nobody reading: at once

    monkeypatch.setattr(reads, "MOST_DEFERRED", 0.6)
    stop = threading.Event()

    def readers() -> None:  # a page run begins every 50 ms
        while not stop.is_set():
            reads._last_run[0] = time.monotonic()
            time.sleep(0.05)

    busy = threading.Thread(target=readers)
    busy.start()
    try:
        began = time.monotonic()
        reads._readers_first()
        waited = time.monotonic() - began
    finally:
        stop.set()
        busy.join()
    assert 0.55 <= waited < 1.5  # held back while they read, and let go after MOST_DEFERRED
    began = time.monotonic()
    reads._readers_first()  # the last run began just now: a quiet moment is QUIET_SECONDS away
    assert 0.03 < time.monotonic() - began < reads.QUIET_SECONDS + 0.5


def test_the_finders_model_is_trained_in_a_worker_process_and_then_read_back(cache, tmp_path, monkeypatch):
    """Training is seconds of Python: the app fits it beside the readers, once per network."""
    from twinmap.ui import workers

    monkeypatch.setenv("TWINMAP_CACHE_DIR", str(tmp_path))
    ran, real = [], workers.run
    monkeypatch.setattr(workers, "run", lambda job, *args: ran.append(job.__name__) or real(job, *args))
    cache.begin_run()
    learned = cache.finder_learned()
    assert ran == ["train"] and learned.trained_at is not None
    cache.clear_reads()  # a new snapshot (as after a commit of events): the kept model, no training
    cache.begin_run()
    assert cache.finder_learned().trained_at == learned.trained_at and ran == ["train"]
