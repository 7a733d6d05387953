"""Sign in, or see who is signed in and sign out."""

import streamlit as st

from twinmap.store import auth
from twinmap.ui import cache, page
from twinmap.views import labels

p = page.start()
_ = p.tr

current = p.user
if current:
    st.title(_("Account"))
    st.markdown(_("Signed in as **{name}** ({role}).", name=labels.md_escape(current.name), role=_(current.role)))
    if st.button(_("Sign out"), key="account_sign_out"):
        st.session_state.user = None
        st.rerun()
    st.stop()

st.title(_("Sign in"))
st.caption(_("For the staff of the international unit. The dashboards are open to everyone."))
with st.form("account_sign_in"):
    name = st.text_input(_("User name"), key="account_name")
    password = st.text_input(_("Password"), type="password", key="account_password")
    submitted = st.form_submit_button(_("Sign in"))
if submitted:
    try:
        st.session_state.user = auth.sign_in(cache.connection(), name.strip(), password)
    except auth.AuthError as err:
        st.error(labels.md_escape(_(err.msgid, **err.values).capitalize()))
    else:
        st.rerun()
