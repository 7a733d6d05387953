"""Sign in, or see who is signed in and sign out."""

import streamlit as st

from twinmap import auth, cache, present, ui

ui.inside_frame()

current = ui.user()
if current:
    st.title("Account")
    st.markdown(f"Signed in as **{present.md_escape(current.name)}** ({current.role}).")
    if st.button("Sign out", key="account_sign_out"):
        st.session_state.user = None
        st.rerun()
    st.stop()

st.title("Sign in")
st.caption("For the staff of the international unit. The dashboards are open to everyone.")
with st.form("account_sign_in"):
    name = st.text_input("User name", key="account_name")
    password = st.text_input("Password", type="password", key="account_password")
    submitted = st.form_submit_button("Sign in")
if submitted:
    try:
        st.session_state.user = auth.sign_in(cache.connection(), name.strip(), password)
    except auth.AuthError as err:
        st.error(str(err).capitalize())
    else:
        st.rerun()
