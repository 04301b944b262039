"""The tab's Godkendelser page: what waits for me, several decided with one comment (domain.workflow.decide_on,
one unit of work per POST), an entry's history, and a chef's correction of a tegn's wording as they approve it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy
from pydantic import ValidationError

from cards import danish, texts
from core.vocabulary import Action, EntryKind
from domain import corrections
from domain.approvals import inbox, notify_after
from domain.entries import TegnData
from domain.policy import NotAllowed
from domain.views import DecisionView, viewed
from domain.workbench import Page
from domain.workflow import NotFound, Result, decide_on, policy_of
from storage import repo
from web.pages import (
    MAX_COMMENT,
    TAB,
    SignedIn,
    back_to,
    guarded,
    ints,
    message,
    number_param,
    page,
    reading,
    refuse,
)

log = logging.getLogger(__name__)


# --- Godkendelser -------------------------------------------------------------------------------------------------


def _entry_text(data: Mapping[str, Any]) -> str:
    for key in ("tegn", "eksempel", "hvad_laerte_vi", "hvad_gjorde_vi"):
        if data.get(key):
            return str(data[key])
    return ""


async def _godkendelser(request: web.Request, who: SignedIn, **extra: Any) -> web.Response:
    async with reading(request) as db:
        entries = await inbox(db, who.actor)
    rows = [
        {
            "id": e.id,
            "version": e.version,
            "kind": e.kind,
            "owner": e.owner.display_name,
            "unit": e.unit.name,
            "text": _entry_text(e.data),
            "since": e.updated_at,
        }
        for e in entries
    ]
    parts = []
    if done := number_param(request.query, "done"):
        parts.append(texts.TAB_GODK_DONE.format(count=done))
    if back := number_param(request.query, "back_done"):
        parts.append(texts.TAB_GODK_DONE_BACK.format(count=back))
    if already := number_param(request.query, "already"):
        parts.append(texts.TAB_GODK_ALREADY.format(count=already))
    if refused := number_param(request.query, "refused"):
        parts.append(texts.TAB_GODK_REFUSED.format(count=refused))
    context = {"title": texts.TAB_GODK_TITLE, "rows": rows, "comment": "", "notice": " ".join(parts) or None}
    context.update(extra)
    return page(request, "godkendelser.html", context, who=who, current=Page.GODKENDELSER, status=400 if extra else 200)


@guarded(Page.GODKENDELSER)
async def godkendelser_page(request: web.Request, who: SignedIn) -> web.StreamResponse:
    return await _godkendelser(request, who)


@guarded(Page.GODKENDELSER, post=True)
async def decide_many(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    """Recommend/approve (or send back) every ticked entry with one comment: one unit of work, each entry through
    domain.workflow.decide_on as the person saw it (its version), exactly as a click on its card would."""
    tab = request.app[TAB]
    comment = form.get("kommentar")
    comment = comment[:MAX_COMMENT] if isinstance(comment, str) else ""
    send_back = form.get("handling") == "tilbage"
    picked: list[tuple[int, int]] = []
    for value in form.getall("entry", []):
        raw_id, _, raw_version = str(value).partition(":")
        if raw_id.isdigit() and raw_version.isdigit() and len(raw_id) < 10 and len(raw_version) < 10:
            picked.append((int(raw_id), int(raw_version)))
    if not picked:
        return await _godkendelser(request, who, problem=texts.TAB_GODK_NONE, comment=comment)
    if send_back and not comment.strip():
        return await _godkendelser(request, who, problem=texts.TAB_GODK_COMMENT_REQUIRED, comment=comment)
    done, already, refused = 0, 0, 0
    notification_ids: list[int] = []
    async with tab.sessionmaker.begin() as db:
        for entry_id, version in picked:
            entry = await repo.get_entry(db, entry_id)
            if entry is None:
                refused += 1
                continue
            policy = await policy_of(db, entry, who.actor)
            forward = next((a for a in policy.decisions if a in (Action.RECOMMEND, Action.APPROVE)), None)
            action = Action.SEND_BACK if send_back else forward
            if not policy.may_see or action is None or action not in policy.decisions:
                if entry.version != version and policy.may_see:
                    already += 1
                else:
                    refused += 1
                continue
            try:
                decided = await decide_on(
                    db,
                    actor=who.actor,
                    entry_id=entry_id,
                    action=action,
                    seen_version=version,
                    comment=comment,
                    loaded=entry,
                )
            except (NotAllowed, NotFound):
                refused += 1
                continue
            if decided.result is Result.NEW:
                done += 1
                notification_ids += await notify_after(db, decided.entry, actor_id=who.actor.person_id)
            elif decided.result is Result.ALREADY_DECIDED:
                already += 1
            else:
                done += 1  # a repeat of this person's own decision: it stands
    tab.notify(notification_ids)
    log.info("tab decisions by person %s: %s done, %s already, %s refused", who.actor.person_id, done, already, refused)
    counts = {"back_done" if send_back else "done": done, "already": already, "refused": refused}
    raise back_to("/tab/godkendelser", {}, **counts)


def _action_label(decision: DecisionView) -> str:
    if decision.action is Action.RECORD_OUTCOME and decision.to_status in texts.OUTCOME_LABELS:
        label = texts.OUTCOME_LABELS[decision.to_status].format(forum=decision.forum)
        return f"{label}, {danish.date(decision.occurred_on)}" if decision.occurred_on else label
    return texts.ACTION_LABELS.get(decision.action, decision.action.value)


def _history(
    request: web.Request,
    who: SignedIn,
    seen: Any,
    *,
    status: int = 200,
    problem: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> web.Response:
    view = seen.view
    typed = values or {}
    return page(
        request,
        "historik.html",
        {
            "title": texts.TAB_GODK_HISTORY_TITLE.format(kind=texts.KIND_LABELS[view.kind], id=view.id),
            "view": view,
            "action_label": _action_label,
            "correctable": _correctable(view, seen.policy),
            "wording": typed.get("tegn", view.data.get("tegn", "")),
            "comment": typed.get("kommentar", ""),
            "problem": problem,
        },
        who=who,
        current=Page.GODKENDELSER,
        status=status,
    )


@guarded(Page.GODKENDELSER)
async def history_page(request: web.Request, who: SignedIn) -> web.StreamResponse:
    [entry_id] = ints([request.match_info["entry_id"]]) or [0]
    async with reading(request) as db:
        entry = await repo.get_entry(db, entry_id)
        seen = await viewed(db, entry, who.actor) if entry is not None else None
    if seen is None:
        return message(request, texts.TAB_GODK_TITLE, texts.TAB_NOT_FOUND, who=who, status=404)
    if not seen.policy.may_see:
        return refuse(request, who, f"history of entry {entry_id}")
    return _history(request, who, seen)


# --- A chef corrects a tegn's wording before »indarbejdet« ----------------------------------------------------


def _correctable(view: Any, policy: Any) -> bool:
    """A tegn at its last stage, with this person to approve it (the chef): its wording may be corrected."""
    return view.kind is EntryKind.TEGN and Action.APPROVE in policy.decisions


@guarded(Page.GODKENDELSER, post=True)
async def correct_and_approve(request: web.Request, who: SignedIn, form: MultiDictProxy[Any]) -> web.StreamResponse:
    """Approve a tegn with corrected wording, one unit of work: domain.corrections keeps the original (as the chat's
    »Ret og godkend« does), and the decision's comment quotes it, so it stays in the history shown here."""
    tab = request.app[TAB]
    [entry_id] = ints([request.match_info["entry_id"]]) or [0]
    raw_version, wording, comment = form.get("version"), form.get("tegn"), form.get("kommentar")
    version = (
        int(raw_version) if isinstance(raw_version, str) and raw_version.isdigit() and len(raw_version) < 10 else -1
    )
    wording = wording if isinstance(wording, str) else ""
    comment = comment[:MAX_COMMENT] if isinstance(comment, str) else ""
    notification_ids: list[int] = []
    async with tab.sessionmaker.begin() as db:
        entry = await repo.get_entry(db, entry_id)
        if entry is None:
            return message(request, texts.TAB_GODK_TITLE, texts.TAB_NOT_FOUND, who=who, status=404)
        seen = await viewed(db, entry, who.actor)
        if not seen.policy.may_see or not _correctable(seen.view, seen.policy):
            return refuse(request, who, f"correcting entry {entry_id}")
        original = str(entry.data.get("tegn", ""))
        try:
            corrected = TegnData.model_validate({**entry.data, "tegn": wording})
        except ValidationError:
            return _history(request, who, seen, status=400, problem=texts.TAB_GODK_CORRECT_INVALID, values=form)
        changed = corrected.tegn != original
        note = texts.TAB_GODK_CORRECTED.format(original=original) if changed else ""
        # The chat's »Ret og godkend« (domain.corrections): the original kept with who changed it, as there.
        decided = await corrections.correct_and_approve(
            db,
            actor=who.actor,
            entry_id=entry_id,
            seen_version=version,
            corrected=corrected,
            comment=" ".join(part for part in (comment.strip(), note) if part),
        )
        if decided.result is Result.NEW:
            notification_ids = await notify_after(db, decided.entry, actor_id=who.actor.person_id)
    tab.notify(notification_ids)
    log.info("tab: entry %s approved by person %s (wording corrected: %s)", entry_id, who.actor.person_id, changed)
    counts = {"done": 1} if decided.result is not Result.ALREADY_DECIDED else {"already": 1}
    raise back_to("/tab/godkendelser", {}, **counts)
