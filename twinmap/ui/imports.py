"""The Data page's three parts: upload and preview an import, past imports and their undo, files.

What an import does is decided in :mod:`twinmap.ingest`; the preview's tables and words come
from :mod:`twinmap.views.previews`. Only drawing and the session's preview live here.
"""

from __future__ import annotations

import streamlit as st

from twinmap.core.reference import N_, NP_
from twinmap.ingest import batches, convert, exporter, importer, readers
from twinmap.ingest.importer import Plan
from twinmap.ingest.specs import LOAD_ORDER, TABLES
from twinmap.store import db
from twinmap.ui import cache, mapping_form, widgets
from twinmap.ui.page import Page
from twinmap.views import previews
from twinmap.views.labels import md_escape

BLANKS_HELP = N_(
    "Off (the usual): a blank cell of a row that updates a held row keeps the held value, so a file needs only "
    "each row's key and what changes. On: a blank cell erases the held value; the preview lists every value "
    "that will be erased."
)


def upload(p: Page) -> list[Plan]:
    """Choose a table and a file (and, for a foreign file, map its columns); its plans, made once per version.

    A file is one plan; a list of city pairs mapped onto partnerships is two: our partnerships
    and other cities' ties.
    """
    _ = p.tr
    table = st.selectbox(_("Table"), LOAD_ORDER, format_func=lambda t: _(TABLES[t].label), key="data_table")
    st.caption(_(TABLES[table].help))
    with st.expander(_(exporter.GUIDE)):
        st.dataframe(exporter.guide(table, _.lang), hide_index=True, key="data_guide")
    file = st.file_uploader(_("CSV or Excel file (up to {mb} MB)", mb=readers.MAX_BYTES // (1024 * 1024)),
                            type=["csv", "tsv", "txt", "xlsx"], key="data_file")  # fmt: skip
    widgets.uploader_in_words(_("Choose a file"))
    clears = st.checkbox(_("Blank cells clear the value"), key="data_blank_clears",
                         help=_(BLANKS_HELP))  # fmt: skip
    if file is None:
        return []
    layout = mapping_form.form(p, table, file.getvalue(), file.file_id)
    key = (table, file.file_id, cache.data_version(), layout.to_json() if layout else "", clears, p.user)
    if st.session_state.get("data_plan_key") != key:
        con, data = cache.connection(), file.getvalue()
        plans = importer.plan_file(con, data, file.name, table, layout, clears, p.user)  # a pair list: two
        st.session_state.data_plans, st.session_state.data_plan_key = plans, key
    return st.session_state.data_plans


def preview(p: Page, plans: list[Plan]) -> None:
    """What importing the file would do (each part of a pair list), every problem, and one commit for all."""
    _ = p.tr
    decided = []
    for i, plan in enumerate(plans):
        if len(plans) > 1:
            st.subheader(_(TABLES[plan.table].label))
        decided.append(_part(p, plan, "" if i == 0 else f"_{i + 1}"))
    if None in decided:
        return  # refused: all or nothing, across the parts too
    nothing = not any(plan.has_changes for plan in plans)
    if nothing:
        st.info(_("Everything in this file is already in the database: nothing to change."))
    slot = st.empty()
    if slot.button(_("Commit this import"), type="primary", disabled=nothing, key="data_commit"):
        slot.empty()  # committed (or refused): no live button is left above what happened
        _commit(p, plans, any(decided))


def _part(p: Page, plan: Plan, suffix: str) -> bool | None:
    """Draw one plan; True to commit it leaving out rows with problems, False to commit it whole, None: refused."""
    _ = p.tr
    shown = previews.plan_tables(plan, _)
    separator = _(plan.delimiter) if plan.delimiter else ""
    st.caption(_("Read as {encoding} {separator}.", encoding=plan.encoding or "—", separator=separator))
    widgets.metrics(previews.counts(plan, _), columns=5)
    notes = previews.grouped_notes(plan.warnings, _, limit=10_000)
    for note in notes[:20]:
        st.warning(md_escape(note))
    if len(notes) > 20:
        st.caption(_("... and {n} more notes like these.", n=len(notes) - 20))
    skip = False
    if not plan.ok:
        st.error(_.plural(NP_("Rejected: {n} problem. Nothing will change. Fix the file and upload it again.",
                              "Rejected: {n} problems. Nothing will change. Fix the file and upload it again."),
                          len(plan.errors)))  # fmt: skip
        widgets.first_rows(shown["problems"], f"data_problems{suffix}", total=len(plan.errors))
        if not plan.can_skip:
            return None
        offer = _("Import {valid} and leave out {skipped} with problems",
                  valid=_.plural(NP_("{n} valid row", "{n} valid rows"), plan.valid_rows),
                  skipped=_.plural(NP_("{n} row", "{n} rows"), len(plan.skipped_rows)))  # fmt: skip
        skip = st.checkbox(offer, key=f"data_skip_invalid{suffix}")
        st.download_button(_("Rows with problems (CSV, in the file's columns, to fix and import again)"),
                           plan.rejects_csv(), f"{plan.filename.rsplit('.', 1)[0]}-rejected.csv", "text/csv",
                           key=f"data_rejects{suffix}", icon=":material/download:", on_click="ignore")  # fmt: skip
        if not skip:
            return None
    widgets.titled_table(_("New rows"), shown["new"], f"data_new{suffix}", total=plan.new_count)
    widgets.titled_table(_("Changes (old → new)"), shown["changes"], f"data_changes{suffix}",
                         total=previews.change_rows(plan))  # fmt: skip
    if len(shown["erased"]):
        st.warning(
            _.plural(
                NP_(
                    "Blank cells will erase {n} held value, listed here.",
                    "Blank cells will erase {n} held values, listed here.",
                ),
                len(plan.erasures),
            )
        )
        widgets.titled_table(_("Values that will be erased"), shown["erased"], f"data_erased{suffix}")
    added = _("Cities to be added (from the gazetteer, or where the file puts them)")
    widgets.titled_table(added, shown["cities"], f"data_cities{suffix}")
    if len(shown["spellings"]):
        widgets.titled_table(_("Held cities given the file's spelling as their local name"), shown["spellings"],
                             f"data_spellings{suffix}")  # fmt: skip
    return skip


def _commit(p: Page, plans: list[Plan], skip: bool) -> None:
    """Every part of the file in one go (each its own batch), or none when a part cannot be committed."""
    _ = p.tr
    try:
        for batch in batches.commit_parts(cache.connection(), plans, p.user.name, skip_invalid=skip):
            if batch is not None:
                st.success(_("Committed as import #{batch}. It can be undone under Past imports.", batch=batch))
    except batches.StalePreview:
        st.warning(_("The data changed since this preview was made: check the preview again, then commit."))
    except (batches.CommitFailed, db.DatabaseError) as err:  # a full disk says so, in the reader's language
        st.error(md_escape(_.told(err)))


def history(p: Page) -> None:
    """Past imports, and the undo of one, named in full before anyone confirms it."""
    _ = p.tr
    widgets.kept_message("data")  # the outcome of an undo, shown after the page reran with fresh history
    past = cache.history()
    widgets.table(previews.history_table(past, _), "data_history")
    committed = past[past["status"] == "committed"]
    if committed.empty:
        return
    version = cache.data_version()  # widgets keyed on it: after any change the newest import is preselected
    rows = {int(r["id"]): r for r in committed.to_dict("records")}
    batch = st.selectbox(_("Import to undo"), list(rows), format_func=lambda i: previews.batch_label(rows[i], _),
                         index=None, placeholder=_("Choose an import"), key=f"data_undo_batch_{version}")  # fmt: skip
    if batch is None:  # never one chosen for the reader: an undo can remove a whole file's rows
        return
    st.markdown(md_escape(previews.batch_details(rows[batch], _)))
    widgets.undo_preview(
        cache.undo_preview(batch, p.homes), _, f"data_undo_rows_{batch}", int(rows[batch]["cities_created"])
    )
    sure = st.checkbox(_("I want to undo this import and restore the previous values"),
                       key=f"data_undo_sure_{version}")  # fmt: skip
    if st.button(_("Undo"), disabled=not sure, key="data_undo"):
        try:
            batches.undo(cache.connection(), batch, p.user.name, writer=p.user)
            widgets.keep_message("data", "success", _("Import #{batch} undone.", batch=batch))
        except (batches.UndoRefused, batches.CommitFailed, db.DatabaseError) as err:
            widgets.keep_message("data", "error", _.told(err))
        st.rerun()


def files(p: Page) -> None:
    """Templates to fill in, and every table as it stands (each file made when its button is pressed)."""
    _ = p.tr
    st.subheader(_("Templates"))
    st.caption(_("Headers and values in the language you read; Excel templates add a sheet that says what goes "
                 "in each column."))  # fmt: skip
    for name, col in zip(LOAD_ORDER, st.columns(5) * 2, strict=False):
        col.download_button(_("{table} (CSV)", table=_(TABLES[name].label)),
                            lambda name=name: exporter.template(name, _.lang), f"{name}-template-{_.lang}.csv",
                            "text/csv", key=f"data_template_{name}", on_click="ignore")  # fmt: skip
        col.download_button(_("{table} (Excel)", table=_(TABLES[name].label)),
                            lambda name=name: exporter.template_xlsx(name, _.lang), f"{name}-template-{_.lang}.xlsx",
                            widgets.XLSX, key=f"data_template_xlsx_{name}", on_click="ignore")  # fmt: skip
    st.caption(md_escape(_(convert.NUMBER_RULE)))
    st.subheader(_("Exports"))
    st.caption(_("Each file is made when you press its button."))
    own = p.user.homes if p.user.scoped else ()
    if own:
        st.caption(_("Partnerships and their rows are your home cities' only; cities, ties and indicators are whole."))
    for name, col in zip(LOAD_ORDER, st.columns(5) * 2, strict=False):
        col.download_button(_("{table} (CSV)", table=_(TABLES[name].label)),
                            lambda name=name: exporter.to_csv(cache.table_frame(name, None, own), name), f"{name}.csv",
                            "text/csv", key=f"data_export_{name}", on_click="ignore")  # fmt: skip
    st.download_button(_("All (Excel)"), lambda: cache.workbook(own), "twinmap.xlsx", widgets.XLSX,
                       key="data_export_xlsx", on_click="ignore")  # fmt: skip
