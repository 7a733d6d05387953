"""Missions and follow-ups: official trips, and what every memorandum promised and who follows it up."""

import streamlit as st

from twinmap.core import reference
from twinmap.ingest.attachments import Target
from twinmap.ui import attached, cache, lifecycle_forms, page, widgets
from twinmap.views import tables

p = page.start("viewer")
_ = p.tr
today = p.today
f = p.filter
partners = cache.partnerships(f, today)
names = cache.pair_names(f, today, _)

st.title(_("Missions and follow-ups"))
follow = cache.follow_ups_of(f.own(), today)  # a user limited to some home cities: theirs
overdue = follow[follow["overdue"]]
m = st.columns(3)
m[0].metric(_("Open actions"), _.number(int((follow["status"].isin(reference.FOLLOW_UP_OPEN)).sum())))
m[1].metric(_("Overdue"), _.number(len(overdue)))
trips = cache.missions(cache.partnership_ids(f.own(), today), True)  # theirs, and the unit's own trips
m[2].metric(_("Missions this year"), _.number(int((trips["starts_on"].dt.year == today.year).sum())))

only_open = st.toggle(_("Open actions only"), value=True, key="missions_open_only")
shown = follow[follow["status"].isin(reference.FOLLOW_UP_OPEN)] if only_open else follow
st.subheader(_("Follow-up actions"))
widgets.table_downloads(shown, "follow-ups", "missions_follow_ups", build=tables.follow_ups_table)
st.subheader(_("Missions"))
widgets.table_downloads(trips, "missions", "missions_table", build=tables.missions_table)
if len(trips):
    st.subheader(_("Photos and documents of a mission"))
    recent = trips.sort_values("starts_on", ascending=False).head(widgets.OPTIONS_SHOWN)
    titles = {int(r.id): f"{_.date(r.starts_on, r.starts_precision)} · {r.title} ({r.destination})"
              for r in recent.itertuples()}  # fmt: skip
    trip = st.selectbox(_("Mission"), list(titles), index=None, format_func=titles.get, key="missions_files_pick",
                        placeholder=_("Choose a mission"))  # fmt: skip
    if trip is not None:
        pid = recent.set_index("id").loc[trip, "partnership_id"]
        homes = partners.set_index("id")["home_city_id"]
        home = int(homes[pid]) if pid in homes.index else None
        attached.section(p, Target("missions", trip), home, "missions_files")


if p.user.can("editor") and names:
    st.divider()
    add_action, close_action, add_mission = st.tabs([_("New follow-up action"), _("Mark an action done"),
                                                     _("Record a mission")])  # fmt: skip
    with add_action:
        lifecycle_forms.new_action(p, partners)
    with close_action:
        lifecycle_forms.mark_done(p, partners, names, follow[follow["status"].isin(reference.FOLLOW_UP_OPEN)])
    with add_mission:
        lifecycle_forms.new_mission(p, partners)
