"""The open data as a Frictionless Data Package (v2): CSV tables with their schemas, and a GeoJSON of partners.

CKAN and other open-data portals read ``datapackage.json``: each resource's file, format,
table schema (fields, types, keys, references between tables), the licence, the sources and
when the data was taken. The rows come from :func:`twinmap.reads.opendata.tables`: public data only.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd

from twinmap.core import dates
from twinmap.ingest.exporter import defuse

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
DATE_TEXT = "A date as precise as it is known: YYYY, YYYY-MM or YYYY-MM-DD (Gregorian)."

# Each table's fields: (name, Table Schema type, description); the CSV has exactly these columns.
FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "cities": (
        ("id", "integer", "The city's id in this package."),
        ("name", "string", "Name in English (or as the source writes it)."),
        ("local_name", "string", "Name in the city's own language, where known."),
        ("country_code", "string", "ISO 3166-1 alpha-2 code."),
        ("region", "string", "Region or state, where known."),
        ("lat", "number", "Latitude, WGS 84."),
        ("lon", "number", "Longitude, WGS 84."),
        ("population", "integer", "Population, where known."),
        ("timezone", "string", "IANA time zone."),
        ("geonameid", "integer", "GeoNames id, where known."),
        ("wikidata", "string", "Wikidata item (Q…), where known."),
    ),
    "partnerships": (
        ("id", "integer", "The partnership's id in this package."),
        ("home_city_id", "integer", "Our city (cities.id)."),
        ("partner_city_id", "integer", "The partner city (cities.id)."),
        ("kind", "string", "sister_city, friendship or cooperation_mou."),
        ("status", "string", "signed, active, dormant or ended (stages before an agreement are not published)."),
        ("signed_on", "string", f"When the agreement was signed. {DATE_TEXT}"),
        ("valid_until", "string", f"When the agreement ends. {DATE_TEXT}"),
        ("purpose", "string", "The agreement's purpose."),
        ("areas", "string", "Areas of cooperation, separated by ';'."),
        ("programmes", "string", "Plans and programmes."),
        ("obligations_home", "string", "Our obligations."),
        ("obligations_partner", "string", "The partner's obligations."),
        ("expected_results", "string", "Expected results."),
        ("success_indicators", "string", "Success indicators."),
        ("source", "string", "Where the record comes from."),
    ),
    "events": (
        ("id", "integer", "The event's id in this package."),
        ("partnership_id", "integer", "The partnership (partnerships.id)."),
        ("kind", "string", "Kind of event (festival, delegation_visit, youth_exchange ...)."),
        ("title", "string", "Title."),
        ("starts_on", "string", f"Start. {DATE_TEXT}"),
        ("ends_on", "string", f"End, where known. {DATE_TEXT}"),
        ("venue", "string", "Venue."),
        ("host_city_id", "integer", "Where it takes place (cities.id)."),
        ("participants", "integer", "Number of participants, where known."),
        ("status", "string", "planned, confirmed or held (cancelled events are not published)."),
    ),
    "photos": (
        ("id", "integer", "The photo's id in this package."),
        ("partnership_id", "integer", "The partnership it belongs to (partnerships.id)."),
        ("event_id", "integer", "The event it shows, where it is an event's (events.id)."),
        ("title", "string", "Title."),
        ("caption", "string", "Caption."),
        ("dated_on", "string", "When it was taken, where known: YYYY-MM-DD (Gregorian)."),
        ("credit", "string", "Who took it."),
        ("licence", "string", "Its licence, where one is given (otherwise ask the publisher)."),
        ("media_type", "string", "image/jpeg, image/png or image/webp."),
        ("width", "integer", "Width in pixels."),
        ("height", "integer", "Height in pixels."),
        (
            "file",
            "string",
            "The photo's file in this package (photo-ID.jpg ...) when the files are published; empty otherwise.",
        ),
    ),
    "ties": (
        ("id", "integer", "The tie's id in this package."),
        ("city_id", "integer", "One city (cities.id)."),
        ("other_city_id", "integer", "The other city (cities.id)."),
        ("source", "string", "Where the tie is recorded (Wikidata for most)."),
    ),
}
FOREIGN_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "partnerships": (("home_city_id", "cities"), ("partner_city_id", "cities")),
    "events": (("partnership_id", "partnerships"), ("host_city_id", "cities")),
    "ties": (("city_id", "cities"), ("other_city_id", "cities")),
    "photos": (("partnership_id", "partnerships"), ("event_id", "events")),
}
TITLES = {
    "cities": "Cities named by the partnerships, events and ties",
    "partnerships": "Sister-city partnerships and cooperation agreements in force or ended",
    "events": "Public events of the partnerships, held and planned",
    "ties": "Other cities' twin-town ties",
    "photos": "Public photos of the partnerships and their events (metadata; the files where published)",
}


def files(tables: dict[str, pd.DataFrame], created: dt.datetime, licence: str, publisher: str,
          photos: dict[int, bytes] | None = None) -> dict[str, bytes]:  # fmt: skip
    """Every file of the package by name: one CSV per table, ``partners.geojson`` and ``datapackage.json``.

    ``photos`` (photo id to its bytes) adds the public photos' files, named in the photos table.
    """
    tables = {**tables, "photos": _photo_files(tables.get("photos"), photos or {})}
    shaped = {name: _shaped(name, frame) for name, frame in tables.items()}
    out = {f"{name}.csv": _csv(name, frame) for name, frame in shaped.items()}
    for row in tables["photos"].itertuples():
        if row.file:
            out[row.file] = (photos or {})[int(row.id)]
    out["partners.geojson"] = json.dumps(geojson(shaped), ensure_ascii=False, indent=1).encode("utf-8")
    descriptor = _descriptor(shaped, created, licence, publisher)
    out["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")
    return out


_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def _photo_files(frame: pd.DataFrame | None, photos: dict[int, bytes]) -> pd.DataFrame:
    """The photos table with each published file's name (empty where its file is not published)."""
    frame = pd.DataFrame(columns=[f for f, _t, _d in FIELDS["photos"]]) if frame is None else frame.copy()
    frame["file"] = [f"photo-{int(i)}.{_EXTENSIONS.get(m, 'jpg')}" if int(i) in photos else ""
                     for i, m in zip(frame["id"], frame["media_type"], strict=True)]  # fmt: skip
    frame["dated_on"] = [d.isoformat()[:10] if hasattr(d, "isoformat") and d == d else "" for d in frame["dated_on"]]
    return frame


def _shaped(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table in exactly its published columns, partial dates written as precise as they are known."""
    frame = frame.copy()
    for column, precision in _PRECISIONS.items():
        if column in frame:
            frame[column] = [_date(d, p) for d, p in zip(frame[column], frame[precision], strict=True)]
    return frame[[f for f, _t, _d in FIELDS[name]]]


_PRECISIONS = {"signed_on": "signed_precision", "valid_until": "valid_until_precision",
               "starts_on": "starts_precision", "ends_on": "ends_precision"}  # fmt: skip


def _date(value: object, precision: object) -> str:
    found = dates.from_db(value, precision if isinstance(precision, str) else None)
    return found.text() if found else ""


def _csv(name: str, frame: pd.DataFrame) -> bytes:
    """Plain UTF-8 CSV (no BOM: portals read it as the package says), integers without a decimal point.

    A text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) gets a
    leading apostrophe, as every other export does: people open published CSVs in Excel, and a
    title typed as ``=HYPERLINK(...)`` must stay text. The fields' descriptions say so.
    """
    buf = io.StringIO()
    out = frame.copy()
    text = {f for f, kind, _d in FIELDS[name] if kind == "string"}
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]) and column not in ("lat", "lon"):
            out[column] = out[column].astype("Int64")
        elif column in text:
            out[column] = [defuse(v) if isinstance(v, str) else v for v in out[column]]
    out.to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8")


def geojson(tables: dict[str, pd.DataFrame]) -> dict:
    """Cities as points and partnerships as lines between them (RFC 7946, WGS 84)."""
    cities = tables["cities"].set_index("id")
    homes = set(tables["partnerships"]["home_city_id"])
    features = []
    for city_id, c in cities.iterrows():
        role = "home" if city_id in homes else "partner"
        features.append({"type": "Feature", "id": f"city-{city_id}",
                         "geometry": {"type": "Point", "coordinates": [float(c["lon"]), float(c["lat"])]},
                         "properties": {"kind": "city", "role": role, "name": c["name"],
                                        "local_name": _plain(c["local_name"]), "country_code": c["country_code"],
                                        "wikidata": _plain(c["wikidata"])}})  # fmt: skip
    for p in tables["partnerships"].to_dict("records"):
        a, b = cities.loc[p["home_city_id"]], cities.loc[p["partner_city_id"]]
        line = [[float(a["lon"]), float(a["lat"])], [float(b["lon"]), float(b["lat"])]]
        properties = {"kind": "partnership", "home": a["name"], "partner": b["name"], "status": p["status"],
                      "type": p["kind"], "signed_on": p["signed_on"]}  # fmt: skip
        geometry = {"type": "LineString", "coordinates": line}
        features.append({"type": "Feature", "id": f"partnership-{p['id']}", "geometry": geometry,
                         "properties": properties})  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def _plain(value: object) -> object:
    return None if value is None or (isinstance(value, float) and value != value) else value


def _descriptor(tables: dict[str, pd.DataFrame], created: dt.datetime, licence: str, publisher: str) -> dict:
    resources = [
        {"name": name, "title": TITLES[name], "path": f"{name}.csv", "type": "table", "format": "csv",
         "mediatype": "text/csv", "encoding": "utf-8", "dialect": {"header": True, "delimiter": ","},
         "schema": _schema(name), "rows": len(tables[name])}
        for name in ("cities", "partnerships", "events", "ties", "photos")
    ]  # fmt: skip
    resources.append({"name": "partners", "title": "Cities and partnerships on a map", "path": "partners.geojson",
                      "format": "geojson", "mediatype": "application/geo+json", "encoding": "utf-8"})  # fmt: skip
    return {
        "$schema": PROFILE,
        "name": "twinmap-sister-cities",
        "title": f"Sister cities and partnerships of {publisher}" if publisher else "Sister cities and partnerships",
        "description": "Public sister-city partnerships, their cities, public events and other cities' ties, "
        "as recorded by the international-relations office (twinmap). Partnerships still in talks, contacts, "
        "internal notes and assessments are not included. A text cell that begins with =, +, -, @, a tab or a "
        "carriage return carries a leading apostrophe, so that a spreadsheet shows it as text and never runs it.",
        "created": created.replace(microsecond=0).isoformat() + "Z",
        "version": created.strftime("%Y.%m.%d"),
        "licenses": [_licence(licence)],
        "sources": [{"title": f"Records of {publisher}" if publisher else "The office's own records"},
                    {"title": "Wikidata: twinned administrative bodies (P190)", "path": "https://www.wikidata.org/"}],
        "keywords": ["sister cities", "twin towns", "international relations", "tourism"],
        "resources": resources,
    }  # fmt: skip


def _schema(name: str) -> dict:
    schema = {"$schema": TABLE_PROFILE, "fields": [{"name": f, "type": t, "description": d}
                                                   for f, t, d in FIELDS[name]], "primaryKey": ["id"]}  # fmt: skip
    keys = [{"fields": [field], "reference": {"resource": other, "fields": ["id"]}}
            for field, other in FOREIGN_KEYS.get(name, ())]  # fmt: skip
    if keys:
        schema["foreignKeys"] = keys
    return schema


_LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
}


def _licence(code: str) -> dict:
    title, path = _LICENCES.get(code, (code, ""))
    return {"name": code, "title": title, **({"path": path} if path else {})}
