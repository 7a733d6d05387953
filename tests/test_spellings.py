"""A city's name in the reader's language, picked from the gazetteer's untagged alternate names."""

import pytest

from twinmap.core import spellings


@pytest.mark.parametrize(
    ("name", "country", "ru", "fa"),
    [
        ("Sari", "IR", "Сари", "ساری"),
        ("Trabzon", "TR", "Трабзон", "ترابزون"),
        ("Paris", "FR", "Париж", "پاریس"),  # not Belarusian "Парыж" nor Serbian "Париз"
        ("Yerevan", "AM", "Ереван", "یریوان"),  # not Belarusian "Ерэван"
        ("Lviv", "UA", "Львов", "لیویو"),  # not Ukrainian "Львів"
        ("Kuala Lumpur", "MY", "Куала-Лумпур", None),
        ("Baku", "AZ", "Баку", "باکو"),  # Arabic "باكو" vouches for Persian's "باکو"
        ("Samarkand", "UZ", "Самарканд", "سمرقند"),  # the only spelling in the script
        ("Varna", "BG", "Варна", "وارنا"),  # Persian writes v as و, Arabic as ف
    ],
)
def test_the_readers_spelling_is_picked_from_the_gazetteers_names(name, country, ru, fa):
    found = spellings.of_city(name, country)
    assert found["ru"] == ru
    assert found["fa"] == fa if fa else found["fa"].startswith("کوالال")  # a Persian spelling of several


def test_no_spelling_is_guessed_where_none_reads_as_the_language():
    assert spellings.of_city("Montesilvano", "IT") == {}  # the gazetteer holds Latin and Japanese only
    assert "fa" not in spellings.of_city("Gent", "BE")  # three Arabic spellings that disagree, none Persian's
    assert spellings.of_city("Nowhere-on-Sea", "GB") == {}


def test_other_cyrillic_languages_and_arabic_letters_are_refused():
    assert spellings.pick(["Київ", "Қазақ", "Бэрлін"], "ru") is None  # Ukrainian, Kazakh, Belarusian letters
    assert spellings.pick(["Сърбия"], "ru") is None  # Bulgarian's vowel ъ
    assert spellings.pick(["Ерэван", "Ереван"], "ru") == "Ереван"
    assert spellings.pick(["Куала Лумпур", "Куала-Лумпур"], "ru") == "Куала-Лумпур"
    assert spellings.pick(["برلين"], "fa") == "برلین"  # shown with Persian's yeh
    assert spellings.pick(["ضلع کازان"], "fa") == "ضلع کازان"  # a qualifier only loses against a plain name
    assert spellings.pick(["ضلع کازان", "کازان"], "fa") == "کازان"
    assert spellings.pick(["لاہور"], "fa") == "لاهور"  # Urdu's heh read as Persian's
    assert spellings.pick(["غینٹ"], "fa") is None  # Urdu's ٹ is no Persian letter
    assert spellings.pick(["Berlin"], "fa") is None


def test_an_arabic_local_name_is_shown_in_persians_letters():
    assert spellings.as_persian("الوكرة") == "الوکره"
