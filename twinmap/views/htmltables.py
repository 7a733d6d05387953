"""Read-only tables as HTML the browser lays out in the reader's direction.

Streamlit's grid is a canvas laid out left to right: a right-to-left table (columns reversed by
:func:`twinmap.views.labels.rtl_order`) puts the column a Persian reader reads first at the far
right, where a phone's narrow grid clips it and its header. An HTML table with ``dir="rtl"``
starts at the right edge, scrolls from there, and keeps its header in view (sticky). Every cell
is escaped text: nothing from the data is ever markup.
"""

from __future__ import annotations

import html

import pandas as pd

from twinmap.views.labels import MISSING

MAX_HEIGHT_PX = 420  # taller tables scroll inside their box, the header staying on top

STYLE = """<style>
.tm-table { max-height: MAXpx; overflow: auto; border: 1px solid rgba(49, 51, 63, 0.1); border-radius: 0.5rem;
  margin-bottom: 1rem; }
.tm-table table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
.tm-table th { position: sticky; top: 0; background: #f7f8fa; font-weight: 600; z-index: 1; }
.tm-table th, .tm-table td { padding: 0.35rem 0.6rem; border-bottom: 1px solid rgba(49, 51, 63, 0.08);
  text-align: start; vertical-align: top; }
.tm-table td.tm-num { white-space: nowrap; }
.tm-table caption { position: absolute; left: -9999px; }
</style>""".replace("MAX", str(MAX_HEIGHT_PX))


def _cell(value: object) -> str:
    """A value as escaped text; nothing known is the dash every page uses."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return MISSING
    return html.escape(str(value), quote=True)


def html_table(frame: pd.DataFrame, rtl: bool, caption: str = "", lang: str = "") -> str:
    """``frame`` (columns in reading order) as an accessible HTML table in the reader's direction.

    Short cells (numbers, dates) do not wrap, so a date is never broken over lines; text wraps.
    """
    direction = "rtl" if rtl else "ltr"
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for value in values:
            text = _cell(value)
            short = len(text) <= 16
            cells.append(f'<td class="tm-num">{text}</td>' if short else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    label = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    language = f' lang="{html.escape(lang)}"' if lang else ""
    return (f'{STYLE}<div class="tm-table" dir="{direction}"{language} role="region" tabindex="0">'
            f"<table>{label}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")  # fmt: skip
