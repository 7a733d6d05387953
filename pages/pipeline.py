"""Pipeline: partnerships by lifecycle stage, as a funnel and as a board with the date each stage began."""

import streamlit as st

from twinmap.ui import cache, page, widgets
from twinmap.views import cards, charts, labels

p = page.start()
_ = p.tr
today = p.today
f = p.filter
board = cache.board(f, today)

st.title(_("Lifecycle pipeline"))
if not p.staff:
    st.caption(_("Candidates and partnerships still in talks are shown to signed-in staff only."))
widgets.chart(charts.funnel(board, _), key="pipeline_funnel", alt=_("Lifecycle pipeline"))

# A board of fifty thousand cards is a wall: each stage shows its count and the partnerships
# longest in it (those most likely stuck); the search box finds any other.
query = ""
if len(board) > widgets.OPTIONS_SHOWN:
    board, query = widgets.find_partnerships(board, "pipeline_find")
board_columns = cache.view(cards.stage_columns, board, today, _, widgets.CARDS_SHOWN)
for column, stage in zip(st.columns(len(board_columns) or 1), board_columns, strict=False):
    column.markdown(f"**{labels.md_escape(stage.label)}** · {stage.count}")
    for name, since in stage.cards:
        with column.container(border=True):
            st.markdown(labels.md_escape(name))
            st.caption(since)
    if stage.more:
        column.caption(_("… and {n} more", n=_.number(stage.more)))
