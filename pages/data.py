"""Data (staff): import a file with a preview, commit it, undo past imports, templates and exports."""

import streamlit as st

from twinmap import batches, cache, exporter, importer, present, readers, ui
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
        type=["csv", "txt", "xlsx"],
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

with past:
    history = cache.history()
    st.dataframe(history.drop(columns=["file_hash"]), hide_index=True, key="data_history")
    committed = [int(i) for i in history.loc[history["status"] == "committed", "id"]]
    if committed:
        batch = st.selectbox(_("Import to undo"), committed, key="data_undo_batch")
        sure = st.checkbox(_("I want to undo this import and restore the previous values"), key="data_undo_sure")
        if st.button(_("Undo"), disabled=not sure, key="data_undo"):
            try:
                batches.undo(con, batch, user.name)
                st.success(_("Import #{batch} undone.", batch=batch))
            except batches.UndoRefused as err:
                st.error(_(err.msgid, **err.values).capitalize())

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
    st.subheader(_("Exports"))
    cols = st.columns(5)
    for i, name in enumerate(LOAD_ORDER):
        data = exporter.to_csv(cache.table_frame(name), name)
        cols[i % 5].download_button(
            _("{table} (CSV)", table=_(TABLES[name].label)), data, f"{name}.csv", "text/csv", key=f"data_export_{name}"
        )
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    st.download_button(_("All (Excel)"), cache.workbook(), "twinmap.xlsx", xlsx, key="data_export_xlsx")
