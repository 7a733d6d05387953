"""Data (staff): import a file with a preview, commit it, undo past imports, templates and exports."""

import streamlit as st

from twinmap.ui import backups, imports, page

p = page.start("editor")
_ = p.tr
st.title(_("Data"))
if p.user.can("admin"):
    backups.status(_)
upload_tab, past_tab, files_tab = st.tabs([_("Import a file"), _("Past imports"), _("Templates and exports")])
with upload_tab:
    plans = imports.upload(p)
    if plans:
        imports.preview(p, plans)
with past_tab:
    imports.history(p)
with files_tab:
    imports.files(p)
