"""The plakat: an arbejdsplads's Plan A as one printable HTML page (A3 landscape when printed), in Danish.

The three perspektiver are columns; under each, its indikatorer in the Plan A with the difference the unit wants
to create and how it will see it; the form and the date below. Every value from outside is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from cards import danish, texts
from domain.plan_a import IndikatorView, PlanAView

_CSS = """
@page { size: A3 landscape; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, sans-serif; color: #1b1b1b; margin: 0; padding: 16px; }
header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 4px solid #0b6e4f; }
h1 { font-size: 32px; margin: 0 0 8px 0; }
header p { margin: 0; font-size: 18px; color: #0b6e4f; }
.columns { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; margin-top: 16px; }
section.perspektiv { border: 2px solid #0b6e4f; border-radius: 8px; padding: 12px; break-inside: avoid; }
section.perspektiv h2 { margin: 0 0 4px 0; font-size: 24px; color: #0b6e4f; }
section.perspektiv > p.description { margin: 0 0 12px 0; font-style: italic; font-size: 13px; }
article { margin-bottom: 12px; break-inside: avoid; overflow-wrap: anywhere; }
article h3 { font-size: 15px; margin: 0 0 4px 0; }
article dl { margin: 0; font-size: 13px; }
article dt { font-weight: bold; margin-top: 4px; }
article dd { margin: 0; white-space: pre-wrap; }
footer { margin-top: 16px; display: flex; justify-content: space-between; font-size: 14px; }
footer .form { white-space: pre-wrap; overflow-wrap: anywhere; }
@media print { body { padding: 0; } }
"""


def _indikator(item: IndikatorView) -> str:
    forskel = escape(item.forskel) if item.forskel else escape(texts.PLAN_A_NOT_WRITTEN)
    kendetegn = escape(item.kendetegn) if item.kendetegn else escape(texts.PLAN_A_NOT_WRITTEN)
    return (
        "<article>"
        f"<h3>{item.number}. {escape(item.text)}</h3>"
        "<dl>"
        f"<dt>{escape(texts.PLAN_A_QUESTION_FORSKEL)}</dt><dd>{forskel}</dd>"
        f"<dt>{escape(texts.PLAN_A_QUESTION_KENDETEGN)}</dt><dd>{kendetegn}</dd>"
        "</dl>"
        "</article>"
    )


def plakat_html(*, view: PlanAView, printed: dt.date) -> str:
    title = escape(texts.PLAKAT_TITLE.format(unit=view.unit_name))
    columns = []
    for name, description in view.perspektiver:
        items = [i for i in view.indikatorer if i.perspektiv == name]
        inner = "".join(_indikator(i) for i in items) or f"<p>{escape(texts.PLAKAT_EMPTY_PERSPEKTIV)}</p>"
        described = f'<p class="description">{escape(description)}</p>' if description else ""
        columns.append(f'<section class="perspektiv"><h2>{escape(name)}</h2>{described}{inner}</section>')
    form = escape(view.form) if view.form else escape(texts.PLAN_A_FORM_NONE)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="da">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f"<style>{_CSS}</style>\n"
        "</head>\n"
        "<body>\n"
        f"<header><h1>{title}</h1><p>{escape(texts.PLAKAT_SUBTITLE)}</p></header>\n"
        f'<main class="columns">{"".join(columns)}</main>\n'
        "<footer>"
        f'<div><strong>{escape(texts.PLAKAT_FORM)}:</strong> <span class="form">{form}</span></div>'
        f"<div>{escape(texts.PLAKAT_PRINTED.format(date=danish.date(printed)))}</div>"
        "</footer>\n"
        "</body>\n"
        "</html>\n"
    )
