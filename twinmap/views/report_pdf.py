"""The annual report as a printed A4 PDF, typeset by Typst with embedded fonts.

Typst was chosen by measuring (bench/RESULTS.md): it is one wheel from PyPI with no system
library, it shapes Persian and lays pages out right to left, and it sets 50,000 lines in about
5 s where WeasyPrint needs about a minute and Chromium's print gives up. Tables are made by the
pages' own table builders and charts by the pages' own chart builders (drawn as SVG by
``vector``), so numbers, dates, digits and calendar read exactly as on the pages.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pandas as pd
import typst

from twinmap.core import reference
from twinmap.reads import health
from twinmap.reads import relations as reads_relations
from twinmap.reads import report as reads
from twinmap.views import charts, tables, vector
from twinmap.views.i18n import ENGLISH, N_, Translator
from twinmap.views.labels import pair_labels, rtl_order

FONTS = Path(__file__).resolve().parent.parent / "fonts"
TEMPLATE = Path(__file__).with_name("report.typ")

VERSIONS = {True: N_("Internal version: health, follow-ups and targets included"),
            False: N_("Public version: public data only")}  # fmt: skip


class ReportError(RuntimeError):
    """The typesetter refused the document (a bug of ours, said plainly instead of a traceback)."""


def _table(frame: pd.DataFrame, widths: list[float] | None = None) -> dict:
    """A table block from a frame in reading order (Typst sets a right-to-left reader's first column on the right).

    A table builder's frame is reversed for right-to-left screens; ``rtl_order`` (its own inverse)
    turns it back into reading order.
    """
    rows = [["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in row]
            for row in frame.itertuples(index=False)]  # fmt: skip
    return {"kind": "table", "columns": [str(c) for c in frame.columns],
            "widths": widths or [1.0] * len(frame.columns), "rows": rows}  # fmt: skip


def _heading(text: str, level: int = 1) -> dict:
    return {"kind": "heading", "level": level, "text": text}


def _note(text: str) -> dict:
    return {"kind": "note", "text": text}


def _section(title: str, frame: pd.DataFrame | None, empty: str, widths: list[float] | None = None,
             level: int = 1) -> list[dict]:  # fmt: skip
    """A heading and its table (in reading order), or a sentence saying there is nothing to show."""
    return [_heading(title, level), _table(frame, widths) if frame is not None and len(frame) else _note(empty)]


def document(r: reads.Year, tr: Translator = ENGLISH, homes: list[str] | None = None, publisher: str = "",
             made: dt.datetime | None = None) -> tuple[dict, dict[str, str | bytes]]:  # fmt: skip
    """The report's data (every text in the reader's language) and its images (SVG, JPEG, by file name)."""
    made = made or dt.datetime.now()
    year = tr.digits(str(r.year))
    scope = tr.join(homes) if homes else tr("All home cities")
    images: dict[str, str | bytes] = {"map.svg": vector.map_svg(r.partners),
              "status.svg": vector.figure_svg(charts.status_bar(r.by_status, tr, 11), 500, tr=tr)}  # fmt: skip
    blocks = [_heading(tr("The year in figures")), {"kind": "figures", "items": _figures(r, tr)},
              _note(tr("As of {day}; {span}.", day=tr.date(r.as_of, "day"), span=_span(r, tr))),
              _heading(tr("Where the partners are")),
              {"kind": "image", "file": "map.svg", "width": 1.0, "alt": tr("Map of the partner cities")},
              _note(tr("Squares: home cities; dots: partner cities, coloured by stage.")),
              {"kind": "image", "file": "status.svg", "width": 0.8, "alt": tr("Partnerships by status")}]  # fmt: skip
    blocks += _events(r, tr, images)
    blocks += _photos(r, tr, images)
    if r.internal:
        blocks += _internal(r, tr)
    blocks += _tourism(r, tr)
    blocks += _goals(r, tr)
    expiring = rtl_order(tables.expiring_table(r.expiring_next, r.as_of, tr), tr) if len(r.expiring_next) else None
    blocks += _section(tr("Agreements expiring next year"), expiring, tr("No agreement expires next year."),
                       [3, 1.2, 1])  # fmt: skip
    if r.internal and r.health is not None:
        blocks += _section(tr("Each partnership's health"), _health_lines(r.health, tr),
                           tr("No agreement in force."), [2.8, 1.3, 1.5, 4])  # fmt: skip
    title = tr("Annual report {year}: sister-city partnerships", year=year)
    data = {
        "lang": tr.lang,
        "rtl": tr.rtl,
        "fonts": ["Vazirmatn", "Noto Sans"] if tr.rtl else ["Noto Sans", "Vazirmatn"],
        "numbering": "۱" if tr.lang == "fa" else "1",
        "title": title,
        "subtitle": f"{scope} · {tr(VERSIONS[r.internal])}",
        "made": tr("Made on {day} by twinmap", day=tr.moment(made)),
        "footer": title,
        "publisher": publisher or "twinmap",
        "blocks": blocks,
    }
    return data, images


def _span(r: reads.Year, tr: Translator) -> str:
    return tr("the year runs from {first} to {last}", first=tr.date(r.first, "day"), last=tr.date(r.last, "day"))


def _figures(r: reads.Year, tr: Translator) -> list[list[str]]:
    """The year in figures, each a label and the reader's number."""
    names = {
        "signed_partners": N_("Partners (agreements in force)"),
        "active": N_("Active"),
        "dormant": N_("Dormant"),
        "fading": N_("Fading"),
        "new_agreements": N_("New agreements"),
        "agreements_ending": N_("Agreements ending"),
        "partner_countries": N_("Partner countries"),
        "events_held": N_("Events held"),
        "participants": N_("Participants"),
    }
    return [[tr(label), tr.number(r.figures[key])] for key, label in names.items() if key in r.figures]


def _events(r: reads.Year, tr: Translator, images: dict[str, str | bytes]) -> list[dict]:
    """Events by kind and by partnership, participants by country and gender, exchanges."""
    out = [_heading(tr("Events"))]
    if not len(r.events):
        return [*out, _note(tr("No event was held this year."))]
    images["events.svg"] = vector.figure_svg(
        charts.events_by_month(r.events, r.as_of, tr), 500, 230, tr, (r.first, r.last)
    )
    out.append({"kind": "image", "file": "events.svg", "width": 1.0, "alt": tr("Events per month")})
    kinds = reads.by_kind(r.events)
    out += _section(tr("By kind"), pd.DataFrame({
        tr("Kind"): [tr.term(reference.EVENT_KINDS, k) for k in kinds["kind"]],
        tr("Events"): tr.figures(kinds["events"]),
        tr("Participants"): tr.figures(kinds["participants"]),
    }), "", [3, 1, 1], level=2)  # fmt: skip
    pairs = reads.by_partnership(r.events)
    out += _section(tr("By partnership"), pd.DataFrame({
        tr("Partnership"): pair_labels(pairs, tr),
        tr("Events"): tr.figures(pairs["events"]),
        tr("Participants"): tr.figures(pairs["participants"]),
    }), "", [3, 1, 1], level=2)  # fmt: skip
    people = reads.participants(r.events)
    countries = people["by_country"]
    out.append(_heading(tr("Participants by country and gender"), 2))
    out.append(_note(tr("Women: {women}; men: {men}; events without a gender breakdown: {without}.",
                        women=tr.number(people["women"]), men=tr.number(people["men"]),
                        without=people["without_gender"])))  # fmt: skip
    if len(countries):
        frame = pd.DataFrame({tr("Country"): [tr.country(c) for c in countries.index],
                              tr("Participants"): tr.figures(countries.to_numpy())})  # fmt: skip
        out.append(_table(frame, [3, 1]))
    exchanges = r.exchanges
    out.append(_heading(tr("Exchanges"), 2))
    if len(exchanges):
        frame = rtl_order(tables.events_table(exchanges, tr), tr).drop(columns=[tr("Status"), tr("Venue")])
        frame[tr("Participants")] = tr.figures(exchanges["participants"].astype("float64"))
        out.append(_table(frame, [1.3, 3, 1.6, 3, 1]))
    else:
        out.append(_note(tr("No exchange of delegations, students, youth or experts this year.")))
    return out


def _photos(r: reads.Year, tr: Translator, images: dict[str, str | bytes]) -> list[dict]:
    """The year in pictures: a few photos of each partnership, three to a row, each with its caption and credit."""
    if r.photos is None or not len(r.photos):
        return []
    names = dict(zip(r.partners["id"], pair_labels(r.partners, tr), strict=True))
    items = []
    for row in r.photos.itertuples():
        name = f"photo-{int(row.id)}.jpg"
        images[name] = bytes(row.thumbnail)
        words = [row.caption if isinstance(row.caption, str) else row.title, names.get(row.partnership_id, ""),
                 tr.date(row.shown_on, "day")]  # fmt: skip
        if isinstance(row.credit, str):
            words.append(tr("Photo: {credit}", credit=row.credit))
        items.append({"file": name, "caption": " · ".join(str(tr.isolate(w)) for w in words if w)})
    return [_heading(tr("The year in photos")), {"kind": "photos", "items": items}]


def _goals(r: reads.Year, tr: Translator) -> list[dict]:
    """The unit's work by goal: the year's count per goal, then a section for each of the eight goals."""
    out = [_heading(tr("The unit's work by goal"))]
    if r.goals is not None:
        widths = [2.4] + [1.0] * (len(r.goals.columns) - 1)
        out.append(_table(rtl_order(tables.goals_table(r.goals, tr), tr), widths))
        out.append(_note(tr("A record counts under each goal it is tagged with, else under its organisation's or "
                            "its kind's.")))  # fmt: skip
    orgs = r.organisations if r.organisations is not None else pd.DataFrame()
    serves = reads_relations.goals_of(orgs) if len(orgs) else []
    for goal in reference.UNIT_GOALS:
        out.append(_heading(tr(goal.label), 2))
        mine = orgs[[goal.code in g for g in serves]] if len(orgs) else orgs
        out += _GOAL_SECTIONS.get(goal.code, _organisations_of)(r, tr, mine)
    return out


def _twinning(r: reads.Year, tr: Translator, _orgs: pd.DataFrame) -> list[dict]:
    return [_note(tr("{n} events held with the partner cities; the sections on the partners and the events tell "
                     "them.", n=tr.number(len(r.events))))]  # fmt: skip


def _missions(r: reads.Year, tr: Translator, _orgs: pd.DataFrame) -> list[dict]:
    if not r.internal:
        return [_note(tr("Official trips abroad are reported in the internal version."))]
    n = len(r.missions) if r.missions is not None else 0
    return [_note(tr("{n} missions this year: see Missions and their outcomes.", n=tr.number(n)))]


def _secretariat(r: reads.Year, tr: Translator, _orgs: pd.DataFrame) -> list[dict]:
    if not r.internal:
        return [_note(tr("The follow-up of memoranda is reported in the internal version."))]
    return [_note(tr("See Follow-up actions due this year."))]


def _media(r: reads.Year, tr: Translator, _orgs: pd.DataFrame) -> list[dict]:
    items = r.coverage if r.coverage is not None else pd.DataFrame()
    if not len(items):
        return [_note(tr("No press item is recorded this year."))]
    tones = items["tone"].value_counts()
    frame = rtl_order(tables.coverage_table(items, tr), tr).drop(columns=[tr("Link")])
    return [_note(tr.join([f"{tr(t.label)}: {tr.number(int(tones.get(t.code, 0)))}" for t in reference.TONES])),
            _table(frame, [1.3, 1.6, 1.2, 3.5, 1, 1.4])]  # fmt: skip


def _organisations_of(r: reads.Year, tr: Translator, orgs: pd.DataFrame) -> list[dict]:
    """The organisations that serve a goal, and (inside) what was done with them this year."""
    if not len(orgs):
        return [_note(tr("No organisation is recorded for this goal."))]
    shown = pd.DataFrame({tr("Organisation"): list(orgs["name"]),
                          tr("Kind"): [tr.term(reference.ORGANISATION_KINDS, k) for k in orgs["kind"]],
                          tr("Country"): [tr.country(c) for c in orgs["country_code"]],
                          tr("Stage"): [tr.term(reference.RELATION_STAGES, s) for s in orgs["stage"]]})  # fmt: skip
    if r.internal:
        shown[tr("Notes")] = [n if isinstance(n, str) else "" for n in orgs["notes"]]
    out = [_table(shown, [3, 2, 1.3, 1.3, 3] if r.internal else [3, 2, 1.3, 1.3])]
    work = r.organisation_work
    if r.internal and work is not None:
        done = work[work["organisation"].isin(set(orgs["name"]))]
        if len(done):
            out.append(_table(rtl_order(tables.work_table(done, tr, named=True), tr), [1.3, 1.5, 3.6, 1, 2.2]))
    return out


def _diaspora(r: reads.Year, tr: Translator, orgs: pd.DataFrame) -> list[dict]:
    out = _organisations_of(r, tr, orgs) if len(orgs) else []
    if r.internal and r.diaspora is not None and len(r.diaspora):
        out += [_note(tr("People of the city living abroad, by country:")),
                _table(rtl_order(tables.diaspora_table(r.diaspora, tr), tr), [3, 1])]  # fmt: skip
    return out or [_note(tr("No association or person abroad is recorded."))]


_GOAL_SECTIONS = {"twinning": _twinning, "missions": _missions, "secretariat": _secretariat, "media": _media,
                  "diaspora": _diaspora}  # fmt: skip


def _internal(r: reads.Year, tr: Translator) -> list[dict]:
    """Missions, follow-up actions and targets: for signed-in staff only."""
    out = []
    missions = r.missions if r.missions is not None else pd.DataFrame()
    frame = tables.missions_table(missions, tr) if len(missions) else None
    if frame is not None:
        frame = frame[[tr("Date"), tr("Mission"), tr("Destination"), tr("Outcomes"), tr("Status")]]
    out += _section(tr("Missions and their outcomes"), frame, tr("No mission this year."), [1.2, 2.5, 2, 4, 1])
    follow = r.follow_ups if r.follow_ups is not None else pd.DataFrame()
    out.append(_heading(tr("Follow-up actions due this year")))
    if len(follow):
        counts = [[tr("Done on time"), tr.number(int(follow["on_time"].sum()))],
                  [tr("Done late"), tr.number(int(follow["late"].sum()))],
                  [tr("Overdue"), tr.number(int(follow["overdue"].sum()))]]  # fmt: skip
        out.append({"kind": "figures", "items": counts})
        late = follow[follow["late"] | follow["overdue"]]
        if len(late):
            out.append(_table(rtl_order(tables.follow_ups_table(late, tr), tr), [1.2, 2.6, 1.8, 2.3, 1.6, 1.4]))
    else:
        out.append(_note(tr("No follow-up action was due this year.")))
    aims = r.targets if r.targets is not None else pd.DataFrame()
    out += _section(tr("Targets due this year"), rtl_order(tables.targets_table(aims, tr), tr) if len(aims) else None,
                    tr("No target was due this year."))  # fmt: skip
    return out


def _tourism(r: reads.Year, tr: Translator) -> list[dict]:
    """Tourist arrivals from each partner's country over the same months of this year and last, and the estimate."""
    out = [_heading(tr("Tourism from partner countries"))]
    frame = r.tourism
    if not len(frame):
        return [*out, _note(tr("No tourist arrivals from partner countries were recorded for this year."))]
    out.append(_note(tr("Tourist arrivals from each partner's country over the months recorded in both years, "
                        "this year against the same months of last year. The estimate is the partnership's effect "
                        "on visitors since its signing (24 months before and after, against the home city's other "
                        "countries of origin), as on the Tourism page; a difference is claimed only when its 95 % "
                        "range excludes zero.")))  # fmt: skip
    rows = frame.to_dict("records")
    out.append(_table(pd.DataFrame({
        tr("Partnership"): pair_labels(frame, tr),
        tr("Months compared"): [_months(r, tr) for r in rows],
        tr("This year"): tr.figures(frame["this_year"]),
        tr("Last year"): tr.figures(frame["last_year"]),
        tr("Change %"): tr.figures(frame["change_pct"], 1),
        tr("Estimate since the signing"): [tables.impact_words(r, tr) for r in rows],
    }), [1.8, 1.6, 0.9, 0.9, 0.8, 3.2]))  # fmt: skip
    return out


def _months(row: dict, tr: Translator) -> str:
    """Which months a row compares: the first and last month recorded in both years, and how many."""
    span = tr.date(row["first_month"], "month")
    if row["last_month"] != row["first_month"]:
        span = f"{span} – {tr.date(row['last_month'], 'month')}"
    return tr("{span} ({n} months)", span=span, n=tr.number(int(row["months"])))


def _health_lines(assessed: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """One line per partnership: its health and its main reason, weakest first."""
    klass = {t.code: tr(t.label) for t in reference.HEALTH_CLASSES}
    return pd.DataFrame({
        tr("Partnership"): pair_labels(assessed, tr),
        tr("Stage"): [tr.term(reference.STATUSES, s) for s in assessed["status"]],
        tr("Health"): [f"{klass.get(k, k)} ({tr.number(s)})" for k, s in zip(assessed["klass"], assessed["score"],
                                                                           strict=True)],
        tr("Main reason"): [_main_reason(h, tr) for h in assessed["health"]],
    })  # fmt: skip


def _main_reason(found: health.Health, tr: Translator) -> str:
    said = tables.reasons(found, tr)
    return said[0] if said else tr("nothing to report")


def annual(r: reads.Year, tr: Translator = ENGLISH, homes: list[str] | None = None, publisher: str = "",
           made: dt.datetime | None = None) -> bytes:  # fmt: skip
    """The annual report as PDF bytes."""
    return pdf(*document(r, tr, homes, publisher, made))


# Typst marks a tagged PDF "/MarkInfo<</Marked true/Suspects false>>", which is valid, but poppler
# (pdfinfo, pdftoppm, Evince) reads Suspects as the wrong type and prints "Syntax Error" to whoever
# opens it (typst/typst#7140). False is also its default: blanked to spaces of the same length, the
# file says the same and every offset in its cross-reference table still holds.
_SUSPECTS = b"/Suspects false"


def pdf(data: dict, images: dict[str, str | bytes]) -> bytes:
    """Typeset the report: the template, its data and images in a scratch folder, the shipped fonts only."""
    with tempfile.TemporaryDirectory(prefix="twinmap-report-") as folder:
        root = Path(folder)
        (root / "report.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        (root / "report.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for name, image in images.items():  # drawings (SVG text) and photos (JPEG bytes)
            if isinstance(image, bytes):
                (root / name).write_bytes(image)
            else:
                (root / name).write_text(image, encoding="utf-8")
        try:
            made = typst.compile(str(root / "report.typ"), root=str(root), font_paths=[str(FONTS)],
                                 ignore_system_fonts=True)  # fmt: skip
            return made.replace(_SUSPECTS, b" " * len(_SUSPECTS), 1)
        except typst.TypstError as exc:
            raise ReportError(f"The report could not be typeset: {exc.message}") from exc
