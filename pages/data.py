"""Data (staff): import a file with a preview, commit it, undo past imports, templates and exports."""

import streamlit as st

from twinmap import batches, cache, exporter, importer, present, readers, ui
from twinmap.tables import LOAD_ORDER, TABLES

ui.inside_frame()
user = ui.require("editor")
con = cache.connection()
st.title("Data")
imports, past, files = st.tabs(["Import a file", "Past imports", "Templates and exports"])

with imports:
    table = st.selectbox("Table", LOAD_ORDER, format_func=lambda t: TABLES[t].label, key="data_table")
    st.caption(TABLES[table].help)
    upload = st.file_uploader(
        f"CSV or Excel file (up to {readers.MAX_BYTES // (1024 * 1024)} MB)",
        type=["csv", "txt", "xlsx"],
        key="data_file",
    )
    if upload is not None:
        key = (table, upload.file_id, cache.data_version())
        if st.session_state.get("data_plan_key") != key:
            st.session_state.data_plan = importer.plan_import(con, upload.getvalue(), upload.name, table)
            st.session_state.data_plan_key = key
        plan = st.session_state.data_plan
        shown = present.plan_tables(plan)
        st.caption(f"Read as {plan.encoding or '—'}{', ' + plan.delimiter + '-separated' if plan.delimiter else ''}.")
        cols = st.columns(5)
        for col, (label, value) in zip(
            cols,
            [
                ("Rows read", plan.rows_read),
                ("New", len(plan.new)),
                ("Changed", len(plan.changed)),
                ("Unchanged", plan.unchanged),
                ("New cities", len(plan.new_cities)),
            ],
            strict=True,
        ):
            col.metric(label, value)
        for warning in plan.warnings:
            st.warning(present.md_escape(warning))
        if not plan.ok:
            st.error(f"Rejected: {len(plan.errors)} problem(s). Nothing will change. Fix the file and upload it again.")
            st.dataframe(shown["problems"], hide_index=True, key="data_problems")
        else:
            for label, frame in (
                ("New rows", shown["new"]),
                ("Changes (old → new)", shown["changes"]),
                ("Cities added from the gazetteer", shown["cities"]),
            ):
                if len(frame):
                    st.subheader(label)
                    st.dataframe(frame, hide_index=True)
            nothing = not (plan.new or plan.changed or plan.new_cities)
            if nothing:
                st.info("Everything in this file is already in the database: nothing to change.")
            clicked = st.button("Commit this import", type="primary", disabled=nothing, key="data_commit")
            print("CLICKED", clicked)
            if clicked:
                try:
                    batch = batches.commit(con, plan, user.name)
                    st.success(f"Committed as import #{batch}. It can be undone under Past imports.")
                except batches.StalePreview as err:
                    st.warning(str(err).capitalize())

with past:
    history = cache.history()
    st.dataframe(history.drop(columns=["file_hash"]), hide_index=True, key="data_history")
    committed = [int(i) for i in history.loc[history["status"] == "committed", "id"]]
    if committed:
        batch = st.selectbox("Import to undo", committed, key="data_undo_batch")
        sure = st.checkbox("I want to undo this import and restore the previous values", key="data_undo_sure")
        if st.button("Undo", disabled=not sure, key="data_undo"):
            try:
                batches.undo(con, batch, user.name)
                st.success(f"Import #{batch} undone.")
            except batches.UndoRefused as err:
                st.error(str(err).capitalize())

with files:
    st.subheader("Templates")
    cols = st.columns(len(LOAD_ORDER))
    for col, name in zip(cols, LOAD_ORDER, strict=True):
        col.download_button(
            TABLES[name].label, exporter.template(name), f"{name}-template.csv", "text/csv", key=f"data_template_{name}"
        )
    st.subheader("Exports")
    cols = st.columns(len(LOAD_ORDER) + 1)
    for col, name in zip(cols[:-1], LOAD_ORDER, strict=True):
        data = exporter.to_csv(cache.table_frame(name), name)
        col.download_button(f"{TABLES[name].label} (CSV)", data, f"{name}.csv", "text/csv", key=f"data_export_{name}")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    cols[-1].download_button("All (Excel)", cache.workbook(), "twinmap.xlsx", xlsx, key="data_export_xlsx")
