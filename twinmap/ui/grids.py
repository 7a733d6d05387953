"""The Edit page's grids: Streamlit's data editor over some rows of a table, saved as one undoable batch.

What a save does is decided in :mod:`twinmap.ingest.edits`; the grid's columns (choices in the
reader's language, dates in the reader's calendar) and the problems' table are drawn here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from twinmap.core.reference import N_, NP_
from twinmap.ingest import batches, countries, edits
from twinmap.ingest.specs import TABLES, Column, header
from twinmap.reads import history
from twinmap.store import db
from twinmap.ui import cache, widgets
from twinmap.ui.page import Page
from twinmap.views import previews
from twinmap.views.labels import MISSING, md_escape

HOW = N_(
    "Change cells, add rows at the bottom, or select rows and delete them; then save. A save is checked like an "
    "imported file (nothing is written while any problem remains) and recorded as one import that can be undone. "
    "A row another editor changed since you opened the grid is refused: reload and edit it again. A partnership "
    "that still has events, contacts, missions, follow-ups or targets cannot be deleted (the refusal lists them); "
    "its stage history goes with it and comes back with an undo. Indicators are imported only (monthly series "
    "come from statistics offices): use the Data page."
)
SAVED = N_("Saved as import #{batch}; it can be undone here or on the Data page.")


def opened(p: Page, table: str, ids: list[int]) -> edits.Grid:
    """The grid as it was read when opened: kept in the session, so a save compares with what the editor saw."""
    key = (table, tuple(ids), p.tr.cal)
    held = st.session_state.get("edit_grid")
    if held is None or held[0] != key:
        st.session_state.edit_grid = (key, edits.grid(cache.connection(), table, ids, p.tr.cal))
        st.session_state.edit_round = st.session_state.get("edit_round", 0) + 1  # a fresh editor, no old edits
    return st.session_state.edit_grid[1]


def reopen() -> None:
    """Read the rows again (after a save, or to see another editor's change)."""
    st.session_state.pop("edit_grid", None)


def editor(p: Page, grid: edits.Grid, defaults: dict[str, str]) -> None:
    """The grid itself, its Save button, and what the save found or did."""
    _ = p.tr
    spec = TABLES[grid.table]
    key = f"edit_editor_{st.session_state.edit_round}"
    st.data_editor(grid.frame, key=key, num_rows="dynamic", hide_index=True, column_config=_columns(p, grid.table),
                   column_order=[c.name for c in spec.columns if c.stored], disabled=["id"],
                   placeholder=MISSING)  # fmt: skip
    changes = st.session_state.get(key) or {}
    left, right = st.columns([1, 4])
    if right.button(_("Reload the rows"), key="edit_reload", icon=":material/refresh:"):
        reopen()
        st.rerun()
    if not left.button(_("Save changes"), type="primary", key="edit_save", icon=":material/save:"):
        widgets.kept_message("edit")
        return
    save = edits.plan_save(cache.connection(), grid, {int(k): v for k, v in changes.get("edited_rows", {}).items()},
                           changes.get("added_rows", []), changes.get("deleted_rows", []), defaults,
                           writer=p.user)  # fmt: skip
    if not (save.plan.has_changes or save.plan.errors):
        st.info(_("Nothing has changed: there is nothing to save."))
        return
    if not save.ok:
        _problems(p, save, save.plan.errors)
        return
    try:
        batch = edits.save(cache.connection(), save, p.user.name)
    except edits.EditConflict as err:
        return _problems(p, save, err.problems)
    except (batches.StalePreview, db.DatabaseError) as err:
        return st.warning(md_escape(_.told(err) if isinstance(err, db.DatabaseError) else
                                    _("The data changed while saving: save again.")))  # fmt: skip
    except (batches.CommitFailed, batches.DeleteRefused) as err:
        return st.error(md_escape(_.told(err)))
    said = _(SAVED, batch=batch) if batch else _("Nothing has changed: there is nothing to save.")
    widgets.keep_message("edit", "success", said)
    reopen()
    st.rerun()


def _problems(p: Page, save: edits.Save, problems: list) -> None:
    _ = p.tr
    st.error(_.plural(NP_("Not saved: {n} problem. Nothing was written. Fix the cells named here and save again.",
                          "Not saved: {n} problems. Nothing was written. Fix the cells named here and save again."),
                      len(problems)))  # fmt: skip
    widgets.table(previews.grid_problems(save, problems, _), "edit_problems")


def _columns(p: Page, table: str) -> dict[str, Any]:
    """Each column as the reader edits it: codes as choices in their words, dates as text in their calendar."""
    tr = p.tr
    align = "right" if tr.rtl else None
    config: dict[str, Any] = {"id": st.column_config.NumberColumn("id", disabled=True, format="%d")}
    for col in TABLES[table].columns:
        if col.stored and col.name != "id":
            config[col.name] = _column(col, tr, align)
    return config


def _column(col: Column, tr: Any, align: str | None) -> Any:
    label, hint = header(col, tr.lang), tr(col.help) if col.help else None
    if col.kind == "code":
        return st.column_config.SelectboxColumn(label, help=hint, options=[t.code for t in col.vocab],
                                                format_func=lambda c, v=col.vocab: tr.term(v, c))  # fmt: skip
    if col.kind == "country":
        return st.column_config.SelectboxColumn(label, help=hint, options=list(countries.codes()),
                                                format_func=tr.country)  # fmt: skip
    if col.kind in ("side", "bool"):
        if col.kind == "bool":
            return st.column_config.CheckboxColumn(label, help=hint)
        return st.column_config.SelectboxColumn(label, help=hint, options=[t.code for t in col.vocab],
                                                format_func=lambda c, v=col.vocab: tr.term(v, c))  # fmt: skip
    if col.kind == "date":
        hint = tr("A date in your calendar: {example}", example="1404/03/12" if tr.cal == "jalali" else "2025-06-02")
    return st.column_config.TextColumn(label, help=hint, alignment=align)


def record_history(p: Page, table: str, row_id: int, key: str) -> None:
    """Who changed the record, which field and when (old → new), and the undo of one of those batches."""
    _ = p.tr
    found = history.record(cache.connection(), table, row_id)
    widgets.table(previews.record_history_table(found, _), f"{key}_table")
    committed = sorted({e.batch for e in found.entries if e.status == "committed"}, reverse=True)
    if not committed:
        return
    version = cache.data_version()  # keyed on it: after any change nothing is chosen again
    past = cache.history()
    rows = {int(r["id"]): r for r in past[past["id"].isin(committed)].to_dict("records")}
    batch = st.selectbox(_("Import to undo"), committed, index=None, placeholder=_("Choose an import"),
                         format_func=lambda b: previews.batch_label(rows[b], _) if b in rows else _.digits(f"#{b}"),
                         key=f"{key}_batch_{version}")  # fmt: skip
    if batch is None:  # never one chosen for the reader: an undo can remove a whole file's rows
        return
    if batch in rows:
        st.markdown(md_escape(previews.batch_details(rows[batch], _)))
    widgets.undo_preview(cache.undo_preview(batch, p.homes), _, f"{key}_undo_rows_{batch}",
                         int(rows[batch]["cities_created"]) if batch in rows else 0)  # fmt: skip
    sure = st.checkbox(_("I want to undo this import and restore the previous values"), key=f"{key}_sure_{version}")
    if st.button(_("Undo"), disabled=not sure, key=f"{key}_undo"):
        try:
            batches.undo(cache.connection(), batch, p.user.name, writer=p.user)
            widgets.keep_message("edit", "success", _("Import #{batch} undone.", batch=batch))
            reopen()
        except (batches.UndoRefused, batches.CommitFailed, db.DatabaseError) as err:
            widgets.keep_message("edit", "error", _.told(err))
        st.rerun()


def frame_ids(grid: edits.Grid) -> list[int]:
    """The ids of the grid's rows (to pick one for its history)."""
    return [int(i) for i in pd.Series(grid.frame["id"]).tolist()]


def record_names(grid: edits.Grid, tr: Any) -> dict[int, str]:
    """Each row of the grid by id, named as staff know it (the history's record picker)."""
    return {int(r["id"]): previews.record_label(r, tr) for r in grid.frame.to_dict("records")}
