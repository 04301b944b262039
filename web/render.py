"""The Jinja2 environment the tab and the published grundlag share: templates, autoescaping, Danish dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from cards import danish, texts

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def configure(environment: jinja2.Environment) -> jinja2.Environment:
    """Add what every template uses: the Danish texts as `t`, and Danish date filters."""
    environment.globals["t"] = texts
    environment.globals["fill"] = danish.fill  # a text with a count: {count:eksempel|eksempler}
    environment.filters["dato"] = lambda value: danish.date(value) if isinstance(value, dt.date) else ""
    environment.filters["datotid"] = lambda value: danish.datetime(value) if isinstance(value, dt.datetime) else ""
    return environment


def loader() -> jinja2.FileSystemLoader:
    return jinja2.FileSystemLoader(str(TEMPLATES))


def environment() -> jinja2.Environment:
    """A standalone environment (the static site); the app's comes from aiohttp_jinja2.setup."""
    return configure(
        jinja2.Environment(
            loader=loader(), autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
        )
    )
