"""Data (staff): import a file with a preview, commit it, undo past imports, templates and exports."""

import streamlit as st

from twinmap import batches, cache, convert, exporter, importer, present, readers, ui
from twinmap.tables import LOAD_ORDER, TABLES

ui.inside_frame()
_ = ui.translator()
user = ui.require("editor")
con = cache.connection()
st.title(_("Data"))
imports, past, files = st.tabs([_("Import a file"), _("Past imports"), _("Templates and exports")])

with imports:
    table = st.selectbox(_("Table"), LOAD_ORDER, format_func=lambda t: _(TABLES[t].label), key="data_table")
    st.caption(_(TABLES[table].help))
    upload = st.file_uploader(
        _("CSV or Excel file (up to {mb} MB)", mb=readers.MAX_BYTES // (1024 * 1024)),
        type=["csv", "tsv", "txt", "xlsx"],
        key="data_file",
    )
    if upload is not None:
        key = (table, upload.file_id, cache.data_version())
        if st.session_state.get("data_plan_key") != key:
            st.session_state.data_plan = importer.plan_import(con, upload.getvalue(), upload.name, table)
            st.session_state.data_plan_key = key
        plan = st.session_state.data_plan
        shown = present.plan_tables(plan, _)
        st.caption(
            _(
                "Read as {encoding} {separator}.",
                encoding=plan.encoding or "—",
                separator=_(plan.delimiter) if plan.delimiter else "",
            )
        )
        cols = st.columns(5)
        for col, (label, value) in zip(
            cols,
            [
                (_("Rows read"), plan.rows_read),
                (_("New"), len(plan.new)),
                (_("Changed"), len(plan.changed)),
                (_("Unchanged"), plan.unchanged),
                (_("New cities"), len(plan.new_cities)),
            ],
            strict=True,
        ):
            col.metric(label, _.number(value))
        for warning in plan.warnings:
            st.warning(present.md_escape(_(warning.msgid, **warning.values)))
        if not plan.ok:
            st.error(
                _(
                    "Rejected: {n} problem(s). Nothing will change. Fix the file and upload it again.",
                    n=len(plan.errors),
                )
            )
            st.dataframe(shown["problems"], hide_index=True, key="data_problems")
        else:
            for label, frame in (
                (_("New rows"), shown["new"]),
                (_("Changes (old → new)"), shown["changes"]),
                (_("Cities added from the gazetteer"), shown["cities"]),
            ):
                if len(frame):
                    st.subheader(label)
                    st.dataframe(frame, hide_index=True)
            nothing = not (plan.new or plan.changed or plan.new_cities)
            if nothing:
                st.info(_("Everything in this file is already in the database: nothing to change."))
            clicked = st.button(_("Commit this import"), type="primary", disabled=nothing, key="data_commit")
            if clicked:
                try:
                    batch = batches.commit(con, plan, user.name)
                    st.success(_("Committed as import #{batch}. It can be undone under Past imports.", batch=batch))
                except batches.StalePreview:
                    st.warning(_("The data changed since this preview was made: check the preview again, then commit."))
                except batches.CommitFailed as err:
                    st.error(present.md_escape(_(err.msgid, **err.values).capitalize()))

with past:
    if "data_flash" in st.session_state:  # the outcome of an undo, shown after the page reran with fresh history
        kind, text = st.session_state.pop("data_flash")
        (st.success if kind == "success" else st.error)(text)
    history = cache.history()
    st.dataframe(history.drop(columns=["file_hash"]), hide_index=True, key="data_history")
    committed = history[history["status"] == "committed"]
    if len(committed):
        version = cache.data_version()  # widgets keyed on it: after any change the newest import is preselected
        rows = {int(r["id"]): r for r in committed.to_dict("records")}
        batch = st.selectbox(_("Import to undo"), list(rows), format_func=lambda i: present.batch_label(rows[i], _),
                             key=f"data_undo_batch_{version}")  # fmt: skip
        st.markdown(present.md_escape(present.batch_details(rows[batch], _)))
        sure = st.checkbox(_("I want to undo this import and restore the previous values"),
                           key=f"data_undo_sure_{version}")  # fmt: skip
        if st.button(_("Undo"), disabled=not sure, key="data_undo"):
            try:
                batches.undo(con, batch, user.name)
                st.session_state.data_flash = ("success", _("Import #{batch} undone.", batch=batch))
            except (batches.UndoRefused, batches.CommitFailed) as err:
                st.session_state.data_flash = ("error", _(err.msgid, **err.values).capitalize())
            st.rerun()

with files:
    st.subheader(_("Templates"))
    cols = st.columns(5)
    for i, name in enumerate(LOAD_ORDER):
        cols[i % 5].download_button(
            _(TABLES[name].label),
            exporter.template(name),
            f"{name}-template.csv",
            "text/csv",
            key=f"data_template_{name}",
        )
    st.caption(present.md_escape(_(convert.NUMBER_RULE)))
    st.subheader(_("Exports"))
    st.caption(_("Each file is made when you press its button."))
    cols = st.columns(5)
    for i, name in enumerate(LOAD_ORDER):
        cols[i % 5].download_button(
            _("{table} (CSV)", table=_(TABLES[name].label)),
            lambda name=name: exporter.to_csv(cache.table_frame(name), name),
            f"{name}.csv",
            "text/csv",
            key=f"data_export_{name}",
            on_click="ignore",
        )
    st.download_button(_("All (Excel)"), cache.workbook, "twinmap.xlsx", ui.XLSX, key="data_export_xlsx",
                       on_click="ignore")  # fmt: skip
