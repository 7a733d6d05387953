"""The annual report's download on the Overview: the public version for anyone, the internal one for staff."""

from __future__ import annotations

import streamlit as st

from twinmap.core import dates
from twinmap.ui import cache
from twinmap.ui.page import Page

PDF = "application/pdf"
YEARS_BACK = 15


def download(p: Page) -> None:
    """A year of the reader's calendar and, signed in, which version; the PDF is made when asked for."""
    _ = p.tr
    with st.expander(_("Annual report for the council (PDF)")):
        now = dates.year_of(p.today, _.cal)
        year = st.selectbox(_("Year"), list(range(now, now - YEARS_BACK, -1)), format_func=lambda y: _.digits(str(y)),
                            key="report_year")  # fmt: skip
        internal = p.signed_in and st.toggle(_("Internal version: health, follow-ups and targets included"),
                                             value=True, key="report_internal")  # fmt: skip
        if not p.signed_in:
            st.caption(_("The public version: public data only. Signed-in staff can also download the internal one."))
        f = p.filter if internal else p.filter.public()
        chosen = set(f.home_city_ids)
        names = tuple(n for i, n in cache.home_names(_).items() if i in chosen)
        version = "internal" if internal else "public"
        st.download_button(_("Download the annual report"),
                           lambda: cache.annual_report(f, year, _, p.today, internal, names),
                           f"twinmap-report-{year}-{version}-{_.lang}.pdf", PDF, key="report_download",
                           icon=":material/picture_as_pdf:")  # fmt: skip
