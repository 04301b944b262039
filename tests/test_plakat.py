"""The plakat as a PDF, read back with pypdf: one A3 landscape page with the three perspektiver, every mandatory
indikator's text and the unit's difference for it, the latest status and the date, in Danish; a 1,000-character
difference and the longest Plan A there can be fit without being cut off. Over HTTP: the signed link gives the
PDF with a Danish file name; an expired, forged or foreign link is refused with a Danish text, never a 500."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import DOWNLOADS
from bot import export_links
from bot.export_links import Downloads
from cards import danish, texts
from cards.plakat import SIZES_PT, plakat_filename, plakat_html, plakat_pdf
from core.vocabulary import Colour
from domain import clock
from domain.plan_a import TEXT_MAX, IndikatorView, PlanAView, StatusView
from storage.models import Indikator, Person, Unit
from testkit.activities import LARS, METTE, SOFIE
from tests.conftest import BotUnderTest

A3_LANDSCAPE = (1190.55, 841.89)  # points
MARGIN = 28.3  # the page's 10 mm
PRINTED = dt.date(2026, 12, 1)
PERSPEKTIVER = (
    ("Opgaver", "Vi skal indfri de politiske målsætninger og drage læring af det"),
    ("Adfærd", "Vi skal have samme tilgang til vores opgaver, som vi selv ville ønske at opleve som borgere"),
    ("Struktur", "Vi skal vide, hvem der har ansvaret for hvad, men også finde sammen om det der går på tværs"),
)
# 1,000 characters of Danish, with a word far longer than a column is wide (it must wrap, not run off).
LONG_FORSKEL = ("Flere børn fortæller selv, hvad de har lært i løbet af ugen, og forældrene oplever ro. " * 12)[:960]
LONG_FORSKEL = LONG_FORSKEL + "Æ" * (1000 - len(LONG_FORSKEL))


def item(number: int, perspektiv: str, text: str, forskel: str, *, mandatory: bool = True) -> IndikatorView:
    return IndikatorView(number, perspektiv, text, mandatory, not mandatory, forskel, "", "", (), None)


def with_status(view: PlanAView, number: int, colour: Colour, on: dt.date, text: str) -> PlanAView:
    """The view as domain.plan_a.view gives it once the leder has recorded a status on the indikator."""
    status = StatusView(number, colour, text, on, "Lars Mikkelsen", dt.datetime.combine(on, dt.time(12), dt.UTC))
    items = tuple(replace(i, status=status) if i.number == number else i for i in view.indikatorer)
    return replace(view, indikatorer=items)


def plan(*items: IndikatorView, unit: str = "Dagtilbud Kirkebjerg", form: str = "") -> PlanAView:
    return PlanAView(1, unit, 2026, form, None, None, items, PERSPEKTIVER, None, None, None)


def read(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Without whitespace: a line break in the PDF falls between words, or inside a word that had to wrap."""
    return "".join(text.split())


def assert_one_a3_landscape_page(reader: PdfReader) -> None:
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A3_LANDSCAPE, abs=0.5)


def text_origins(reader: PdfReader) -> list[tuple[float, float]]:
    """Where each run of text starts on the page, in points."""
    found: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    reader.pages[0].extract_text(visitor_text=visit)
    return found


DEMO_LIKE = plan(
    item(1, "Opgaver", "Tydelig sammenhæng mellem den overordnede vision og vores indsatser", "Alle kolleger kan "),
    item(6, "Adfærd", "Vi har høj trivsel og lavt personalefravær", LONG_FORSKEL),
    item(8, "Struktur", "Det tværfaglige samarbejde er en integreret del af vores struktur", "Forældre oplever ro"),
    form="En plakat i personalerummet",
)


def test_the_plakat_is_one_a3_landscape_page_with_the_perspektiver_indikatorer_and_differences() -> None:
    content, size = plakat_pdf(view=DEMO_LIKE, printed=PRINTED)
    assert content.startswith(b"%PDF-")
    reader, text = read(content)
    assert_one_a3_landscape_page(reader)
    for name, _ in PERSPEKTIVER:
        assert name in text
    for indikator in DEMO_LIKE.mandatory:
        assert flat(indikator.text) in flat(text), indikator.number
        assert flat(indikator.forskel) in flat(text), indikator.number
    # The 1,000-character difference is there in full, æøå included, and so are the title, the form and the date.
    assert len(LONG_FORSKEL) == 1000 and flat(LONG_FORSKEL) in flat(text)
    assert texts.PLAKAT_TITLE.format(unit="Dagtilbud Kirkebjerg") in text
    assert "En plakat i personalerummet" in text
    assert texts.PLAKAT_PRINTED.format(date="1. december 2026") in text
    assert size in SIZES_PT
    # Every line starts inside the page's margins: nothing ran off the paper.
    for x, y in text_origins(reader):
        assert MARGIN - 1 <= x <= A3_LANDSCAPE[0] - MARGIN and MARGIN - 1 <= y <= A3_LANDSCAPE[1] - MARGIN


def test_a_short_plan_a_is_set_large_and_a_long_one_shrinks_to_stay_on_one_page() -> None:
    _, short = plakat_pdf(view=plan(item(6, "Adfærd", "Vi har høj trivsel", "Færre er syge")), printed=PRINTED)
    _, long = plakat_pdf(view=DEMO_LIKE, printed=PRINTED)
    assert short == SIZES_PT[0] and long < short


def test_the_longest_plan_a_there_can_be_still_fits_on_one_page_in_full() -> None:
    """Eight indikatorer, three of them in one column, every text at its limit and a status note on each."""
    longest = ("Æblerne på øen får en blå ånd, og børnene fortæller selv. " * 60)[:TEXT_MAX]
    columns = {1: "Opgaver", 2: "Opgaver", 3: "Adfærd", 4: "Adfærd", 5: "Adfærd", 6: "Struktur", 7: "Struktur"}
    items = tuple(
        IndikatorView(
            n, columns.get(n, "Struktur"), "Å" * 300, n in (1, 6, 8), n not in (1, 6, 8), longest, longest, "", (), None
        )
        for n in range(1, 9)
    )
    view = PlanAView(1, "Ø" * 200, 2026, longest, None, None, items, PERSPEKTIVER, None, None, None)
    for n in range(1, 9):
        view = with_status(view, n, Colour.ROED, PRINTED, longest[:300])
    reader, text = read(plakat_pdf(view=view, printed=PRINTED)[0])
    assert_one_a3_landscape_page(reader)
    assert flat(text).count(flat(longest)) == 8 * 2 + 1, "every difference, every kendetegn and the form, in full"
    assert flat(text).count("Å" * 300) == 8 and "Ø" * 200 in flat(text)


def test_the_latest_status_is_shown_where_there_is_one_and_its_absence_where_there_is_none() -> None:
    view = with_status(DEMO_LIKE, 6, Colour.GUL, dt.date(2026, 11, 20), "Fraværet er faldet, trivslen er uændret")
    _, text = read(plakat_pdf(view=view, printed=PRINTED)[0])
    yellow = texts.PLAKAT_STATUS.format(signal=texts.COLOUR_LABELS["gul"], date=danish.date(dt.date(2026, 11, 20)))
    assert flat(yellow) in flat(text) and flat("Fraværet er faldet, trivslen er uændret") in flat(text)
    assert flat(text).count(flat(texts.PLAKAT_NO_STATUS)) == 2, "indikator 1 and 8 have none"


class _Checker(HTMLParser):
    """Every element closed in order (the void elements excepted): the page is well-formed."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta":
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(tag)


def test_the_template_escapes_what_people_wrote_and_fetches_nothing() -> None:
    hostile = plan(
        item(6, "Adfærd", "Vi har høj trivsel", '<script>alert(1)</script><img src="http://127.0.0.1:9/x.png">'),
        unit="Kirkebjerg </title><style>",
    )
    page = plakat_html(view=hostile, printed=PRINTED)
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    checker = _Checker()
    checker.feed(page)
    assert checker.problems == [] and checker.open == []
    _, text = read(plakat_pdf(view=hostile, printed=PRINTED)[0])
    assert "<script>alert(1)</script>" in text, "shown as the text it is"


def test_the_file_name_is_danish_and_safe() -> None:
    assert plakat_filename(plan()) == texts.PLAKAT_FILENAME.format(unit="Dagtilbud Kirkebjerg") + ".pdf"
    assert "/" not in plakat_filename(plan(unit='Skole/"Øst"')) and "Øst" in plakat_filename(plan(unit="Øst"))


# --- Over HTTP ---------------------------------------------------------------------------------------------------


async def _ids(bot: BotUnderTest) -> tuple[int, int]:
    [(unit,)] = await bot.query(select(Unit.id).where(Unit.key == "kirkebjerg"))
    [(lars,)] = await bot.query(select(Person.id).where(Person.email == LARS.email))
    return int(unit), int(lars)


def downloads(bot: BotUnderTest) -> Downloads:
    return bot.client.server.app[DOWNLOADS]


def _path(bot: BotUnderTest, url: str) -> str:
    return url.replace(bot.settings.PUBLIC_BASE_URL, "")


async def test_the_signed_link_gives_the_pdf_of_the_units_plan_a(demo_bot: BotUnderTest) -> None:
    await demo_bot.say(f"plan a forskel 6 {LONG_FORSKEL}", user=LARS)
    await demo_bot.say(
        "plan a forskel 1 Alle kolleger kan fortælle, hvordan sproget hænger sammen med visionen", user=LARS
    )
    [link] = await demo_bot.say("plan a plakat", user=LARS)
    assert link.text.startswith(texts.PLAN_A_POSTER_READY.split("{")[0])
    [url] = re.findall(r"https?://\S+", link.text)
    path = _path(demo_bot, url)
    assert path.startswith("/exports/plan-a/")

    response = await demo_bot.client.get(path)
    assert response.status == 200 and response.content_type == "application/pdf"
    filename = texts.PLAKAT_FILENAME.format(unit="Dagtilbud Kirkebjerg") + ".pdf"
    assert f"filename*=UTF-8''{quote(filename)}" in response.headers["Content-Disposition"]
    reader, text = read(await response.read())
    assert_one_a3_landscape_page(reader)
    for name in ("Opgaver", "Adfærd", "Struktur"):
        assert name in text
    mandatory = await demo_bot.query(select(Indikator.text).where(Indikator.number.in_((1, 6, 8))))
    assert len(mandatory) == 3
    for (indikator_text,) in mandatory:
        assert flat(indikator_text) in flat(text)
    assert flat(LONG_FORSKEL) in flat(text)
    assert flat("Alle kolleger kan fortælle, hvordan sproget hænger sammen med visionen") in flat(text)
    assert texts.PLAKAT_PRINTED.format(date=danish.date(clock.today())) in text

    # A second GET of the same link and content is not laid out again; an edit shows in the next download.
    builds = downloads(demo_bot).cache.builds
    again = await demo_bot.client.get(path)
    assert again.status == 200 and downloads(demo_bot).cache.builds == builds
    await demo_bot.say("plan a forskel 8 Forældrene oplever, at PPR og vi kender hinandens planer", user=LARS)
    _, edited = read(await (await demo_bot.client.get(path)).read())
    assert flat("Forældrene oplever, at PPR og vi kender hinandens planer") in flat(edited)

    # HEAD answers from the rights check alone.
    head = await demo_bot.client.head(path)
    assert head.status == 200 and head.content_type == "application/pdf"

    # Mette (the unit's medarbejder) may read it too.
    [mette] = await demo_bot.say("plan a plakat", user=METTE)
    assert mette.text.startswith(texts.PLAN_A_POSTER_READY.split("{")[0])


async def test_an_expired_forged_or_foreign_plakat_link_is_refused_in_danish(demo_bot: BotUnderTest) -> None:
    unit, lars = await _ids(demo_bot)
    made = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    ttl = dt.timedelta(seconds=demo_bot.settings.EXPORT_LINK_TTL_SECONDS)
    with clock.frozen(made):
        path = _path(demo_bot, export_links.plan_a_link(demo_bot.settings, unit_id=unit, person_id=lars))
    with clock.frozen(made + ttl):
        assert (await demo_bot.client.get(path)).status == 200
    with clock.frozen(made + ttl + dt.timedelta(seconds=1)):
        expired = await demo_bot.client.get(path)
        assert expired.status == 403 and await expired.text() == texts.PLAKAT_LINK_INVALID
        assert expired.content_type == "text/plain"
    token = path.rsplit("/", 1)[1]
    for forged in (
        f"/exports/plan-a/{token[:-3]}{'AAA' if not token.endswith('AAA') else 'BBB'}",
        "/exports/plan-a/not-a-token",
        "/exports/plan-a/%C3%86%C3%B8%C3%A5",
    ):
        refused = await demo_bot.client.get(forged)
        assert refused.status == 403 and await refused.text() == texts.PLAKAT_LINK_INVALID, forged
    # A plakat link does not open a målplan's export, and a målplan link does not open the plakat.
    assert (await demo_bot.client.get(f"/exports/{token}")).status == 403
    # Signed correctly, for someone who may not read this Plan A (Sofie is Herstedlund's leder).
    [(sofie,)] = await demo_bot.query(select(Person.id).where(Person.email == SOFIE.email))
    foreign = _path(demo_bot, export_links.plan_a_link(demo_bot.settings, unit_id=unit, person_id=int(sofie)))
    refused = await demo_bot.client.get(foreign)
    assert refused.status == 403 and await refused.text() == texts.PLAKAT_LINK_INVALID
    # And for a unit that does not exist.
    nowhere = _path(demo_bot, export_links.plan_a_link(demo_bot.settings, unit_id=999_999, person_id=lars))
    assert (await demo_bot.client.get(nowhere)).status == 403


async def test_without_pango_the_link_answers_503_in_danish_not_500(
    demo_bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint raises OSError when the operating system lacks Pango (replaced here: it is outside the project)."""
    import weasyprint

    def no_pango(*args: object, **kwargs: object) -> None:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(weasyprint, "HTML", no_pango)
    unit, lars = await _ids(demo_bot)
    path = _path(demo_bot, export_links.plan_a_link(demo_bot.settings, unit_id=unit, person_id=lars))
    response = await demo_bot.client.get(path)
    assert response.status == 503 and await response.text() == texts.PLAKAT_UNAVAILABLE
    monkeypatch.undo()
    assert (await demo_bot.client.get(path)).status == 200, "the failed build is not kept"
