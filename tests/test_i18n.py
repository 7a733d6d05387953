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
    [("en", 1234567, "1,234,567"), ("ru", 1234567, "1\xa0234\xa0567"), ("fa", 1234567, "۱٬۲۳۴٬۵۶۷")],
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
    assert tr_fa.city("Astrakhan", "Астрахань") == "Astrakhan"
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
