"""Write the demo events, contacts and tourism indicators shipped in data/.

Run by hand (``python scripts/make_demo_data.py``) when the demo story changes; the output is
deterministic and committed. Every row written here is invented and carries ``is_demo=true``,
except that the three festival rows reproduce the example table of the twinning guide (its
days, places and participants; the year and the partnership are invented, so they are demo too).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
KEYS = ["home_city", "home_country", "partner_city", "partner_country"]

SARI, SHIRAZ = ("Sari", "IR"), ("Shiraz", "IR")
P = {
    "turkmenbashi": (*SARI, "Turkmenbashi", "TM"),
    "lankaran": (*SARI, "Lankaran", "AZ"),
    "astrakhan": (*SARI, "Astrakhan", "RU"),
    "montesilvano": (*SARI, "Montesilvano", "IT"),
    "aktau": (*SARI, "Aktau", "KZ"),
    "batumi": (*SARI, "Batumi", "GE"),
    "trabzon": (*SARI, "Trabzon", "TR"),
    "varna": (*SARI, "Varna", "BG"),
    "makhachkala": (*SARI, "Makhachkala", "RU"),
    "samarkand": (*SARI, "Samarkand", "UZ"),
    "weimar": (*SHIRAZ, "Weimar", "DE"),
    "kazan": (*SHIRAZ, "Kazan", "RU"),
}

# (partnership, kind, title, start, end, venue, host: "home"/"partner", participants, note, status)
EVENTS = [
    ("astrakhan", "delegation_visit", "Astrakhan delegation visits Sari", "2015-03-10", "2015-03-13", "Sari City Hall", "home", 12, "", "held"),
    ("astrakhan", "student_exchange", "Summer school for Sari students in Astrakhan", "2016-07-04", "2016-07-22", "Astrakhan State University", "partner", 24, "", "held"),
    ("astrakhan", "festival", "Days of Astrakhan culture in Sari", "2018-09-20", "2018-09-23", "Shahr-Ashob square", "home", 180, "", "held"),
    ("astrakhan", "business_mission", "Caspian trade mission to Astrakhan", "2019-05-14", "2019-05-16", "Astrakhan Chamber of Commerce", "partner", 30, "", "held"),
    ("astrakhan", "seminar", "Webinar on river-front tourism", "2023-02-08", "2023-02-08", "Online", "home", 60, "", "held"),
    ("astrakhan", "delegation_visit", "Sari delegation at Astrakhan city day", "2025-09-12", "2025-09-14", "Astrakhan Kremlin", "partner", 9, "", "held"),
    ("astrakhan", "festival", "Cultural-heritage festival", "2026-06-12", "2026-06-15", "City park", "home", None, "dozens of creative groups", "held"),
    ("astrakhan", "sport", "Football tournament", "2026-07-01", "2026-07-03", "SportArena stadium", "partner", 6, "6 teams from the two cities", "held"),
    ("astrakhan", "festival", "Contemporary-art festival", "2026-08-07", "2026-08-10", "Centre of contemporary art", "home", None, "well-known artists and sculptors", "held"),
    ("astrakhan", "delegation_visit", "Nowruz delegation from Astrakhan", "2027-03-16", "2027-03-19", "Sari City Hall", "home", 10, "", "planned"),
    ("astrakhan", "youth_exchange", "Caspian youth forum", "2027-05-10", "2027-05-14", "Astrakhan", "partner", 40, "", "planned"),
    ("montesilvano", "delegation_visit", "Montesilvano delegation visits Sari", "2017-04-24", "2017-04-27", "Sari City Hall", "home", 8, "", "held"),
    ("montesilvano", "seminar", "Seminar on coastal tourism", "2018-10-03", "2018-10-04", "Montesilvano Congress Centre", "partner", 75, "", "held"),
    ("montesilvano", "exhibition", "Mazandaran crafts exhibition", "2019-06-15", "2019-06-30", "Montesilvano", "partner", 40, "", "held"),
    ("montesilvano", "student_exchange", "Hospitality students exchange", "2022-09-05", "2022-09-30", "Pescara hotel school", "partner", 16, "", "held"),
    ("montesilvano", "festival", "Italian food and film week", "2024-05-02", "2024-05-08", "Sari cultural centre", "home", 300, "", "held"),
    ("montesilvano", "seminar", "Webinar: seaside towns off-season", "2026-12-08", "2026-12-08", "Online", "partner", 50, "", "confirmed"),
    ("montesilvano", "business_mission", "Sari at the Adriatic tourism fair", "2027-04-14", "2027-04-17", "Pescara fairground", "partner", 7, "", "planned"),
    ("aktau", "delegation_visit", "Signing ceremony in Sari", "2018-09-11", "2018-09-12", "Sari City Hall", "home", 14, "", "held"),
    ("aktau", "youth_exchange", "Caspian youth camp", "2019-07-08", "2019-07-18", "Sari forest park", "home", 40, "", "held"),
    ("aktau", "youth_exchange", "Caspian youth camp", "2022-07-11", "2022-07-21", "Aktau seaside", "partner", 38, "", "held"),
    ("aktau", "youth_exchange", "Caspian youth camp", "2023-07-10", "2023-07-20", "Aktau seaside", "partner", 42, "", "held"),
    ("aktau", "festival", "Sari stand at the Mangystau tourism fair", "2024-04-18", "2024-04-20", "Aktau", "partner", 6, "", "held"),
    ("aktau", "youth_exchange", "Caspian youth camp", "2025-07-14", "2025-07-24", "Sari forest park", "home", 44, "", "held"),
    ("aktau", "delegation_visit", "Aktau mayor's office visits Sari", "2026-12-15", "2026-12-17", "Sari City Hall", "home", 8, "", "confirmed"),
    ("aktau", "youth_exchange", "Caspian youth camp", "2027-07-12", "2027-07-22", "Aktau seaside", "partner", 40, "", "planned"),
    ("batumi", "festival", "Georgian cultural week in Sari", "2020-02-10", "2020-02-16", "Sari cultural centre", "home", 120, "", "held"),
    ("batumi", "sport", "Beach volleyball cup", "2022-08-19", "2022-08-21", "Batumi boulevard", "partner", 12, "12 teams", "held"),
    ("batumi", "sport", "Beach volleyball cup", "2023-08-18", "2023-08-20", "Farahabad beach", "home", 12, "12 teams", "held"),
    ("batumi", "seminar", "Resort-city management seminar", "2025-03-04", "2025-03-05", "Batumi", "partner", 35, "", "held"),
    ("batumi", "delegation_visit", "Batumi delegation visits Sari", "2026-05-05", "2026-05-07", "Sari City Hall", "home", 8, "", "held"),
    ("batumi", "sport", "Beach volleyball cup", "2027-06-18", "2027-06-20", "Batumi boulevard", "partner", 12, "", "planned"),
    ("trabzon", "delegation_visit", "Trabzon delegation visits Sari", "2015-10-06", "2015-10-08", "Sari City Hall", "home", 10, "", "held"),
    ("trabzon", "exhibition", "Black Sea photography exhibition", "2016-05-10", "2016-05-24", "Sari cultural centre", "home", 25, "", "held"),
    ("trabzon", "seminar", "Forest tourism seminar", "2017-11-21", "2017-11-22", "Trabzon", "partner", 50, "", "held"),
    ("trabzon", "festival", "Hamsi and citrus festival", "2018-05-03", "2018-05-06", "Trabzon", "partner", 80, "", "held"),
    ("varna", "student_exchange", "Student exchange, autumn term", "2024-09-16", "2024-12-20", "University of Mazandaran", "home", 6, "", "held"),
    ("varna", "student_exchange", "Student exchange, autumn term", "2025-09-15", "2025-12-19", "Varna Free University", "partner", 8, "", "held"),
    ("varna", "expert_exchange", "Beach-management experts visit Varna", "2027-02-08", "2027-02-12", "Varna", "partner", 5, "", "planned"),
    ("makhachkala", "festival", "Caspian folk music evening", "2012-06-15", "2012-06-15", "Makhachkala", "partner", 60, "", "held"),
    ("makhachkala", "delegation_visit", "Makhachkala delegation visits Sari", "2013-04-02", "2013-04-04", "Sari City Hall", "home", 7, "", "held"),
    ("samarkand", "exhibition", "Silk Road miniatures exhibition", "2021-09-20", "2021-10-10", "Sari cultural centre", "home", 30, "", "held"),
    ("samarkand", "festival", "Sharq Taronalari music festival", "2023-08-25", "2023-08-30", "Registan square", "partner", 20, "", "held"),
    ("samarkand", "seminar", "Heritage-city tourism conference", "2025-10-07", "2025-10-08", "Samarkand", "partner", 90, "", "held"),
    ("samarkand", "delegation_visit", "Samarkand delegation for Nowruz", "2027-03-20", "2027-03-23", "Sari City Hall", "home", 9, "", "planned"),
    ("weimar", "festival", "Hafez and Goethe cultural week", "2019-10-14", "2019-10-20", "Weimar", "partner", 150, "", "held"),
    ("weimar", "student_exchange", "Bauhaus summer school", "2024-07-01", "2024-07-26", "Bauhaus-Universität Weimar", "partner", 12, "", "held"),
    ("weimar", "delegation_visit", "Weimar delegation at the Hafez memorial day", "2025-10-11", "2025-10-13", "Hafezieh", "home", 11, "", "held"),
    ("weimar", "festival", "Goethe and Hafez poetry evening", "2026-05-16", "2026-05-16", "Weimar", "partner", 90, "", "held"),
    ("weimar", "exhibition", "Persian calligraphy exhibition", "2027-01-20", "2027-02-20", "Weimar", "partner", 15, "", "planned"),
    ("kazan", "student_exchange", "Kazan Federal University exchange", "2023-02-06", "2023-06-30", "Kazan", "partner", 10, "", "held"),
    ("kazan", "seminar", "Conference on Islamic heritage tourism", "2025-11-12", "2025-11-13", "Shiraz", "home", 70, "", "held"),
]  # fmt: skip

GUIDE_TITLES = {"Cultural-heritage festival", "Football tournament", "Contemporary-art festival"}

# Origin countries of foreign visitors to Sari and Shiraz: base monthly arrivals, signing month,
# uplift after signing (a demo story: some partnerships lift arrivals, some do not).
ORIGINS = {
    "Sari": {
        "RU": (260, "2014-05", 0.35), "IT": (25, "2016-08", 0.10), "KZ": (80, "2018-09", 0.50),
        "GE": (45, "2019-10", 0.30), "TR": (140, "2015-06", 0.0), "BG": (12, "2024-05", 0.20),
        "UZ": (30, "2021-04", 0.25), "AZ": (300, None, 0.0), "TM": (150, None, 0.0),
    },
    "Shiraz": {"DE": (400, None, 0.0), "RU": (220, "2022-10", 0.15)},
}  # fmt: skip
OTHERS = {"Sari": 700, "Shiraz": 2500}


def _months(first: str, last: str) -> list[dt.date]:
    y, m = map(int, first.split("-"))
    ly, lm = map(int, last.split("-"))
    out = []
    while (y, m) <= (ly, lm):
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _factor(month: dt.date, signed: str | None, uplift: float) -> float:
    """Season, a general 4 % yearly growth, the pandemic dip and the partnership's uplift."""
    season = 1 + 0.45 * math.sin((month.month - 4) / 12 * 2 * math.pi)
    trend = 1.04 ** (month.year - 2012 + month.month / 12)
    covid = 0.12 if dt.date(2020, 3, 1) <= month <= dt.date(2020, 12, 1) else 1.0
    covid = 0.45 if dt.date(2021, 1, 1) <= month <= dt.date(2021, 9, 1) else covid
    lift = 1.0
    if signed:
        sy, sm = map(int, signed.split("-"))
        elapsed = (month.year - sy) * 12 + month.month - sm
        lift = 1 + uplift * min(max(elapsed, 0) / 24, 1.0)
    return season * trend * covid * lift


def write_indicators(rng: random.Random) -> dict[tuple[str, str, int], float]:
    """Monthly arrivals by origin country, and the all-foreign total, for each home city.

    Returns yearly arrivals by (city, origin, year), which the demo targets are set from.
    """
    rows = []
    yearly: dict[tuple[str, str, int], float] = {}
    for city, origins in ORIGINS.items():
        for month in _months("2012-01", "2026-09"):
            total = OTHERS[city] * _factor(month, None, 0) * rng.uniform(0.9, 1.1)
            for cc, (base, signed, uplift) in origins.items():
                value = round(base * _factor(month, signed, uplift) * rng.uniform(0.85, 1.15))
                total += value
                yearly[(city, cc, month.year)] = yearly.get((city, cc, month.year), 0) + value
                rows.append([city, "IR", cc, "tourist_arrivals", month.strftime("%Y-%m"), value])
            rows.append([city, "IR", "", "tourist_arrivals", month.strftime("%Y-%m"), round(total)])
            rows.append([city, "IR", "", "overnight_stays", month.strftime("%Y-%m"), round(total * 2.6)])
    with open(DATA / "indicators.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["city", "country", "origin_country", "indicator", "period", "value", "unit", "source", "is_demo"])
        for r in rows:
            unit = "nights" if r[3] == "overnight_stays" else "persons"
            w.writerow([*r, unit, "demo data (synthetic series)", "true"])
    return yearly


FUNDING = ["city_budget", "partner", "grant", "sponsor", "mixed"]


def _grant_fields(i: int, keys: tuple, host: str, start: str, n: int | None) -> list:
    """Women, men, participants by country, funding, budget, currency of events from 2024 on."""
    if not n or start < "2024-01-01":
        return ["", "", "", "", "", ""]
    women = round(n * (0.35 + 0.05 * (i % 4)))
    host_share = round(n * 0.6)
    home_cc, partner_cc = keys[1], keys[3]
    hosts, guests = (home_cc, partner_cc) if host == "home" else (partner_cc, home_cc)
    by_country = f"{hosts}:{host_share};{guests}:{n - host_share}"
    funding = FUNDING[i % len(FUNDING)]
    budget = 1500 + 250 * n
    return [women, n - women, by_country, funding, budget, "EUR"]


def write_events() -> None:
    """The demo events, with the guide's three example rows marked by their source."""
    with open(DATA / "events.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([*KEYS, "kind", "title", "starts_on", "ends_on", "venue", "host_city", "host_country",
                    "participants", "participants_note", "participants_female", "participants_male",
                    "participants_by_country", "funding_source", "budget", "currency", "status", "source",
                    "is_demo"])  # fmt: skip
        for i, (key, kind, title, start, end, venue, host, n, note, status) in enumerate(EVENTS):
            keys = P[key]
            host_city = keys[:2] if host == "home" else keys[2:]
            source = (
                "example table of the twinning guide (year and partnership are demo)"
                if title in GUIDE_TITLES
                else "demo data"
            )
            grant = _grant_fields(i, keys, host, start, n)
            w.writerow(
                [*keys, kind, title, start, end, venue, *host_city, n if n else "", note, *grant, status, source,
                 "true"]
            )  # fmt: skip


# When each partnership entered each stage. The two signings the Persian article dates are
# not demo; everything else is.
STAGES = [
    ("astrakhan", "signed", "1393/02", "signing date from the Persian article", "false"),
    ("astrakhan", "active", "2015-03-10", "demo data", "true"),
    ("montesilvano", "analysis", "2015-12", "demo data", "true"),
    ("montesilvano", "signed", "1395/05", "signing date from the Persian article", "false"),
    ("aktau", "candidate", "2016-03-01", "demo data", "true"),
    ("aktau", "analysis", "2016-09-15", "demo data", "true"),
    ("aktau", "contacts", "2017-04-10", "demo data", "true"),
    ("aktau", "negotiating", "2017-11-20", "demo data", "true"),
    ("aktau", "signed", "2018-09-12", "demo data", "true"),
    ("aktau", "active", "2019-07-08", "demo data", "true"),
    ("batumi", "contacts", "2018-05-02", "demo data", "true"),
    ("batumi", "negotiating", "2019-02-11", "demo data", "true"),
    ("batumi", "signed", "2019-10-14", "demo data", "true"),
    ("batumi", "active", "2020-02-10", "demo data", "true"),
    ("turkmenbashi", "candidate", "2025-01-15", "demo data", "true"),
    ("turkmenbashi", "analysis", "2025-06-01", "demo data", "true"),
    ("turkmenbashi", "contacts", "2025-11-20", "demo data", "true"),
    ("turkmenbashi", "negotiating", "2026-06-10", "demo data", "true"),
    ("lankaran", "candidate", "2026-09-01", "demo data", "true"),
    ("trabzon", "signed", "2015-06-03", "demo data", "true"),
    ("trabzon", "active", "2015-10-06", "demo data", "true"),
    ("trabzon", "dormant", "2021-01-10", "demo data", "true"),
    ("varna", "negotiating", "2023-10-01", "demo data", "true"),
    ("varna", "signed", "2024-05-20", "demo data", "true"),
    ("makhachkala", "signed", "2011-11-10", "demo data", "true"),
    ("makhachkala", "active", "2012-06-15", "demo data", "true"),
    ("makhachkala", "dormant", "2014-09-01", "demo data", "true"),
    ("makhachkala", "ended", "2016-11-09", "demo data", "true"),
    ("samarkand", "signed", "2021-04-07", "demo data", "true"),
    ("samarkand", "active", "2021-09-20", "demo data", "true"),
    ("weimar", "active", "2019-10-14", "demo data", "true"),
    ("kazan", "signed", "2022-10-18", "demo data", "true"),
    ("kazan", "active", "2023-02-06", "demo data", "true"),
]

# (title, destination, country, start, end, travellers, purpose, outcomes, status, partnership or None)
MISSIONS = [
    ("Visit to the Mangystau tourism fair", "Aktau", "KZ", "2024-04-17", "2024-04-21", "Deputy mayor, 3 staff",
     "Promote Sari at the fair", "Two tour operators agreed Caspian packages", "done", "aktau"),
    ("Delegation to Astrakhan city day", "Astrakhan", "RU", "2025-09-11", "2025-09-15",
     "Mayor of Sari, head of international affairs, 7 staff", "City day; youth forum talks",
     "Caspian youth forum agreed for May 2027", "done", "astrakhan"),
    ("Exploratory visit to Turkmenbashi", "Turkmenbashi", "TM", "2025-11-18", "2025-11-21",
     "Head of international affairs, 2 staff", "First contacts; port and ferry tourism",
     "Both sides to draft a memorandum", "done", "turkmenbashi"),
    ("ITB tourism fair", "Berlin", "DE", "2026-03-03", "2026-03-07", "2 staff of the tourism office",
     "Meet tour operators; look for partner cities", "Contacts with 6 operators", "done", None),
    ("First visit to Lankaran", "Lankaran", "AZ", "2027-01-19", "2027-01-22", "Head of international affairs",
     "Analyse Lankaran as a partner", "", "planned", "lankaran"),
    ("Adriatic tourism fair", "Pescara", "IT", "2027-04-13", "2027-04-18", "Deputy mayor, 2 staff",
     "Joint stand with Montesilvano", "", "planned", "montesilvano"),
]  # fmt: skip

# (partnership, action, owner, due, status, done)
FOLLOW_UPS = [
    ("astrakhan", "Report on the city-day visit to the council", "International unit", "2025-10-31", "done",
     "2025-10-20"),
    ("astrakhan", "Agree the programme of the Nowruz delegation", "International unit", "2026-11-01", "open", ""),
    ("astrakhan", "Send the youth forum programme to Astrakhan", "Youth department", "2026-12-15", "open", ""),
    ("montesilvano", "Translate the tourism brochure into Italian", "Tourism office", "2025-12-31", "done",
     "2026-02-15"),
    ("montesilvano", "Package-tour offer with Montesilvano hotels", "Tourism office", "2026-06-30", "open", ""),
    ("aktau", "Youth camp 2025 report", "Youth department", "2025-09-30", "done", "2025-09-25"),
    ("aktau", "Propose renewal of the agreement", "International unit", "2027-01-31", "open", ""),
    ("batumi", "Budget of the 2027 volleyball cup", "Sport department", "2026-10-31", "done", "2026-11-15"),
    ("trabzon", "Propose a revival programme to Trabzon", "International unit", "2026-03-31", "open", ""),
    ("varna", "Set up the 2025 student exchange", "University liaison", "2025-05-31", "done", "2025-05-10"),
    ("samarkand", "Invite the Samarkand delegation for Nowruz", "International unit", "2027-01-15", "open", ""),
    ("turkmenbashi", "Draft the memorandum text", "Legal department", "2026-12-20", "open", ""),
    ("kazan", "Annual report of the partnership", "Shiraz international office", "2026-01-31", "done",
     "2026-01-28"),
]  # fmt: skip

# (partnership, origin country, year, factor of the year's actual arrivals): a target a little
# below what came is met, one above is missed.
TARGETS = [
    ("astrakhan", "RU", 2025, 0.95), ("montesilvano", "IT", 2025, 1.4), ("aktau", "KZ", 2025, 0.9),
    ("batumi", "GE", 2025, 1.25), ("samarkand", "UZ", 2026, 1.1), ("kazan", "RU", 2025, 0.97),
]  # fmt: skip

# Other cities' twinnings for the network view (illustrative: marked demo).
TIES = [
    ("Weimar", "DE", "Blois", "FR"), ("Weimar", "DE", "Siena", "IT"), ("Weimar", "DE", "Trier", "DE"),
    ("Weimar", "DE", "Hämeenlinna", "FI"), ("Weimar", "DE", "Zamość", "PL"), ("Astrakhan", "RU", "Aktau", "KZ"),
    ("Astrakhan", "RU", "Atyrau", "KZ"), ("Astrakhan", "RU", "Baku", "AZ"), ("Montesilvano", "IT", "Pescara", "IT"),
    ("Batumi", "GE", "Varna", "BG"), ("Batumi", "GE", "Trabzon", "TR"), ("Kazan", "RU", "Istanbul", "TR"),
    ("Samarkand", "UZ", "Bukhara", "UZ"), ("Aktau", "KZ", "Baku", "AZ"),
]  # fmt: skip


def _write(name: str, header: list[str], rows: list[list]) -> None:
    with open(DATA / name, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_lifecycle(arrivals: dict[tuple[str, str, int], float]) -> None:
    """Stage history, missions, follow-up actions, targets and other cities' ties."""
    _write("stages.csv", [*KEYS, "status", "entered_on", "source", "is_demo"],
           [[*P[k], s, d, src, demo] for k, s, d, src, demo in STAGES])  # fmt: skip
    _write(
        "missions.csv",
        ["title", "destination", "destination_country", "starts_on", "ends_on", "travellers", "purpose", "outcomes",
         "status", *KEYS, "is_demo"],
        [[*m[:9], *(P[m[9]] if m[9] else ("", "", "", "")), "true"] for m in MISSIONS],
    )  # fmt: skip
    _write("follow_ups.csv", [*KEYS, "action", "owner", "due_on", "status", "done_on", "is_demo"],
           [[*P[k], *rest, "true"] for k, *rest in FOLLOW_UPS])  # fmt: skip
    rows = []
    for key, origin, year, factor in TARGETS:
        home = P[key][0]
        target = round(arrivals[(home, origin, year)] * factor, -2)
        rows.append([*P[key], "tourist_arrivals", target, str(year), f"Visitors from {origin} in {year}", "true"])
    _write("targets.csv", [*KEYS, "indicator", "target_value", "due_on", "description", "is_demo"], rows)
    _write("ties.csv", ["city", "country", "other_city", "other_country", "source", "is_demo"],
           [[*t, "demo data (illustrative)", "true"] for t in TIES])  # fmt: skip


def write_contacts() -> None:
    """Two coordinators per partnership that has an agreement (invented, marked demo)."""
    with open(DATA / "contacts.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([*KEYS, "side", "name", "role", "organisation", "email", "phone", "is_demo"])
        for key, keys in P.items():
            if key in {"turkmenbashi", "lankaran"}:  # no agreement yet, no coordinators
                continue
            w.writerow([*keys, "home", f"Coordinator for {keys[2]} (demo)", "International affairs officer",
                        f"{keys[0]} Municipality", f"intl.{key}@example.org", "+98 11 0000 0000", "true"])  # fmt: skip
            w.writerow([*keys, "partner", f"Coordinator for {keys[0]} (demo)", "Head of external relations",
                        f"{keys[2]} City Administration", f"partner.{key}@example.org", "", "true"])  # fmt: skip


if __name__ == "__main__":
    write_events()
    write_contacts()
    write_lifecycle(write_indicators(random.Random(2026)))
    print("wrote events, contacts, indicators, stages, missions, follow_ups, targets, ties in", DATA)
