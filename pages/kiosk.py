"""Kiosk: the public screen. Rotates through slides on its own; public data only."""

import time

import streamlit as st

from twinmap.core import config
from twinmap.ui import cache, compat, session, slides
from twinmap.views import kiosk

compat.inside_frame()
screen = kiosk.settings(st.query_params)
tr = screen.translator
st.html(slides.KIOSK_CSS)
session.apply_direction(tr)
slides.watchdog(screen.seconds)


@cache.fragment(run_every=screen.seconds)  # each slide's run pins the newest data version
def rotate() -> None:
    """Show the next slide; a slide that fails is skipped for the next one."""
    now, today = time.time(), config.today()
    slot = st.session_state.get("kiosk_slot")
    if slot is None:
        slot = int(now // screen.seconds) if screen.start is None else screen.start
    else:
        slot += 1
    st.session_state.kiosk_slot = slot
    slots = slides.next_slide(slot, tr, today)
    if not slots:
        slides.holding(tr)  # the store cannot be read and nothing is cached: a calm screen, tried again next tick
    slides.progress(screen.seconds, screen.seconds, slot, slots)


rotate()
