"""Users (admins only): who may sign in, with which role."""

import secrets

import streamlit as st

from twinmap import auth, cache, ui

ui.inside_frame()
admin = ui.require("admin")
con = cache.connection()

st.title("Users")
st.dataframe(auth.users(con), hide_index=True, key="users_table")

left, right = st.columns(2)
with left, st.form("users_add", clear_on_submit=True):
    st.subheader("Add a user")
    name = st.text_input("User name", key="users_new_name")
    role = st.selectbox("Role", auth.ROLES, index=1, key="users_new_role")
    if st.form_submit_button("Add with a new password"):
        password = secrets.token_urlsafe(12)
        try:
            auth.create_user(con, name.strip(), password, role)
            st.success(f"Added {name}. Their password, shown only now: {password}")
        except auth.AuthError as err:
            st.error(str(err).capitalize())

with right, st.form("users_change"):
    st.subheader("Change a user")
    names = list(auth.users(con)["name"])
    who = st.selectbox("User", names, key="users_who")
    new_role = st.selectbox("Role", auth.ROLES, key="users_role")
    action = st.radio("Action", ["Set role", "New password", "Delete"], horizontal=True, key="users_action")
    if st.form_submit_button("Apply"):
        try:
            if action == "Set role":
                auth.set_role(con, who, new_role, by=admin.name)
                st.success(f"{who} is now {new_role}.")
            elif action == "New password":
                password = secrets.token_urlsafe(12)
                auth.set_password(con, who, password)
                st.success(f"New password for {who}, shown only now: {password}")
            else:
                auth.delete_user(con, who, by=admin.name)
                st.success(f"Deleted {who}.")
        except auth.AuthError as err:
            st.error(str(err).capitalize())
