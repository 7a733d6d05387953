"""The open data package: public rows only, a descriptor that matches its files, written all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from twinmap.core import files
from twinmap.ingest import attachments, batches, importer
from twinmap.reads import attachments as attached
from twinmap.reads import opendata
from twinmap.views import datapackage

from .test_uploads import photo

CREATED = dt.datetime(2026, 11, 23, 9, 0)


@pytest.fixture
def package(crafted) -> dict[str, bytes]:
    """The crafted store (a candidate partner, contacts) with a partner in negotiation too, published."""
    row = b"home_city,home_country,partner_city,partner_country,kind,status,purpose,notes\n"
    row += b"Beta,IR,Kappa,DE,sister_city,negotiating,Secret negotiation,Internal note on Kappa\n"
    batches.commit(crafted, importer.plan_import(crafted, row, "talks.csv", "partnerships"), "test")
    gamma, theta = (attachments.find(crafted, "partnerships", k) for k in ("Alpha,IR;Gamma,RU", "Alpha,IR;Theta,DE"))
    shown = attachments.Details(public=True, caption="Gamma days", credit="Press office", licence="CC-BY-4.0",
                                dated_on=dt.date(2026, 8, 7))  # fmt: skip
    attachments.attach(crafted, [("square.jpg", photo())], gamma, shown, "staff")
    attachments.attach(crafted, [("inside.jpg", photo(colour=(1, 1, 1)))], gamma,
                       attachments.Details(caption="Staff only photo"), "staff")  # fmt: skip
    attachments.attach(crafted, [("theta.jpg", photo(colour=(2, 2, 2)))], theta,
                       attachments.Details(public=True, caption="Secret talks photo"), "staff")  # fmt: skip
    tables = opendata.tables(crafted)
    files = {int(i): attached.content(crafted, int(i), attached.PUBLIC)[2] for i in tables["photos"]["id"]}
    return datapackage.files(tables, CREATED, "CC-BY-4.0", "Alpha Municipality", files)


def _rows(package: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(package[f"{name}.csv"].decode("utf-8"))))


def test_the_open_data_holds_no_private_row(package):
    everything = b"".join(v for k, v in package.items() if not k.endswith(".jpg")).decode("utf-8")
    for private in ("Theta", "Secret talks", "Secret negotiation", "Internal note", "Found by the finder", "Leila Karimi", "leila@example.org",
                    "Send a revival letter", "Cancelled show", "Staff only photo"):  # fmt: skip
        assert private not in everything, private
    assert {r["status"] for r in _rows(package, "partnerships")} == {"active", "signed", "dormant", "ended"}
    assert len(_rows(package, "partnerships")) == 6  # the seven of the crafted store but the candidate


def test_the_descriptor_describes_each_file_as_it_is(package):
    descriptor = json.loads(package["datapackage.json"])
    assert descriptor["$schema"] == datapackage.PROFILE and descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["created"] == "2026-11-23T09:00:00Z" and "Alpha Municipality" in descriptor["title"]
    for resource in descriptor["resources"]:
        assert resource["path"] in package
        if resource["format"] == "csv":
            rows = _rows(package, resource["name"])
            header = package[resource["path"]].decode("utf-8").splitlines()[0].split(",")
            assert header == [f["name"] for f in resource["schema"]["fields"]]
            assert resource["rows"] == len(rows)
    ids = {r["id"] for r in _rows(package, "cities")}
    for row in _rows(package, "partnerships"):  # every reference resolves inside the package
        assert {row["home_city_id"], row["partner_city_id"]} <= ids
    gamma = next(r for r in _rows(package, "partnerships") if r["purpose"] == "Friendship between the peoples")
    assert (gamma["signed_on"], gamma["valid_until"], gamma["areas"]) == ("2014-05", "2027-06", "culture;tourism")


def test_public_photos_are_published_with_their_credit_and_licence_and_files(package):
    (row,) = _rows(package, "photos")
    assert (row["caption"], row["credit"], row["licence"], row["dated_on"]) == (
        "Gamma days", "Press office", "CC-BY-4.0", "2026-08-07")  # fmt: skip
    assert row["file"] == f"photo-{row['id']}.jpg" and package[row["file"]].startswith(b"\xff\xd8")


def test_the_geojson_has_every_city_and_every_partnership(package):
    shapes = json.loads(package["partners.geojson"])
    kinds = [f["geometry"]["type"] for f in shapes["features"]]
    assert kinds.count("Point") == len(_rows(package, "cities"))
    assert kinds.count("LineString") == len(_rows(package, "partnerships"))
    alpha = next(f for f in shapes["features"] if f["properties"].get("name") == "Alpha")
    assert alpha["geometry"]["coordinates"] == [53.0, 36.5] and alpha["properties"]["role"] == "home"


def test_files_are_written_all_or_none(tmp_path):
    target = tmp_path / "open"
    files.write_all(target, {"a.csv": b"old"})
    with pytest.raises(OSError):
        files.write_all(target, {"a.csv": b"new", "missing/b.csv": b"x"})
    assert (target / "a.csv").read_bytes() == b"old" and not (target / "missing").exists()


def test_frictionless_validates_the_package_as_a_portal_would(package, tmp_path):
    files.write_all(tmp_path / "open", package)
    done = subprocess.run([str(Path(sys.executable).with_name("frictionless")), "validate", "--json",
                           "datapackage.json"], cwd=tmp_path / "open", capture_output=True, text=True)  # fmt: skip
    found = json.loads(done.stdout)
    problems = [(t["name"], e["message"]) for t in found["tasks"] for e in t["errors"]]
    assert found["valid"] and done.returncode == 0, problems
    assert {t["name"] for t in found["tasks"]} >= {"partnerships", "cities", "events", "ties"}


def test_text_a_spreadsheet_would_run_is_published_as_text(crafted):
    rows = b"home_city,home_country,partner_city,partner_country,kind,title,starts_on,venue,status\n"
    rows += b'Alpha,IR,Gamma,RU,festival,"=HYPERLINK(""http://x"",""y"")",2026-09-01,+1+1,held\n'
    rows += b"Alpha,IR,Gamma,RU,festival,@SUM(A1:A9),2026-09-02,-2+3,held\n"
    batches.commit(crafted, importer.plan_import(crafted, rows, "formulas.csv", "events"), "test")
    package = datapackage.files(opendata.tables(crafted), CREATED, "CC-BY-4.0", "Alpha Municipality")
    events = {r["title"]: r for r in _rows(package, "events")}
    assert '\'=HYPERLINK("http://x","y")' in events and "'@SUM(A1:A9)" in events
    assert events["'@SUM(A1:A9)"]["venue"] == "'-2+3"
    for name in ("cities", "partnerships", "events", "ties"):
        for row in _rows(package, name):
            assert not [v for v in row.values() if v[:1] in ("=", "+", "@")], (name, row)
    assert "leading apostrophe" in json.loads(package["datapackage.json"])["description"]
