"""Register: every partnership, searchable, and one partnership in full (agreement, health, work)."""

import streamlit as st

from twinmap import cache, charts, config, forms, ics, present, queries, reference, summary, ui
from twinmap import present_register as pr
from twinmap.gazetteer import fold

ui.inside_frame()
_ = ui.translator()
today = config.today()
f = ui.home_filter()
signed_in, staff = ui.user() is not None, ui.is_staff()
frame = cache.register_table(f, today)

st.title(_("Partnership register"))
left, right = st.columns([2, 1])
query = left.text_input(_("Search"), key="register_search", placeholder=_("City, country or purpose"))
held = [c for c in reference.codes(reference.STATUSES) if c in set(frame["status"])]
stages = right.multiselect(
    _("Stages"), held, format_func=lambda s: _.term(reference.STATUSES, s), key="register_stages"
)
if query:
    shown = charts.pair_labels(frame, _)  # names as the reader sees them, plus English and local names
    text = (frame["home_name"] + " " + frame["partner_name"] + " " + frame["partner_country"].map(_.country) + " "
            + frame["purpose"].fillna("") + " " + frame["partner_local_name"].fillna("") + " " + shown)  # fmt: skip
    frame = frame[text.map(fold).str.contains(fold(query), regex=False)]
if stages:
    frame = frame[frame["status"].isin(stages)]
if frame.empty:
    st.info(_("No partnership matches. Clear the search or the stages."))
    st.stop()
st.caption(_("{n} partnerships. Choose one below to see it in full.", n=len(frame)))
ui.table_downloads(pr.register_table(frame, _, with_health=signed_in), "partnership-register", "register_table")

labels = dict(zip(frame["id"], charts.pair_labels(frame, _), strict=True))
pid = st.selectbox(_("Partnership"), list(labels), format_func=labels.get, key="register_pick")
row = present.plain_row(frame[frame["id"] == pid].iloc[0])
found = row["health"] if signed_in and isinstance(row.get("klass"), str) else None

st.header(present.md_escape(labels[pid]))
m = st.columns(4)
m[0].metric(_("Stage"), _.term(reference.STATUSES, row["status"]))
m[1].metric(_("Agreement complete"), f"{_.number(int(row['completeness']))}%")
if found is not None:
    m[2].metric(_("Health"), _.number(found.score), help=_("Out of 100; how it is reached is shown below."))
    m[3].metric(_("Assessment"), _.term(reference.HEALTH_CLASSES, found.klass))
st.progress(int(row["completeness"]) / 100, text=_("Elements of the agreement on record"))
if row["missing"]:
    st.warning(_("Missing: {items}", items=", ".join(pr.missing_elements(row["missing"], _))))
for label, value in present.partner_card(row, _, private=staff):
    st.markdown(f"**{present.md_escape(label)}:** {present.md_escape(value)}")

events = cache.events(queries.PartnershipFilter(partnership_ids=(int(pid),), include_private=True))
contacts = cache.contacts(int(pid)) if staff else None
c1, c2 = st.columns(2)
c1.download_button(
    _("Printable summary for a meeting"),
    lambda: summary.partnership_html(row, events, today, _, found=found, contacts=contacts),
    f"partnership-{pid}.html",
    "text/html",
    key="register_summary",
    icon=":material/print:",
    on_click="ignore",
)
c2.download_button(
    _("Its events in a calendar (.ics)"),
    lambda: ics.events_calendar(events, _, name=labels[pid]),
    f"partnership-{pid}.ics",
    "text/calendar",
    key="register_ics",
    icon=":material/event:",
    on_click="ignore",
)

tabs = [_("Events")] + ([_("Health"), _("Stage history"), _("Missions"), _("Follow-ups"), _("Targets")]
                        if signed_in else []) + ([_("Contact persons")] if staff else [])  # fmt: skip
drawn = st.tabs(tabs)
with drawn[0]:
    ui.table_downloads(present.events_table(events, _), f"events-{pid}", "register_events")
if signed_in:
    with drawn[1]:
        if found is None:
            st.info(_("Only agreements in force (signed, active, dormant) are assessed."))
        else:
            for reason in pr.reasons(found, _) or [_("nothing to report")]:
                st.markdown(f"- {present.md_escape(reason)}")
            st.dataframe(pr.health_parts(found, _), hide_index=True, key="register_health_parts")
    with drawn[2]:
        ui.table_downloads(pr.stages_table(cache.stages((int(pid),)), _), f"stages-{pid}", "register_stages_table")
    with drawn[3]:
        ui.table_downloads(pr.missions_table(cache.missions((int(pid),)), _), f"missions-{pid}", "register_missions")
    with drawn[4]:
        fu = cache.follow_ups(today, (int(pid),))
        ui.table_downloads(pr.follow_ups_table(fu, _), f"follow-ups-{pid}", "register_follow_ups")
    with drawn[5]:
        ui.table_downloads(pr.targets_table(cache.targets(today, (int(pid),)), _), f"targets-{pid}",
                           "register_targets")  # fmt: skip
if staff:
    with drawn[6]:
        ui.table_downloads(cache.contacts(int(pid)), f"contacts-{pid}", "register_contacts")

if ui.user() is not None and ui.user().can("editor"):
    st.subheader(_("Move to another stage"))
    with st.form("register_stage_form", clear_on_submit=True):
        codes = reference.codes(reference.STATUSES)
        status = st.selectbox(
            _("New stage"),
            codes,
            index=codes.index(row["status"]),
            format_func=lambda s: _.term(reference.STATUSES, s),
            key="register_new_stage",
        )
        submitted = st.form_submit_button(_("Record the new stage"), key="register_stage_submit")
        if submitted and status != row["status"]:
            values = {**forms.partnership_keys(row), "kind": row["kind"], "status": status}
            plan, batch = forms.submit(cache.connection(), "partnerships", values, ui.user().name, "stage")
            if batch is None:
                st.error(present.md_escape("; ".join(_(p.msgid, **p.values) for p in plan.errors)))
            else:
                st.success(_("Recorded as import #{batch}; it can be undone on the Data page.", batch=batch))
