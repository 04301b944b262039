"""The tab's Overblik page: tema × niveau as a heat map, afdelinger with a progress bar, the missing units with their
leder and »Send påmindelse« (domain.overview and domain.reminders, as the chat's `oversigt`); and for chefer and
Chefforum each arbejdsplads's Plan A (domain.plan_a_overview, as `oversigt plan a`)."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from cards import danish, texts
from domain import clock, coverage, overview, plan_a_overview, reminders
from domain.policy import OverviewRole, in_chefforum, overview_scope
from domain.workbench import Page
from web.pages import (
    TAB,
    SignedIn,
    Tab,
    guarded,
    ints,
    number_param,
    page,
    reading,
    refuse,
)

log = logging.getLogger(__name__)


# --- Overblik ---------------------------------------------------------------------------------------------------


def heat(count: int, most: int) -> int:
    """The heat map's shade, 0 (none: missing) to 4 (the fullest cell)."""
    if count <= 0:
        return 0
    return max(1, min(4, -(-4 * count // max(most, 1))))


@guarded(Page.OVERBLIK)
async def overblik_page(request: web.Request, who: SignedIn) -> web.StreamResponse:
    tab = request.app[TAB]
    scope = overview_scope(who.actor)
    keys = tab.settings.EKSEMPEL_DEADLINE_KEYS
    today = clock.today()
    shown = None if scope.role is OverviewRole.INDSAMLER else scope.unit_ids
    # Plan A on each arbejdsplads (issue 21): the chef's afdelinger or, for Chefforum, every one; paged.
    everyone = request.query.get("plan_a") == "alle" or None
    plan_a_scope = plan_a_overview.scope(who.actor, everyone=everyone)
    plan_a = None
    async with reading(request) as db:
        overblik = await overview.indsamler_overblik(db, deadline_keys=keys, today=today, afdeling_ids=shown)
        # Every mål covered (issue 20): a chef's arbejdspladser, and for Chefforum every målsætning across.
        units_maal = (
            await coverage.unit_coverage(db, sorted(await overview.scope_units(db, scope)))
            if scope.role is OverviewRole.CHEF
            else {}
        )
        across = await coverage.across(db) if in_chefforum(who.actor) else []
        if plan_a_scope is not None:
            plan_a = await plan_a_overview.overview(db, plan_a_scope, offset=number_param(request.query, "plan_a_fra"))
    found, missing = overblik.overview, list(overblik.missing)
    afdelinger = [a for a in found.afdelinger if shown is None or a.afdeling_id in shown]
    most = max((c.received for c in found.cells), default=0)
    deadline = found.deadline
    deadline_text = ""
    if deadline is not None:
        template = texts.TAB_OVERBLIK_DEADLINE if deadline.days_left >= 0 else texts.TAB_OVERBLIK_DEADLINE_PASSED
        deadline_text = danish.fill(
            template, title=deadline.title, date=danish.date(deadline.date), days=deadline.days_left
        )
    reminded = number_param(request.query, "reminded")
    notice = None
    if "reminded" in request.query:
        notice = (
            texts.OVERSIGT_REMINDED_ONE
            if reminded == 1
            else danish.fill(texts.OVERSIGT_REMINDED, count=reminded)
            if reminded
            else texts.OVERSIGT_REMINDED_NONE
        )
    return page(
        request,
        "overblik.html",
        {
            "title": texts.TAB_OVERBLIK_TITLE,
            "cells": {(c.tema, c.niveau): c for c in found.cells},
            "heat": lambda count: heat(count, most),
            "afdelinger": afdelinger,
            "missing": missing,
            "deadline": deadline,
            "deadline_text": deadline_text,
            "may_remind": scope.may_remind,
            "notice": notice,
            "show_eksempler": scope.role in (OverviewRole.INDSAMLER, OverviewRole.CHEF),
            "plan_a": plan_a,
            "units_maal": sorted(units_maal.values(), key=lambda u: (u.name, u.unit_id)),
            "across": across,
        },
        who=who,
        current=Page.OVERBLIK,
    )


@guarded(Page.OVERBLIK, post=True)
async def send_reminder(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    """»Send påmindelse« for one missing unit, or all: through domain.reminders.remind_now, once a day per unit."""
    tab = request.app[TAB]
    scope = overview_scope(who.actor)
    if not scope.may_remind:
        return refuse(request, who, "reminders")
    units = ints([str(form.get("enhed", ""))]) or None
    async with tab.sessionmaker.begin() as db:
        deadline = await overview.current_deadline(db, tab.settings.EKSEMPEL_DEADLINE_KEYS, clock.today())
        if deadline is None:
            done = reminders.Reminded(0, (), 0)
        else:
            done = await reminders.remind_now(
                db, scope=scope, actor_id=who.actor.person_id, deadline=deadline, unit_ids=units
            )
    tab.send_outbox(list(done.message_ids))
    raise web.HTTPSeeOther(f"/tab/overblik?reminded={done.units}")


__all__ = ["TAB", "Tab"]
