"""The Data page's column mapping: each of a file's columns with a sample, mapped to a template column.

Shown by itself when a file's headers leave a required column unnamed, and on request for any
file. The best guesses are preselected; a saved mapping can be chosen instead, and the one made
here saved under a name for the next file of the same layout.
"""

from __future__ import annotations

import streamlit as st

from twinmap.ingest import mapping, readers
from twinmap.ingest.mapping import Mapping
from twinmap.ingest.specs import TABLES
from twinmap.ui import cache
from twinmap.ui.page import Page
from twinmap.views.labels import md_escape

IGNORE = ""


def form(p: Page, table: str, data: bytes, file_id: str) -> Mapping | None:
    """The mapping staff confirm for this file (None: the file's own headers are read as they are)."""
    _ = p.tr
    sheet = _sample(data, file_id)
    if sheet is None:
        return None  # the preview says what is wrong with the file itself
    needed = mapping.needs_mapping(table, sheet.header)
    if not st.toggle(_("Map the file's columns to the template"), value=needed, key=f"data_map_on_{file_id}"):
        return None
    if needed:
        st.info(_("This file's headers do not name every column the template needs. Say which column is which."))
    saved = mapping.saved(cache.connection(), table)
    start = st.selectbox(_("Start from"), ["", *saved], format_func=lambda n: n or _("the best guesses"),
                         key=f"data_map_start_{file_id}")  # fmt: skip
    chosen = saved[start] if start else None
    guessed = chosen.columns if chosen else mapping.guess(table, sheet.header)
    columns = _columns(p, table, sheet, guessed, f"{file_id}_{start}")
    defaults = _defaults(p, table, columns, chosen, f"{file_id}_{start}")
    side = ""
    if table == "partnerships":
        sides = ["", *mapping.HOME_SIDES]
        names = {"": _("Not a list of pairs"), "1": _("The first city of each pair"),
                 "2": _("The second city of each pair"), "either": _("Whichever of the two is ours")}  # fmt: skip
        side = st.radio(
            _("Which city is ours (a home city)?"),
            sides,
            format_func=names.get,
            horizontal=True,
            index=sides.index(chosen.home_side if chosen else "either"),
            key=f"data_map_side_{file_id}_{start}",
            help=_("Rows where neither city is one of our home cities go to other cities' ties."),
        )
    layout = Mapping(table, columns, defaults, side)
    _save(p, layout, file_id)
    return layout


def _sample(data: bytes, file_id: str) -> readers.Sheet | None:
    """The file's header and first rows, read once per upload (not on every rerun of the page)."""
    cached = st.session_state.get("data_map_sample")
    if cached is None or cached[0] != file_id:
        try:
            sheet = readers.read(data)
            cached = (file_id, readers.Sheet(sheet.header, sheet.rows[:20]))
        except readers.FileProblem:
            cached = (file_id, None)
        st.session_state.data_map_sample = cached
    return cached[1]


def _columns(p: Page, table: str, sheet: readers.Sheet, guessed: dict[str, str], key: str) -> dict[str, str]:
    _ = p.tr
    targets = [IGNORE, *(c.name for c in TABLES[table].columns)]
    columns = {}
    left, right = st.columns(2)
    for i, header in enumerate(sheet.header):
        sample = next((cells[i] for _line, cells in sheet.rows if i < len(cells) and cells[i]), "")
        label = _("{column} (e.g. {sample})", column=header or "?", sample=sample[:40] or "—")
        default = guessed.get(header, IGNORE)
        columns[header] = (left if i % 2 == 0 else right).selectbox(
            md_escape(label), targets, index=targets.index(default) if default in targets else 0,
            format_func=lambda t: t or _("(ignore)"), key=f"data_map_{key}_{i}")  # fmt: skip
    return columns


def _defaults(p: Page, table: str, columns: dict[str, str], chosen: Mapping | None, key: str) -> dict[str, str]:
    """Values for required columns the file does not have (a pair list has no kind or status)."""
    _ = p.tr
    missing = [c for c in TABLES[table].columns if c.required and c.name not in columns.values()]
    suggested = (chosen.defaults if chosen else {}) or mapping.suggested_defaults(table, columns)
    values = {}
    for col in missing:
        value = st.text_input(_("{column} for every row", column=col.name), value=suggested.get(col.name, ""),
                              key=f"data_map_default_{key}_{col.name}")  # fmt: skip
        if value.strip():
            values[col.name] = value.strip()
    return values


def _save(p: Page, layout: Mapping, file_id: str) -> None:
    _ = p.tr
    left, right = st.columns([3, 1])
    name = left.text_input(_("Save this mapping as"), key=f"data_map_name_{file_id}")
    if right.button(_("Save"), key=f"data_map_save_{file_id}", disabled=not name.strip()):
        mapping.save(cache.connection(), name, layout, p.user.name)
        st.success(_("Saved as {name}: choose it next time, or use it on the command line with --map.",
                     name=md_escape(name.strip())))  # fmt: skip
