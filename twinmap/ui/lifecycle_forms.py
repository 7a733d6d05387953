"""The editors' forms of the Missions page: a follow-up action, marking one done, a mission.

Each form is a one-row import (:mod:`twinmap.ingest.forms`): validated by the same rules as a
file, and recorded as a batch that can be undone on the Data page.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from twinmap.core import dates, reference
from twinmap.core.reference import N_
from twinmap.ingest import forms
from twinmap.ui import cache, widgets
from twinmap.ui.page import Page, report

DONE = N_("Recorded as import #{batch}; it can be undone on the Data page.")


def _submit(p: Page, table: str, values: dict, form: str) -> None:
    plan, batch = forms.submit(cache.connection(), table, values, p.user, form)
    report(p.tr, plan, batch, DONE)


def _keys(partners: pd.DataFrame, pid: int) -> dict[str, str]:
    return forms.partnership_keys(partners[partners["id"] == pid].iloc[0].to_dict())


def new_action(p: Page, partners: pd.DataFrame) -> None:
    """Add a follow-up action to a partnership."""
    _ = p.tr
    # Chosen outside the form: fifty thousand partnerships are searched first, which a form would hold back.
    picked = widgets.pick_partnerships(partners, _("Partnership"), "missions_action_pair")
    pid = picked[0] if picked else None
    with st.form("missions_new_action", clear_on_submit=True):
        action = st.text_input(_("Action"))
        owner = st.text_input(_("Owner"))
        due = st.date_input(_("Due"), value=p.today + dt.timedelta(days=30))
        if st.form_submit_button(_("Add the action"), disabled=pid is None):
            values = {**_keys(partners, pid), "action": action, "owner": owner, "due_on": due.isoformat(),
                      "status": "open"}  # fmt: skip
            _submit(p, "follow_ups", values, "follow-up")


def mark_done(p: Page, partners: pd.DataFrame, pairs: dict[int, str], open_rows: pd.DataFrame) -> None:
    """Mark an open follow-up action done on a day."""
    _ = p.tr
    actions = {int(r["id"]): f"{r['action']} ({pairs.get(r['partnership_id'], '')})"
               for r in open_rows.to_dict("records")}  # fmt: skip
    with st.form("missions_done_action", clear_on_submit=True):
        picked = st.selectbox(_("Action"), list(actions), format_func=actions.get)
        done = st.date_input(_("Done on"), value=p.today)
        if st.form_submit_button(_("Mark done")) and picked is not None:
            r = open_rows[open_rows["id"] == picked].iloc[0].to_dict()
            due = dates.from_db(r["due_on"], r["due_precision"]).text()
            values = {"id": picked, **_keys(partners, r["partnership_id"]), "action": r["action"], "status": "done",
                      "due_on": due, "done_on": done.isoformat()}  # fmt: skip
            _submit(p, "follow_ups", values, "follow-up done")


def new_mission(p: Page, partners: pd.DataFrame) -> None:
    """Record an official trip (for a partnership, or none)."""
    _ = p.tr
    picked = widgets.pick_partnerships(partners, _("For the partnership"), "missions_mission_pair", optional=True)
    pid = picked[0] if picked else None
    with st.form("missions_new_mission", clear_on_submit=True):
        title = st.text_input(_("Mission"))
        c1, c2 = st.columns(2)
        destination = c1.text_input(_("Destination city"))
        country = c2.text_input(_("Country (ISO code, e.g. RU)"))
        start = c1.date_input(_("From"), value=p.today)
        end = c2.date_input(_("To"), value=p.today)
        travellers = st.text_input(_("Travellers"))
        purpose = st.text_area(_("Purpose"))
        outcomes = st.text_area(_("Outcomes"))
        status = st.selectbox(_("Status"), reference.codes(reference.MISSION_STATUSES),
                              format_func=lambda s: _.term(reference.MISSION_STATUSES, s))  # fmt: skip
        if st.form_submit_button(_("Record the mission")):
            keys = _keys(partners, pid) if pid else {}
            values = {"title": title, "destination": destination, "destination_country": country,
                      "starts_on": start.isoformat(), "ends_on": end.isoformat(), "travellers": travellers,
                      "purpose": purpose, "outcomes": outcomes, "status": status, **keys}  # fmt: skip
            _submit(p, "missions", values, "mission")
