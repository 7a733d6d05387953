"""Two app servers behind nginx on one PostgreSQL, in Chromium: what one commits the other shows,
imports at once serialise, and a replica killed in the middle of a commit loses nothing.

Needs Debian's postgresql, nginx and chromium (``.ci/run`` installs them).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pycountry
import pytest

from twinmap.store import postgres

from .conftest import ROOT, TODAY
from .test_e2e import CHROMIUM, _free_port, _idle

sys.path.insert(0, str(ROOT / "deploy"))
import replicas

ADMIN_PASSWORD = "replica admin password"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
    reason="Debian's chromium and nginx are needed (apt-get install chromium nginx)",
)
ROWS = 60_000  # enough to keep a commit busy for a moment on any machine, small enough to stay quick
PARTNERSHIP = "home_city,home_country,partner_city,partner_country,kind,status,signed_on\n{rows}"


def running_cluster(dsn: str, port: int, env: dict[str, str], kiosk: bool = True, secrets_file: Path | None = None):
    """Two replicas of the shipped data on PostgreSQL behind nginx on ``port``, until the generator is closed."""
    first = _free_port()
    base = {"TWINMAP_TODAY": TODAY.isoformat(), "TWINMAP_TILES": "none", **env}
    lb = replicas.Cluster(dsn, 2, port, first + 1 if first < 60000 else 20000, _free_port() if kiosk else None,
                          env=base, secrets_file=secrets_file)  # fmt: skip
    lb.dsn = dsn
    try:
        lb.wait()
    except TimeoutError:
        lb.stop()
        raise
    yield lb
    lb.stop()


@pytest.fixture(scope="module")
def cluster(pg_templates, shipped_db):
    dsn = pg_templates.copy(shipped_db.stem, shipped_db)
    yield from running_cluster(dsn, _free_port(), {"TWINMAP_ADMIN_PASSWORD": ADMIN_PASSWORD})


def _page(browser):
    return browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()


def _sign_in(page, url: str, name: str = "admin", password: str = ADMIN_PASSWORD) -> None:
    page.goto(f"{url}/account")
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("text=Signed in as", timeout=60_000)


def _upload(page, path: Path, table: str, skip_invalid: bool = False) -> None:
    page.locator("[data-testid=stSidebarNav] a", has_text="Data").first.click()
    page.wait_for_selector("h1:has-text('Data')", timeout=60_000)
    _idle(page)
    page.locator(".st-key-data_table [data-testid=stSelectbox]").click()
    page.get_by_role("option", name=table, exact=True).click()
    _idle(page)
    page.set_input_files("input[type=file]", str(path))
    if skip_invalid:  # the rows with problems are left out, as staff may ask
        from playwright.sync_api import Error

        box = page.locator(".st-key-data_skip_invalid input")
        box.wait_for(state="attached", timeout=120_000)
        _idle(page)
        for attempt in range(3):  # under load the preview may still be redrawing the box as it is clicked
            try:
                box.check(force=True)
                break
            except Error:
                if attempt == 2:
                    raise
                page.wait_for_timeout(1000)
    page.get_by_role("button", name="Commit this import").wait_for(timeout=120_000)


def _headline(page, url: str) -> dict[str, str]:
    page.goto(url)
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=60_000)
    _idle(page)
    # Each figure's label and value read together, from one metric (read as two lists, a figure drawn
    # between the two reads would pair the wrong label and value)
    pairs = page.locator("[data-testid=stMetric]").evaluate_all(
        "els => els.map(e => [e.querySelector('[data-testid=stMetricLabel]')?.innerText,"
        " e.querySelector('[data-testid=stMetricValue]')?.innerText])"
    )
    return {label: value for label, value in pairs if label and value}


def _count(dsn: str, sql: str) -> int:
    con = postgres.attach(dsn)
    try:
        return con.cursor().execute(sql).fetchone()[0]
    finally:
        con.close()


def _app_url(cluster, i: int) -> str:
    return f"http://127.0.0.1:{cluster.app_ports[i]}"


def test_nginx_keeps_a_browser_on_one_replica_and_both_serve_the_app(cluster, browser):
    page = _page(browser)
    page.goto(cluster.url)
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=60_000)
    cookie = [c for c in page.context.cookies() if c["name"] == "twinmap_replica"]
    assert cookie, "nginx sets the replica cookie on its first answer"
    page.reload()
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=60_000)
    assert [c["value"] for c in page.context.cookies() if c["name"] == "twinmap_replica"] == [cookie[0]["value"]]
    page.context.close()


def test_the_kiosk_runs_as_its_own_replica_without_the_staff_pages(cluster, browser):
    page = _page(browser)
    page.goto(cluster.kiosk_url)
    page.wait_for_selector("h1", timeout=60_000)
    assert page.locator("[data-testid=stSidebar]:visible").count() == 0
    page.goto(f"{cluster.kiosk_url}/account")  # no way to the staff pages on this replica
    page.wait_for_selector("h1", timeout=60_000)
    assert page.locator("text=Sign in").count() == 0
    page.context.close()


def test_an_import_committed_through_one_replica_shows_on_the_other(cluster, browser, tmp_path):
    a, b = _page(browser), _page(browser)
    before = _headline(b, _app_url(cluster, 1))
    _sign_in(a, _app_url(cluster, 0))
    file = tmp_path / "new_partners.csv"
    file.write_text(PARTNERSHIP.format(rows="Sari,IR,Kutaisi,GE,sister_city,active,2021-05-01\n"), encoding="utf-8")
    _upload(a, file, "Partnerships")
    a.get_by_role("button", name="Commit this import").click()
    a.wait_for_selector("text=Committed as import #", timeout=60_000)
    visitor = _page(browser)  # the public overview of each replica (a's browser stays signed in: a staff overview)
    after_a, after_b = _headline(visitor, _app_url(cluster, 0)), _headline(b, _app_url(cluster, 1))
    assert after_b == after_a, "both replicas show the same figures once one has committed"
    visitor.context.close()
    assert after_b != before, f"the other replica still shows the old figures: {before}"
    _sign_in(b, _app_url(cluster, 1))  # the user made on first start is shared: sign-in works on both
    a.context.close(), b.context.close()


def test_two_imports_at_once_through_two_replicas_serialise_and_both_land(cluster, browser, tmp_path):
    batches = _count(cluster.dsn, "SELECT count(*) FROM import_batches")
    pages, files = [_page(browser), _page(browser)], []
    for i, (city, country) in enumerate([("Poti", "GE"), ("Rustavi", "GE")]):
        files.append(tmp_path / f"part{i}.csv")
        files[i].write_text(PARTNERSHIP.format(rows=f"Sari,IR,{city},{country},friendship,active,2022-0{i + 1}-01\n"))
        _sign_in(pages[i], _app_url(cluster, i))
        _upload(pages[i], files[i], "Partnerships")
    for p in pages:  # as close together as two people can press
        p.get_by_role("button", name="Commit this import").click()
    for p in pages:
        p.wait_for_selector("text=Committed as import #", timeout=120_000)
    assert _count(cluster.dsn, "SELECT count(*) FROM import_batches") == batches + 2
    for city in ("Poti", "Rustavi"):
        sql = f"SELECT count(*) FROM partnerships p JOIN cities c ON c.id = p.partner_city_id WHERE c.name = '{city}'"
        assert _count(cluster.dsn, sql) == 1
    for p in pages:
        p.context.close()


def _cli(cluster, *args: str) -> str:
    env = {"TWINMAP_DB": cluster.dsn, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "twinmap", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_two_editors_of_two_home_cities_import_one_file_at_once_and_each_commits_only_their_rows(cluster, browser):
    province = ROOT / "tests" / "fixtures" / "province"
    _cli(cluster, "import", str(province / "shiraz_partnerships.csv"), "--table", "partnerships")
    clerks = {}
    for name, city in (("shiraz-clerk", "Shiraz,IR"), ("sari-clerk", "Sari,IR")):
        out = _cli(cluster, "password", name, "--role", "editor", "--home-cities", city)
        clerks[name] = out.strip().rsplit(": ", 1)[1]
    pages = [_page(browser), _page(browser)]
    for i, (name, password) in enumerate(clerks.items()):
        _sign_in(pages[i], _app_url(cluster, i), name, password)
        _upload(pages[i], province / "events_mixed.csv", "Events", skip_invalid=True)
    for p in pages:  # the same file (two Shiraz rows, one Sari row), as close together as two people can press
        p.get_by_role("button", name="Commit this import").click()
    for p in pages:
        p.wait_for_selector("text=Committed as import #", timeout=120_000)
    sql = """SELECT min(h.name) || ' ' || count(*) FROM import_batches b JOIN import_changes c ON c.batch_id = b.id
             AND c.table_name = 'events' AND c.action = 'insert' JOIN events e ON e.id = c.row_id
             JOIN partnerships p ON p.id = e.partnership_id JOIN cities h ON h.id = p.home_city_id
             WHERE b.user_name = '{user}' HAVING count(DISTINCT h.id) = 1"""
    assert _one(cluster.dsn, sql.format(user="shiraz-clerk")) == "Shiraz 2"
    assert _one(cluster.dsn, sql.format(user="sari-clerk")) == "Sari 1"
    for p in pages:
        p.context.close()


def _one(dsn: str, sql: str) -> object:
    con = postgres.attach(dsn)
    try:
        found = con.cursor().execute(sql).fetchone()
        return found[0] if found else None
    finally:
        con.close()


def _indicators(path: Path, n: int) -> None:
    """A large, valid indicators file (every origin country, month after month), to keep a commit busy."""
    codes = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 != "IR")
    rows = ["city,country,origin_country,indicator,period,value,unit"]
    for i in range(n):
        year, month = divmod(i // len(codes), 12)
        rows.append(f"Sari,IR,{codes[i % len(codes)]},tourist_arrivals,{1900 + year}-{month + 1:02d},{i % 997},persons")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _writer_holds_lock(dsn: str) -> bool:
    key = postgres.WRITERS_KEY
    sql = f"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = {key} AND granted"
    return _count(dsn, f"SELECT * FROM postgres_query('pg', '{sql.replace(chr(39), chr(39) * 2)}')") > 0


def test_a_replica_killed_in_the_middle_of_a_commit_loses_nothing_and_the_other_carries_on(cluster, browser, tmp_path):
    counts = "SELECT (SELECT count(*) FROM indicators) * 1000 + (SELECT count(*) FROM import_batches)"
    before = _count(cluster.dsn, counts)
    page = _page(browser)
    _sign_in(page, _app_url(cluster, 0))
    big = tmp_path / "indicators_big.csv"
    _indicators(big, ROWS)
    _upload(page, big, "Indicators")
    page.get_by_role("button", name="Commit this import").click()
    deadline, caught = time.time() + 120, False
    while time.time() < deadline and not caught:
        caught = _writer_holds_lock(cluster.dsn)
    assert caught, "the commit was never seen holding the writers' lock"
    cluster.kill(0)  # as a crash: no chance to clean up
    page.context.close()
    # PostgreSQL rolls the dead replica's transaction back: not one row of the batch is left.
    deadline = time.time() + 30
    while _writer_holds_lock(cluster.dsn) and time.time() < deadline:
        time.sleep(0.2)
    assert _count(cluster.dsn, counts) == before
    # The surviving replica takes the same import whole.
    other = _page(browser)
    _sign_in(other, _app_url(cluster, 1))
    _upload(other, big, "Indicators")
    other.get_by_role("button", name="Commit this import").click()
    other.wait_for_selector("text=Committed as import #", timeout=180_000)
    assert _count(cluster.dsn, counts) == before + ROWS * 1000 + 1
    # And a browser sent through nginx, whichever replica it was on, lands on the live one.
    lb = _page(browser)
    lb.goto(cluster.url)
    lb.wait_for_selector("[data-testid=stMetricValue]", timeout=60_000)
    other.context.close(), lb.context.close()


def test_the_command_line_imports_into_the_shared_store_while_the_app_runs(cluster, tmp_path):
    file = tmp_path / "cli.csv"
    file.write_text(PARTNERSHIP.format(rows="Sari,IR,Zugdidi,GE,friendship,active,2023-01-01\n"), encoding="utf-8")
    env = {"TWINMAP_DB": cluster.dsn, "PATH": "/usr/bin:/bin"}
    threads = [
        threading.Thread(
            target=subprocess.run,
            args=([sys.executable, "-m", "twinmap", "import", str(file), "--table", "partnerships"],),
            kwargs={"cwd": ROOT, "env": env, "capture_output": True},
        )
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sql = "SELECT count(*) FROM partnerships p JOIN cities c ON c.id = p.partner_city_id WHERE c.name = 'Zugdidi'"
    assert _count(cluster.dsn, sql) == 1, "the same file twice at once: one inserts, the other finds it unchanged"
