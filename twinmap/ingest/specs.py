"""The importable tables, defined once: columns, kinds, headers in three languages, keys, examples.

The importer validates against these specs, the templates and exports are written from them,
and the Data page documents them, so a column is added here and nowhere else. Rows are
matched by an ``id`` column when the file has one, else by the natural key in ``key``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from twinmap.core import reference
from twinmap.core.reference import N_, Term
from twinmap.core.text import SCRIPTS, fold
from twinmap.ingest import rules
from twinmap.ingest.rules import Rule

SIDES = (Term("home", N_("Home city")), Term("partner", N_("Partner city")))
BOOLEANS = (Term("true", N_("Yes")), Term("false", N_("No")))


@dataclass(frozen=True)
class Column:
    """One template column: its English header, kind, whether required, and its aliases."""

    name: str
    kind: str  # a kind of twinmap.ingest.kinds.KINDS: how a cell is read, held, stored and exported
    required: bool = False
    vocab: tuple[Term, ...] = ()
    aliases: tuple[str, ...] = ()
    help: str = ""
    db: str = ""  # database column; for dates the precision goes to ``precision``
    precision: str = ""
    low: float | None = None  # smallest and largest value a number may take (within its database type)
    high: float | None = None
    stored: bool = True  # False: read to resolve a city (its coordinates in a pair list), not stored as such

    @property
    def db_column(self) -> str:
        """The database column this template column is stored in."""
        return self.db or self.name

    @property
    def text(self) -> bool:
        """Free text typed by people: exported with formula protection, read back without it."""
        return self.kind == "text"


@dataclass(frozen=True)
class CityRef:
    """Two template columns (city name, country code) that name a city, stored as its id."""

    city: str
    country: str
    db: str
    required: bool = True
    from_gazetteer: bool = True  # a city not yet known may be created from the gazetteer
    lat: str = ""  # template columns with the file's coordinates of the city, when it gives them: they
    lon: str = ""  # pick among namesakes and flag a city far from where the file puts it
    region: str = ""  # a template column with the city's region, which picks among namesakes too
    geonameid: str = ""  # template columns with the city's GeoNames and Wikidata ids: they say which city
    wikidata: str = ""  # before anything else does


@dataclass(frozen=True)
class TableSpec:
    """An importable table."""

    name: str
    label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # database columns that identify a row
    cities: tuple[CityRef, ...] = ()
    partnership: bool = False  # rows name a partnership by its two cities
    partnership_required: bool = True  # False: the partnership columns may be left empty
    pair: tuple[str, str] = ()  # two key columns naming the same pair in either order (A–B is B–A)
    owns: tuple[str, ...] = ()  # tables whose rows belong to a row of this one: deleted (and undone) with it
    folds: bool = False  # a pair list: a repeat of a pair, either way round, is the same row (counted unchanged)
    rules: Rule | None = None  # checks across a row's values, after matching (see twinmap.ingest.rules)
    before_matching: Rule | None = None  # what decides a row's key (a city typed in Cyrillic is stored in English)
    examples: tuple[dict[str, str], ...] = field(default_factory=tuple)
    help: str = ""

    def column(self, name: str) -> Column:
        """The column of that template name."""
        return next(c for c in self.columns if c.name == name)

    def key_columns(self) -> frozenset[str]:
        """The template columns that say which row a file's row is (its natural key, as typed).

        Only these must be in every file: a row that updates a held row needs its key and what
        changes, and a blank cell elsewhere keeps the held value.
        """
        names: set[str] = set()
        for key in self.key:
            refs = [r for r in self.cities if r.db == key]
            if key == "partnership_id" or (key == "city_id" and any(c.kind == "side" for c in self.columns)):
                names |= {"home_city", "home_country", "partner_city", "partner_country"}
                names |= {c.name for c in self.columns if c.kind == "side"}
            elif refs:
                names |= {refs[0].city, refs[0].country}
            else:
                names |= {c.name for c in self.columns if c.db_column == key}
        return frozenset(names)


def _t(name: str, *aliases: str, required: bool = False, help: str = "", db: str = "") -> Column:  # noqa: A002
    return Column(name, "text", required, aliases=aliases, help=help, db=db)


# Limits of numbers, each inside its database type (INTEGER up to 2,147,483,647): a value beyond
# them is a typing error, and refusing it in the preview means a valid preview always commits.
PEOPLE = {"low": 0, "high": 10_000_000}
POPULATION = {"low": 0, "high": 100_000_000}
AMOUNT = {"low": 0, "high": 1e15}  # budgets in any currency (1e15 rials is about 20 billion euros)
MEASURE = {"low": 0, "high": 1e12}  # indicator values and targets
ROW_ID = {"low": 1, "high": 2_147_483_647}


_ID = Column("id", "id", aliases=("ид", "شناسه"), help=N_("Row id from an export; leave empty for new rows."), **ROW_ID)
_DEMO = Column("is_demo", "bool", vocab=BOOLEANS, aliases=("демо", "نمایشی"), help=N_("true for invented demo rows."))


def _partner_cols(required: bool = True) -> tuple[Column, ...]:
    """The four columns that name a partnership by its two cities (optional for missions)."""
    return (
        _t("home_city", "домашний город", "город", "شهر مبدا", "شهر", required=required, help=N_("Home city name.")),
        Column("home_country", "country", required, aliases=("страна города", "کشور مبدا"),
               help=N_("ISO code, e.g. IR.")),
        _t("partner_city", "город-партнёр", "город-партнер", "партнёр", "شهر خواهرخوانده", "شهر همکار",
           required=required),
        Column("partner_country", "country", required, aliases=("страна партнёра", "страна", "کشور همکار", "کشور")),
    )  # fmt: skip


_PARTNER_COLS = _partner_cols()
_PARTNER_REFS = (
    CityRef(
        "home_city",
        "home_country",
        "home_city_id",
        lat="home_lat",
        lon="home_lon",
        region="home_region",
        geonameid="home_geonameid",
        wikidata="home_wikidata",
    ),
    CityRef(
        "partner_city",
        "partner_country",
        "partner_city_id",
        lat="partner_lat",
        lon="partner_lon",
        region="partner_region",
        geonameid="partner_geonameid",
        wikidata="partner_wikidata",
    ),
)


def _coordinates(*prefixes: str) -> tuple[Column, ...]:
    """Optional columns that say which city a row names: where it is, its region, its GeoNames and Wikidata ids."""
    where = N_("Where the file puts the city: picks among namesakes; far from it, the row is flagged.")
    region = N_("The city's region (state, province): picks among namesakes when there are no coordinates.")
    ids = N_("The city's GeoNames or Wikidata id: says which city before its name does.")
    return tuple(
        column
        for p in prefixes
        for column in (
            Column(f"{p}lat", "float", low=-90, high=90, stored=False, help=where),
            Column(f"{p}lon", "float", low=-180, high=180, stored=False, help=where),
            Column(f"{p}region", "text", stored=False, help=region),
            Column(f"{p}geonameid", "int", low=1, high=10_000_000_000, stored=False, help=ids),
            Column(f"{p}wikidata", "wikidata", stored=False, help=ids),
        )
    )


_GOALS = Column("goals", "areas", vocab=reference.UNIT_GOALS, aliases=("цели", "اهداف"),
                help=N_("The unit's goals it serves, codes separated by ;"))  # fmt: skip
# Work that belongs to an organisation as well: it names one of its home city's organisations.
_ORGANISATION = _t("organisation", "организация", "سازمان",
                   help=N_("The organisation it is with or for, as named in Organisations (if any)."))  # fmt: skip

_PARTNER_EXAMPLE = {"home_city": "Sari", "home_country": "IR", "partner_city": "Astrakhan", "partner_country": "RU"}

CITIES = TableSpec(
    "cities",
    N_("Cities"),
    (
        _ID,
        _t(
            "name",
            "название",
            "город",
            "نام",
            "نام شهر",
            "شهر",
            required=True,
            help=N_("Name in English (Latin letters)."),
        ),
        _t("local_name", "местное название", "نام محلی", help=N_("Name in the city's own script.")),
        Column(
            "country_code",
            "country",
            True,
            aliases=("страна", "код страны", "کشور", "کد کشور"),
            help=N_("ISO 3166 code, e.g. IR."),
        ),
        _t("region", "регион", "область", "استان", "منطقه"),
        Column(
            "lat",
            "float",
            aliases=("широта", "عرض جغرافیایی"),
            low=-90,
            high=90,
            help=N_("Latitude; filled from the gazetteer when empty."),
        ),
        Column(
            "lon",
            "float",
            aliases=("долгота", "طول جغرافیایی"),
            low=-180,
            high=180,
            help=N_("Longitude; filled from the gazetteer when empty."),
        ),
        Column("population", "int", aliases=("население", "جمعیت"), **POPULATION),
        Column("timezone", "text", aliases=("часовой пояс", "منطقه زمانی")),
        Column("geonameid", "int", aliases=("geonames",), low=1, high=10_000_000_000),
        Column(
            "wikidata",
            "wikidata",
            aliases=("викиданные", "ویکی داده", "ویکی‌داده"),
            help=N_("The city's Wikidata id (Q1234): pair lists that give it find the city by it."),
        ),
    ),
    key=("name", "country_code"),
    rules=rules.city_values,
    before_matching=rules.city_names,
    examples=({"name": "Astrakhan", "local_name": "Астрахань", "country_code": "RU", "region": "Astrakhan Oblast"},),
    help=N_("One row per city. Matched by name and country; coordinates come from the gazetteer when left empty."),
)

PARTNERSHIPS = TableSpec(
    "partnerships",
    N_("Partnerships"),
    (
        _ID,
        *_PARTNER_COLS,
        *_coordinates("home_", "partner_"),
        Column("kind", "code", True, reference.PARTNERSHIP_KINDS, ("вид", "тип", "نوع")),
        Column("status", "code", True, reference.STATUSES, ("статус", "стадия", "وضعیت")),
        Column(
            "signed_on", "date", aliases=("дата подписания", "подписано", "تاریخ امضا"), precision="signed_precision"
        ),
        Column("valid_until", "date", aliases=("действует до", "срок", "اعتبار تا"), precision="valid_until_precision"),
        _t("purpose", "цель", "هدف"),
        Column(
            "areas",
            "areas",
            vocab=reference.AREAS,
            aliases=("направления", "сферы", "زمینه ها", "زمینه‌ها"),
            help=N_("Codes separated by ;"),
        ),
        _t("programmes", "программы", "برنامه ها", "برنامه‌ها"),
        _t("obligations_home", "обязательства города", "تعهدات شهر"),
        _t("obligations_partner", "обязательства партнёра", "تعهدات طرف مقابل"),
        _t("expected_results", "ожидаемые результаты", "نتایج مورد انتظار"),
        _t("success_indicators", "показатели успеха", "شاخص های موفقیت", "شاخص‌های موفقیت"),
        _t("notes", "заметки", "примечания", "یادداشت", help=N_("Internal notes: never shown to the public.")),
        _t("source", "источник", "منبع"),
        _DEMO,
    ),
    key=("home_city_id", "partner_city_id"),
    pair=("home_city_id", "partner_city_id"),
    owns=("stages",),  # its stage history goes (and comes back) with it
    cities=_PARTNER_REFS,
    rules=rules.partnerships,
    examples=(
        {
            **_PARTNER_EXAMPLE,
            "kind": "sister_city",
            "status": "signed",
            "signed_on": "1393/02",
            "areas": "culture;tourism",
        },
    ),
    help=N_(
        "One row per partnership, matched by its two cities. "
        "Dates: 2014-05-21, 2014-05, 2014, 21.05.2014 or Jalali 1393/02."
    ),
)

EVENTS = TableSpec(
    "events",
    N_("Events"),
    (
        _ID,
        *_PARTNER_COLS,
        Column("kind", "code", True, reference.EVENT_KINDS, ("вид", "тип", "نوع")),
        _t("title", "название", "мероприятие", "عنوان", required=True),
        Column("starts_on", "date", True, aliases=("начало", "дата", "شروع", "تاریخ"), precision="starts_precision"),
        Column("ends_on", "date", aliases=("окончание", "конец", "پایان"), precision="ends_precision"),
        _t("venue", "место", "مکان"),
        _t("host_city", "город проведения", "شهر میزبان"),
        Column("host_country", "country", aliases=("страна проведения", "کشور میزبان")),
        Column(
            "participants", "int", aliases=("участники", "число участников", "شرکت کنندگان", "شرکت‌کنندگان"), **PEOPLE
        ),
        _t("participants_note", "об участниках", "توضیح شرکت کنندگان"),
        Column(
            "participants_female",
            "int",
            aliases=("женщины", "زنان"),
            help=N_("Women among the participants."),
            **PEOPLE,
        ),
        Column(
            "participants_male", "int", aliases=("мужчины", "مردان"), help=N_("Men among the participants."), **PEOPLE
        ),
        Column(
            "participants_by_country",
            "counts",
            aliases=("участники по странам", "شرکت کنندگان به تفکیک کشور"),
            help=N_("Country:number separated by ;, e.g. IR:20;RU:15."),
        ),
        Column("funding_source", "code", False, reference.FUNDING_SOURCES, ("финансирование", "منبع مالی")),
        Column("budget", "float", aliases=("бюджет", "بودجه"), **AMOUNT),
        Column("currency", "text", aliases=("валюта", "واحد پول"), help=N_("ISO code, e.g. EUR, IRR.")),
        Column("status", "code", True, reference.EVENT_STATUSES, ("статус", "وضعیت")),
        _t("source", "источник", "منبع"),
        _ORGANISATION,
        _GOALS,
        _DEMO,
    ),
    key=("partnership_id", "title", "starts_on"),
    cities=(CityRef("host_city", "host_country", "host_city_id", required=False),),
    partnership=True,
    rules=rules.events,
    examples=(
        {
            **_PARTNER_EXAMPLE,
            "kind": "festival",
            "title": "Cultural-heritage festival",
            "starts_on": "2026-06-12",
            "ends_on": "2026-06-15",
            "venue": "City park",
            "host_city": "Sari",
            "host_country": "IR",
            "status": "held",
        },
    ),
    help=N_("One row per event of an existing partnership, matched by partnership, title and start date."),
)

CONTACTS = TableSpec(
    "contacts",
    N_("Contacts"),
    (
        _ID,
        *_PARTNER_COLS,
        Column("side", "side", True, SIDES, ("сторона", "طرف")),
        _t("name", "имя", "фио", "نام", required=True),
        _t("role", "должность", "سمت"),
        _t("organisation", "организация", "سازمان"),
        _t("email", "почта", "эл. почта", "ایمیل"),
        _t("phone", "телефон", "تلفن"),
        _DEMO,
    ),
    key=("partnership_id", "city_id", "name"),
    partnership=True,
    examples=(
        {**_PARTNER_EXAMPLE, "side": "partner", "name": "Head of external relations", "email": "relations@example.org"},
    ),
    help=N_("Coordinators of a partnership (private data), matched by partnership, side and name."),
)

INDICATORS = TableSpec(
    "indicators",
    N_("Indicators"),
    (
        _ID,
        _t("city", "город", "شهر", required=True, help=N_("Where it was measured.")),
        Column("country", "country", True, aliases=("страна", "کشور")),
        Column(
            "origin_country",
            "country",
            aliases=("страна происхождения", "کشور مبدا گردشگر"),
            help=N_("Visitors' country; empty = all foreign visitors."),
        ),
        Column("indicator", "code", True, reference.INDICATORS, ("показатель", "شاخص")),
        Column("period", "date", True, aliases=("период", "месяц", "دوره", "ماه"), precision="period_precision"),
        Column("value", "float", True, aliases=("значение", "مقدار"), **MEASURE),
        _t("unit", "единица", "واحد"),
        _t("source", "источник", "منبع"),
        _DEMO,
    ),
    key=("city_id", "origin_country", "indicator", "period"),
    cities=(CityRef("city", "country", "city_id", from_gazetteer=False),),
    examples=(
        {
            "city": "Sari",
            "country": "IR",
            "origin_country": "RU",
            "indicator": "tourist_arrivals",
            "period": "2026-09",
            "value": "748",
            "unit": "persons",
        },
    ),
    help=N_("Monthly (or yearly) values, matched by city, origin country, indicator and period."),
)

_STATUS = ("статус", "стадия", "وضعیت")

STAGES = TableSpec(
    "stages",
    N_("Stage history"),
    (
        _ID,
        *_PARTNER_COLS,
        Column("status", "code", True, reference.STATUSES, _STATUS),
        Column("entered_on", "date", True, aliases=("дата", "с", "تاریخ"), precision="entered_precision"),
        _t("note", "заметка", "یادداشت"),
        _t("source", "источник", "منبع"),
        _DEMO,
    ),
    key=("partnership_id", "status", "entered_on"),
    partnership=True,
    examples=({**_PARTNER_EXAMPLE, "status": "signed", "entered_on": "1393/02"},),
    help=N_("When a partnership entered each stage. Stage changes made by import are recorded here by themselves."),
)

MISSIONS = TableSpec(
    "missions",
    N_("Missions"),
    (
        _ID,
        _t("title", "название", "عنوان", required=True),
        _t("destination", "куда", "город", "مقصد", required=True, help=N_("City visited.")),
        Column("destination_country", "country", True, aliases=("страна", "کشور مقصد")),
        Column("starts_on", "date", True, aliases=("начало", "дата", "شروع", "تاریخ"), precision="starts_precision"),
        Column("ends_on", "date", aliases=("окончание", "پایان"), precision="ends_precision"),
        _t("travellers", "участники", "кто", "اعضای هیئت", help=N_("Who travelled.")),
        _t("purpose", "цель", "هدف"),
        _t("outcomes", "результаты", "نتایج"),
        Column("status", "code", True, reference.MISSION_STATUSES, _STATUS),
        *_partner_cols(required=False),
        _ORGANISATION,
        _GOALS,
        _DEMO,
    ),
    key=("title", "starts_on"),
    cities=(CityRef("destination", "destination_country", "destination_city_id"),),
    partnership=True,
    partnership_required=False,
    rules=rules.dated,
    examples=(
        {
            "title": "Visit to Astrakhan city day",
            "destination": "Astrakhan",
            "destination_country": "RU",
            "starts_on": "2025-09-12",
            "status": "done",
            **_PARTNER_EXAMPLE,
        },
    ),
    help=N_("Official trips abroad: who, where, when, purpose, outcomes; the partnership columns may stay empty."),
)

FOLLOW_UPS = TableSpec(
    "follow_ups",
    N_("Follow-up actions"),
    (
        _ID,
        *_PARTNER_COLS,
        _t("action", "действие", "задача", "اقدام", required=True),
        _t("owner", "ответственный", "مسئول"),
        Column("due_on", "date", True, aliases=("срок", "مهلت"), precision="due_precision"),
        Column("status", "code", True, reference.FOLLOW_UP_STATUSES, _STATUS),
        Column("done_on", "date", aliases=("выполнено", "انجام شده در"), precision="done_precision"),
        _t("notes", "заметки", "یادداشت"),
        _ORGANISATION,
        _GOALS,
        _DEMO,
    ),
    key=("partnership_id", "action"),
    partnership=True,
    rules=rules.follow_ups,
    examples=(
        {
            **_PARTNER_EXAMPLE,
            "action": "Send the draft programme for 2027",
            "due_on": "2026-12-31",
            "status": "open",
            "owner": "International unit",
        },
    ),
    help=N_("What was promised in a memorandum and who follows it up, matched by partnership and action."),
)

TARGETS = TableSpec(
    "targets",
    N_("Targets"),
    (
        _ID,
        *_PARTNER_COLS,
        Column("indicator", "code", True, reference.INDICATORS, ("показатель", "شاخص")),
        Column("target_value", "float", True, aliases=("цель", "целевое значение", "مقدار هدف"), **MEASURE),
        Column("due_on", "date", True, aliases=("срок", "период", "مهلت"), precision="due_precision"),
        _t("description", "описание", "شرح"),
        _DEMO,
    ),
    key=("partnership_id", "indicator", "due_on"),
    partnership=True,
    examples=({**_PARTNER_EXAMPLE, "indicator": "tourist_arrivals", "target_value": "8000", "due_on": "2026"},),
    help=N_(
        "Success indicators with a number: visitors from the partner's country to the home city "
        "in the period given (usually a year)."
    ),
)

TIES = TableSpec(
    "ties",
    N_("Other cities' ties"),
    (
        _ID,
        _t("city", "город", "شهر", required=True),
        Column("country", "country", True, aliases=("страна", "کشور")),
        _t("other_city", "другой город", "شهر دیگر", required=True),
        Column("other_country", "country", True, aliases=("страна другого", "کشور دیگر")),
        *_coordinates("", "other_"),
        _t("source", "источник", "منبع"),
        _DEMO,
    ),
    key=("city_id", "other_city_id"),
    pair=("city_id", "other_city_id"),
    folds=True,
    rules=rules.ties,
    cities=(
        CityRef(
            "city",
            "country",
            "city_id",
            lat="lat",
            lon="lon",
            region="region",
            geonameid="geonameid",
            wikidata="wikidata",
        ),
        CityRef(
            "other_city",
            "other_country",
            "other_city_id",
            lat="other_lat",
            lon="other_lon",
            region="other_region",
            geonameid="other_geonameid",
            wikidata="other_wikidata",
        ),
    ),
    examples=({"city": "Weimar", "country": "DE", "other_city": "Blois", "other_country": "FR"},),
    help=N_("Twinnings between other cities (our partners' own partners), for the network view."),
)


def _home_city() -> tuple[Column, ...]:
    """The home city a row is of (whose staff keep it: home-city scopes read it)."""
    return (
        _t("home_city", "город", "наш город", "شهر", "شهر ما", required=True,
           help=N_("Our city, whose staff keep this row.")),
        Column("home_country", "country", True, aliases=("страна города", "کشور شهر"), help=N_("ISO code, e.g. IR.")),
    )  # fmt: skip


_HOME_REF = CityRef("home_city", "home_country", "home_city_id")

ORGANISATIONS = TableSpec(
    "organisations",
    N_("Organisations"),
    (
        _ID,
        *_home_city(),
        _t("name", "название", "организация", "نام", "سازمان", required=True),
        Column("kind", "code", True, reference.ORGANISATION_KINDS, ("вид", "тип", "نوع")),
        Column(
            "country",
            "country",
            True,
            aliases=("страна", "کشور"),
            db="country_code",
            help=N_("Where it is: ISO code or name."),
        ),
        _t("city", "город организации", "شهر سازمان", help=N_("Where it is based, if it has a seat.")),
        Column("website", "link", aliases=("сайт", "وبگاه", "وب‌سایت")),
        Column("stage", "code", True, reference.RELATION_STAGES, ("этап", "статус", "مرحله", "وضعیت")),
        Column("since", "date", aliases=("с", "с даты", "از"), precision="since_precision"),
        Column("fee", "float", aliases=("взнос", "حق عضویت"), help=N_("Yearly membership fee."), **AMOUNT),
        _t("currency", "валюта", "ارز"),
        Column("fee_due_on", "date", aliases=("срок взноса", "مهلت پرداخت"), precision="fee_due_precision"),
        _t("call", "конкурс", "проект", "فراخوان", help=N_("An open call or joint project, if any.")),
        Column(
            "call_closes_on",
            "date",
            aliases=("срок конкурса", "مهلت فراخوان"),
            precision="call_closes_precision",
            help=N_("The day the call closes (or the project's next deadline)."),
        ),
        _GOALS,
        _t("notes", "заметки", "یادداشت"),
        _t("source", "источник", "منبع"),
        _DEMO,
    ),
    key=("home_city_id", "name"),
    cities=(_HOME_REF,),
    examples=(
        {
            "home_city": "Sari",
            "home_country": "IR",
            "name": "United Cities and Local Governments",
            "kind": "network",
            "country": "ES",
            "city": "Barcelona",
            "website": "https://www.uclg.org/",
            "stage": "member",
            "since": "2019-03",
            "fee": "1200",
            "currency": "EUR",
            "fee_due_on": "2027-03-31",
            "call": "Culture 21 call for pilot cities",
            "call_closes_on": "2027-02-15",
            "goals": "organisations",
        },
        {
            "home_city": "Sari",
            "home_country": "IR",
            "name": "Sari Natives Association of Moscow",
            "kind": "diaspora",
            "country": "RU",
            "city": "Moscow",
            "stage": "contact",
            "goals": "diaspora",
        },
    ),
    help=N_(
        "Networks, NGOs, investors, tour operators, diaspora associations, consulates and regions across the "
        "border the city works with: what each is, since when, and what is due."
    ),
)

COVERAGE = TableSpec(
    "coverage",
    N_("Media coverage"),
    (
        _ID,
        *_home_city(),
        Column(
            "published_on",
            "date",
            True,
            aliases=("дата", "опубликовано", "تاریخ", "تاریخ انتشار"),
            precision="published_precision",
        ),
        _t("outlet", "издание", "сми", "رسانه", required=True),
        Column("country", "country", True, aliases=("страна", "کشور"), db="country_code"),
        _t("language", "язык", "زبان"),
        _t("title", "заголовок", "название", "عنوان", required=True),
        Column("link", "link", aliases=("ссылка", "پیوند")),
        Column("tone", "code", True, reference.TONES, ("тон", "لحن")),
        _t("partner_city", "город-партнёр", "شهر همکار", help=N_("The partner city it is about, if any.")),
        Column("partner_country", "country", aliases=("страна партнёра", "کشور همکار")),
        _t("organisation", "организация", "سازمان", help=N_("The organisation it is about, if any.")),
        _GOALS,
        _DEMO,
    ),
    key=("home_city_id", "outlet", "title"),
    cities=(_HOME_REF, CityRef("partner_city", "partner_country", "partner_city_id", required=False)),
    rules=rules.of_organisation,
    examples=(
        {
            "home_city": "Sari",
            "home_country": "IR",
            "published_on": "2026-05-12",
            "outlet": "Volga News",
            "country": "RU",
            "language": "ru",
            "title": "Astrakhan delegation visits Sari",
            "link": "https://example.org/news/sari-astrakhan",
            "tone": "positive",
            "partner_city": "Astrakhan",
            "partner_country": "RU",
            "goals": "media;twinning",
        },
    ),
    help=N_(
        "What foreign and national media published about the city and its partnerships: date, outlet, "
        "country, language, title, link and tone."
    ),
)

PEOPLE_ABROAD = TableSpec(
    "people_abroad",
    N_("People abroad"),
    (
        _ID,
        *_home_city(),
        _t("name", "имя", "фио", "نام", required=True),
        Column("country", "country", True, aliases=("страна", "کشور"), db="country_code", help=N_("Where they live.")),
        _t("city", "город проживания", "شهر محل زندگی"),
        _t("association", "объединение", "انجمن"),
        _t("occupation", "занятие", "профессия", "شغل"),
        _t("offered", "предложение", "پیشنهاد", help=N_("What they offered the city.")),
        Column(
            "consent",
            "bool",
            vocab=BOOLEANS,
            aliases=("согласие", "رضایت"),
            help=N_("Yes only when the person agreed to be kept on record with their contact details."),
        ),
        Column("consent_on", "date", aliases=("дата согласия", "تاریخ رضایت"), precision="consent_precision"),
        _t("email", "эл. почта", "почта", "رایانامه", "ایمیل"),
        _t("phone", "телефон", "تلفن"),
        _t("notes", "заметки", "یادداشت"),
        _DEMO,
    ),
    key=("home_city_id", "name", "country_code"),
    cities=(_HOME_REF,),
    rules=rules.people_abroad,
    examples=(
        {
            "home_city": "Sari",
            "home_country": "IR",
            "name": "Reza Ahmadi",
            "country": "DE",
            "city": "Hamburg",
            "association": "Mazandaran Society of Hamburg",
            "occupation": "Tour operator",
            "offered": "Bring a group of German travellers in spring",
            "consent": "true",
            "consent_on": "2026-04-02",
            "email": "reza@example.org",
        },
    ),
    help=N_(
        "People of the city living abroad (staff only, never public): where, what they offered, and their "
        "contact details only with their consent."
    ),
)

TABLES: dict[str, TableSpec] = {
    t.name: t for t in (CITIES, PARTNERSHIPS, ORGANISATIONS, EVENTS, CONTACTS, INDICATORS, STAGES, MISSIONS, FOLLOW_UPS,
                        TARGETS, TIES, COVERAGE, PEOPLE_ABROAD)
}  # fmt: skip
# Order in which tables refer to each other (cities before partnerships before events...).
LOAD_ORDER = tuple(TABLES)

# The records documents and photos belong to, and the attachments' column that names each
# (twinmap.ingest.attachments). Not a template: files come through their own intake, but their
# rows are logged, undone and scoped like an import's.
ATTACHMENTS = "attachments"
ATTACHED_TO: dict[str, str] = {"partnerships": "partnership_id", "events": "event_id", "missions": "mission_id"}
# Every table a batch may write: the templates' and the attachments.
LOGGED: tuple[str, ...] = (*LOAD_ORDER, ATTACHMENTS)


def references() -> dict[str, tuple[tuple[str, str], ...]]:
    """Which (table, column) refer to a city, a partnership, an event or a mission, read off the specs.

    An undo may not delete a city or partnership that rows added since refer to; this is where
    it learns which columns those are (``tests/test_schema.py`` checks every ``*_id`` column is here).
    """
    refs: dict[str, list[tuple[str, str]]] = {"cities": [], "partnerships": []}
    for spec in TABLES.values():
        refs["cities"] += [(spec.name, ref.db) for ref in spec.cities]
        refs["cities"] += [(spec.name, "city_id") for col in spec.columns if col.kind == "side"]
        if spec.partnership:
            refs["partnerships"].append((spec.name, "partnership_id"))
    for table, column in ATTACHED_TO.items():  # a record with documents is not deleted from under them
        refs.setdefault(table, []).append((ATTACHMENTS, column))
    return {table: tuple(cols) for table, cols in refs.items()}


def aliases(spec: TableSpec) -> dict[str, Column]:
    """Every header a column is known by (folded), to the column.

    The first column in the template to claim an alias keeps it, so "страна" in the missions
    template is the destination's country, not the partner's.
    """
    found: dict[str, Column] = {}
    for col in spec.columns:
        for alias in (col.name, col.name.replace("_", " "), *col.aliases):
            found.setdefault(fold(alias), col)
    return found


def header(col: Column, lang: str) -> str:
    """A column's header in a language: its first alias in that language's script, else its English name.

    Templates in Russian and Persian are written with these headers, and read back by the same
    aliases; previews name columns the same way.
    """
    script = SCRIPTS.get(lang)
    return next((a for a in col.aliases if script and script.search(a)), col.name)
