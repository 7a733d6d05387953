"""Read-only tables as HTML in the reader's direction: escaped, headed, first reading column first."""

import pandas as pd

from twinmap.views import htmltables


def test_a_persian_table_runs_right_to_left_with_its_first_reading_column_first():
    frame = pd.DataFrame({"تاریخ": ["۲ آذر ۱۴۰۵"], "رویداد": ["جشنواره"], "شرکت‌کنندگان": [None]})
    page = htmltables.html_table(frame, rtl=True, lang="fa")
    assert 'dir="rtl"' in page and 'lang="fa"' in page
    assert page.index('<th scope="col">تاریخ</th>') < page.index('<th scope="col">رویداد</th>')
    assert "position: sticky" in page  # the header stays in view over a long table
    assert "<td>—</td>" in page or ">—<" in page  # nothing known: the dash every page uses


def test_text_from_the_data_is_shown_never_run():
    frame = pd.DataFrame({"Title": ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"]})
    page = htmltables.html_table(frame, rtl=False)
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
