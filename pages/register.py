"""Register: every partnership, searchable, and one partnership in full (agreement, health, work)."""

import functools

import pandas as pd
import streamlit as st

from twinmap.core import reference
from twinmap.core.reference import N_
from twinmap.ingest import attachments, forms
from twinmap.reads import queries
from twinmap.ui import attached, cache, page, sections, widgets
from twinmap.views import cards, ics, labels, summary, tables


def _one(frame: pd.DataFrame, pid: int) -> pd.DataFrame:
    """The chosen partnership's row (a mask over fifty thousand rows, once per version and choice)."""
    return frame[frame["id"] == pid]


p = page.start()
_ = p.tr
frame = cache.register_table(p.filter, p.today, p.signed_in)  # health only for who may see it

st.title(_("Partnership register"))
left, right = st.columns([2, 1])
query = left.text_input(_("Search"), key="register_search", placeholder=_("City, country or purpose"))
present = set(frame["status"].unique())
held = [c for c in reference.codes(reference.STATUSES) if c in present]
stages = right.multiselect(_("Stages"), held, format_func=lambda s: _.term(reference.STATUSES, s),
                           placeholder=_("All stages"), key="register_stages",
                           select_all=widgets.english_only(_))  # fmt: skip
frame = cache.view(tables.matching, frame, query, tuple(stages), _)
if frame.empty:
    st.info(_("No partnership matches. Clear the search or the stages."))
    st.stop()
st.caption(_("{n} partnerships. Choose one below to see it in full.", n=_.number(len(frame))))
widgets.table_downloads(
    frame,
    "partnership-register",
    "register_table",
    build=functools.partial(tables.register_table, with_health=p.signed_in),
)

pid = widgets.pick_partnerships(cache.view(tables.fullest_first, frame), _("Partnership"), "register_pick")[0]
chosen = cache.view(_one, frame, pid)
names = {pid: labels.pair_labels(chosen, _)[0]}
row = labels.plain_row(chosen.iloc[0])
found = row["health"] if p.internal_for(row["home_city_id"]) and isinstance(row.get("klass"), str) else None

st.header(labels.md_escape(names[pid]))
widgets.metrics(cards.register_figures(row, found, _))
st.progress(int(row["completeness"]) / 100, text=_("Elements of the agreement on record"))
if row["missing"]:
    st.warning(_("Missing: {items}", items=_.join(tables.missing_elements(row["missing"], _))))
home = int(row["home_city_id"])
widgets.card(cards.partner_card(row, _, private=p.private_for(home)))
files = attached.listing(p, attachments.Target("partnerships", pid))
attached.thumbnails(p, files)

events = cache.events(queries.PartnershipFilter(partnership_ids=(pid,), include_private=True))
contacts = cache.contacts(pid) if p.private_for(home) else None
c1, c2, c3 = st.columns(3)
c1.download_button(_("Printable summary for a meeting"),
                   lambda: summary.partnership_html(row, events, p.today, _, found=found, contacts=contacts),
                   f"partnership-{pid}.html", "text/html", key="register_summary", icon=":material/print:",
                   on_click="ignore")  # fmt: skip
c2.download_button(_("Its events in a calendar (.ics)"), lambda: ics.events_calendar(events, _, name=names[pid]),
                   f"partnership-{pid}.ics", "text/calendar", key="register_ics", icon=":material/event:",
                   on_click="ignore")  # fmt: skip
with c3:
    attached.agreement_button(p, files, "register_agreement")
sections.partnership(p, pid, home, events, found)

if p.private_for(home):
    st.subheader(_("Move to another stage"))
    with st.form("register_stage_form", clear_on_submit=True):
        codes = reference.codes(reference.STATUSES)
        status = st.selectbox(_("New stage"), codes, index=codes.index(row["status"]), key="register_new_stage",
                              format_func=lambda s: _.term(reference.STATUSES, s))  # fmt: skip
        if st.form_submit_button(_("Record the new stage"), key="register_stage_submit") and status != row["status"]:
            values = {**forms.partnership_keys(row), "kind": row["kind"], "status": status}
            plan, batch = forms.submit(cache.connection(), "partnerships", values, p.user, "stage")
            page.report(_, plan, batch, N_("Recorded as import #{batch}; it can be undone on the Data page."))
