"""Users (admins only): who may sign in, with which role."""

import secrets

import streamlit as st

from twinmap.store import auth
from twinmap.ui import cache, page, widgets
from twinmap.views import labels, tables

p = page.start("admin")
_ = p.tr
con = cache.connection()

st.title(_("Users"))
widgets.table(tables.users_table(auth.users(con), _), "users_table")

left, right = st.columns(2)
with left, st.form("users_add", clear_on_submit=True):
    st.subheader(_("Add a user"))
    name = st.text_input(_("User name"), key="users_new_name")
    role = st.selectbox(_("Role"), auth.ROLES, index=1, format_func=_, key="users_new_role")
    if st.form_submit_button(_("Add with a new password")):
        password = secrets.token_urlsafe(12)
        try:
            auth.create_user(con, name.strip(), password, role)
            shown = {"name": labels.md_escape(name), "password": labels.md_escape(password)}
            st.success(_("Added {name}. Their password, shown only now: {password}", **shown))
        except auth.AuthError as err:
            st.error(labels.md_escape(_(err.msgid, **err.values).capitalize()))

with right, st.form("users_change"):
    st.subheader(_("Change a user"))
    names = list(auth.users(con)["name"])
    who = st.selectbox(_("User"), names, key="users_who")
    new_role = st.selectbox(_("Role"), auth.ROLES, format_func=_, key="users_role")
    action = st.radio(
        _("Action"),
        ["role", "password", "delete"],
        format_func=lambda a: {"role": _("Set role"), "password": _("New password"), "delete": _("Delete")}[a],
        horizontal=True,
        key="users_action",
    )
    if st.form_submit_button(_("Apply")):
        try:
            if action == "role":
                auth.set_role(con, who, new_role, by=p.user.name)
                st.success(_("{name} is now {role}.", name=who, role=_(new_role)))
            elif action == "password":
                password = secrets.token_urlsafe(12)
                auth.set_password(con, who, password)
                shown = {"name": labels.md_escape(who), "password": labels.md_escape(password)}
                st.success(_("New password for {name}, shown only now: {password}", **shown))
            else:
                auth.delete_user(con, who, by=p.user.name)
                st.success(_("Deleted {name}.", name=who))
        except auth.AuthError as err:
            st.error(labels.md_escape(_(err.msgid, **err.values).capitalize()))
