"""The parts of one partnership in the register, each drawn under its own tab.

A page lists which parts its reader may see; each part draws itself from the cached reads.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from twinmap.ingest.attachments import Target
from twinmap.reads.health import Health
from twinmap.ui import attached, cache, grids, widgets
from twinmap.ui.page import Page
from twinmap.views import tables
from twinmap.views.labels import md_escape


def health(p: Page, found: Health | None) -> None:
    """The health score part by part, with every reason a point was lost."""
    _ = p.tr
    if found is None:
        st.info(_("Only agreements in force (signed, active, dormant) are assessed."))
        return
    for reason in tables.reasons(found, _) or [_("nothing to report")]:
        st.markdown(f"- {md_escape(reason)}")
    st.dataframe(tables.health_parts(found, _), hide_index=True, key="register_health_parts")


def partnership(p: Page, pid: int, home: int, events: pd.DataFrame, found: Health | None) -> None:
    """The tabs of one partnership: events for all; lifecycle for the signed in; contacts for staff.

    A user limited to some home cities sees the lifecycle and contacts of their cities' partnerships only.
    """
    _, ids, private = p.tr, (pid,), p.private_for(home)
    parts: list[tuple[str, Callable[[], None]]] = [
        (_("Events"), lambda: widgets.table_downloads(events, f"events-{pid}", "register_events",
                                                      build=tables.events_table)),
        (_("Documents and photos"), lambda: attached.section(p, Target("partnerships", pid), home, "register_files")),
    ]  # fmt: skip
    if p.internal_for(home):
        parts += [
            (_("Health"), lambda: health(p, found)),
            (_("Stage history"), lambda: widgets.table_downloads(
                cache.stages(ids, private), f"stages-{pid}", "register_stages_table", build=tables.stages_table)),
            (_("Missions"), lambda: widgets.table_downloads(
                cache.missions(ids), f"missions-{pid}", "register_missions", build=tables.missions_table)),
            (_("Follow-ups"), lambda: widgets.table_downloads(
                cache.follow_ups(p.today, ids), f"follow-ups-{pid}", "register_follow_ups",
                build=tables.follow_ups_table)),
            (_("Targets"), lambda: widgets.table_downloads(
                cache.targets(p.today, ids), f"targets-{pid}", "register_targets", build=tables.targets_table)),
        ]  # fmt: skip
    if p.private_for(home):
        parts.append((_("Contact persons"), lambda: widgets.table_downloads(
            cache.contacts(pid), f"contacts-{pid}", "register_contacts",
            build=tables.contacts_table)))  # fmt: skip
        parts.append((_("History of changes"),
                      lambda: grids.record_history(p, "partnerships", pid, "register_history")))  # fmt: skip
    for tab, (_title, draw) in zip(st.tabs([t for t, _d in parts]), parts, strict=True):
        with tab:
            draw()
