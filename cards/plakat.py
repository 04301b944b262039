"""The plakat: an arbejdsplads's Plan A as one printable page, in Danish, and that page as a PDF (A3 landscape, one
page) made by WeasyPrint, so that the page and the PDF share this one template.

The three perspektiver are columns; under each, its indikatorer in the Plan A with the difference the unit wants
to create, how it will see it, and the latest status; the form, its dates and the date of the print at the top.
Every value from outside is HTML-escaped, and the renderer fetches nothing (no file, no network).

A Plan A of any length fits on its page: the text is laid out at the largest of `SIZES_PT` that gives one page,
and long words wrap anywhere, so nothing is cut off.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from html import escape
from typing import TYPE_CHECKING

from cards import danish, texts
from domain.plan_a import IndikatorView, PlanAView, StatusView

if TYPE_CHECKING:
    from weasyprint.document import Document

log = logging.getLogger(__name__)

# The base font sizes (pt) tried for the PDF, largest first; every other size on the page is relative to it.
SIZES_PT = (20.0, 18.0, 16.0, 14.5, 13.0, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.5, 6.0, 5.5, 5.0, 4.5, 4.0, 3.5)
SCREEN_PT = 12.0

# One colour per perspektiv, in the organisation file's order.
_COLOURS = ("#0b6e4f", "#1d5b94", "#8a4b08")
_SIGNAL_COLOURS = {"groen": "#2e7d32", "gul": "#f2b705", "roed": "#c62828"}

_CSS = """
@page { size: A3 landscape; margin: 10mm; }
* { box-sizing: border-box; }
html { font-size: __SIZE__pt; }
body { font-family: "Segoe UI", "Liberation Sans", Arial, sans-serif; color: #1b1b1b; margin: 0;
       line-height: 1.3; }
@media screen { body { padding: 16px; } }
header { display: flex; justify-content: space-between; align-items: flex-end; gap: 1rem;
         border-bottom: 0.3rem solid #0b6e4f; padding-bottom: 0.4rem; }
header .titles { flex: 1 1 auto; min-width: 0; }
h1 { font-size: 2.6rem; line-height: 1.1; margin: 0; overflow-wrap: anywhere; }
header .subtitle { margin: 0.2rem 0 0 0; font-size: 1.3rem; color: #0b6e4f; }
header .date { flex: 0 0 auto; margin: 0; font-size: 1.3rem; font-weight: bold; text-align: right; }
.plan { display: flex; gap: 1.5rem; margin: 0.5rem 0 0 0; font-size: 0.95rem; }
.plan .form { flex: 1 1 auto; min-width: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.plan .dates { flex: 0 0 auto; }
.bands, .columns { display: flex; gap: 0.9rem; }
.bands { margin-top: 0.7rem; align-items: stretch; }
.columns { align-items: flex-start; }
.band, section.perspektiv { flex: 1 1 0; min-width: 0; }
.band { color: #fff; padding: 0.4rem 0.6rem; border-radius: 0.3rem 0.3rem 0 0; overflow-wrap: anywhere; }
.band h2 { margin: 0; font-size: 1.9rem; line-height: 1.1; }
.band p { margin: 0.15rem 0 0 0; font-style: italic; font-size: 0.85rem; }
section.perspektiv > p.empty { margin: 0.5rem 0; font-style: italic; }
article { margin-top: 0.6rem; padding: 0.1rem 0 0.1rem 0.6rem; border-left: 0.3rem solid; overflow-wrap: anywhere; }
article .label { margin: 0; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; }
article .label .chosen { text-transform: none; letter-spacing: 0; font-style: italic; }
article h3 { font-size: 1.05rem; margin: 0.1rem 0 0.2rem 0; }
article dl { margin: 0; }
article dt { font-weight: bold; font-size: 0.85rem; margin-top: 0.3rem; color: #444; }
article dd { margin: 0; white-space: pre-wrap; }
article dd.forskel { font-size: 1.15rem; }
article dd.unwritten { font-style: italic; color: #666; }
.dot { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%; margin-right: 0.3rem;
       border: 0.05rem solid #1b1b1b; vertical-align: -0.05rem; }
"""


def _dd(value: str, css: str = "") -> str:
    if value.strip():
        return f'<dd class="{css}">{escape(value)}</dd>' if css else f"<dd>{escape(value)}</dd>"
    return f'<dd class="{(css + " unwritten").strip()}">{escape(texts.PLAN_A_NOT_WRITTEN)}</dd>'


def _status(status: StatusView | None) -> str:
    if status is None:
        return f'<dd class="unwritten">{escape(texts.PLAKAT_NO_STATUS)}</dd>'
    colour = status.colour.value
    heading = texts.PLAKAT_STATUS.format(signal=texts.COLOUR_LABELS[colour], date=danish.date(status.on))
    note = f" – {escape(status.text)}" if status.text.strip() else ""
    return (
        f'<dd class="status"><span class="dot" style="background: {_SIGNAL_COLOURS[colour]}"></span>'
        f"<strong>{escape(heading)}</strong>{note}</dd>"
    )


def _indikator(item: IndikatorView, colour: str) -> str:
    label = escape(texts.PLAKAT_INDIKATOR.format(number=item.number))
    if not item.mandatory:
        label += f' · <span class="chosen">{escape(texts.PLAKAT_CHOSEN)}</span>'
    return (
        f'<article style="border-left-color: {colour}">'
        f'<p class="label" style="color: {colour}">{label}</p>'
        f"<h3>{escape(item.text)}</h3>"
        "<dl>"
        f"<dt>{escape(texts.PLAN_A_QUESTION_FORSKEL)}</dt>{_dd(item.forskel, 'forskel')}"
        f"<dt>{escape(texts.PLAN_A_QUESTION_KENDETEGN)}</dt>{_dd(item.kendetegn)}"
        f"<dt>{escape(texts.PLAKAT_STATUS_HEADING)}</dt>{_status(item.status)}"
        "</dl>"
        "</article>"
    )


def _plan_line(view: PlanAView) -> str:
    form = escape(view.form) if view.form.strip() else escape(texts.PLAN_A_FORM_NONE)
    decided = (
        texts.PLAKAT_FORM_DECIDED.format(date=danish.date(view.form_decided_on))
        if view.form_decided_on
        else texts.PLAKAT_FORM_NOT_DECIDED
    )
    in_use = (
        texts.PLAKAT_IN_USE.format(date=danish.date(view.in_use_since))
        if view.in_use_since
        else texts.PLAKAT_NOT_IN_USE
    )
    return (
        '<p class="plan">'
        f'<span class="form"><strong>{escape(texts.PLAKAT_FORM)}:</strong> {form}</span>'
        f'<span class="dates">{escape(decided)} · {escape(in_use)}</span>'
        "</p>"
    )


def plakat_html(
    *,
    view: PlanAView,
    printed: dt.date,
    size_pt: float = SCREEN_PT,
) -> str:
    """The page. Each indikator shows its latest status (a status round's outcome, `IndikatorView.status`), or
    says it has none. `size_pt` is the base font size (the PDF shrinks it to fit one page)."""
    title = escape(texts.PLAKAT_TITLE.format(unit=view.unit_name))
    bands, columns = [], []  # the bands in a row of their own, so every column's indikatorer start level
    for position, (name, description) in enumerate(view.perspektiver):
        colour = _COLOURS[position % len(_COLOURS)]
        items = [i for i in view.indikatorer if i.perspektiv == name]
        inner = "".join(_indikator(i, colour) for i in items)
        inner = inner or f'<p class="empty">{escape(texts.PLAKAT_EMPTY_PERSPEKTIV)}</p>'
        described = f"<p>{escape(description)}</p>" if description else ""
        bands.append(f'<div class="band" style="background: {colour}"><h2>{escape(name)}</h2>{described}</div>')
        columns.append(f'<section class="perspektiv">{inner}</section>')
    css = _CSS.replace("__SIZE__", f"{size_pt:g}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="da">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f"<style>{css}</style>\n"
        "</head>\n"
        "<body>\n"
        '<header><div class="titles">'
        f'<h1>{title}</h1><p class="subtitle">{escape(texts.PLAKAT_SUBTITLE)}</p></div>'
        f'<p class="date">{escape(texts.PLAKAT_PRINTED.format(date=danish.date(printed)))}</p>'
        "</header>\n"
        f"{_plan_line(view)}\n"
        f'<main><div class="bands">{"".join(bands)}</div><div class="columns">{"".join(columns)}</div></main>\n'
        "</body>\n"
        "</html>\n"
    )


def _estimate(view: PlanAView) -> float:
    """A first guess at the base size that fits: a column holds about `_CAPACITY / size²` characters, and the
    fullest column decides (the difference is set larger, and each indikator has its headings)."""
    fullest = 1.0
    for name, _ in view.perspektiver:
        chars = 0.0
        for item in (i for i in view.indikatorer if i.perspektiv == name):
            note = len(item.status.text) if item.status is not None else 0
            chars += _PER_INDIKATOR + len(item.text) + 1.35 * len(item.forskel) + len(item.kendetegn) + note
        fullest = max(fullest, chars)
    return (_CAPACITY / (fullest + len(view.form) / 3)) ** 0.5


# Measured on the longest Plan A (eight indikatorer, every text at its limit): see tests/test_plakat.py.
_CAPACITY = 350_000.0
_PER_INDIKATOR = 250


def plakat_pdf(*, view: PlanAView, printed: dt.date) -> tuple[bytes, float]:
    """The plakat as a PDF of one A3 landscape page, and the base font size it was laid out at.

    The largest size in SIZES_PT that gives one page is searched from an estimate (a layout takes from a few
    hundred milliseconds to two seconds, so usually two are made). A Plan A too long even for the smallest size
    keeps every page rather than cut text off."""
    # Imported here: WeasyPrint loads Pango when imported, and only the plakat needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=())  # the page loads nothing; a stray URL in it stays unfetched

    def layout(index: int) -> Document:
        page = plakat_html(view=view, printed=printed, size_pt=SIZES_PT[index])
        return HTML(string=page, url_fetcher=fetcher).render()

    guess = _estimate(view)
    index = next((i for i, size in enumerate(SIZES_PT) if size <= guess), len(SIZES_PT) - 1)
    document = layout(index)
    if len(document.pages) == 1:
        while index > 0:  # a larger size may fit too
            larger = layout(index - 1)
            if len(larger.pages) > 1:
                break
            index, document = index - 1, larger
    else:
        while len(document.pages) > 1 and index < len(SIZES_PT) - 1:
            index += 1
            document = layout(index)
        if len(document.pages) > 1:
            log.warning("plakat of unit %s does not fit one page at %s pt", view.unit_id, SIZES_PT[index])
    return document.write_pdf(), SIZES_PT[index]


_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def plakat_filename(view: PlanAView) -> str:
    """The PDF's Danish file name, with the characters no file system takes replaced."""
    name = _UNSAFE_IN_FILENAME.sub("-", texts.PLAKAT_FILENAME.format(unit=view.unit_name)).strip()
    return f"{name}.pdf"
