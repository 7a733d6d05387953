import json
import os
import shutil
import subprocess
import sys

import pytest

from twinmap.ingest import seed
from twinmap.ingest.specs import LOAD_ORDER

from .conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "import"


@pytest.fixture
def cli(shipped_db, tmp_path):
    path = tmp_path / "cli.duckdb"
    shutil.copy(shipped_db, path)

    def run(*args):
        env = {"TWINMAP_DB": str(path), "PATH": "/usr/bin:/bin"}
        return subprocess.run(
            [sys.executable, "-m", "twinmap", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    run.db = str(path)
    return run


def test_import_commits_and_reports(cli, tmp_path):
    report = tmp_path / "r.json"
    done = cli("import", str(CORPUS / "events_ddmmyyyy.csv"), "--table", "events", "--report", str(report))
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text())["status"] == "committed"
    assert "inserted 1" in done.stdout
    assert cli("import", str(CORPUS / "events_ddmmyyyy.csv"), "--table", "events").stdout.startswith(
        "events_ddmmyyyy.csv: unchanged"
    )


def test_a_rejected_file_exits_1_with_row_and_column(cli, tmp_path):
    report = tmp_path / "r.json"
    done = cli("import", str(CORPUS / "events_end_before_start.csv"), "--table", "events", "--report", str(report))
    assert done.returncode == 1
    assert "row 2, column ends_on: the event ends before it starts" in done.stdout
    assert json.loads(report.read_text())["errors"][0]["column"] == "ends_on"


def test_dry_run_writes_nothing(cli):
    assert cli("import", str(CORPUS / "events_ddmmyyyy.csv"), "--table", "events", "--dry-run").returncode == 0
    assert "inserted 1" in cli("import", str(CORPUS / "events_ddmmyyyy.csv"), "--table", "events", "--dry-run").stdout


def test_usage_errors_exit_2(cli):
    assert cli("import", str(CORPUS / "events_ddmmyyyy.csv")).returncode == 2
    assert cli("import", "no-such-file.csv", "--table", "events").returncode == 2


def test_history_undo_and_export(cli, tmp_path):
    cli("import", str(CORPUS / "events_ddmmyyyy.csv"), "--table", "events")
    assert "events_ddmmyyyy.csv" in cli("history").stdout
    first = str(sum(len(seed.shipped_files(t)) for t in LOAD_ORDER) + 1)  # the shipped files are batches 1..n
    assert cli("undo", first).returncode == 0
    refused = cli("undo", first)
    assert refused.returncode == 1 and "already undone" in refused.stderr
    assert cli("export", str(tmp_path / "out")).returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [*(f"{t}.csv" for t in LOAD_ORDER), "attachments.csv", "twinmap.xlsx"]
    )
    assert cli("template", "cities").stdout.startswith("\ufeffid,name,local_name,country_code")


def test_password_gives_a_user_a_new_password_that_signs_in(cli, tmp_path):
    out = cli("password", "leila", "--role", "editor")
    assert out.returncode == 0
    password = out.stdout.strip().rsplit(": ", 1)[1]
    check = f"from twinmap.store import auth\nfrom twinmap.ingest import seed\nfrom twinmap.core import config\nprint(auth.sign_in(seed.connect(config.db_target()), 'leila', {password!r}).role)"
    done = subprocess.run(
        [sys.executable, "-c", check],
        cwd=ROOT,
        env={**os.environ, "TWINMAP_DB": cli.db},
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "editor", done.stderr


def test_skip_invalid_commits_the_valid_rows_and_writes_the_others_with_reasons(cli, tmp_path):
    data = tmp_path / "mixed.csv"
    data.write_text(
        "home_city,home_country,partner_city,partner_country,kind,title,starts_on,status\n"
        "Sari,IR,Astrakhan,RU,festival,Kept,2027-01-10,planned\n"
        "Sari,IR,Astrakhan,RU,festival,Left out,2027-02-31,planned\n",
        encoding="utf-8",
    )
    refused = cli("import", str(data), "--table", "events")
    assert refused.returncode == 1 and "nothing was changed" in refused.stdout
    done = cli("import", str(data), "--table", "events", "--skip-invalid")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "committed as import #" in done.stdout and "1 row(s) with problems left out" in done.stdout
    rejects = (tmp_path / "mixed-rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rejects[1].startswith("Sari,IR,Astrakhan,RU,festival,Left out,2027-02-31,planned,starts_on:")


PROVINCE = ROOT / "tests" / "fixtures" / "province"


def test_as_a_scoped_service_user_an_import_keeps_to_its_home_cities(cli, tmp_path):
    assert cli("import", str(PROVINCE / "shiraz_partnerships.csv"), "--table", "partnerships").returncode == 0
    made = cli("password", "shiraz-feed", "--role", "editor", "--home-cities", "Shiraz,IR")
    assert made.returncode == 0 and "shiraz-feed changes the data of Shiraz" in made.stdout, made.stderr
    events = str(PROVINCE / "events_mixed.csv")
    whole = cli("import", events, "--table", "events", "--as", "shiraz-feed")
    assert whole.returncode == 1
    assert "events_mixed.csv, row 4, column home_city: Sari is outside your home cities: Shiraz" in whole.stdout
    report = tmp_path / "r.json"
    part = cli("import", events, "--table", "events", "--as", "shiraz-feed", "--skip-invalid", "--report", str(report),
               "--rejects", str(tmp_path / "rejected.csv"))  # fmt: skip
    assert part.returncode == 0, part.stdout + part.stderr
    assert json.loads(report.read_text())["inserted"] == 2
    assert "Sari is outside your home cities: Shiraz" in (tmp_path / "rejected.csv").read_text(encoding="utf-8-sig")
    history = cli("history").stdout
    assert "shiraz-feed" in history and "(command line, as admin)" in history  # the first import said how it ran
    assert cli("import", events, "--table", "events", "--as", "nobody").returncode == 1


def test_as_a_scoped_user_an_undo_of_another_home_citys_import_is_refused(cli):
    cli("import", str(PROVINCE / "shiraz_partnerships.csv"), "--table", "partnerships")
    cli("password", "clerk", "--role", "editor", "--home-cities", "Shiraz,IR")
    sari = cli("import", str(PROVINCE / "sari_events.csv"), "--table", "events").stdout
    batch = sari.rsplit("#", 1)[1].strip()
    refused = cli("undo", batch, "--as", "clerk")
    assert refused.returncode == 1 and "outside your home cities (Shiraz)" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert cli("undo", batch).returncode == 0


def test_home_cities_that_are_not_in_the_store_are_refused_by_name(cli):
    done = cli("password", "clerk", "--home-cities", "Atlantis,GR")
    assert done.returncode == 1 and "there is no city Atlantis in GR" in done.stderr


def test_publish_writes_a_data_package_of_the_public_data(cli, tmp_path):
    done = cli("publish", str(tmp_path / "open"))
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "open").iterdir())
    assert names == ["cities.csv", "datapackage.json", "events.csv", "partners.geojson", "partnerships.csv",
                     "photos.csv", "ties.csv"]  # fmt: skip
    descriptor = json.loads((tmp_path / "open" / "datapackage.json").read_text(encoding="utf-8"))
    assert "Lankaran" not in (tmp_path / "open" / "partnerships.csv").read_text(encoding="utf-8")  # a candidate
    assert [r["name"] for r in descriptor["resources"]] == ["cities", "partnerships", "events", "ties", "photos",
                                                            "partners"]  # fmt: skip


def test_a_name_typed_at_the_sign_in_form_is_shown_not_obeyed_by_the_terminal(cli):
    typed = "\x1b]0;owned\x07\x1b[2Jmallory\u202e"
    attempt = (
        f"from twinmap.store import auth, db\ncon = db.connect({cli.db!r})\ntry:\n    auth.sign_in(con, {typed!r}, 'whatever-pass')\n"
        "except auth.AuthError:\n    print('refused')\n"
    )
    tried = subprocess.run([sys.executable, "-c", attempt], cwd=ROOT, capture_output=True, text=True)
    assert tried.stdout.strip() == "refused", tried.stderr
    done = cli("sign-ins")
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;owned\\x07\\x1b[2Jmallory\\u202e" in out


def test_a_file_that_renames_a_city_into_another_is_warned_and_refused_under_strict(cli, tmp_path):
    data = tmp_path / "cities.csv"
    data.write_text("id,name,country_code\n1,Gorgan,IR\n", encoding="utf-8")  # a real town 130 km away
    strict = cli("import", str(data), "--table", "cities", "--strict")
    assert strict.returncode == 1 and "nothing was changed" in strict.stdout
    assert "city #1 'Sari' would be renamed 'Gorgan', the name of another city of IR" in strict.stdout
    dry = cli("import", str(data), "--table", "cities", "--dry-run")
    assert dry.returncode == 0 and "note: row 2: city #1 'Sari' would be renamed 'Gorgan'" in dry.stdout
    done = cli("import", str(data), "--table", "cities", "--strict", "--confirm-renames")
    assert done.returncode == 0 and "committed as import #" in done.stdout


def test_a_spelling_fixed_or_a_position_refined_is_no_rename(cli, tmp_path):
    data = tmp_path / "cities.csv"
    data.write_text("id,name,country_code,lat,lon\n1,Sary,IR,36.57,53.07\n", encoding="utf-8")
    done = cli("import", str(data), "--table", "cities", "--strict")
    assert done.returncode == 0 and "would be renamed" not in done.stdout and "would move" not in done.stdout


def test_a_city_moved_far_is_warned(cli, tmp_path):
    data = tmp_path / "cities.csv"
    data.write_text("id,name,country_code,lat,lon\n1,Sari,IR,38.0,46.3\n", encoding="utf-8")
    dry = cli("import", str(data), "--table", "cities", "--strict")
    assert dry.returncode == 1 and "city #1 'Sari' would move" in dry.stdout


def test_attach_stores_one_undoable_batch_and_a_refused_file_stores_nothing(cli, tmp_path):
    from .test_uploads import pdf, photo

    (tmp_path / "memorandum.pdf").write_bytes(pdf())
    (tmp_path / "visit.jpg").write_bytes(photo(gps=True))
    (tmp_path / "trojan.jpg").write_bytes(b"MZ" + bytes(200))
    (tmp_path / "script.pdf").write_bytes(pdf(js=True))
    pair = ["--to", "partnership", "Sari,IR;Astrakhan,RU"]
    refused = cli("attach", str(tmp_path / "visit.jpg"), str(tmp_path / "trojan.jpg"), str(tmp_path / "script.pdf"),
                  *pair)  # fmt: skip
    assert refused.returncode == 1 and "Traceback" not in refused.stderr + refused.stdout
    lines = refused.stdout.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == ["trojan.jpg", "script.pdf"]
    assert "no attachments" in cli("attachments", *pair).stdout
    done = cli("attach", str(tmp_path / "memorandum.pdf"), *pair, "--kind", "agreement", "--title", "Memorandum 2014")
    assert done.returncode == 0, done.stderr
    assert "memorandum.pdf: stored (application/pdf" in done.stdout
    batch = done.stdout.split("attachment batch #")[1].split(";")[0]
    listed = cli("attachments", *pair).stdout
    assert "agreement" in listed and "staff only" in listed and "Memorandum 2014" in listed
    exported = cli("export", str(tmp_path / "out"))
    assert exported.returncode == 0 and any(p.name.endswith("-memorandum.pdf") for p in (tmp_path / "out").iterdir())
    assert cli("undo", batch).returncode == 0
    assert "no attachments" in cli("attachments", *pair).stdout
    assert cli("attach", str(tmp_path / "visit.jpg"), "--to", "event", "999999").returncode == 1
