"""Users (admins only): who may sign in, with which role and home cities; the sign-in audit."""

import streamlit as st

from twinmap.store import auth
from twinmap.ui import cache, page, widgets
from twinmap.views import labels, tables

p = page.start("admin")
_ = p.tr
con = cache.connection()

st.title(_("Users"))
said = st.session_state.pop("users_flash", None)  # what the last change did, shown after the table was read again
if said:
    st.success(said)
users = auth.users(con)
widgets.table(tables.users_table(users, _), "users_table")

left, right = st.columns(2)
with left, st.form("users_add", clear_on_submit=True):
    st.subheader(_("Add a user"))
    name = st.text_input(_("User name"), key="users_new_name")
    role = st.selectbox(_("Role"), auth.ROLES, index=1, format_func=_, key="users_new_role")
    if st.form_submit_button(_("Add with a new password")):
        password = auth.new_password()
        try:
            auth.create_user(con, name.strip(), password, role)
            shown = {"name": labels.md_escape(name), "password": labels.md_escape(password)}
            st.session_state.users_flash = _("Added {name}. Their password, shown only now: {password}", **shown)
        except auth.AuthError as err:
            st.error(labels.md_escape(_.told(err)))
        else:
            st.rerun()  # the table above shows the new user

city_names = cache.home_names(_)

with right:
    st.subheader(_("Change a user"))
    names = list(users["name"])
    who = st.selectbox(_("User"), names, key="users_who")  # outside the form: the fields below show this user
    held = auth.user(con, who) if who else None
with right, st.form("users_change"):
    role_now = auth.ROLES.index(held.role) if held is not None else 0
    new_role = st.selectbox(_("Role"), auth.ROLES, index=role_now, format_func=_, key=f"users_role_{who}")
    limited = st.multiselect(_("Home cities"), list(city_names), format_func=city_names.get, key=f"users_homes_{who}",
                             default=[c for c in (held.homes if held else ()) if c in city_names],
                             placeholder=_("Every home city"), select_all=widgets.english_only(_),
                             help=_("An editor limited to home cities changes only their data and reads only their "
                                    "private data. Admins are never limited."))  # fmt: skip
    actions = {"role": _("Set role"), "homes": _("Set home cities"), "password": _("New password"),
               "sign_out": _("Sign out everywhere"), "delete": _("Delete")}  # fmt: skip
    action = st.radio(_("Action"), list(actions), format_func=actions.get, horizontal=True, key="users_action")
    if st.form_submit_button(_("Apply")) and who:
        try:
            if action == "role":
                auth.set_role(con, who, new_role, by=p.user.name)
                done = _("{name} is now {role}.", name=labels.md_escape(who), role=_(new_role))
            elif action == "homes":
                auth.set_home_cities(con, who, limited)
                shown = _.join([city_names[c] for c in limited]) if limited else _("every home city")
                done = labels.md_escape(_("{name} now changes the data of {cities}.", name=who, cities=shown))
            elif action == "password":
                password = auth.new_password()
                auth.set_password(con, who, password)
                shown = {"name": labels.md_escape(who), "password": labels.md_escape(password)}
                done = _("New password for {name}, shown only now: {password}", **shown)
            elif action == "sign_out":
                auth.end_sessions(con, who)
                done = _("Every session of {name} ends now, on every server.", name=labels.md_escape(who))
            else:
                auth.delete_user(con, who, by=p.user.name)
                done = _("Deleted {name}.", name=labels.md_escape(who))
        except auth.AuthError as err:
            st.error(labels.md_escape(_.told(err)))
        else:
            st.session_state.users_flash = done
            st.rerun()  # the table above shows the change

st.subheader(_("Sign-ins"))
st.caption(_("Who signed in, when and how, every failed attempt and lockout; kept {days} days.",
             days=_.number(auth.retention_days())))  # fmt: skip
widgets.table(tables.sign_ins_table(auth.sign_ins(con), _), "users_sign_ins")
