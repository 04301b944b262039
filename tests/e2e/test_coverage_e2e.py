"""Every mål covered, in the Playground (issue 20): Karin, chef and Chefforum member, sees her afdeling's units with
their mål's coverage, opens Kirkebjerg's mål, and the view across the organisation per målsætning. Screenshots of
every card (tests/artifacts/coverage_*.png)."""

from __future__ import annotations

import pytest

from cards import texts
from tests.e2e.playground import E2E

pytestmark = pytest.mark.e2e

KARIN = "karin.holm@albertslund.dk"
AFDELING = "Center for Dagtilbud og Skole"
KIRKEBJERG = "Dagtilbud Kirkebjerg"
SPROG = "Alle børn skal have et godt sprog og lyst til at lære"


async def test_karin_sees_the_coverage_of_her_units_and_across_the_organisation(e2e: E2E) -> None:
    karin = await e2e.chat(KARIN)
    since = await karin.mark_cards()
    await karin.send("oversigt")
    chef = await karin.wait_for_card(texts.OVERSIGT_MANAGER_TITLE.format(title=AFDELING), since=since)
    # The demo's mål have prøvehandlinger from the organisation file and no approved tegn yet.
    assert await chef.get_by_text(texts.OVERSIGT_COVERAGE_UNIT.format(maal=2, no_tegn=2, no_ph=0)).is_visible()
    await karin.screenshot("coverage_1_chef", card=chef)

    await karin.click(texts.OVERSIGT_UNIT_OPEN.format(unit=KIRKEBJERG), within=chef)
    unit = await karin.wait_for_card(texts.OVERSIGT_UNIT_COVERAGE_TITLE.format(unit=KIRKEBJERG))
    assert await unit.get_by_text(texts.OVERSIGT_MAAL_LACKS_TEGN, exact=True).first.is_visible()
    await karin.screenshot("coverage_2_unit", card=unit)

    await karin.click(texts.OVERSIGT_BACK, within=unit)
    chef = await karin.wait_for_card(
        texts.OVERSIGT_MANAGER_TITLE.format(title=AFDELING), button=texts.OVERSIGT_ACROSS_BUTTON
    )
    await karin.click(texts.OVERSIGT_ACROSS_BUTTON, within=chef)
    across = await karin.wait_for_card(texts.OVERSIGT_ACROSS_TITLE)
    assert await across.get_by_text(SPROG, exact=True).is_visible()
    await karin.screenshot("coverage_3_chefforum", card=across)

    await karin.click(texts.OVERSIGT_MAALSAETNING_OPEN, within=across)
    opened = await karin.wait_for_card(texts.OVERSIGT_ACROSS_BACK)
    await karin.screenshot("coverage_4_maalsaetning", card=opened)
