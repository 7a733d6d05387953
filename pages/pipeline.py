"""Pipeline: partnerships by lifecycle stage, as a funnel and as a board with the date each stage began."""

import streamlit as st

from twinmap.core import reference
from twinmap.ui import cache, page, widgets
from twinmap.views import charts, labels

p = page.start()
_ = p.tr
today = p.today
f = p.filter
board = cache.board(f, today)

st.title(_("Lifecycle pipeline"))
if not p.staff:
    st.caption(_("Candidates and partnerships still in talks are shown to signed-in staff only."))
held = set(board["status"].unique())
shown = [t for t in reference.STATUSES if t.code in held]
widgets.chart(charts.funnel(board, _), key="pipeline_funnel", alt=_("Lifecycle pipeline"))

# A board of fifty thousand cards is a wall: each stage shows its count and the partnerships
# longest in it (those most likely stuck); the search box finds any other.
if len(board) > widgets.OPTIONS_SHOWN:
    board, _query = widgets.find_partnerships(board, "pipeline_find")
columns = st.columns(len(shown) or 1)
for column, term in zip(columns, shown, strict=False):
    rows = board[board["status"] == term.code].sort_values("entered_on", na_position="first")
    column.markdown(f"**{labels.md_escape(_(term.label))}** · {_.number(len(rows))}")
    first = rows.head(widgets.CARDS_SHOWN)
    names = dict(zip(first["id"], labels.pair_labels(first, _), strict=True))
    for r in first.to_dict("records"):
        since = r["entered_on"]
        with column.container(border=True):
            st.markdown(labels.md_escape(names[r["id"]]))
            if since is None or since != since:
                st.caption(_("Date not recorded"))
            else:
                days = (today - since.date()).days
                st.caption(_("Since {date} ({days} days)", date=_.date(since, r["entered_precision"]),
                             days=_.number(days)))  # fmt: skip
    if len(rows) > widgets.CARDS_SHOWN:
        column.caption(_("… and {n} more", n=_.number(len(rows) - widgets.CARDS_SHOWN)))
