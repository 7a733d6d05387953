"""The pages, defined once: file, title, icon, URL and who may open them.

``app.py`` builds its navigation from this table and ``tests/test_pages.py`` runs every page
for every role from it, so no page escapes the smoke test. Titles are catalogue messages,
translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from twinmap.core.reference import N_
from twinmap.store.auth import User

DASHBOARDS, STAFF = N_("Dashboards"), N_("Staff")
ROLES = (None, "viewer", "editor", "admin")  # None: a visitor who has not signed in


@dataclass(frozen=True)
class PageDef:
    """One page: its script, what the menu says, and the least role that may open it (None: everyone)."""

    path: str
    title: str
    icon: str
    url: str
    group: str = DASHBOARDS
    role: str | None = None
    title_signed_in: str = ""  # a different menu title once signed in (Sign in -> Account)

    def allowed(self, user: User | None) -> bool:
        """Whether this user (None: signed out) may open the page."""
        return self.role is None or (user is not None and user.can(self.role))

    def menu_title(self, user: User | None) -> str:
        """The menu title for this user (not yet translated)."""
        return self.title_signed_in if user is not None and self.title_signed_in else self.title


PAGES: tuple[PageDef, ...] = (
    PageDef("pages/overview.py", N_("Overview"), ":material/dashboard:", "overview"),
    PageDef("pages/map.py", N_("Map"), ":material/map:", "map"),
    PageDef("pages/timeline.py", N_("Timeline"), ":material/timeline:", "timeline"),
    PageDef("pages/tourism.py", N_("Tourism"), ":material/travel_explore:", "tourism"),
    PageDef("pages/register.py", N_("Register"), ":material/list_alt:", "register"),
    PageDef("pages/pipeline.py", N_("Pipeline"), ":material/view_kanban:", "pipeline"),
    PageDef("pages/network.py", N_("Network"), ":material/hub:", "network"),
    PageDef("pages/missions.py", N_("Missions and follow-ups"), ":material/flight_takeoff:", "missions", STAFF,
            "viewer"),
    PageDef("pages/relations.py", N_("Relations"), ":material/public:", "relations", STAFF, "viewer"),
    PageDef("pages/finder.py", N_("Partner finder"), ":material/person_search:", "finder", STAFF, "editor"),
    PageDef("pages/edit.py", N_("Edit records"), ":material/edit_note:", "edit", STAFF, "editor"),
    PageDef("pages/data.py", N_("Data"), ":material/upload_file:", "data", STAFF, "editor"),
    PageDef("pages/users.py", N_("Users"), ":material/group:", "users", STAFF, "admin"),
    PageDef("pages/account.py", N_("Sign in"), ":material/login:", "account", STAFF, title_signed_in=N_("Account")),
)  # fmt: skip

HOME = PAGES[0]  # what "/" shows


def hidden(user: User | None) -> list[PageDef]:
    """The pages this user may not open: reachable by URL only, to say who may."""
    return [page for page in PAGES if not page.allowed(user)]


def menu_url(page: PageDef) -> str:
    """The URL a menu entry registers: the home page is served at "/", its own URL kept for a hidden twin."""
    return f"{page.url}-home" if page is HOME else page.url


# The public screen: the only page a kiosk has, without navigation.
KIOSK = PageDef("pages/kiosk.py", "twinmap", ":material/tv:", "kiosk")


def visible(user: User | None) -> dict[str, list[PageDef]]:
    """The pages this user may open, by menu group, in menu order."""
    groups: dict[str, list[PageDef]] = {}
    for page in PAGES:
        if page.allowed(user):
            groups.setdefault(page.group, []).append(page)
    return groups
