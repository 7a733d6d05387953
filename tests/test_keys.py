"""A cached view's key is derived from what it is made of, never written by hand; what leaves the cache is shared safely."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from twinmap.reads import queries
from twinmap.ui import keys


@pytest.fixture
def cache(crafted_env):
    from twinmap.ui import cache

    cache.clear_reads()
    cache.begin_run()
    yield cache
    cache.begin_run()


def _rows(frame: pd.DataFrame, most: int) -> pd.DataFrame:
    _rows.calls += 1
    return frame.head(most)


_rows.calls = 0


def _first_id(frame: pd.DataFrame) -> int:
    return int(frame["id"].iloc[0]) if len(frame) else -1


def test_a_view_is_made_once_per_version_and_what_it_was_made_of(cache):
    _rows.calls = 0
    everyone = queries.PartnershipFilter()
    one = cache.view(_rows, cache.partnerships(everyone, cache.config.today()), 3)
    again = cache.view(_rows, cache.partnerships(everyone, cache.config.today()), 3)
    assert _rows.calls == 1 and one.equals(again)
    cache.view(_rows, cache.partnerships(everyone, cache.config.today()), 4)  # another argument: another view
    assert _rows.calls == 2


def test_two_scopes_never_share_a_view_made_of_their_reads(cache):
    """The read a frame came from names the reader's scope: one city's view is never served to another."""
    homes = cache.home_cities()
    assert len(homes) >= 2
    seen = set()
    for home in homes["id"].head(2):
        theirs = cache.partnerships(queries.PartnershipFilter(home_city_ids=(int(home),)), cache.config.today())
        found = cache.view(_rows, theirs, 500)
        assert set(found["home_city_id"]) <= {int(home)}
        seen.add(tuple(found["id"]))
    assert len(seen) == 2


def test_what_cannot_name_its_answer_cannot_key_a_view(cache):
    frame = cache.partnerships(queries.PartnershipFilter(), cache.config.today())
    with pytest.raises(TypeError, match="did not come out of the cache"):
        cache.view(_first_id, frame[frame["id"] > 0])  # a frame the page filtered: its read no longer names it
    with pytest.raises(TypeError, match="named function"):
        cache.view(lambda f: len(f), frame)
    limit = 3
    with pytest.raises(TypeError, match="named function"):
        cache.view(lambda: limit)
    with pytest.raises(TypeError, match="list"):
        cache.view(_rows, frame, [3])
    changed = cache.partnerships(queries.PartnershipFilter(), cache.config.today())
    changed["extra"] = 1  # a page that changed its copy: it no longer stands for the read
    with pytest.raises(TypeError):
        cache.view(_first_id, changed)


def test_a_widget_given_a_frame_the_page_filtered_builds_it_on_every_run(cache):
    """``view_if_keyed``: once per version for a frame from the cache, every time for one a page made."""
    _rows.calls = 0
    frame = cache.partnerships(queries.PartnershipFilter(), cache.config.today())
    for _ in range(3):
        cache.view_if_keyed(_rows, frame, 2)
    assert _rows.calls == 1
    for _ in range(3):
        cache.view_if_keyed(_rows, frame[frame["id"] > 0], 2)
    assert _rows.calls == 4


def test_a_pages_function_that_reads_the_pages_data_is_refused():
    """A function defined in a page (module ``__main__``) must take what it uses as arguments."""
    page: dict = {"__name__": "__main__", "pd": pd}
    exec(  # noqa: S102 - a page's source, as Streamlit runs it
        "limit = 5\n"
        "def reads_limit(frame):\n    return frame.head(limit)\n"
        "def takes_limit(frame, limit):\n    return frame.head(limit)\n",
        page,
    )
    with pytest.raises(TypeError, match="reads the page's 'limit'"):
        keys.function(page["reads_limit"])
    assert keys.function(page["takes_limit"]) == ("<string>", "takes_limit")


def test_a_partial_is_keyed_by_what_it_binds():
    a = keys.function(functools.partial(_rows, most=3))
    b = keys.function(functools.partial(_rows, most=4))
    assert a != b and a == keys.function(functools.partial(_rows, most=3))


def test_what_leaves_the_cache_cannot_change_what_the_next_reader_gets(cache):
    from twinmap.views.i18n import ENGLISH

    names = cache.home_names(ENGLISH)
    with pytest.raises(TypeError):
        names[999_999] = "Nowhere"  # a dict leaves read-only
    frame = cache.partnerships(queries.PartnershipFilter(), cache.config.today())
    frame.loc[frame.index[0], "partner_name"] = "CHANGED"  # a page changes its copy only
    assert "CHANGED" not in set(cache.partnerships(queries.PartnershipFilter(), cache.config.today())["partner_name"])


class _Held:
    """A value the cache noted."""


def test_a_value_freed_while_another_is_noted_never_stands_the_noting_thread_still(monkeypatch):
    """The collector calls the registry back at any moment and in any thread, inside :func:`keys.note` too."""
    import threading

    doomed = [_Held()]
    keys.note(doomed[0], ("doomed",))
    shape = keys._shape

    def shape_and_free(value):  # the moment a collection would free another noted value, mid-note
        doomed.clear()
        return shape(value)

    monkeypatch.setattr(keys, "_shape", shape_and_free)
    kept = _Held()
    worker = threading.Thread(target=keys.note, args=(kept, ("kept",)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "noting a value stood still while another noted value was freed"
    assert keys.origin(kept) == ("kept",)
