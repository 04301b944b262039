"""The finished grundlag as a web page: `GET /grundlag` (read-only, no sign-in) and the static site that
`python -m cli publish-grundlag --out DIR` writes. The KommuneMED-approved eksempler by tema and niveau, with each
tema's meaning; film candidates marked. No person's name is shown: only the behaviour."""

from __future__ import annotations

from pathlib import Path

import jinja2
from sqlalchemy.ext.asyncio import AsyncSession

from cards import danish
from core.vocabulary import Niveau, Tema
from domain import clock
from domain.eksempler import grundlag
from web.render import STATIC, environment

CSS = "grundlag.css"


async def render_grundlag(session: AsyncSession, env: jinja2.Environment, *, css_href: str) -> str:
    found = await grundlag(session)
    template = env.get_template("grundlag.html")
    return template.render(
        grundlag=found,
        temaer=list(Tema),
        niveauer=list(Niveau),
        css_href=css_href,
        updated=danish.date(clock.today()),
    )


async def site(session: AsyncSession) -> dict[str, str]:
    """The static site's files: name → content (index.html and its stylesheet)."""
    html = await render_grundlag(session, environment(), css_href=CSS)
    return {"index.html": html, CSS: (STATIC / CSS).read_text(encoding="utf-8")}


def write_site(files: dict[str, str], out: Path) -> list[Path]:
    """Write the site's files into `out` (created when missing); returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = out / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
