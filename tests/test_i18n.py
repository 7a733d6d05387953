import html
import re

import pytest

from twinmap.core import dates
from twinmap.views import i18n


@pytest.mark.parametrize("lang", ["ru", "fa"])
def test_every_message_the_code_uses_is_translated(lang):
    catalogue = i18n.catalogue(lang)
    missing = sorted(m for m in i18n.used_messages() if not catalogue.get(m))
    assert not missing, f"translate these in twinmap/locales/{lang}.po (scripts/update_catalogues.py): {missing}"


@pytest.mark.parametrize("lang", ["ru", "fa"])
def test_translations_keep_every_placeholder(lang):
    for msgid, text in i18n.catalogue(lang).items():
        assert set(re.findall(r"{\w+}", msgid)) == set(re.findall(r"{\w+}", text)), msgid


def test_reference_labels_are_translated():
    assert i18n.Translator("ru").term(i18n.reference.STATUSES, "dormant") == "Неактивно"
    assert i18n.Translator("fa").term(i18n.reference.EVENT_KINDS, "festival") == "جشنواره"


@pytest.mark.parametrize(
    ("lang", "number", "text"),
    [
        ("en", 1234567, "1,234,567"),
        ("ru", 1234567, "1\xa0234\xa0567"),
        ("fa", 1234567, "۱٬۲۳۴٬۵۶۷"),
        ("en", -3, "-3"),
        ("fa", -3, "\u200e\u2212۳"),
        ("fa", -0.2, "۰"),
    ],  # a Persian minus stays left of its digits
)
def test_numbers_are_formatted_for_the_locale(lang, number, text):
    assert i18n.Translator(lang).number(number) == text


@pytest.mark.parametrize(
    ("lang", "cal", "expected"),
    [
        ("fa", "jalali", "اردیبهشت ۱۳۹۳"),
        ("fa", "gregorian", "آوریل–مه ۲۰۱۴"),
        ("ru", "jalali", "Ордибехешт 1393"),
        ("ru", "gregorian", "Апрель–май 2014"),
        ("en", "gregorian", "April–May 2014"),
    ],
)
def test_a_month_precision_date_shows_as_a_month_in_every_language(lang, cal, expected):
    assert i18n.Translator(lang, cal).partial(dates.parse("1393/02")) == expected


def test_persian_defaults_to_the_jalali_calendar():
    assert i18n.default_calendar("fa") == "jalali"
    assert i18n.default_calendar("ru") == "gregorian"


def test_city_names_use_the_local_script_where_it_matches_the_language():
    tr_fa, tr_ru = i18n.Translator("fa"), i18n.Translator("ru")
    assert tr_fa.city("Sari", "ساری") == "ساری"
    assert tr_fa.city("Astrakhan", "Астрахань") == "Astrakhan"  # no spelling learned from a store yet
    assert tr_ru.city("Astrakhan", "Астрахань") == "Астрахань"
    assert i18n.Translator("en").city("Sari", "ساری") == "Sari"


def test_country_names_in_the_chosen_language():
    assert i18n.Translator("fa").country("IT") == "ایتالیا"
    assert i18n.Translator("ru").country("IR") == "Иран"


@pytest.mark.parametrize("missing", [None, float("nan"), ""])
def test_a_city_without_a_local_name_reads_in_english_in_every_language(missing):
    from twinmap.views.i18n import Translator

    for lang in ("en", "ru", "fa"):
        assert Translator(lang).city("Delta", missing) == "Delta"


# --- Every page read in Persian and Russian -------------------------------------------------------

LATIN_DIGITS = re.compile(r"[0-9]")
# Streamlit's own words, shown when a widget is left with its defaults.
STREAMLIT_ENGLISH = ("Choose options", "Choose an option", "No results", "empty")
# plotly's own English month abbreviations on a date axis nobody localised.
ENGLISH_MONTHS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def _allowed(store, lang: str) -> set[str]:
    """The allow-list, stated: text the data holds (names, titles, e-mails, phones, file names), the
    templates' example values, and messages whose English shows what staff type (number formats)."""
    import duckdb

    from twinmap.ingest.specs import TABLES

    con = duckdb.connect(str(store), read_only=True)
    found: set[str] = set()
    columns = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'"
    ).fetchall()
    for table, column in columns:
        rows = con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE regexp_matches("{column}", \'[0-9]\')')
        found |= {r[0] for r in rows.fetchall()}
    con.close()
    found |= {str(v) for spec in TABLES.values() for example in spec.examples for v in example.values()}
    catalogue = i18n.catalogue(lang)
    found |= {catalogue.get(m, m) for m in i18n.used_messages() if LATIN_DIGITS.search(m)}
    return {f for f in found if f}


def _plain(text: str) -> str:
    """Text as read: HTML entities and Markdown escapes undone."""
    import html

    return re.sub(r"\\(.)", r"\1", html.unescape(text))


def _chart_texts(spec: dict) -> list[tuple[str, str]]:
    """A plotly chart's tick labels, bar texts and hover texts; an axis of numbers or dates left to plotly."""
    shown = []
    layout = spec.get("layout", {})
    for axis in ("x", "y"):
        got = layout.get(f"{axis}axis", {})
        values = [v for trace in spec.get("data", []) for v in (trace.get(axis) or [])]
        words = values and all(isinstance(v, str) and not re.match(r"^\d{4}-\d\d", v) for v in values)
        if got.get("showticklabels") is False or got.get("type") == "category" or words:
            continue
        if "ticktext" not in got:
            shown.append(("chart axis left to plotly", axis))
        shown += [("chart tick", str(t)) for t in got.get("ticktext", [])]
    for trace in spec.get("data", []):
        for field in ("text", "hovertext"):
            got = trace.get(field) or []
            shown += [(f"chart {field}", str(t)) for t in ([got] if isinstance(got, str) else got)]
    return shown


def _table_texts(frame) -> list[tuple[str, str]]:
    shown = [("table header", str(c)) for c in frame.columns]
    for column in frame.columns:
        if frame[column].dtype.kind in "iuf":  # Streamlit would write these digits itself
            shown.append(("table number", f"{column}: {frame[column].iloc[0]}"))
        else:  # a template's example values are what staff may type in a file (English names are accepted)
            where = "table example" if column in {i18n.catalogue(lang).get("Example", "Example") for lang in
                                                  ("en", "ru", "fa")} else "table"  # fmt: skip
            shown += [(where, str(v)) for v in frame[column].dropna()]
    return shown


def _shown(at) -> list[tuple[str, str]]:
    """Every text the page shows, with where it is: headings, text, figures, tables, widgets, chart labels."""
    import json

    shown = [("text", e.value) for e in (*at.title, *at.header, *at.subheader, *at.markdown, *at.caption)]
    shown += [("message", e.value) for e in (*at.error, *at.warning, *at.info, *at.success)]
    shown += [("figure", f"{m.label} {m.value}") for m in at.metric]
    for table in at.dataframe:
        shown += _table_texts(table.value)
    for block in at.get("html"):  # a right-to-left reader's tables are HTML laid out by the browser
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", block.proto.body)
        shown += [("table", html.unescape(c)) for c in cells]
    for widget in (*at.selectbox, *at.multiselect, *at.select_slider, *at.radio):
        shown.append(("widget label", widget.label))
        shown += [("option", str(o)) for o in widget.options]
        if getattr(widget.proto, "placeholder", ""):
            shown.append(("placeholder", widget.proto.placeholder))
    for chart in at.get("plotly_chart"):
        shown += _chart_texts(json.loads(chart.proto.spec))
    return shown


def _spelled(store, lang: str) -> dict[str, str]:
    """The English names of the store's cities that have a spelling for ``lang``, with that spelling."""
    import duckdb

    from twinmap.reads import queries

    con = duckdb.connect(str(store), read_only=True)
    cities = queries.city_spellings(con)
    con.close()
    i18n.learn_spellings(cities)
    tr = i18n.Translator(lang)
    return {name: tr.city(name, local) for name, local, _country, _id in cities if tr.city(name, local) != name}


def _problems(shown: list[tuple[str, str]], lang: str, allowed: set[str],
              spelled: dict[str, str] | None = None) -> list[tuple[str, str]]:  # fmt: skip
    """What a reader of ``lang`` should not meet: Latin digits (Persian), plotly's or Streamlit's English,
    and a city named in English where the reader has its spelling (a cell, an option, "Home – Partner")."""
    out = []
    for where, raw in shown:
        text = _plain(raw)
        names = [text, *text.split(" – ")] if " – " in text else [text]
        english = [n for n in names if n.strip().strip("\u2068\u2069") in (spelled or {})]
        if english and where in ("table", "option", "chart text", "chart hovertext", "text", "figure"):
            out.append((f"{where}: city in English", text))
        if where in ("chart axis left to plotly", "table number"):
            out.append((where, text))
            continue
        if any(text == english or f" {english}" in f" {text}" for english in STREAMLIT_ENGLISH):
            out.append((where, text))
        if where.startswith("chart") and ENGLISH_MONTHS.search(text):
            out.append((where, text))
        if lang == "fa":
            rest = text
            for value in sorted(allowed, key=len, reverse=True):
                rest = rest.replace(value, "")
            if LATIN_DIGITS.search(rest):
                out.append((where, text))
    return out


@pytest.mark.parametrize("lang", ["fa", "ru"])
def test_every_page_speaks_the_readers_digits_calendar_and_words(app_env, lang):
    """Every page as an admin reads it in Persian and in Russian: no Latin digit (Persian), no chart axis
    left to plotly's English months and Latin digits, no Streamlit default text in English, no table
    column of raw numbers. Data typed by staff (names, titles, e-mails, phones) is allowed as typed."""
    from streamlit.testing.v1 import AppTest

    from twinmap.ui import pages

    from .conftest import ROOT
    from .support import stored_user

    allowed, spelled = _allowed(app_env, lang), _spelled(app_env, lang)
    assert {"Sari", "Astrakhan", "Trabzon"} <= set(spelled)  # the sweep knows the shipped cities' spellings
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.session_state["user"] = stored_user("admin", "admin")
    at.run()
    problems = {}
    for page in pages.PAGES:
        at.switch_page(page.path).run()
        assert not at.exception, (page.url, [e.value for e in at.exception])
        found = _problems(_shown(at), lang, allowed, spelled)
        if found:
            problems[page.url] = found[:40]
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


@pytest.mark.parametrize(
    ("lang", "name", "local", "shown"),
    [
        ("ru", "Astrakhan", "Астрахань", "Астрахань"),  # the store's own spelling first
        ("ru", "Aktau", "Ақтау", "Актау"),  # Kazakh letters: the gazetteer's Russian spelling instead
        ("ru", "Kyiv", "Київ", "Киев"),
        ("ru", "Sari", "ساری", "Сари"),
        ("fa", "Sari", "ساری", "ساری"),
        ("fa", "Astrakhan", "Астрахань", "استراخان"),
        ("fa", "Al Wakrah", "الوكرة", "الوکره"),  # an Arabic local name in Persian's letters
        ("en", "Sari", "ساری", "Sari"),
        ("ru", "Montesilvano", "Montesilvano", "Montesilvano"),  # no Russian spelling known: as stored
    ],
)
def test_a_city_shows_one_spelling_in_the_readers_script(lang, name, local, shown):
    country = {"Astrakhan": "RU", "Aktau": "KZ", "Kyiv": "UA", "Sari": "IR", "Al Wakrah": "QA"}.get(name, "IT")
    i18n.learn_spellings([(name, local, country, None)])
    assert i18n.Translator(lang).city(name, local) == shown


def test_two_cities_that_share_their_names_but_not_a_spelling_keep_their_english_name():
    i18n.learn_spellings([("Paris", "Parisville", "FR", None), ("Paris", "Parisville", "US", None)])
    assert i18n.Translator("ru").city("Paris", "Parisville") == "Paris"  # Париж or Парис: not guessed


def test_english_text_inside_a_persian_sentence_keeps_its_own_direction():
    fa = i18n.Translator("fa")
    said = fa("{city} signed", city="Astrakhan (Russia).")
    assert "\u2068Astrakhan (Russia).\u2069" in said  # its full stop stays at its own end
    assert i18n.Translator("en")("{city} signed", city="Astrakhan") == "Astrakhan signed"


@pytest.mark.parametrize("lang", ["ru", "fa"])
def test_every_counted_message_has_each_plural_form_of_the_language(lang):
    from twinmap.core.catalogue import plurals

    forms, _rule = plurals(lang)
    missing = sorted(s for s, _p in i18n.used_plurals() if s not in forms)
    assert not missing, f"translate every plural form in twinmap/locales/{lang}.po: {missing}"
    for singular, text in forms.items():
        for form in text:
            assert set(re.findall(r"{\w+}", singular)) == set(re.findall(r"{\w+}", form)), singular


@pytest.mark.parametrize(("n", "said"), [(1, "1 строку"), (2, "2 строки"), (5, "5 строк"), (21, "21 строку"),
                                         (22, "22 строки"), (11, "11 строк")])  # fmt: skip
def test_russian_counts_take_the_form_russian_grammar_asks(n, said):
    assert i18n.Translator("ru").plural(i18n.NP_("{n} row", "{n} rows"), n) == said


def test_english_and_persian_counts_read_naturally():
    problems = i18n.NP_("Rejected: {n} problem. Nothing will change. Fix the file and upload it again.",
                        "Rejected: {n} problems. Nothing will change. Fix the file and upload it again.")  # fmt: skip
    assert i18n.Translator("en").plural(problems, 1).startswith("Rejected: 1 problem.")
    assert i18n.Translator("en").plural(problems, 3).startswith("Rejected: 3 problems.")
    assert i18n.Translator("fa").plural(problems, 3).startswith("رد شد: ۳ مشکل")


def test_the_app_learns_the_stores_spellings_before_it_names_a_partnership(app_env):
    """A Russian reader's overview names Sari's partnerships in Cyrillic on both sides, learned by the app itself."""
    from streamlit.testing.v1 import AppTest

    from .conftest import ROOT
    from .support import stored_user

    assert not i18n.learned(None)  # nothing learned before the app reads its store (conftest)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "ru"
    at.session_state["user"] = stored_user("admin", "admin")
    at.run()
    texts = " ".join(_plain(text) for _where, text in _shown(at))
    assert "Сари – Астрахань" in texts
    assert "Sari –" not in texts and "– Astrakhan" not in texts


def test_an_error_is_told_as_a_sentence_that_keeps_the_names_it_quotes():
    """Only the first letter is raised: "leila" would otherwise become "Leila" and "Sari" become "sari"."""
    from types import SimpleNamespace

    from twinmap.views.i18n import Translator

    err = SimpleNamespace(msgid="the user {name} of Sari was not found", values={"name": "McLeod"})
    assert Translator("en").told(err) == "The user McLeod of Sari was not found"
    assert Translator("en").sentence("{n} rows of SARI", n=3) == "3 rows of SARI"
