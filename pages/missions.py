"""Missions and follow-ups: official trips, and what every memorandum promised and who follows it up."""

import datetime as dt

import streamlit as st

from twinmap import cache, charts, config, dates, forms, present, reference, ui
from twinmap import present_register as pr

ui.inside_frame()
_ = ui.translator()
user = ui.require("viewer")
today = config.today()
f = ui.home_filter()
partners = cache.partnerships(f, today)
labels = dict(zip(partners["id"], charts.pair_labels(partners, _), strict=True))
ids = tuple(int(i) for i in partners["id"])

st.title(_("Missions and follow-ups"))
follow = cache.follow_ups(today, ids)
overdue = follow[follow["overdue"]]
m = st.columns(3)
m[0].metric(_("Open actions"), _.number(int((follow["status"] == "open").sum())))
m[1].metric(_("Overdue"), _.number(len(overdue)))
trips = cache.missions()
trips = trips[trips["partnership_id"].isna() | trips["partnership_id"].isin(ids)]  # none of a hidden stage
m[2].metric(_("Missions this year"), _.number(int((trips["starts_on"].dt.year == today.year).sum())))

only_open = st.toggle(_("Open actions only"), value=True, key="missions_open_only")
shown = follow[follow["status"] == "open"] if only_open else follow
st.subheader(_("Follow-up actions"))
ui.table_downloads(pr.follow_ups_table(shown, _), "follow-ups", "missions_follow_ups")
st.subheader(_("Missions"))
ui.table_downloads(pr.missions_table(trips, _), "missions", "missions_table")


def _report(plan: object, batch: int | None) -> None:
    if batch is None:
        st.error(present.md_escape("; ".join(f"{p.column}: {_(p.msgid, **p.values)}" for p in plan.errors)))
    else:
        st.success(_("Recorded as import #{batch}; it can be undone on the Data page.", batch=batch))


if user.can("editor") and labels:
    st.divider()
    add_action, close_action, add_mission = st.tabs([_("New follow-up action"), _("Mark an action done"),
                                                     _("Record a mission")])  # fmt: skip
    with add_action, st.form("missions_new_action", clear_on_submit=True):
        pid = st.selectbox(_("Partnership"), list(labels), format_func=labels.get)
        action = st.text_input(_("Action"))
        owner = st.text_input(_("Owner"))
        due = st.date_input(_("Due"), value=today + dt.timedelta(days=30))
        if st.form_submit_button(_("Add the action")):
            row = partners[partners["id"] == pid].iloc[0].to_dict()
            values = {**forms.partnership_keys(row), "action": action, "owner": owner, "due_on": due.isoformat(),
                      "status": "open"}  # fmt: skip
            _report(*forms.submit(cache.connection(), "follow_ups", values, user.name, "follow-up"))
    open_rows = follow[follow["status"] == "open"]
    with close_action, st.form("missions_done_action", clear_on_submit=True):
        names = {int(r["id"]): f"{r['action']} ({labels.get(r['partnership_id'], '')})" for r in
                 open_rows.to_dict("records")}  # fmt: skip
        picked = st.selectbox(_("Action"), list(names), format_func=names.get)
        done = st.date_input(_("Done on"), value=today)
        if st.form_submit_button(_("Mark done")) and picked is not None:
            r = open_rows[open_rows["id"] == picked].iloc[0].to_dict()
            row = partners[partners["id"] == r["partnership_id"]].iloc[0].to_dict()
            values = {"id": picked, **forms.partnership_keys(row), "action": r["action"], "status": "done",
                      "due_on": dates.from_db(r["due_on"], r["due_precision"]).text(),
                      "done_on": done.isoformat()}  # fmt: skip
            _report(*forms.submit(cache.connection(), "follow_ups", values, user.name, "follow-up done"))
    with add_mission, st.form("missions_new_mission", clear_on_submit=True):
        title = st.text_input(_("Mission"))
        c1, c2 = st.columns(2)
        destination = c1.text_input(_("Destination city"))
        country = c2.text_input(_("Country (ISO code, e.g. RU)"))
        start = c1.date_input(_("From"), value=today)
        end = c2.date_input(_("To"), value=today)
        travellers = st.text_input(_("Travellers"))
        purpose = st.text_area(_("Purpose"))
        outcomes = st.text_area(_("Outcomes"))
        status = st.selectbox(_("Status"), reference.codes(reference.MISSION_STATUSES),
                              format_func=lambda s: _.term(reference.MISSION_STATUSES, s))  # fmt: skip
        pid = st.selectbox(_("For the partnership"), [None, *labels], format_func=lambda i: labels.get(i, "—"))
        if st.form_submit_button(_("Record the mission")):
            keys = forms.partnership_keys(partners[partners["id"] == pid].iloc[0].to_dict()) if pid else {}
            values = {"title": title, "destination": destination, "destination_country": country,
                      "starts_on": start.isoformat(), "ends_on": end.isoformat(), "travellers": travellers,
                      "purpose": purpose, "outcomes": outcomes, "status": status, **keys}  # fmt: skip
            _report(*forms.submit(cache.connection(), "missions", values, user.name, "mission"))
