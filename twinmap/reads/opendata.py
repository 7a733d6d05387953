"""What the city publishes as open data: public partnerships, their cities, public events, ties and photos.

Every column is named here, one by one: a column added to the schema later is never published
by accident. Private data never leaves: partnerships in a private stage (candidate, analysis,
first contacts, negotiating) and everything of theirs, internal notes, contacts, health,
follow-ups, targets, budgets and funding, and every document and staff-only photo.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from twinmap.core import reference

PARTNERSHIPS_SQL = """
SELECT p.id, p.home_city_id, p.partner_city_id, p.kind, p.status,
       p.signed_on, p.signed_precision, p.valid_until, p.valid_until_precision,
       p.purpose, array_to_string(p.areas, ';') AS areas, p.programmes, p.obligations_home, p.obligations_partner,
       p.expected_results, p.success_indicators, p.source
FROM partnerships p
WHERE NOT list_contains($private::VARCHAR[], p.status)
ORDER BY p.id
"""

EVENTS_SQL = """
SELECT e.id, e.partnership_id, e.kind, e.title, e.starts_on, e.starts_precision, e.ends_on, e.ends_precision,
       e.venue, e.host_city_id, e.participants, e.status
FROM events e JOIN partnerships p ON p.id = e.partnership_id
WHERE NOT list_contains($private::VARCHAR[], p.status) AND NOT list_contains($cancelled::VARCHAR[], e.status)
ORDER BY e.starts_on, e.id
"""

# Public photos of public partnerships and their published events: what they show and who took them.
PHOTOS_SQL = """
SELECT a.id, a.partnership_id, a.event_id, a.title, a.caption, a.dated_on, a.credit, a.licence, f.media_type,
       f.width, f.height
FROM attachments a JOIN attachment_files f ON f.sha256 = a.sha256 JOIN partnerships p ON p.id = a.partnership_id
LEFT JOIN events e ON e.id = a.event_id
WHERE a.is_public AND a.kind = 'photo' AND f.media_type LIKE 'image/%'
  AND NOT list_contains($private::VARCHAR[], p.status)
  AND (a.event_id IS NULL OR (e.id IS NOT NULL AND NOT list_contains($cancelled::VARCHAR[], e.status)))
  AND a.mission_id IS NULL
ORDER BY a.id
"""

TIES_SQL = "SELECT t.id, t.city_id, t.other_city_id, t.source FROM ties t ORDER BY t.id"

CITIES_SQL = """
SELECT c.id, c.name, c.local_name, c.country_code, c.region, c.lat, c.lon, c.population, c.timezone,
       c.geonameid, c.wikidata
FROM cities c WHERE c.id IN (SELECT unnest($ids::INTEGER[])) ORDER BY c.id
"""


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The public tables, by name: partnerships, events, ties and every city they name (and only those)."""
    cur = con.cursor()
    private = {"private": sorted(reference.PRIVATE_STATUSES)}
    partnerships = cur.execute(PARTNERSHIPS_SQL, private).df()
    cancelled = {"cancelled": list(reference.EVENT_CANCELLED)}
    events = cur.execute(EVENTS_SQL, {**private, **cancelled}).df()
    photos = cur.execute(PHOTOS_SQL, {**private, **cancelled}).df()
    ties = cur.execute(TIES_SQL).df()
    named = set(partnerships["home_city_id"]) | set(partnerships["partner_city_id"]) | set(ties["city_id"])
    named |= set(ties["other_city_id"]) | set(events["host_city_id"].dropna())
    cities = cur.execute(CITIES_SQL, {"ids": sorted(int(i) for i in named)}).df()
    return {"partnerships": partnerships, "cities": cities, "events": events, "ties": ties, "photos": photos}
