"""Kiosk: the public screen. Rotates through slides on its own; public data only."""

import time

import streamlit as st

from twinmap import cache, config, kiosk, slides, ui

ui.inside_frame()
screen = kiosk.settings(st.query_params)
tr = screen.translator
st.html(slides.KIOSK_CSS)
ui.apply_direction(tr)
slides.watchdog(screen.seconds)


@st.fragment(run_every=screen.seconds)
def rotate() -> None:
    """Show the next slide; a slide that fails is skipped for the next one."""
    now, today = time.time(), config.today()
    slot = st.session_state.get("kiosk_slot")
    slot = int(now // screen.seconds) if slot is None else slot + 1
    st.session_state.kiosk_slot = slot
    partners = len(cache.kiosk_partners(today))
    order = kiosk.cycle(partners)
    for step in range(len(order)):
        kind, index = order[(slot + step) % len(order)]
        if slides.show(kind, index, tr, today):
            break
    slides.progress(screen.seconds, screen.seconds)


rotate()
