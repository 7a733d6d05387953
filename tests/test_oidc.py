"""Single sign-on against a local OIDC provider, through nginx and two replicas on PostgreSQL, in Chromium.

The provider is ``oidc-provider-mock`` (a real OpenID Connect server) on 127.0.0.1; the app reads
its ``[auth]`` section from a secrets file every replica shares. A person signs in on the
provider's page, comes back through nginx, and is the twinmap user their claims make them.
"""

from __future__ import annotations

import json
import secrets
import shutil
import threading
import urllib.request
from pathlib import Path

import pytest

from twinmap.store import postgres

from .test_e2e import CHROMIUM, _free_port, _idle
from .test_replicas import running_cluster

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
    reason="Debian's chromium and nginx are needed (apt-get install chromium nginx)",
)
CLAIM_MAP = {"TWINMAP_OIDC_ROLES": "twinmap-editors=editor;twinmap-admins=admin",
             "TWINMAP_OIDC_HOME_CITIES": "shiraz-intl=Shiraz,IR"}  # fmt: skip


@pytest.fixture(scope="module")
def provider():
    """An OpenID Connect provider on 127.0.0.1, with a clerk of Shiraz (groups claim) and a guest (no groups)."""
    import oidc_provider_mock
    import werkzeug.serving

    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    _user(url, "clerk-sub", {"preferred_username": "shiraz.clerk", "groups": ["staff", "twinmap-editors",
                                                                              "shiraz-intl"]})  # fmt: skip
    _user(url, "guest-sub", {"preferred_username": "guest.person", "email": "guest@city.example"})
    yield url
    server.shutdown()


def _user(url: str, sub: str, claims: dict) -> None:
    request = urllib.request.Request(f"{url}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    urllib.request.urlopen(request, timeout=5)


@pytest.fixture(scope="module")
def cluster(pg_templates, shipped_db, provider, tmp_path_factory):
    dsn = pg_templates.copy(shipped_db.stem, shipped_db)
    port = _free_port()
    lb_url = f"http://127.0.0.1:{port}"
    secrets_file = tmp_path_factory.mktemp("oidc") / "secrets.toml"
    secrets_file.write_text(
        f'[auth]\nredirect_uri = "{lb_url}/oauth2callback"\ncookie_secret = "{secrets.token_hex(16)}"\n'
        f'client_id = "twinmap"\nclient_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {"TWINMAP_ADMIN_PASSWORD": "oidc admin pw 1", **CLAIM_MAP}
    yield from running_cluster(dsn, port, env, kiosk=False, secrets_file=secrets_file)


def _page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("http://127.0.0.1", "data:", "blob:")) else route.abort())  # fmt: skip
    return context.new_page()


def _sign_in_with_the_directory(page, cluster, provider, sub: str) -> None:
    page.goto(f"{cluster.url}/account")
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.wait_for_url(f"{provider}/oauth2/authorize*", timeout=60_000)
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{cluster.url}/**", timeout=60_000)
    page.locator("[data-testid=stSidebarNav] a", has_text="Account").first.click(timeout=60_000)
    page.wait_for_selector("text=Signed in as", timeout=60_000)
    _idle(page)


def _audit(dsn: str) -> list[tuple[str, str, str]]:
    con = postgres.attach(dsn)
    try:
        return con.cursor().execute("SELECT name, method, outcome FROM sign_ins ORDER BY id").fetchall()
    finally:
        con.close()


def test_a_groups_claim_signs_in_an_editor_of_shiraz_and_signing_out_ends_both(cluster, provider, browser):
    page = _page(browser)
    _sign_in_with_the_directory(page, cluster, provider, "clerk-sub")
    text = page.locator("[data-testid=stMain]").inner_text()
    assert "Signed in as shiraz.clerk (editor)." in text and "You change the data of Shiraz only." in text
    assert page.locator("[data-testid=stSidebarNav] a", has_text="Edit records").count() == 1
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider}/oauth2/end_session*", timeout=60_000)  # the provider's session ends too
    page.get_by_role("button").first.click()
    page.wait_for_url(f"{cluster.url}/**", timeout=60_000)
    page.wait_for_selector("[data-testid=stSidebarNav] a:has-text('Sign in')", timeout=60_000)
    page.goto(f"{cluster.url}/account")  # a new session: the identity cookie is gone, nobody is signed in
    page.wait_for_selector("h1:has-text('Sign in')", timeout=60_000)
    assert ("shiraz.clerk", "oidc", "signed in") in _audit(cluster.dsn)
    assert ("shiraz.clerk", "oidc", "signed out") in _audit(cluster.dsn)
    page.context.close()


def test_a_sign_in_without_a_mapped_group_is_a_viewer(cluster, provider, browser):
    page = _page(browser)
    _sign_in_with_the_directory(page, cluster, provider, "guest-sub")
    assert "Signed in as guest.person (viewer)." in page.locator("[data-testid=stMain]").inner_text()
    assert page.locator("[data-testid=stSidebarNav] a", has_text="Edit records").count() == 0
    page.context.close()
