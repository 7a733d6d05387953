"""The thin Streamlit layer over the store: one connection per process, and every read of a data version once.

The contract (what a page may rely on, and what code here must keep):

1. A run reads one data version, pinned at its start (:func:`begin_run`; a fragment pins its own,
   :func:`fragment`). A commit this process makes unpins it, so a page that writes reads its write.
2. A read is a named function of its arguments, kept in that version's snapshot under (function,
   arguments). Arguments carry everything the answer depends on, the reader's scope (home cities,
   signed in or not) and language included: a read never looks at the session itself.
3. A view built from reads (:func:`view`) is a named function of its arguments; its key is derived
   (:mod:`twinmap.ui.keys`), never written by a caller: a frame from the cache stands for its read.
4. What leaves the cache is shared by every session: a frame leaves as a copy (copy-on-write), a
   dict or list read-only; a figure is drawn from a copy made once (``widgets.chart``).
5. After a commit, the reads that opted in (``ahead=True``: what many readers share) and pages
   asked of the previous version are made again for the new one in the background, in the
   moments no page is being run (:func:`warm`): at most :data:`snapshots.MAX_ASKED` reads, for
   at most :data:`WARM_SECONDS`, stopped by a newer version.
6. While the store cannot be read, what was read of its last version is served, and
   :func:`problem` says why. Nothing else in ``twinmap`` imports Streamlit's caches.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
import types
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from twinmap.core import config
from twinmap.ingest import batches, exporter, seed
from twinmap.reads import attachments as attached
from twinmap.reads import finder, grant, lifecycle, network, public, queries, relations, report
from twinmap.reads import history as past
from twinmap.reads import snapshot as snapshots
from twinmap.store import auth, db
from twinmap.ui import backups, keys, leaflet, workers
from twinmap.views import grant_sheets, i18n, labels, maps
from twinmap.views import report_pdf as printed
from twinmap.views.i18n import Translator

_LOG = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = seed.connect(path)
    auth.ensure_admin(con)  # first start: an admin with a one-time password in the server log
    return con


def connection() -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the configured database (built on first use).

    A busy, damaged or newer store raises :class:`twinmap.store.db.DatabaseError` (not cached: the
    next run tries again).
    """
    con = _connection(config.db_target())
    if getattr(con, "lost", False):  # a PostgreSQL connection died mid-write: connect afresh
        _connection.clear()
        con = _connection(config.db_target())
    return con


# The last data version each store answered: while a store cannot be read, reads already cached
# for it are still served (the kiosk keeps showing its slides) and :func:`problem` says why.
_last_version: dict[str, int] = {}
_problems: dict[str, db.DatabaseError] = {}


_run = threading.local()  # the data version this script run pinned (one thread runs a session's scripts)
_last_run = [0.0]  # when (time.monotonic) the last page run of this process began: the warm-up yields to readers
QUIET_SECONDS = 0.25  # the warm-up makes its next read once no page run has begun for this long...
MOST_DEFERRED = 5.0  # ...or after this many seconds of waiting for one (so it ends, under any load)
WARM_SECONDS = 120.0  # the warm-up stops after this long: what is left, its first reader makes


def begin_run() -> None:
    """Pin the data version for this run: every read of the run asks the store once, at its start.

    Reads inside one run then agree with each other (an import committing halfway through a page
    shows on the next run, not in half of this one), and a page with twenty cached reads sends
    one query for the version instead of twenty. A commit this process makes during the run
    unpins it, so a page that writes and then reads sees its own write. A store that cannot be
    read leaves nothing pinned: the reads below say why, as before.
    """
    _run.pinned = None
    _last_run[0] = time.monotonic()
    with contextlib.suppress(db.DatabaseError):
        _run.pinned = (config.db_target(), data_version(), db.local_commits())


def fragment(run_every: float | None = None) -> Callable[[Callable], Callable]:
    """``st.fragment`` whose every run pins the data version first, as a page's run does (:func:`begin_run`).

    A fragment reruns alone, without the page's script: a bare one would read under the version
    its page pinned, however old, or under none. Pages and widgets use this, never ``st.fragment``
    (a test forbids it). Its body also runs within the page's own run, and pins afresh there too:
    call a fragment last on its page.
    """

    def wrap(body: Callable) -> Callable:
        @functools.wraps(body)
        def pinned(*args: Any, **kwargs: Any) -> Any:
            begin_run()
            return body(*args, **kwargs)

        return st.fragment(pinned, run_every=run_every)

    return wrap


def data_version() -> int:
    """The configured database's data version (changes on every committed write): pinned for a run."""
    path = config.db_target()
    pinned = getattr(_run, "pinned", None)
    if pinned is None or pinned[0] != path:
        return _store_version(path)
    if pinned[2] != db.local_commits():  # this process wrote during the run: pin what it wrote
        _run.pinned = (path, _store_version(path), db.local_commits())
    return _run.pinned[1]


def _store_version(path: str) -> int:
    """Ask the store for its data version (the last one seen is served while it cannot be read)."""
    try:
        version = db.data_version(connection())
    except (db.DatabaseError, duckdb.Error) as err:
        _problems[path] = db.explain(err, path)
        if isinstance(err, duckdb.Error):
            _connection.clear()  # a connection that failed may be invalid: open afresh next time
        if path in _last_version:
            return _last_version[path]
        raise _problems[path] from None
    _problems.pop(path, None)
    previous = _last_version.get(path, version)
    _last_version[path] = version
    if previous < version:  # a commit since (here or elsewhere): not the first start
        warm(path, previous, version)
        backups.after_commit(functools.partial(_connection, path))
    return version


def problem() -> db.DatabaseError | None:
    """Why the store could not be read on this run's first try (None when it could)."""
    return _problems.get(config.db_target())


_snapshots: OrderedDict[tuple[str, int], snapshots.Snapshot] = OrderedDict()
_snapshots_lock = threading.Lock()
KEPT_VERSIONS = 2  # the newest versions' reads kept; a run still on an older one holds its own


def snapshot() -> snapshots.Snapshot:
    """The reads of this run: the snapshot of the data version it pinned (made on first use)."""
    path, version = config.db_target(), data_version()
    held = getattr(_run, "snapshot", None)
    if held is not None and held[0] == path and held[1].version == version:
        return held[1]
    snap = _snapshot_of(path, version)
    if not i18n.learned((path, version)):  # before any label of this version is made
        _learn_spellings(path, version)
    _run.snapshot = (path, snap)
    return snap


def _snapshot_of(path: str, version: int) -> snapshots.Snapshot:
    """The snapshot of one version of one store, shared by every run and the warm-up (made on first use)."""
    with _snapshots_lock:
        snap = _snapshots.get((path, version))
        if snap is None:
            snap = _snapshots[(path, version)] = snapshots.Snapshot(functools.partial(_connection, path), version,
                                                                    train=_train_beside)  # fmt: skip
            while len(_snapshots) > KEPT_VERSIONS:
                _snapshots.popitem(last=False)
    return snap


def _train_beside(net: Any, world: pd.DataFrame) -> Any:
    """Fit the finder's model in a worker process: 5-12 s of Python the readers' pages need not wait behind."""
    return workers.run(finder.tm.train, net, world)


def _learn_spellings(path: str, version: int) -> None:
    """Learn the store's cities' spellings before a version's labels are made (see ``i18n.learn_spellings``)."""
    try:
        i18n.learn_spellings(queries.city_spellings(_connection(path)), (path, version))
    except (db.DatabaseError, duckdb.Error) as err:  # the reads that follow say why the store cannot be read
        _LOG.warning("city spellings not read: %s", err)


_warmed: OrderedDict[tuple[str, int], threading.Thread] = OrderedDict()
_warm_lock = threading.Lock()


def warm(path: str, previous: int, version: int) -> threading.Thread:
    """Make, in the background, what pages asked of version ``previous`` again for the new ``version``.

    At 50,000 partnerships the first overview, register, pipeline, tourism or network after an
    import cost its visitor 1-3 s of reads and map rendering; started at the commit, most of it
    is made before anyone asks. A visitor who asks sooner waits for the same read rather than
    making it twice (:meth:`Snapshot.memo`). Once per version; a newer version stops it.
    """
    snap = _snapshot_of(path, version)
    with _snapshots_lock:
        older = _snapshots.get((path, previous))
    with _warm_lock:
        thread = _warmed.get((path, version))
        if thread is None:
            thread = _warmed[(path, version)] = threading.Thread(target=_replay, args=(path, snap, older),
                                                                 name="twinmap-warm", daemon=True)  # fmt: skip
            while len(_warmed) > KEPT_VERSIONS:
                _warmed.popitem(last=False)
            thread.start()
    return thread


def _replay(path: str, snap: snapshots.Snapshot, older: snapshots.Snapshot | None) -> None:
    if older is None:  # nothing was read of the previous version here (or it was dropped): visitors make theirs
        return
    if not i18n.learned((path, snap.version)):  # the replayed labels spell the new version's cities
        _learn_spellings(path, snap.version)
    try:
        deadline = time.monotonic() + WARM_SECONDS
        snap.replay(older, pause=_readers_first,
                    until=lambda: _last_version.get(path, 0) > snap.version or time.monotonic() > deadline)  # fmt: skip
    except Exception:  # a busy or changed store: the visitor makes the read and sees why, as without warm-up
        _LOG.warning("twinmap: warming the reads of data version %s stopped", snap.version, exc_info=True)


def _readers_first() -> None:
    """Hold the warm-up's next read while readers' pages are being run (at most :data:`MOST_DEFERRED` seconds).

    The warm-up runs in the readers' interpreter, and after a commit of 100,000 events the 20 s
    that follow were the readers' longest wait (``bench_sessions.py --after``). Background work
    should not go before a reader's page. A reader who asks first makes their read themselves, as
    without warm-up; the rest is made in the quiet moments. Measured: within noise of before
    (bench/RESULTS.md, Sessions, session 23).
    """
    waited = 0.0
    while time.monotonic() - _last_run[0] < QUIET_SECONDS and waited < MOST_DEFERRED:
        time.sleep(0.05)
        waited += 0.05


def clear_reads() -> None:
    """Forget every cached read and built view (a benchmark's cold start; the connection stays open)."""
    with _snapshots_lock:
        _snapshots.clear()
    _run.snapshot = None
    st.cache_data.clear()


def view(make: Callable[..., Any], *args: Any) -> Any:
    """``make(*args)`` for this run's data version, made once and shared by every run that asks the same.

    The key is derived from ``make`` and ``args`` (:mod:`twinmap.ui.keys`), never written by the
    caller: a frame that came out of the cache stands for the read that made it, the reader's
    scope included, so two readers share a view only when they share what it was made of. A
    page's warm run thus skips sorting and formatting fifty thousand rows again for the same
    answer (the pipeline's cards); the next data version builds afresh.
    """
    key = ("view", keys.derived(make, args))
    return _leaving(snapshot().memo(key, lambda: make(*args)), key)


def view_if_keyed(make: Callable[..., Any], *args: Any) -> Any:
    """:func:`view` when the arguments can key one, else ``make(*args)`` now (a widget given any frame).

    A table or picker handed a frame straight from the cache builds its rows once per version; one
    handed a frame the page filtered builds them on every run, as it must.
    """
    try:
        key = ("view", keys.derived(make, args))
    except TypeError:
        return make(*args)
    return _leaving(snapshot().memo(key, lambda: make(*args)), key)


def _leaving(value: Any, key: Hashable) -> Any:
    """What the cache hands a page, remembered as ``key``'s (so that a view may take it as an argument).

    A frame leaves as a shallow copy (pandas' copy-on-write keeps a page's changes out of the
    shared result), a dict or list read-only: every session shares them.
    """
    if isinstance(value, pd.DataFrame):
        value = value.copy(deep=False)
    elif isinstance(value, dict):
        value = types.MappingProxyType(value)
    elif isinstance(value, list):
        value = tuple(value)
    elif isinstance(value, tuple) and not hasattr(value, "_fields"):  # each of several frames read together
        return tuple(_leaving(v, (key, i)) for i, v in enumerate(value))
    return keys.note(value, key)


def _cached(query: Callable, ahead: bool = False) -> Callable:
    """Wrap a read function (first argument: the connection) in this run's snapshot.

    ``ahead`` (opt-in): the next data version makes it ahead, as pages asked it. Reads many
    readers share (a page's lists, maps, figures) opt in; one record's details, a download's
    file and one chosen import do not.
    """

    @functools.wraps(query)
    def read(*args: Any) -> Any:
        snap = snapshot()
        found = snap.ask(snapshots.Snapshot.read, query, *args) if ahead else snap.read(query, *args)
        return _leaving(found, (query.__module__, query.__qualname__, args))

    return read


def _composed(name: str) -> Callable:
    """A read the snapshot composes from others (see :class:`twinmap.reads.snapshot.Snapshot`)."""
    method = getattr(snapshots.Snapshot, name)

    @functools.wraps(method)
    def read(*args: Any) -> Any:
        return _leaving(snapshot().ask(method, *args), ("Snapshot", name, args))

    return read


def _made(build: Callable[..., Any], ahead: bool = False) -> Callable:
    """A view ``build(snapshot, *args)`` composed from this version's reads, made once per version and arguments.

    Kept under ``build``'s name and the arguments (the reader's scope and language among them);
    ``ahead`` (opt-in): the next data version makes it ahead, as pages asked it.
    """

    def made(snap: snapshots.Snapshot, *args: Any) -> Any:
        return snap.memo(("made", build.__module__, build.__qualname__, args), lambda: build(snap, *args))

    @functools.wraps(build)
    def read(*args: Any) -> Any:
        snap = snapshot()
        return _leaving(snap.ask(made, *args) if ahead else made(snap, *args), ("made", build.__qualname__, args))

    return read


partnerships = _cached(queries.partnerships, ahead=True)
home_cities = _cached(queries.home_cities, ahead=True)
signing_years = _cached(queries.signing_years, ahead=True)
events = _cached(queries.events, ahead=True)
upcoming_events = _cached(queries.upcoming_events, ahead=True)
headline = _composed("headline")
indicator_series = _cached(queries.indicator_series, ahead=True)
indicator_cities = _cached(queries.indicator_cities, ahead=True)
tourism_impact = _composed("tourism_impact")
register_table = _composed("register_table")
assessed_health = _composed("assessed_health")
board = _composed("board")
stages = _cached(lifecycle.stages, ahead=True)
missions = _cached(lifecycle.missions, ahead=True)
follow_ups = _cached(lifecycle.follow_ups, ahead=True)
targets = _cached(lifecycle.targets, ahead=True)
network_edges = _cached(network.edges, ahead=True)
finder_rank = _composed("finder_rank")
finder_learned = _composed("finder_learned")
finder_already = _composed("finder_already")
finder_unusable = _cached(finder.unusable, ahead=True)
grant_events = _cached(grant.held_events, ahead=True)
contacts = _cached(queries.contacts)
history = _cached(batches.history, ahead=True)
undo_preview = _cached(past.undo_preview)  # asked for one chosen import: not made ahead
table_frame = _cached(exporter.table_frame)
workbook = _cached(exporter.workbook)
kiosk_partners = _cached(public.partners, ahead=True)
in_force = _cached(public.in_force, ahead=True)
attachments = _cached(attached.listing)
organisations = _cached(relations.organisations, ahead=True)
coverage = _cached(relations.coverage, ahead=True)
diaspora_by_country = _cached(relations.diaspora_by_country, ahead=True)
people_abroad = _cached(relations.people_abroad, ahead=True)
organisation_work = _cached(relations.work, ahead=True)
organisation_contacts = _cached(relations.contacts_of)
work_per_goal = _cached(relations.work_per_goal, ahead=True)


def due_with_organisations(homes: tuple[int, ...] | None, today: Any, private: bool, days: int = 90) -> pd.DataFrame:
    """Fees, calls and follow-up actions due with organisations soon (from the cached reads)."""
    return view(relations.due, organisations(homes), organisation_work(homes, private), today, days)


def coverage_by_country(homes: tuple[int, ...] | None) -> pd.DataFrame:
    """Press items per country and tone, counted once per data version (from the cached coverage)."""
    return view(relations.coverage_by_country, coverage(homes))


def coverage_by_month(homes: tuple[int, ...] | None) -> pd.DataFrame:
    """Press items per month and tone, counted once per data version (from the cached coverage)."""
    return view(relations.coverage_by_month, coverage(homes))


attachment_thumbnail = _cached(attached.thumbnail)
public_photos = _cached(attached.public_photos, ahead=True)
agreements_on_file = _cached(attached.agreements_on_file, ahead=True)
partner_events = _cached(public.partner_events, ahead=True)


def _partner_map(
    snap: snapshots.Snapshot, f: queries.PartnershipFilter, today: Any, tiles: str, tr: Translator
) -> leaflet.Prepared:
    """The partner map of a filter, built and rendered once per data version, filter and reader (seconds at 50,000)."""
    partners, homes = snap.partnerships(f, today), snap.read(queries.home_cities)
    fmap = maps.partnership_map(partners, homes[homes["id"].isin(partners["home_city_id"])], tiles=tiles, tr=tr)
    return leaflet.prepare(fmap)


partner_map = _made(_partner_map, ahead=True)


def _organisations_map(
    snap: snapshots.Snapshot, homes: tuple[int, ...] | None, tiles: str, tr: Translator
) -> leaflet.Prepared:
    """The organisations of these home cities on a map, built once per data version, scope and reader."""
    found = snap.read(relations.organisations, homes)
    return leaflet.prepare(maps.organisations_map(maps.organisation_seats(found), tiles, tr))


organisations_map = _made(_organisations_map)


def _network(
    con: duckdb.DuckDBPyConnection,
    include_private: bool,
    home_ids: tuple[int, ...],
    private_homes: tuple[int, ...] = (),
) -> tuple:
    """The part of the network our home cities touch, its cities, partners' partners and shared partners."""
    homes = set(home_ids)
    shown = network.around(network.edges(con, include_private, private_homes), homes)
    cities = network.degrees(shown, homes)
    return shown, cities, network.partners_of_partners(shown, homes), network.shared_partners(shown, homes)


network_view = _cached(_network, ahead=True)


def _network_map(
    snap: snapshots.Snapshot,
    include_private: bool,
    home_ids: tuple[int, ...],
    tiles: str,
    tr: Translator,
    private_homes: tuple[int, ...] = (),
) -> leaflet.Prepared:
    """The network map, built and rendered once per data version, homes and reader."""
    shown, cities, *_ = snap.read(_network, include_private, home_ids, private_homes)
    return leaflet.prepare(maps.network_map(shown, cities, tiles=tiles, tr=tr))


network_map = _made(_network_map, ahead=True)


expiring = _composed("expiring")
events_per_month = _composed("events_per_month")
follow_ups_of = _composed("follow_ups_of")
targets_of = _composed("targets_of")
partnership_ids = _composed("ids")


def _pair_names(snap: snapshots.Snapshot, f: queries.PartnershipFilter, today: Any, tr: Translator) -> dict:
    """Each partnership's "Home – Partner" label in the reader's script, by id (once per version and reader)."""
    frame = snap.partnerships(f, today)
    return dict(zip((int(i) for i in frame["id"]), labels.pair_labels(frame, tr), strict=True))


pair_names = _made(_pair_names, ahead=True)


def _home_names(con: duckdb.DuckDBPyConnection, tr: Translator) -> dict[int, str]:
    """Each home city's name in the reader's script, by id (a province's list is read on every run of every page)."""
    homes = queries.home_cities(con)
    return {int(i): tr.city(n, ln) for i, n, ln in zip(homes["id"], homes["name"], homes["local_name"], strict=True)}


home_names = _cached(_home_names, ahead=True)


def _grant_report(con: duckdb.DuckDBPyConnection, f: queries.PartnershipFilter, year: int, tr: Translator) -> dict:
    """A year's grant report (its sheets), built once per data version and reader."""
    return grant_sheets.report(grant.held_events(con, f, year), year, tr)


grant_report = _cached(_grant_report, ahead=True)


def _annual_report(con: duckdb.DuckDBPyConnection, f: queries.PartnershipFilter, year: int, tr: Translator,
                   today: Any, internal: bool, homes: tuple[str, ...]) -> bytes:  # fmt: skip
    """A year's annual report as PDF, made once per data version, filter, year, reader and version.

    The store is read here; the document is laid out and typeset in a worker process
    (:mod:`twinmap.ui.workers`): at 50,000 partnerships that is seconds of Python the readers'
    pages would otherwise wait behind, and most of the report's memory.
    """
    found = report.gather(con, f, year, tr.cal, today, internal)
    return workers.run(printed.annual, found, tr, list(homes), config.get("TWINMAP_PUBLISHER"))


annual_report = _cached(_annual_report)
