"""The proofreader (issue 22): every text in cards/texts.py, with its placeholders filled, is spell-checked against
Debian's Danish hunspell dictionary (packages `hunspell` and `hunspell-da`; `make test` installs them), with the
project's own words in tests/danish_words.txt. Every count in a text goes through the plural helper, and each
counted text reads right with 0, 1 and 2."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cards import danish, texts
from cards.workbooks import eksempel_workbook
from core.vocabulary import EntryStatus, Niveau, Tema
from domain.eksempel_export import EksempelExport, ExportedEksempel
from storage import orgfile

WORD_LIST = Path(__file__).with_name("danish_words.txt")
DICTIONARY = Path("/usr/share/hunspell/da_DK.dic")

# A value for every placeholder, as the cards fill them (names and units as in the demo organisation).
SAMPLES: dict[str, str] = {
    "action": "Anbefalet",
    "actor": "Lars Mikkelsen",
    "author": "Mette Hansen",
    "cells": "Helhed (leder) og Mod (medarbejder)",
    "colour": "Gul",
    "used": "1",
    "counts": "2 afventer, 1 godkendt",
    "mark": "🟡",
    "date": "1. november 2026",
    "days_left": "om 3 dage",
    "email": "stinne.gronne@albertslund.dk",
    "forum": "arbejdsgruppen",
    "fra": "Mette Hansen",
    "id": "12",
    "kind": "Tegn",
    "level": "ledere",
    "maalsaetning": "Alle børn skal have et godt sprog",
    "n": "3",
    "name": "Mette Hansen",
    "names": "Mette Hansen og Ahmed Khan",
    "next": "Stinne Grønne (HR)",
    "niveau": "medarbejder",
    "numbers": "12 og 37",
    "original": "Flere børn fortæller om deres weekend",
    "outcome": "Udvalgt af arbejdsgruppen",
    "owner": "Mette Hansen",
    "person": "Stinne Grønne (HR)",
    "role": "lederen",
    "sheet": "UNDER udviklingsdage del 1",
    "signal": "Gul",
    "since": "1. november 2026",
    "status": "afventer",
    "tema": "Relationer",
    "text": "Flere børn fortæller om deres weekend",
    "time": "14:05",
    "title": "Målplan 2026 – Dagtilbud Kirkebjerg",
    "unit": "Dagtilbud Kirkebjerg",
    "url": "https://example.invalid/eksport",
    "when": "1. november 2026 kl. 14:05",
    "who": "Karin Holm",
    "year": "2026",
    "until": "14. januar 2026",
    "usage": "**anbefal** nummer [kommentar], fx »anbefal 12 Godt forslag«",
    "by": "Lars Mikkelsen",
    "situation": "Ved frokosten",
    "fora": "Arbejdsgruppen",
    "current": "Udvalgt af arbejdsgruppen",
    "exported": "Ikke udvalgt af arbejdsgruppen",
    "value": "måske",
    # Counts shown as »label: value« (no noun after them), and numbers on cards (nr. 12): filled as figures.
    "maal": "3",
    "no_tegn": "1",
    "no_ph": "2",
    "tegn": "4",
    "tegn_pending": "1",
    "ph": "2",
    "ph_pending": "1",
    "laering": "1",
    "laering_pending": "0",
    "number": "12",
    "shown": "40",
    "page": "2",
    "pages": "7",
    "perspektiv": "Opgaver",
    "position": "2",
    "old": "Vi holder flere møder",
    "new": "Flere børn fortæller selv om deres dag",
    "sender": "Lars Mikkelsen",
    "recipient": "Mette Hansen",
    "word": "Mette",
    "tip": "Det lyder som noget, vi vil gøre.",
    "proposal": "Vi vil læse mere højt",
    # Plan A across arbejdspladser (issue 21): counts after »har …«.
    "decided": "3",
    "in_use": "2",
    "written": "1",
}
# Placeholders that hold a number.
NUMBERS = {
    "adopted",
    "approved",
    "count",
    "days",
    "first",
    "hours",
    "last",
    "limit",
    "minutes",
    "pending",
    "people",
    "received",
    "selected",
    "sent",
    "step",
    "total",
    "units",
    "units_sent",
}
# A number that counts a noun whose singular and plural are the same ("1 forslag", "2 forslag") may stand bare.
INVARIANT_NOUNS = {"forslag", "tegn", "anslag", "skridt", "mål", "udfald"}
# Numbers that count no noun of their own, by text and placeholder.
BARE_NUMBERS: dict[str, set[str]] = {
    "STEP_OF": {"step", "total"},  # Trin 2 af 4
    "MINE_SHOWING": {"first", "last", "count"},  # Viser 1–10 af 12
    "SELECTION_SHOWING": {"first", "last", "count"},
    "OVERSIGT_CELL_COUNT": {"first", "last"},
    "OVERSIGT_CELL": {"received", "selected", "adopted"},  # a cell of the tema × niveau table: 3 · 1 · 0
    "OVERSIGT_COUNT_STATUS": {"count"},  # 2 afventer (a status, not a noun)
    "OVERSIGT_AFDELING_LINE": {"sent", "units"},  # 2 af 5 har sendt
    "OVERSIGT_AFDELING_INTRO": {"sent"},  # 2 af {units:…}
    "OVERSIGT_TOTALS": {"units_sent"},  # 2 af {units:…}
    "GRUNDLAG_TEMA_COUNT": {"count"},  # Relationer (4)
    "GRUNDLAG_ALL": {"count"},  # … for ledere (12)
    "ROUND_TYPED_ADDED": {"count"},  # (5 i alt)
    "ROUND_TYPED_ADDED_MANY": {"count"},
    "ROUND_FORWARDED": {"count"},  # 2 af {total} forslag
    "LIST_OTHERS": {"count"},  # og 3 andre (never fewer than 2)
    "HISTORY_EARLIER": {"count"},  # … og 3 tidligere skridt (skridt: the same in both)
    "OVERSIGT_EKSEMPLER_SENT": {"count"},  # Eksempler: 3 sendt
    "OVERSIGT_REMINDER_REFUSED": {"units"},  # the units' names, not a number
    "OVERSIGT_PAGE_UNITS": {"first", "last", "total"},  # Arbejdsplads 1–15 af 150
    "OVERSIGT_PAGE_MAAL": {"first", "last", "total"},
    "OVERSIGT_ACROSS_LINE": {"units"},  # already "3 arbejdspladser" (OVERSIGT_UNITS)
    "ROUND_TYPED_ADDED_ANONYMOUS": {"count"},  # (5 i alt)
    "TAB_EKS_SHOWING": {"first", "last"},
    "TAB_EKS_GROUP_LINK": {"count"},  # Gruppe (3)
    "TAB_EKS_TICKED": {"count"},  # 3 valgt
    "TAB_EKS_BULK_SAME": {"count"},  # 2 havde allerede …
    "TAB_EKS_BULK_REFUSED": {"count"},
    "TAB_EKS_GROUP_INTRO": {"count"},  # De 3 eksempler (a group: never fewer than 2)
    "TAB_GODK_ALREADY": {"count"},
    "TAB_GODK_REFUSED": {"count"},
    "TAB_OVERBLIK_CELL": {"received", "selected", "adopted"},  # as OVERSIGT_CELL
    "TAB_OVERBLIK_PROGRESS": {"sent"},  # 2 af {units:…}
    "TAB_XL_PREVIEW_CHANGES": {"count"},  # a heading with its count: Registreres (3)
    "TAB_XL_PREVIEW_CONFLICTS": {"count"},
    "TAB_XL_PREVIEW_PROBLEMS": {"count"},
    "TAB_XL_PREVIEW_UNCHANGED": {"count"},
    "PLAN_A_HISTORY_SHOWING": {"first", "last"},
    "TAB_MAAL_APPROVED_PENDING": {"approved", "pending"},  # a table cell under »Tegn«: 2 godkendt · 1 afventer
    "TAB_MAAL_PH": {"approved", "pending"},  # under »Prøvehandlinger«: 2 · 1 foreslået
}

PLACEHOLDER = re.compile(r"\{(\w+)(?::([^{}]*))?\}")


def all_texts() -> Iterator[tuple[str, str]]:
    """Every text in cards/texts.py with where it is (NAME, NAME[key], NAME[0]…); command words too."""

    def walk(where: str, value: object) -> Iterator[tuple[str, str]]:
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            for key, item in value.items():
                if where == "COMMAND_DESCRIPTIONS":  # the command words people type
                    yield f"{where} (key)", key
                yield from walk(f"{where}[{getattr(key, 'value', key)}]", item)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                yield from walk(f"{where}[{index}]", item)

    for name, value in vars(texts).items():
        if name.isupper():
            yield from walk(name, value)


def render(template: str, count: int) -> str:
    """The text with every placeholder filled: numbers with `count`, everything else with its sample."""
    values: dict[str, object] = {}
    for match in PLACEHOLDER.finditer(template):
        name = match.group(1)
        if name in NUMBERS or match.group(2):
            values[name] = count
        else:
            assert name in SAMPLES, f"no sample for {{{name}}}: add one to SAMPLES"
            values[name] = SAMPLES[name]
    return danish.fill(template, **values)


def project_words() -> set[str]:
    """The word list: one word a line, each with a comment saying why it is not in the dictionary."""
    words = set()
    for number, line in enumerate(WORD_LIST.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        word, _, comment = line.partition("#")
        assert comment.strip(), f"{WORD_LIST.name} line {number}: say in a comment why {word.strip()} is here"
        words.add(word.strip())
    return words


def misspelled(sentences: list[str]) -> list[str]:
    """The words hunspell (da_DK) does not know and the project's word list does not hold, in order, once each."""
    hunspell = shutil.which("hunspell")
    if hunspell is None or not DICTIONARY.exists():
        pytest.fail("the proofreader needs Debian's hunspell and hunspell-da: run `make hunspell` (or apt-get install)")
    prose = []
    for sentence in sentences:
        sentence = re.sub(r"\]\([^)]*\)", "]", sentence)  # markdown links: the text, not the address
        sentence = re.sub(r"\S+@\S+|https?://\S+", " ", sentence)  # e-mail addresses and addresses
        prose.append(sentence.replace("**", " "))
    result = subprocess.run(
        [hunspell, "-d", str(DICTIONARY.with_suffix("")), "-i", "utf-8", "-l"],
        input="\n".join(prose),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    known = project_words()
    unknown: list[str] = []
    for word in result.stdout.split():
        if word not in known and word not in unknown:
            unknown.append(word)
    return unknown


def demo_organisation() -> orgfile.OrgFile:
    return orgfile.parse(Path(__file__).parents[1].joinpath("demo", "organisation.yaml").read_text(encoding="utf-8"))


def proofread() -> list[str]:
    """Every text, filled with 1 and with 2; and the texts that name a forum or a title, with each of the demo
    organisation's fora and titles (shown as the organisation file writes them, mid-sentence)."""
    rendered = [render(template, count) for _, template in all_texts() for count in (1, 2)]
    org = demo_organisation()
    fora = [forum for stage in org.selection for forum in stage.fora]
    titles = [person.title for person in org.people if person.title]
    assert fora and titles
    rendered += [label.format(forum=forum) for label in texts.OUTCOME_LABELS.values() for forum in fora]
    rendered += [texts.PERSON_WITH_TITLE.format(name=SAMPLES["name"], title=title) for title in titles]
    return rendered


def test_every_text_is_spelt_as_the_danish_dictionary_spells_it() -> None:
    assert misspelled(proofread()) == []


# The house style the proofreader asked for (issue 22): what a text must not say, and what it says instead.
HOUSE_STYLE = {
    "Excel-ark": "Excel-fil (a workbook; an ark is one sheet of it)",
    "Åbn godkend": "Se forslagene",
    "nævne mig": "skriv @Styringsbot først",
    "Må højst være": "… på højst {n} anslag",
    "Tak for din interesse": "say what happens instead",
    "luk kortet": "a card cannot be closed: Skal intet videre, behøver du ikke gøre mere",
    "kommer snart": "no promises: say what the bot can do",
    "en leder for enheden": "en leder af enheden",
    "Skriv datoen": "Vælg datoen (it is a date picker)",
    "d. {date}": "den {date}",
    "„": "»…«",
}


def test_no_text_says_what_the_house_style_replaced() -> None:
    found = [(name, phrase) for name, template in all_texts() for phrase in HOUSE_STYLE if phrase in template]
    assert found == [], [f"{name}: »{phrase}« → {HOUSE_STYLE[phrase]}" for name, phrase in found]


def test_the_proofreader_finds_a_misspelling_and_reads_filled_placeholders() -> None:
    assert misspelled(["Dit eksempel er godkndt af arbejdsgruppen."]) == ["godkndt"]
    assert misspelled([render("{count:eksempl|eksempler} modtaget", 1)]) == ["eksempl"]


def test_every_word_in_the_word_list_is_needed() -> None:
    """A word the dictionary knows, or that nothing proofread uses, does not belong in the project's list."""
    words = sorted(project_words())
    assert words, "the list holds the domain words"
    known = set(words) - set(misspelled_raw(words))
    assert not known, f"the dictionary knows these already: {sorted(known)}"
    used = " ".join(proofread())
    unused = {word for word in words if not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", used)}
    assert not unused, f"nothing proofread uses these: {sorted(unused)}"


def misspelled_raw(words: list[str]) -> list[str]:
    """What hunspell alone rejects, without the project's word list."""
    result = subprocess.run(
        ["hunspell", "-d", str(DICTIONARY.with_suffix("")), "-i", "utf-8", "-l"],
        input="\n".join(words),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    return result.stdout.split()


def test_every_count_goes_through_the_plural_helper() -> None:
    bare: list[str] = []
    for where, template in all_texts():
        name = where.split("[")[0].split(" ")[0]
        for match in PLACEHOLDER.finditer(template):
            field, spec = match.group(1), match.group(2)
            if field not in NUMBERS or spec:
                continue
            following = template[match.end() :].split()
            if field in BARE_NUMBERS.get(name, set()) or (following and following[0].strip(".,") in INVARIANT_NOUNS):
                continue
            bare.append(f"{where}: {{{field}}}")
    assert bare == [], "write these as {name:ental|flertal} and fill them with danish.fill"


def counted_texts() -> list[tuple[str, str]]:
    return [(where, template) for where, template in all_texts() if danish.COUNTED.search(template)]


def test_there_are_counted_texts() -> None:
    assert len(counted_texts()) >= 15


@pytest.mark.parametrize(("where", "template"), counted_texts(), ids=[where for where, _ in counted_texts()])
def test_a_counted_text_reads_right_with_0_1_and_2(where: str, template: str) -> None:
    for match in danish.COUNTED.finditer(template):
        _, ental, flertal = match.groups()
        assert f"0 {flertal}" in render(template, 0), where
        assert f"1 {ental}" in render(template, 1), where
        assert f"2 {flertal}" in render(template, 2), where
    assert "{" not in render(template, 2)


def test_antal_and_fill() -> None:
    assert [danish.antal(n, "eksempel", "eksempler") for n in (0, 1, 2)] == ["0 eksempler", "1 eksempel", "2 eksempler"]
    assert danish.fill("{count:dag|dage} for {name}", count=1, name="Mette") == "1 dag for Mette"
    with pytest.raises(ValueError):
        texts.DIGEST_INTRO.format(count=1, days=1)  # a counted text cannot slip through str.format
    with pytest.raises(TypeError):
        danish.fill("{count:dag|dage}", count="1")


def test_the_eksempel_workbook_speaks_of_others_in_the_third_person() -> None:
    """The indsamler's workbook is read by others: an eksempel sent back is »sent back to the sender«, not »to you«."""
    row = ExportedEksempel(
        1, Tema.MOD, Niveau.MEDARBEJDER, "Vi siger det højt", "", "Mette Hansen", "Center for Dagtilbud og Skole",
        "Mette Hansen", dt.date(2026, 11, 2), EntryStatus.SENT_BACK, "", None, False,
    )  # fmt: skip
    _, data = eksempel_workbook(EksempelExport([row], []))
    sheet = load_workbook(io.BytesIO(data))[texts.TEMA_LABELS[Tema.MOD]]
    values = [cell for line in sheet.iter_rows(values_only=True) for cell in line]
    assert texts.STATUS_SENT_BACK_OTHER in values
    assert texts.STATUS_SENT_BACK_TO_YOU not in values
