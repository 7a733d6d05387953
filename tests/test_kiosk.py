"""The public kiosk: no navigation or inputs, public data only, every slide drawn, failures skipped."""

import pytest
from streamlit.testing.v1 import AppTest

from twinmap.store import auth
from twinmap.ui import slides
from twinmap.views import kiosk

from .conftest import ROOT

pytestmark = pytest.mark.both_backends  # every test here runs on a DuckDB file and on PostgreSQL

PRIVATE = ("Turkmenbashi", "Lankaran", "intl.astrakhan@example.org", "Signed by the mayor", "Internal:")


def _kiosk(params=None, user=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"kiosk": "1", **(params or {})})
    at.session_state["user"] = user
    at.run()
    return at


def _everything_drawn(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.markdown, *at.caption)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [el.proto.json_args for el in at.get("component_instance")]
    parts += [str(el.proto) for el in at.get("plotly_chart")]
    return "\n".join(parts)


def test_kiosk_has_no_sidebar_navigation_or_inputs(app_env):
    at = _kiosk()
    assert not at.exception
    assert at.sidebar.children == {}  # nothing drawn in the sidebar at all
    for widgets in (
        at.text_input,
        at.selectbox,
        at.multiselect,
        at.button,
        at.slider,
        at.select_slider,
        at.checkbox,
        at.radio,
        at.file_uploader,
    ):
        assert len(widgets) == 0


def test_every_slide_of_a_full_rotation_draws_and_shows_nothing_private(app_env):
    # A signed-in editor on the kiosk screen, and a URL asking for private stages, change nothing.
    at = _kiosk({"status": "candidate", "include_private": "1"}, user=auth.User("leila", "admin"))
    order = kiosk.cycle(7)
    seen = set()
    for slot in range(len(order)):
        at.session_state["kiosk_slot"] = slot - 1
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.title, f"slide {order[slot]} drew nothing"
        seen.add(order[slot][0])
        drawn = _everything_drawn(at)
        for secret in PRIVATE:
            assert secret not in drawn, (order[slot], secret)
    assert seen == {"headline", "upcoming", "growth", "map", "card"}


def test_a_failing_slide_is_skipped_without_a_traceback(app_env, monkeypatch):
    def broken(tr, today):
        raise RuntimeError("boom")

    monkeypatch.setitem(slides.SLIDES, "headline", broken)
    at = _kiosk()
    at.session_state["kiosk_slot"] = -1  # the next run shows slot 0: the headline
    at.run()
    assert not at.exception
    assert "boom" not in _everything_drawn(at)
    assert at.title[0].value != "Our sister cities"  # the next slide took its place


def test_kiosk_speaks_the_language_in_the_url(app_env):
    at = _kiosk({"lang": "fa"})
    at.session_state["kiosk_slot"] = -1
    at.run()
    assert at.title[0].value == "شهرهای خواهرخوانده ما"
    assert at.metric[0].value == "۱۱"  # signed partners in force: the twelfth public partnership has ended


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ("en", 20)),
        ({"lang": "ru", "seconds": "5"}, ("ru", 5)),
        ({"lang": "xx", "seconds": "1"}, ("en", 2)),
        ({"seconds": "abc"}, ("en", 20)),
    ],
)
def test_kiosk_settings_from_the_url(params, expected):
    s = kiosk.settings(params)
    assert (s.lang, s.seconds) == expected
    assert s.start is None  # the clock chooses the slide


def test_a_slide_can_be_previewed_from_the_url(app_env):
    """``?start=N`` pins the rotation's first slide, so staff (and tests) can look at any one."""
    assert kiosk.settings({"start": "6"}).start == 6 and kiosk.settings({"start": "-1"}).start is None
    at = _kiosk({"start": "6", "seconds": "600"})
    assert at.title[0].value == "Our network, year by year"  # headline, map, card, upcoming, map, card, growth


def test_the_rotation_shows_every_partner_map_and_card():
    order = kiosk.cycle(4)
    assert {i for kind, i in order if kind == "map"} == {0, 1, 2, 3}
    assert {i for kind, i in order if kind == "card"} == {0, 1, 2, 3}
    assert kiosk.slide_at(0, 20, 4) == order[0] and kiosk.slide_at(20 * len(order), 20, 4) == order[0]


def test_the_photo_slide_shows_recent_public_photos_full_screen_and_never_a_staff_only_one(app_env):
    from twinmap.ingest import attachments, seed

    from .test_uploads import photo

    con = seed.connect(str(app_env))
    try:
        astrakhan = attachments.find(con, "partnerships", "Sari,IR;Astrakhan,RU")
        lankaran = attachments.find(con, "partnerships", "Sari,IR;Lankaran,AZ")  # a candidate: private
        shown = attachments.Details(public=True, caption="Delegation in Sari", credit="Press office")
        attachments.attach(con, [("big.jpg", photo(size=(4000, 3000)))], astrakhan, shown, "staff")
        attachments.attach(con, [("inside.jpg", photo(colour=(9, 9, 9)))], astrakhan,
                           attachments.Details(caption="Internal only"), "staff")  # fmt: skip
        attachments.attach(con, [("talks.jpg", photo(colour=(7, 7, 7)))], lankaran,
                           attachments.Details(public=True, caption="Talks with Lankaran"), "staff")  # fmt: skip
    finally:
        con.close()
    order = kiosk.cycle(7, 1)
    slot = next(i for i, (kind, _i) in enumerate(order) if kind == "photo")
    at = _kiosk()
    at.session_state["kiosk_slot"] = slot - 1
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    drawn = _everything_drawn(at)
    assert at.title[0].value == "Sari → Astrakhan"
    assert "Delegation in Sari" in drawn and "Press office" in drawn
    assert "Internal only" not in drawn and "Lankaran" not in drawn
    assert len(at.get("image")) == 1


def test_the_growth_slide_counts_the_headlines_signed_partners(app_env):
    """The kiosk's two counts agree: the growth's last year plus those with no signing date = the headline's figure."""
    import re

    from twinmap.views import kiosk as k

    order = k.cycle(12)
    headline = _kiosk({"start": str(order.index(("headline", None))), "seconds": "600"})
    signed = int(next(m.value for m in headline.metric if m.label == "Signed partners"))
    growth = _kiosk({"start": str(order.index(("growth", None))), "seconds": "600"})
    totals = growth.get("plotly_chart")[0].proto.spec
    last = __import__("json").loads(totals)["data"][0]["y"][-1]
    said = " ".join(m.value for m in growth.markdown)
    undated = (
        int(re.search(r"(\d+) signed partners? ha(?:s|ve) no signing date", said)[1]) if "signing date" in said else 0
    )
    assert last + undated == signed
