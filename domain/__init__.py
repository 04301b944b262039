"""Domain services: rules, status transitions and permissions. Plain Python, no botbuilder imports.

One name per concept, in code (English) and on screen (Danish, in cards/texts.py):

- **entry** (`Entry` row, `EntryKind`): a tegn, a læring, a proposed prøvehandling or an eksempel someone submitted.
  On screen: "forslag". An approved prøvehandling proposal becomes a **Proevehandling** row of its mål
  (domain.proevehandlinger), as those from the organisation file are.
- **Person** is the stored row; **Actor** (domain.actor) is the one type for "who is acting" in a user action.
- **action** (`Action`): what a person does to an entry (anbefal, godkend, send tilbage, træk tilbage …).
  Each action done is stored as a **Decision** row: the entry's history.
- **route**: the roles that decide on an entry kind, stage by stage; **stage**: the index into it.
- **policy** (`EntryPolicy`, domain.policy): what one person may see and do with one entry now. It is the only
  place those rules live; cards, dialogs, handlers, the inbox and the notifier read it.
- **view** (domain.views): a plain read model of what a card shows, built from rows; cards never see rows.
- **unit**: an organisational unit (direktørområde → afdeling → arbejdsplads).
- **received** / **sent** / **missing** (eksempler): defined once in domain.eksempel_status; every count reads it.

Every kind, status, role and action is an enum in core.vocabulary; no bare code strings elsewhere.
"""
