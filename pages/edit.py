"""Edit records (staff): change, add and delete rows in a grid; each save is one batch that can be undone."""

import streamlit as st

from twinmap.ingest import edits, forms
from twinmap.ingest.attachments import Target
from twinmap.ingest.specs import TABLES
from twinmap.ui import attached, cache, grids, page, widgets

p = page.start("editor")
_ = p.tr
st.title(_("Edit records"))
st.caption(_(grids.HOW))
left, right = st.columns([1, 2])
table = left.selectbox(_("Table"), edits.GRID_TABLES, format_func=lambda t: _(TABLES[t].label), key="edit_table")
partners = cache.partnerships(p.filter, p.today)
pids = widgets.pick_partnerships(partners, _("Partnerships"), "edit_partnerships", multi=True,
                                 placeholder=_("Choose partnerships"), container=right)  # fmt: skip
search = st.text_input(_("Search"), key="edit_search", placeholder=_("A name, title or word in the rows"))
if not pids and not search.strip():
    st.info(_("Choose partnerships or search to open their rows in a grid."))
    st.stop()
ids = edits.subset(cache.connection(), table, pids, search, p.user.homes if p.user.scoped else ())
if len(ids) > edits.MAX_ROWS:
    st.warning(_("More than {n} rows match: the grid shows the first {n}. Narrow the search.",
                 n=_.number(edits.MAX_ROWS)))  # fmt: skip
grid = grids.opened(p, table, ids[: edits.MAX_ROWS])
one = partners[partners["id"] == pids[0]] if len(pids) == 1 and TABLES[table].partnership else partners.iloc[:0]
defaults = forms.partnership_keys(one.iloc[0].to_dict()) if len(one) else {}
grids.editor(p, grid, defaults)

if len(grid.frame):
    st.subheader(_("History of a record"))
    named = grids.record_names(grid, _)
    row_id = st.selectbox(_("Record"), list(named), format_func=named.get, key="edit_history_row")
    grids.record_history(p, table, row_id, "edit_history")

if len(pids) == 1:  # one partnership chosen: its documents and photos, beside its rows
    home = int(partners.set_index("id").loc[pids[0], "home_city_id"])
    st.subheader(_("Documents and photos"))
    attached.section(p, Target("partnerships", int(pids[0])), home, "edit_files")
