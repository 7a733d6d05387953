"""The database schema, as migrations: each brings a file from one version to the next.

Append, never edit, so that every file ever written can be brought forward step by step. What
each column means to an import (kinds, limits, headers) is in :mod:`twinmap.ingest.specs`;
``tests/test_schema.py`` checks the two against each other.
"""

from __future__ import annotations

import re

_SCHEMA_V1 = """
CREATE SEQUENCE city_ids;
CREATE SEQUENCE partnership_ids;
CREATE SEQUENCE event_ids;
CREATE SEQUENCE contact_ids;
CREATE SEQUENCE indicator_ids;

CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE cities (
    id INTEGER PRIMARY KEY DEFAULT nextval('city_ids'),
    name VARCHAR NOT NULL,
    local_name VARCHAR,
    country_code VARCHAR NOT NULL,
    region VARCHAR,
    lat DOUBLE NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon DOUBLE NOT NULL CHECK (lon BETWEEN -180 AND 180),
    population BIGINT,
    timezone VARCHAR,
    geonameid BIGINT,
    UNIQUE (name, country_code)
);

-- Dates are stored as the first day of their period plus a precision code (see dates.py).
CREATE TABLE partnerships (
    id INTEGER PRIMARY KEY DEFAULT nextval('partnership_ids'),
    home_city_id INTEGER NOT NULL,
    partner_city_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    signed_on DATE,
    signed_precision VARCHAR,
    valid_until DATE,
    valid_until_precision VARCHAR,
    purpose VARCHAR,
    areas VARCHAR[] NOT NULL DEFAULT [],
    programmes VARCHAR,
    obligations_home VARCHAR,
    obligations_partner VARCHAR,
    expected_results VARCHAR,
    success_indicators VARCHAR,
    notes VARCHAR,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (home_city_id, partner_city_id)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY DEFAULT nextval('event_ids'),
    partnership_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    starts_on DATE NOT NULL,
    starts_precision VARCHAR NOT NULL DEFAULT 'day',
    ends_on DATE,
    ends_precision VARCHAR,
    venue VARCHAR,
    host_city_id INTEGER,
    participants INTEGER,
    participants_note VARCHAR,
    status VARCHAR NOT NULL,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY DEFAULT nextval('contact_ids'),
    partnership_id INTEGER NOT NULL,
    city_id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    role VARCHAR,
    organisation VARCHAR,
    email VARCHAR,
    phone VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);

-- An indicator measured in a city, broken down by the visitors' country of origin
-- (origin_country NULL = all foreign visitors together).
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY DEFAULT nextval('indicator_ids'),
    city_id INTEGER NOT NULL,
    origin_country VARCHAR,
    indicator VARCHAR NOT NULL,
    period DATE NOT NULL,
    period_precision VARCHAR NOT NULL DEFAULT 'month',
    value DOUBLE NOT NULL,
    unit VARCHAR,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX indicators_lookup ON indicators (city_id, indicator, period);
CREATE INDEX events_by_partnership ON events (partnership_id, starts_on);
"""

# Version 2: recorded import batches (each can be undone) and the users who sign in.
_SCHEMA_V2 = """
CREATE SEQUENCE batch_ids;
CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY DEFAULT nextval('batch_ids'),
    table_name VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    user_name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    rows_read INTEGER NOT NULL DEFAULT 0,
    inserted INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    cities_created INTEGER NOT NULL DEFAULT 0,
    status VARCHAR NOT NULL DEFAULT 'committed',
    undone_at TIMESTAMP,
    undone_by VARCHAR
);
-- One row per row a batch inserted or updated, with the full previous values of an update
-- (JSON text), so an undo restores exactly what was there.
CREATE TABLE import_changes (
    batch_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    row_id INTEGER NOT NULL,
    action VARCHAR NOT NULL,
    before VARCHAR,
    PRIMARY KEY (batch_id, seq)
);
CREATE INDEX import_changes_row ON import_changes (table_name, row_id);
CREATE TABLE users (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP
);
"""

# Version 3: the lifecycle (stage history, missions, follow-up actions, indicator targets), other
# cities' ties for the network view, and what grant reports ask of an event.
_SCHEMA_V3 = """
CREATE SEQUENCE stage_ids;
CREATE SEQUENCE mission_ids;
CREATE SEQUENCE follow_up_ids;
CREATE SEQUENCE target_ids;
CREATE SEQUENCE tie_ids;
ALTER TABLE events ADD COLUMN participants_female INTEGER;
ALTER TABLE events ADD COLUMN participants_male INTEGER;
ALTER TABLE events ADD COLUMN participants_by_country VARCHAR;
ALTER TABLE events ADD COLUMN funding_source VARCHAR;
ALTER TABLE events ADD COLUMN budget DOUBLE;
ALTER TABLE events ADD COLUMN currency VARCHAR;
CREATE TABLE stages (
    id INTEGER PRIMARY KEY DEFAULT nextval('stage_ids'),
    partnership_id INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    entered_on DATE NOT NULL,
    entered_precision VARCHAR NOT NULL DEFAULT 'day',
    note VARCHAR,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE missions (
    id INTEGER PRIMARY KEY DEFAULT nextval('mission_ids'),
    title VARCHAR NOT NULL,
    destination_city_id INTEGER NOT NULL,
    starts_on DATE NOT NULL,
    starts_precision VARCHAR NOT NULL DEFAULT 'day',
    ends_on DATE,
    ends_precision VARCHAR,
    travellers VARCHAR,
    purpose VARCHAR,
    outcomes VARCHAR,
    status VARCHAR NOT NULL,
    partnership_id INTEGER,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY DEFAULT nextval('follow_up_ids'),
    partnership_id INTEGER NOT NULL,
    action VARCHAR NOT NULL,
    owner VARCHAR,
    due_on DATE NOT NULL,
    due_precision VARCHAR NOT NULL DEFAULT 'day',
    status VARCHAR NOT NULL,
    done_on DATE,
    done_precision VARCHAR,
    notes VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
-- A success indicator with a number: visitors from the partner's country to the home city
-- in the due period (usually a year) reach target_value.
CREATE TABLE targets (
    id INTEGER PRIMARY KEY DEFAULT nextval('target_ids'),
    partnership_id INTEGER NOT NULL,
    indicator VARCHAR NOT NULL,
    target_value DOUBLE NOT NULL,
    due_on DATE NOT NULL,
    due_precision VARCHAR NOT NULL DEFAULT 'year',
    description VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE ties (
    id INTEGER PRIMARY KEY DEFAULT nextval('tie_ids'),
    city_id INTEGER NOT NULL,
    other_city_id INTEGER NOT NULL,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX stages_by_partnership ON stages (partnership_id, entered_on);
CREATE INDEX follow_ups_by_partnership ON follow_ups (partnership_id, due_on);
"""

# Version 4: sign-in throttling for every name tried, known or not (the same answer for both),
# apart from the users themselves; recording an attempt does not touch the data version.
_SCHEMA_V4 = """
CREATE TABLE sign_in_attempts (
    name VARCHAR PRIMARY KEY,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    last_attempt TIMESTAMP NOT NULL
);
INSERT INTO sign_in_attempts
    SELECT name, failed_attempts, locked_until, current_timestamp FROM users WHERE failed_attempts > 0;
ALTER TABLE users DROP COLUMN failed_attempts;
ALTER TABLE users DROP COLUMN locked_until;
"""

# Version 5: an import that skipped invalid rows on request records how many; column mappings
# staff saved under a name, to read files of the same layout again. (DuckDB 1.4 cannot add a
# column with NOT NULL; the default fills every existing row, and the importer always writes it.)
_SCHEMA_V5 = """
ALTER TABLE import_batches ADD COLUMN skipped INTEGER DEFAULT 0;
CREATE TABLE column_mappings (
    name VARCHAR PRIMARY KEY,
    table_name VARCHAR NOT NULL,
    columns VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
"""

# Version 6: edits in the app's grids may delete rows (kept in the change log, so an undo brings
# them back); a batch counts them.
_SCHEMA_V6 = """
ALTER TABLE import_batches ADD COLUMN deleted INTEGER DEFAULT 0;
"""

# Version 7: a city is a place, not a name: two towns of one name may share a country (the San
# Juans of Argentina), so (name, country_code) is no longer unique, only indexed. Neither DuckDB
# nor the DuckDB-to-PostgreSQL path drops a constraint, so the table is built again (nothing
# refers to it by a foreign key; ids and the id sequence are kept). A city may also carry its
# Wikidata id, which pair lists use to say which city they mean.
_SCHEMA_V7 = """
CREATE TABLE cities_v7 (
    id INTEGER DEFAULT nextval('city_ids') PRIMARY KEY,
    name VARCHAR NOT NULL,
    local_name VARCHAR,
    country_code VARCHAR NOT NULL,
    region VARCHAR,
    lat DOUBLE NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon DOUBLE NOT NULL CHECK (lon BETWEEN -180 AND 180),
    population BIGINT,
    timezone VARCHAR,
    geonameid BIGINT,
    wikidata VARCHAR
);
INSERT INTO cities_v7 SELECT id, name, local_name, country_code, region, lat, lon, population, timezone, geonameid,
                             NULL FROM cities;
DROP TABLE cities;
ALTER TABLE cities_v7 RENAME TO cities;
CREATE INDEX cities_by_name ON cities (country_code, name);
-- Cities as pages name them: a name that two cities of one country share carries the region,
-- or else the coordinates ("San Juan, Tucumán", "Springfield (42.10, -72.59)").
CREATE VIEW city_names AS
SELECT id,
       CASE WHEN namesakes > 1 THEN name || qualifier ELSE name END AS name,
       CASE WHEN namesakes > 1 THEN local_name || qualifier ELSE local_name END AS local_name,
       country_code, region, lat, lon, population, timezone, geonameid, wikidata
FROM (SELECT *, count(*) OVER (PARTITION BY lower(name), country_code) AS namesakes,
             coalesce(', ' || region, ' (' || CAST(CAST(lat AS DECIMAL(8, 2)) AS VARCHAR) || ', '
                                            || CAST(CAST(lon AS DECIMAL(8, 2)) AS VARCHAR) || ')') AS qualifier
      FROM cities) AS c;
"""

# Version 8: a province on one database. A user may be limited to some home cities (none listed:
# every one); the people a directory signs in (OIDC) are users too, without a password; every
# sign-in, failed attempt and lockout is kept for the admins' audit, for a stated time.
_SCHEMA_V8 = """
CREATE TABLE user_home_cities (
    user_name VARCHAR NOT NULL,
    city_id INTEGER NOT NULL,
    PRIMARY KEY (user_name, city_id)
);
ALTER TABLE users ADD COLUMN sign_in VARCHAR DEFAULT 'password';
CREATE SEQUENCE sign_in_ids;
CREATE TABLE sign_ins (
    id INTEGER PRIMARY KEY DEFAULT nextval('sign_in_ids'),
    happened_at TIMESTAMP NOT NULL,
    name VARCHAR NOT NULL,
    method VARCHAR NOT NULL,
    outcome VARCHAR NOT NULL,
    detail VARCHAR
);
CREATE INDEX sign_ins_by_time ON sign_ins (happened_at);
"""

# Version 9: every session of a user ends at once, on every app server: a user's sessions carry
# the epoch they signed in under, and signing out, a new password or "sign out everywhere"
# moves it on (sessions read it again whenever the users change: meta key users_version).
_SCHEMA_V9 = """
ALTER TABLE users ADD COLUMN epoch INTEGER DEFAULT 0;
"""

# Version 10: an undone batch's history still says what it had changed. The undo keeps each
# changed row's values as the batch left them (``after``, JSON text) before restoring the old.
_SCHEMA_V10 = """
ALTER TABLE import_changes ADD COLUMN after VARCHAR;
"""

# Version 11: documents and photos belong to a record (a partnership, an event, a mission). Their
# bytes are stored once per content (``attachment_files``, keyed by the SHA-256 of the bytes as
# kept: photos re-encoded without their metadata), with a small picture made once for lists; an
# attachment row says which record holds them, what they are and who may see them. Every
# attachment names its partnership when it has one (an event's, a mission's), so home-city scopes
# apply to it as to the partnership's other rows. Both tables live in the store, so a backup, a
# copy to PostgreSQL and every replica carry them.
_SCHEMA_V11 = """
CREATE SEQUENCE attachment_ids;
CREATE TABLE attachment_files (
    sha256 VARCHAR PRIMARY KEY,
    media_type VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    width INTEGER,
    height INTEGER,
    pages INTEGER,
    content BLOB NOT NULL,
    thumbnail BLOB
);
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY DEFAULT nextval('attachment_ids'),
    partnership_id INTEGER,
    event_id INTEGER,
    mission_id INTEGER,
    sha256 VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    dated_on DATE,
    is_public BOOLEAN NOT NULL DEFAULT false,
    caption VARCHAR,
    credit VARCHAR,
    licence VARCHAR,
    added_by VARCHAR,
    added_at TIMESTAMP
);
CREATE INDEX attachments_by_partnership ON attachments (partnership_id);
"""

# Version 12: the unit's whole remit beyond twinnings. Organisations the city works with (networks,
# NGOs, investors, tour operators, diaspora associations, consulates, regions across the border),
# each of a home city; press coverage of the city; people of the city living abroad (private).
# Each may be tagged with the unit's goals it serves.
_SCHEMA_V12 = """
CREATE SEQUENCE organisation_ids;
CREATE SEQUENCE coverage_ids;
CREATE SEQUENCE person_abroad_ids;
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY DEFAULT nextval('organisation_ids'),
    home_city_id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    country_code VARCHAR NOT NULL,
    city VARCHAR,
    website VARCHAR,
    stage VARCHAR NOT NULL,
    since DATE,
    since_precision VARCHAR,
    fee DOUBLE,
    currency VARCHAR,
    fee_due_on DATE,
    fee_due_precision VARCHAR,
    goals VARCHAR[] NOT NULL DEFAULT [],
    notes VARCHAR,
    source VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE coverage (
    id INTEGER PRIMARY KEY DEFAULT nextval('coverage_ids'),
    home_city_id INTEGER NOT NULL,
    published_on DATE NOT NULL,
    published_precision VARCHAR NOT NULL DEFAULT 'day',
    outlet VARCHAR NOT NULL,
    country_code VARCHAR NOT NULL,
    language VARCHAR,
    title VARCHAR NOT NULL,
    link VARCHAR,
    tone VARCHAR NOT NULL,
    partner_city_id INTEGER,
    organisation VARCHAR,
    goals VARCHAR[] NOT NULL DEFAULT [],
    is_demo BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE people_abroad (
    id INTEGER PRIMARY KEY DEFAULT nextval('person_abroad_ids'),
    home_city_id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    country_code VARCHAR NOT NULL,
    city VARCHAR,
    association VARCHAR,
    occupation VARCHAR,
    offered VARCHAR,
    consent BOOLEAN NOT NULL DEFAULT false,
    consent_on DATE,
    consent_precision VARCHAR,
    email VARCHAR,
    phone VARCHAR,
    notes VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false
);
"""

# Version 13: work that belongs to an organisation as well as (or, for a mission, instead of) a
# partnership: an event, a mission or a follow-up names one of its home city's organisations by
# name (the organisations' key within a home city; a contact's organisation already does), and is
# tagged with the unit's goals it serves. An organisation records an open call or project and the
# day it closes, which is due like its fee.
_SCHEMA_V13 = """
ALTER TABLE events ADD COLUMN organisation VARCHAR;
ALTER TABLE events ADD COLUMN goals VARCHAR[] DEFAULT [];
ALTER TABLE missions ADD COLUMN organisation VARCHAR;
ALTER TABLE missions ADD COLUMN goals VARCHAR[] DEFAULT [];
ALTER TABLE follow_ups ADD COLUMN organisation VARCHAR;
ALTER TABLE follow_ups ADD COLUMN goals VARCHAR[] DEFAULT [];
ALTER TABLE organisations ADD COLUMN call VARCHAR;
ALTER TABLE organisations ADD COLUMN call_closes_on DATE;
ALTER TABLE organisations ADD COLUMN call_closes_precision VARCHAR;
"""

# (version, SQL that brings a file from version-1 to version). Append, never edit, so that
# every file ever written can be brought forward step by step.
MIGRATIONS: list[tuple[int, str]] = [
    (1, _SCHEMA_V1),
    (2, _SCHEMA_V2),
    (3, _SCHEMA_V3),
    (4, _SCHEMA_V4),
    (5, _SCHEMA_V5),
    (6, _SCHEMA_V6),
    (7, _SCHEMA_V7),
    (8, _SCHEMA_V8),
    (9, _SCHEMA_V9),
    (10, _SCHEMA_V10),
    (11, _SCHEMA_V11),
    (12, _SCHEMA_V12),
    (13, _SCHEMA_V13),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

# The sequence each table's ids come from, as the schema's column defaults name them.
SEQUENCES: dict[str, str] = {
    table: sequence
    for _version, sql in MIGRATIONS
    for table, sequence in re.findall(r"CREATE TABLE (\w+) \(\s*id INTEGER PRIMARY KEY DEFAULT nextval\('(\w+)'\)", sql)
}
