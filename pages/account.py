"""Sign in (with a password, or the organisation's directory), or see who is signed in and sign out."""

import streamlit as st

from twinmap.store import auth
from twinmap.ui import cache, compat, page, session
from twinmap.views import labels

p = page.start()
_ = p.tr

current = p.user
if current:
    st.title(_("Account"))
    st.markdown(_("Signed in as **{name}** ({role}).", name=labels.md_escape(current.name), role=_(current.role)))
    if current.scoped:
        homes = cache.home_cities()
        names = dict(zip(homes["id"], homes["name"], strict=True))
        cities = _.join([names.get(c, f"#{c}") for c in current.homes])
        st.caption(labels.md_escape(_("You change the data of {cities} only.", cities=cities)))
    if st.button(_("Sign out"), key="account_sign_out"):
        session.sign_out()
    st.caption(
        _(
            "Signing out ends every session of yours: other tabs, devices and servers. "
            "A session idle for {minutes} minutes ends by itself.",
            minutes=_.number(session.idle_minutes()),
        )
    )
    st.stop()

st.title(_("Sign in"))
st.caption(_("For the staff of the international unit. The dashboards are open to everyone."))
refused = st.session_state.pop("directory_error", None)
if refused:
    st.error(labels.md_escape(_.sentence(refused[0], **refused[1])))
provider = compat.directory_provider()
if provider is not None:
    if st.button(_("Sign in with your organisation's account"), key="account_directory", type="primary"):
        compat.directory_sign_in(provider)
    st.caption(_("Or with a twinmap password:"))
with st.form("account_sign_in"):
    name = st.text_input(_("User name"), key="account_name")
    password = st.text_input(_("Password"), type="password", key="account_password")
    submitted = st.form_submit_button(_("Sign in"))
if submitted:
    try:
        st.session_state.user = auth.sign_in(cache.connection(), name.strip(), password)
    except auth.AuthError as err:
        st.error(labels.md_escape(_.told(err)))
    else:
        st.rerun()
