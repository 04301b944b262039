"""Hostile names in a real client: a name written as markdown with a link is shown literally on the approval card,
in the owner's news and in the history, never as bold text or a link (the Playground renders Teams' markdown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cards import texts
from core.vocabulary import Action
from tests.e2e.conftest import DEMO_ORG
from tests.e2e.playground import E2E, Chat
from tests.e2e.test_approvals_e2e import LARS, propose

pytestmark = pytest.mark.e2e

LARS_NAME = "**Chefen** [godkend her](https://evil.example)"
METTE_NAME = "Mette _Hansen_ [klik](https://evil.example/mette)"


@pytest.fixture(scope="module")
def e2e_org_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation, with Lars's and Mette's names as markdown an attacker would choose."""
    text = DEMO_ORG.read_text(encoding="utf-8")
    text = text.replace("name: Lars Mikkelsen", f'name: "{LARS_NAME}"').replace(
        "name: Mette Hansen", f'name: "{METTE_NAME}"'
    )
    path = tmp_path_factory.mktemp("org") / "organisation.yaml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_names_with_markdown_are_shown_literally(e2e: E2E, chat: Chat) -> None:
    lars = await e2e.chat(LARS.email)
    tegn = "Flere forældre spørger til dagens leg"
    since = {"lars": await lars.mark_cards(), "mette": await chat.mark_cards()}
    await propose(chat, tegn)

    card = await lars.wait_for_card(tegn, since=since["lars"], button=texts.DECISION_BUTTONS[Action.SEND_BACK])
    assert await card.get_by_text(METTE_NAME, exact=False).first.is_visible(), "the owner's name, as written"
    assert await card.locator("a[href*='evil.example']").count() == 0
    await lars.screenshot("hardening_1_approval_card_hostile_owner", card=card)
    await lars.fill(texts.APPROVAL_COMMENT_LABEL, "Hvad ser vi hos forældrene?", within=card)
    await lars.click(texts.DECISION_BUTTONS[Action.SEND_BACK], within=card)
    decided = await lars.wait_for_card(texts.STATUS_SENT_BACK_TO.format(owner=METTE_NAME), since=since["lars"])
    assert await decided.locator("a[href*='evil.example']").count() == 0
    await lars.screenshot("hardening_2_sent_back_status", card=decided)

    news = await chat.wait_for_card(texts.OWNER_NEWS[Action.SEND_BACK][0], since=since["mette"])
    told = texts.OWNER_NEWS[Action.SEND_BACK][1].format(actor=LARS_NAME)
    assert await news.get_by_text(told, exact=False).first.is_visible(), "the decider's name, as written"
    assert await news.locator("a[href*='evil.example']").count() == 0
    assert await news.locator("strong, b").filter(has_text="Chefen").count() == 0, "no markdown bold"
    await chat.screenshot("hardening_3_owner_news_hostile_decider", card=news)
