"""Every text a user sees, in Danish, in one place so that someone who writes Danish well can read and correct it.

Developers: add new texts here, never inline in cards, dialogs or handlers. Placeholders use str.format names.
"""

from __future__ import annotations

from core.vocabulary import Action, EksempelTip, EntryKind, EntryStatus, Niveau, ProevehandlingTip, Role, Tema

BOT_NAME = "Styringsbot"

# The texts Teams shows in the app store of the tenant and in the app's "About" tab (Danish).
APP_NAME_FULL = "Styringsbot – Albertslund Kommunes styringskoncept"
APP_DESCRIPTION_SHORT = "Foreslå tegn, del læring fra prøvehandlinger og giv eksempler"
APP_DESCRIPTION_FULL = (
    "Styringsbot hjælper medarbejdere, ledere og chefer i Albertslund Kommune med at arbejde med "
    "styringskonceptet direkte i Teams – i en chat med botten eller i mødechatten på et personalemøde. "
    "Tegn er de forandringer hos målgruppen, vi kan se, når vi nærmer os et mål i målplanen; med "
    "Styringsbot foreslår du tegn, og din leder og chef godkender dem. "
    "Prøvehandlinger er handlinger, hvor vi endnu ikke kender effekten; her skriver vi, hvad de har lært os, "
    "og om vi vil fortsætte, justere eller stoppe. "
    "Eksempler er konkrete beskrivelser af adfærd, som gør medarbejder- og ledelsesgrundlagets fire temaer "
    "– Vores opgave, Helhed, Relationer og Mod – levende; de går via din leder til den, der samler dem ind. "
    "Skriv »hjælp« for at komme i gang, og »mine« for at se, hvor langt dine forslag er nået."
)

# --- Commands (also used for the Teams manifest's command lists; max 128 characters each) ---
COMMAND_DESCRIPTIONS: dict[str, str] = {
    "hjælp": "Se, hvad Styringsbot kan hjælpe med",
    "tegn": "Foreslå et tegn til et mål i jeres målplan",
    "læring": "Skriv, hvad en prøvehandling har lært os",
    "prøvehandling": "Foreslå en prøvehandling til et mål i jeres målplan",
    "eksempel": "Giv et eksempel til medarbejder- og ledelsesgrundlaget",
    "mine": "Se dine egne forslag, og hvor langt de er nået",
    "godkend": "Se forslag, der venter på din godkendelse",
    "møde": "Start en runde i mødechatten på et personalemøde",
    "oversigt": "Overblik over indsamlede eksempler og forslag",
    "eksport": "Hent målplanen som Excel-fil",
    "begreber": "Hvad er et tegn, et mål og en prøvehandling?",
    "grundlag": "Se de godkendte eksempler i medarbejder- og ledelsesgrundlaget",
    "eksempler": "Registrér, hvad hvert forum har besluttet om eksemplerne",
    "annullér": "Afbryd det, du er i gang med",
}

# --- Help card ---
HELP_TITLE = "Hej! Jeg er Styringsbot"
HELP_INTRO = (
    "Jeg hjælper dig med at arbejde med jeres målplan og med medarbejder- og ledelsesgrundlaget "
    "– direkte her i Teams. Skriv et af ordene herunder, eller tryk på en knap."
)
HELP_GROUP_HINT = "I en gruppechat eller kanal skal du skrive **@Styringsbot** først, fx **@Styringsbot tegn**."
HELP_COMMANDS_HEADER = "Det kan du skrive"
HELP_BUTTON_TEGN = "Foreslå et tegn"
HELP_BUTTON_LAERING = "Skriv en læring"
HELP_BUTTON_PROEVEHANDLING = "Foreslå en prøvehandling"
HELP_BUTTON_BEGREBER = "Forklar begreberne"
HELP_UNKNOWN_PREFIX = "Det forstod jeg ikke helt."
# For a newcomer: the finished grundlag, the way into the medarbejder- og ledelsesgrundlag (seed 004: onboarding).
HELP_GRUNDLAG = (
    "Ny her? Skriv **grundlag** og læs de eksempler, der allerede er godkendt til medarbejder- og "
    "ledelsesgrundlaget. Så ser du, hvordan vi gør hos os."
)
HELP_BUTTON_GRUNDLAG = "Se grundlaget"

# --- Greeting on install, and on a person's first message: three short lines, then `hjælp` ---
WELCOME_PERSONAL = (
    "Hej, jeg er Styringsbot. Jeg hjælper dig med målplanen og med medarbejder- og ledelsesgrundlaget – her i Teams."
    "\n\nDu kan foreslå tegn, fortælle, hvad en prøvehandling har lært jer, og give eksempler på, hvordan I gør."
    "\n\nSkriv **hjælp** for at se, hvad du kan skrive."
)
WELCOME_GROUP = (
    "Hej alle sammen, jeg er Styringsbot. Jeg hjælper jer med målplanen og med medarbejder- og ledelsesgrundlaget."
    "\n\nPå et personalemøde kan lederen skrive **@Styringsbot møde**, så kan I alle komme med forslag på samme kort."
    "\n\nSkriv **@Styringsbot hjælp** for at se, hvad I kan skrive."
)

# --- Errors ---
ERROR_GENERIC = (
    "Beklager, noget gik galt hos mig. Det, du skrev, er ikke gået tabt – prøv igen om lidt. "
    "Bliver det ved, så kontakt IT-support og nævn tidspunktet."
)
ERROR_TENANT_NOT_ALLOWED = "Styringsbot kan kun bruges af Albertslund Kommunes egne medarbejdere."

# --- Navigation (every step) ---
BUTTON_NEXT = "Videre"
BUTTON_BACK = "Tilbage"
BUTTON_CANCEL = "Annullér"
BUTTON_SEND = "Send"
BUTTON_SEND_ANYWAY = "Send alligevel"
BUTTON_EDIT = "Ret"
BUTTON_CHOOSE = "Vælg"
BUTTON_SHOW_MINE = "Se mine forslag"
BUTTON_SHOW_MORE = "Vis flere"
CANCELLED_TITLE = "Annulleret"
CANCELLED = CANCELLED_TITLE + " – intet er gemt. Skriv **hjælp**, hvis du vil i gang med noget andet."
NOTHING_TO_CANCEL = "Du er ikke i gang med noget, der kan annulleres."
STALE_CARD_GONE = "Det kort er ikke længere i brug."
STALE_CARD = STALE_CARD_GONE + " Her er det kort, du er i gang med:"
USE_THE_CARD = "Udfyld kortet ovenfor og tryk på en knap – eller skriv **annullér** for at stoppe."
HELP_DURING_FLOW = "Du er i gang med et forslag. Fortsæt på kortet, eller skriv **annullér** for at stoppe."
STEP_OF = "Trin {step} af {total}"

# --- Validation messages (shown next to the field) ---
ERROR_SUMMARY = "Der er noget, der skal rettes – se de røde beskeder herunder."
ERROR_REQUIRED = "Skal udfyldes."
ERROR_TOO_LONG = "Teksten må være på højst {limit} anslag."
ERROR_CHOOSE_ONE = "Vælg en af mulighederne."
ERROR_UNKNOWN_MAAL = "Det mål findes ikke (længere). Vælg et mål fra listen."
ERROR_MAAL_NOT_YOURS = "Du kan ikke foreslå til det mål. Vælg et mål fra din egen arbejdsplads eller afdeling."
ERROR_UNKNOWN_PROEVEHANDLING = "Den prøvehandling hører ikke til målet. Vælg en fra listen."
ERROR_PROEVEHANDLING_MISSING = "Vælg en prøvehandling, eller skriv titlen på en ny."
ERROR_BESLUTNING_REQUIRED = (
    "Ved en afsluttende evaluering skal vi beslutte, om prøvehandlingen skal fortsætte, justeres eller stoppe."
)
ERROR_UNKNOWN_UNIT = "Vælg din arbejdsplads fra listen."

# --- Unit picker ---
UNIT_TITLE = "Hvor arbejder du?"
UNIT_INTRO = "Jeg kender ikke din arbejdsplads endnu. Vælg den én gang, så husker jeg den."
UNIT_LABEL = "Arbejdsplads"

# --- Mål picker ---
MAAL_TITLE = "Vælg et mål"
MAAL_INTRO_TEGN = "Hvilket mål vil du foreslå et tegn til?"
MAAL_INTRO_LAERING = "Hvilket mål hører prøvehandlingen til?"
MAAL_INTRO_PROEVEHANDLING = "Hvilket mål vil du foreslå en prøvehandling til?"
MAAL_MAALSAETNING = "Målsætning: {maalsaetning}"
MAAL_SHOW_AFDELING = "Vis hele afdelingens mål"
MAAL_SHOW_OWN = "Vis kun min arbejdsplads"
MAAL_NONE = (
    "Der er ingen målplaner for {year} for din arbejdsplads endnu. Prøv at vise hele afdelingens mål, "
    "eller spørg din leder."
)

# --- Tegn ---
TEGN_FLOW_TITLE = "Foreslå et tegn"
TEGN_WHAT_IS = (
    "Et **tegn** viser, om der sker de forandringer hos målgruppen, som tilsammen kan indfri målet. "
    "Skriv, hvad vi vil **se hos borgerne, børnene eller brugerne** – ikke hvad vi selv vil gøre. "
    "Det, vi vil gøre, er en prøvehandling."
)
TEGN_LABEL = "Hvad vil vi se hos målgruppen, når vi nærmer os målet?"
TEGN_PLACEHOLDER = "fx Flere børn fortæller selv om deres weekend i samlingen"
TEGN_MAALGRUPPE_LABEL = "Målgruppe"
TEGN_MAALGRUPPE_PLACEHOLDER = "fx børn på 3–5 år og deres forældre"
TEGN_DATATYPE_LABEL = "Hvilke data viser tegnet?"
DATATYPE_LABELS = {"kvantitativ": "Tal (kvantitativ)", "kvalitativ": "Iagttagelser (kvalitativ)", "begge": "Begge dele"}
TEGN_OPFOELGNING_LABEL = "Hvordan følger vi op?"
TEGN_OPFOELGNING_PLACEHOLDER = "fx tælling, observation eller spørgeskema"
TEGN_PROEVEHANDLING_LABEL = "Hører tegnet til en bestemt prøvehandling? (valgfrit)"
TEGN_NO_PROEVEHANDLING = "Ingen bestemt prøvehandling"
TEGN_CHECK_TITLE = "Tjek dit tegn"
TEGN_COACH_TITLE = "Et lille tip"
TEGN_COACH_TEXT = (
    "Det lyder som noget, vi vil **gøre** (en handling). Et tegn beskriver i stedet, hvad vi vil **se hos "
    "målgruppen**, når vi nærmer os målet."
)
TEGN_COACH_EXAMPLE = (
    "I stedet for »Vi vil læse mere højt for børnene« kan tegnet fx være »Flere børn beder selv om at få læst højt«."
)
TEGN_RECEIPT_TITLE = "Tak! Dit tegn er sendt"

# --- Læring fra prøvehandling ---
LAERING_FLOW_TITLE = "Læring fra en prøvehandling"
LAERING_PH_TITLE = "Vælg prøvehandlingen"
LAERING_PH_INTRO = "Hvilken prøvehandling vil vi fortælle om?"
LAERING_PH_NEW = "Ny prøvehandling"
LAERING_PH_NEW_LABEL = "Titel på den nye prøvehandling"
LAERING_PH_NEW_PLACEHOLDER = "fx Fælles morgensang på tværs af stuerne"
LAERING_PH_NEW_BUTTON = "Brug den nye prøvehandling"
LAERING_PH_NONE = "Målet har ingen prøvehandlinger endnu. Skriv titlen på en ny herunder."
LAERING_EVALUERING_LABEL = "Hvilken evaluering er det?"
EVALUERING_LABELS = {"undervejs": "Undervejs", "afsluttende": "Afsluttende"}
LAERING_GJORDE_LABEL = "Hvad gjorde vi?"
LAERING_TEGN_SET_LABEL = "Hvilke tegn så vi?"
LAERING_EFFEKT_LABEL = "Hvilken effekt havde det for borgere, foreninger eller virksomheder?"
LAERING_LAERING_LABEL = "Hvad har vi lært?"
LAERING_BESLUTNING_FIELD = "Hvad gør vi nu?"
LAERING_BESLUTNING_LABEL = LAERING_BESLUTNING_FIELD + " (skal udfyldes ved en afsluttende evaluering)"
BESLUTNING_LABELS = {"fortsaet": "Fortsæt", "juster": "Justér", "stop": "Stop"}
LAERING_TVAERFAGLIG_LABEL = "Tværfagligt samarbejde"
TVAERFAGLIG_LABELS = {
    "ingen": "Intet – vi løser opgaven monofagligt",
    "videns": "Vidensniveau – vi deler viden",
    "koordinations": "Koordinationsniveau – vi koordinerer",
    "samskabelses": "Samskabelsesniveau – vi løser opgaven sammen",
}
LAERING_BORGER_LABEL = "Har borgerne været inddraget?"
LAERING_BORGER_TOGGLE = "Ja, borgerne har været inddraget"
LAERING_CHECK_TITLE = "Tjek din læring"
LAERING_RECEIPT_TITLE = "Tak! Din læring er sendt"

# --- Prøvehandling (issue 20): a proposed prøvehandling for a mål ---
PROEVEHANDLING_FLOW_TITLE = "Foreslå en prøvehandling"
PROEVEHANDLING_WHAT_IS = (
    "En **prøvehandling** er noget nyt, **I vil gøre**, uden at kende udfaldet på forhånd. Skriv hvad I vil prøve, "
    "og for hvem – og bagefter, hvordan I vil se, om det virker."
)
PROEVEHANDLING_HANDLING_LABEL = "Hvad vil vi prøve?"
PROEVEHANDLING_HANDLING_PLACEHOLDER = "fx Vi læser højt i grupper af fire børn hver formiddag i seks uger"
PROEVEHANDLING_MAALGRUPPE_LABEL = "For hvem?"
PROEVEHANDLING_MAALGRUPPE_PLACEHOLDER = "fx børn på 3–5 år med et lille ordforråd"
PROEVEHANDLING_VIDE_TITLE = "Hvordan ser vi, om det virker?"
PROEVEHANDLING_VIDE_INTRO = (
    "Vælg et af målets tegn, som prøvehandlingen skal flytte – eller skriv selv, hvad I vil se efter."
)
PROEVEHANDLING_VIDE_NO_TEGN = (
    "Målet har ingen godkendte tegn endnu. Skriv, hvad I vil se hos målgruppen, hvis prøvehandlingen virker."
)
PROEVEHANDLING_TEGN_LABEL = "Et af målets tegn"
PROEVEHANDLING_TEGN_NONE = "Intet af dem – jeg skriver det herunder"
PROEVEHANDLING_TEGN_CHOICE = "{text} (tegn nr. {id})"
PROEVEHANDLING_HVORDAN_LABEL = "Hvad vil vi se efter?"
PROEVEHANDLING_HVORDAN_PLACEHOLDER = "fx Børnene i grupperne bruger flere nye ord i samlingen – vi tæller hver fredag"
PROEVEHANDLING_INDDRAGELSE_TITLE = "Inddragelse og samarbejde"
PROEVEHANDLING_BORGER_LABEL = "Inddrager vi borgerne?"
PROEVEHANDLING_BORGER_TOGGLE = "Ja, borgerne er med i prøvehandlingen"
PROEVEHANDLING_TVAERFAGLIG_LABEL = "Tværfagligt samarbejde"
PROEVEHANDLING_EVALUERES_TITLE = "Hvornår evaluerer vi?"
PROEVEHANDLING_EVALUERES_INTRO = (
    "Vælg den dag, I vil se på effekten og beslutte, om I fortsætter, justerer eller stopper."
)
PROEVEHANDLING_EVALUERES_LABEL = "Vi evaluerer den"
PROEVEHANDLING_TEGN_FIELD = "Det tegn, vi ser efter"
PROEVEHANDLING_CHECK_TITLE = "Tjek din prøvehandling"
PROEVEHANDLING_RECEIPT_TITLE = "Tak! Din prøvehandling er sendt"
PROEVEHANDLING_COACH_TITLE = "Et lille tip"
# Each tip: (what we noticed, why it matters, a good example).
PROEVEHANDLING_COACH: dict[ProevehandlingTip, tuple[str, str]] = {
    ProevehandlingTip.ONLY_A_GOAL: (
        "Det lyder som et **mål** – hvor I gerne vil hen – og ikke som noget, I vil **gøre**. En prøvehandling er "
        "en konkret handling, I prøver af for at komme nærmere målet.",
        "I stedet for »Flere børn skal have et alderssvarende sprog« kan prøvehandlingen fx være »Vi læser "
        "dialogisk med grupper af fire børn hver formiddag i seks uger«.",
    ),
    ProevehandlingTip.NO_EFFECT_SEEN: (
        "Der står ikke, hvordan I vil **se effekten**. Uden det kan I ikke vide, om I skal fortsætte, justere "
        "eller stoppe, når I evaluerer.",
        "Vælg et af målets tegn, eller skriv fx »Vi tæller hver fredag, hvor mange nye ord børnene i grupperne "
        "bruger i samlingen«.",
    ),
}
ERROR_EVALUERES_REQUIRED = "Vælg den dag, I vil evaluere prøvehandlingen."
ERROR_DATE_INVALID = "Det er ikke en dato. Vælg dagen i kalenderen, eller skriv den som 1.11.2026."
ERROR_EVALUERES_PAST = "Den dag er allerede gået. Vælg en dag fra i dag og frem."
ERROR_UNKNOWN_TEGN = "Det tegn hører ikke (længere) til målets godkendte tegn. Vælg et fra listen."
APPROVAL_CHEF_HINT_PROEVEHANDLING = (
    "»Godkend« betyder, at prøvehandlingen bliver en af målets prøvehandlinger i målplanen."
)
# In læring: a new prøvehandling is proposed too, alongside the læring.
LAERING_PH_NEW_PROPOSED = (
    "Den nye prøvehandling »{title}« er også sendt som forslag. Når chefen godkender den, kan I vælge den her."
)

# --- Shared entry display ---
KIND_LABELS = {
    EntryKind.TEGN: "Tegn",
    EntryKind.LAERING: "Læring",
    EntryKind.EKSEMPEL: "Eksempel",
    EntryKind.PROEVEHANDLING: "Prøvehandling",
}
FIELD_MAAL = "Mål"
FIELD_PROEVEHANDLING = "Prøvehandling"
FIELD_STATUS = "Status"
FIELD_NUMBER = "Nummer"
FIELD_BY = "Fra"
YES = "Ja"
NO = "Nej"
QUOTED = "»{text}«"  # a comment or other text someone typed, quoted on a card
STATUS_PENDING_AT = {
    Role.LEDER: "Sendt til din leder",
    Role.CHEF: "Sendt til chefen",
    Role.INDSAMLER: "Sendt til indsamleren",
}
STATUS_PENDING_OTHER = "Venter på {role}"
# The people an entry waits for, named from the organisation file: »Sendt til Stinne Grønne (HR)«.
STATUS_PENDING_AT_PEOPLE = "Sendt til {who}"
STATUS_PENDING_FOR_PEOPLE = "Venter på {who}"
PERSON_WITH_TITLE = "{name} ({title})"
# A person's title when the organisation file gives none: the role they decide in.
ROLE_TITLES = {Role.LEDER: "leder", Role.CHEF: "chef", Role.INDSAMLER: "indsamler"}
STATUS_RECEIVED_BY = "Modtaget af {name}"
STATUS_SENT_BACK_TO = "Sendt tilbage til {owner}"
STATUS_SENT_BACK_TO_YOU = "Sendt tilbage til dig"
ROLE_LABELS = {
    Role.LEDER: "lederen",
    Role.CHEF: "chefen",
    Role.INDSAMLER: "indsamleren",
    Role.ADMINISTRATOR: "administratoren",
}
STATUS_LABELS = {
    EntryStatus.PENDING: "Afventer",
    EntryStatus.SENT_BACK: "Sendt tilbage",
    EntryStatus.REJECTED: "Afvist",
    EntryStatus.APPROVED: "Godkendt",
    EntryStatus.WITHDRAWN: "Trukket tilbage",
    # The selection's outcomes without their forum (the forum is named where it is known: OUTCOME_LABELS).
    EntryStatus.SELECTED: "Udvalgt",
    EntryStatus.NOT_SELECTED: "Ikke udvalgt",
    EntryStatus.QUALIFIED: "Kvalificeret",
    EntryStatus.NOT_QUALIFIED: "Ikke kvalificeret",
    EntryStatus.ADOPTED: "Godkendt til grundlaget",
    EntryStatus.NOT_ADOPTED: "Ikke godkendt til grundlaget",
}
# The status of someone else's entry that was sent back to them (the indsamler's workbook is read by others).
STATUS_SENT_BACK_OTHER = "Sendt tilbage til afsenderen"
STATUS_APPROVED_BY_KIND = {
    EntryKind.TEGN: "Indarbejdet i målplanen",
    EntryKind.LAERING: "Indarbejdet i målplanen",
    EntryKind.EKSEMPEL: "Modtaget",
    EntryKind.PROEVEHANDLING: "Indarbejdet i målplanen som prøvehandling",
}
ACTION_LABELS = {
    Action.SUBMIT: "Indsendt",
    Action.RECOMMEND: "Anbefalet",
    Action.APPROVE: "Godkendt",
    Action.SEND_BACK: "Sendt tilbage",
    Action.REJECT: "Afvist",
    Action.WITHDRAW: "Trukket tilbage",
    Action.RESUBMIT: "Sendt igen",
}

# --- Mine ---
MINE_TITLE = "Mine forslag"
MINE_COUNT = "Du har {count} forslag. Det nyeste står øverst."
MINE_EMPTY = "Du har ikke sendt nogen forslag endnu. Skriv **tegn**, **læring** eller **eksempel** for at komme i gang."
MINE_LAST_DECISION = "Seneste: {action} · {name} · {when}"
MINE_SHOWING = "Viser {first}–{last} af {count}"
MINE_ENTRY_HEADING = "{kind} · nr. {id}"

# --- Begreber (the glossary, shortened from "Begreber til rejsen mod et nyt styringskoncept") ---
BEGREBER_TITLE = "Begreber"
BEGREBER_INTRO = "De vigtigste ord i vores styringskoncept, kort fortalt."
BEGREBER: tuple[tuple[str, str], ...] = (
    ("Vision", "»Den bæredygtige by for børnene, det grønne og fællesskaber«. Rettesnoren for alt, vi gør."),
    ("Målsætning", "Den retning og ændring, politikerne gerne vil opnå. Står i politikkerne og budgetaftalen."),
    (
        "Mål",
        "En ønsket situation, der kan måles eller mærkes, inden for 1–4 år. Mål oversætter en målsætning "
        "til det, vi lokalt vil opnå.",
    ),
    (
        "Målplan",
        "Arbejdspladsens plan for, hvordan vi arbejder med målsætninger og mål i løbet af året – med tegn, "
        "prøvehandlinger og hvem der gør hvad.",
    ),
    (
        "Tegn",
        "Viser, om der sker de forandringer hos målgruppen, som kan indfri målet. Bygger på data: tal "
        "eller faglige iagttagelser. Et tegn er noget, vi ser hos borgerne – ikke noget, vi gør.",
    ),
    (
        "Prøvehandling",
        "Noget nyt, vi prøver, uden at kende udfaldet. Vi tør fejle, men vi gentager ikke "
        "handlinger, der ikke har den ønskede effekt.",
    ),
    (
        "Tegn eller prøvehandling?",
        "Prøvehandlingen er det, **vi gør**. Tegnet er det, **vi ser hos målgruppen**, når det virker.",
    ),
    (
        "Evaluering",
        "Undervejs og når prøvehandlingen slutter: hvilken effekt og værdi havde den for borgere, "
        "foreninger og virksomheder? Fortsætter, justerer eller stopper vi?",
    ),
    (
        "Årshjul",
        "Året i fire faser. I 4. kvartal vælges målsætninger, og de bliver til mål og prøvehandlinger "
        "på udviklingsdagene.",
    ),
    (
        "Medarbejder- og ledelsesgrundlag",
        "Vores fælles grundlag med fire temaer: **Vores opgave**, **Helhed**, "
        "**Relationer** og **Mod**. Det bliver først færdigt, når det rummer eksempler fra medarbejdere og ledere.",
    ),
)

# --- Approvals ---
ENTRY_TITLE = {
    EntryKind.TEGN: "Tegn nr. {id}",
    EntryKind.LAERING: "Læring nr. {id}",
    EntryKind.EKSEMPEL: "Eksempel nr. {id}",
    EntryKind.PROEVEHANDLING: "Prøvehandling nr. {id}",
}
APPROVAL_YOUR_TURN = "Det er din tur. Skriv evt. en kommentar og vælg:"
APPROVAL_CHEF_HINT = "»Godkend« betyder, at tegnet er indarbejdet i målplanen."
APPROVAL_COMMENT_LABEL = "Kommentar (skal udfyldes ved »Send tilbage« og »Afvis«)"
COMMENT_LABEL_SEND_BACK = "Kommentar (skal udfyldes ved »Send tilbage«)"
APPROVAL_COMMENT_PLACEHOLDER = "fx Godt tegn – kan vi tælle det hver måned?"
APPROVAL_COMMENT_REQUIRED = "Skriv en kommentar, så {owner} ved, hvad der skal til."
DECISION_BUTTONS = {
    Action.RECOMMEND: "Anbefal",
    Action.APPROVE: "Godkend",
    Action.SEND_BACK: "Send tilbage",
    Action.REJECT: "Afvis",
}
HISTORY_TITLE = "Historik"
HISTORY_EARLIER = "… og {count} tidligere skridt"
ALREADY_DECIDED = "Allerede behandlet af {name} kl. {time}."
ALREADY_DECIDED_ON = "Allerede behandlet af {name} den {date}."
REFUSED_NOT_YOUR_TURN = "Det er ikke dig, der skal tage stilling til dette forslag nu."
REFUSED_NOT_PENDING = "Forslaget venter ikke længere på en afgørelse."
REFUSED_NOT_OWNER = "Kun den, der har sendt forslaget, kan gøre det."
REFUSED_GENERIC = "Det kan du ikke gøre med dette forslag."
REFUSED_NOT_YOURS = "Du har ikke adgang til dette forslag."
ENTRY_NOT_FOUND = "Forslaget findes ikke længere."
INBOX_EMPTY = "Der er ingen forslag, der venter på dig. 🎉"
INBOX_COUNT = "Du har {count} forslag, der venter på dig. Det ældste står først."
INBOX_MORE = "Der er {count} forslag mere. Skriv **godkend** igen, når du har taget stilling til disse."
# Approval cards that could not be delivered before the person first wrote to the bot (it may be `godkend` itself).
INBOX_WAITING = (
    "Du har {count} forslag, der venter på din godkendelse. Jeg kunne ikke sende dem til dig, før du skrev til mig "
    "første gang – du finder dem altid under **godkend**."
)
# What the owner is told, by decision: (title, text). {actor} is the decider, {next} the next stage.
OWNER_NEWS = {
    Action.RECOMMEND: (
        "Dit forslag er anbefalet",
        "{actor} har anbefalet dit forslag. Det er sendt videre til {next}.",
    ),
    Action.APPROVE: ("Dit forslag er godkendt", "{actor} har godkendt dit forslag."),
    Action.SEND_BACK: (
        "Dit forslag er sendt tilbage",
        "{actor} har sendt dit forslag tilbage til dig med en kommentar.",
    ),
    Action.REJECT: ("Dit forslag er afvist", "{actor} har afvist dit forslag."),
}
OWNER_NEWS_APPROVED = {
    EntryKind.TEGN: "{actor} har godkendt dit tegn – det er nu indarbejdet i målplanen.",
    EntryKind.LAERING: "{actor} har godkendt din læring fra prøvehandlingen – den er nu indarbejdet i målplanen.",
    EntryKind.PROEVEHANDLING: (
        "{actor} har godkendt din prøvehandling – den er nu en af målets prøvehandlinger, og vi kan skrive "
        "vores læring om den med **læring**."
    ),
}
BUTTON_EDIT_RESUBMIT = "Ret og send igen"
BUTTON_WITHDRAW = "Træk tilbage"
RESUBMITTED_TITLE = "Tak! Dit forslag er sendt igen"

# --- Export ---
EXPORT_READY_LEAD = "Målplanen er klar som Excel-fil"
EXPORT_LINK_VALID = "Linket virker i {minutes:minut|minutter}."
EXPORT_READY = EXPORT_READY_LEAD + ": [Hent {title}]({url}). " + EXPORT_LINK_VALID
EXPORT_NONE = "Du har ingen målplaner, du kan hente. Eksport er for ledere og chefer."
EXPORT_PICK_TITLE = "Hent en målplan"
EXPORT_PICK_INTRO = (
    "Vælg målplanen. Du får et link til en Excel-fil med mål, godkendte tegn, prøvehandlinger og læring."
)
EXPORT_LINK_INVALID = "Linket er udløbet eller ugyldigt. Skriv »eksport« i Styringsbot for at få et nyt."
EXPORT_LINK_RATE_LIMITED = "Linket er brugt mange gange på kort tid. Vent et minut, og prøv så igen."
EXPORT_SHEETS = ("FØR", "UNDER udviklingsdage del 1", "UNDER udviklingsdage del 2", "EFTER")
EXPORT_HEADERS = (
    "Mål",
    "Målsætning",
    "Type",
    "Nr.",
    "Tekst",
    "Målgruppe",
    "Data",
    "Opfølgning",
    "Prøvehandling",
    "Beskrivelse",
    "Evaluering",
    "Hvad gjorde vi",
    "Hvilke tegn så vi",
    "Effekt for borgere, foreninger, virksomheder",
    "Beslutning",
    "Tværfagligt niveau",
    "Borgerinddragelse",
    "Foreslået af",
    "Foreslået",
    "Godkendt",
    "Godkendt af",
    "Før chefens rettelse",
    "Evalueres",
    "I denne fase",
)
EXPORT_TYPE_MAAL = "Mål"
EXPORT_TYPE_PROEVEHANDLING = "Prøvehandling"
# How we will see a proposed prøvehandling's effect, when it names one of the mål's tegn.
EXPORT_PROEVEHANDLING_TEGN = "Tegn: {text}"
# The last column of a phase's sheet: what was added in that phase (the sheets are cumulative).
EXPORT_NEW = "Ny"
EXPORT_NEW_CORRECTED = "Ny, rettet af {name}"
EXPORT_SHEET_TITLE = "{title} ({unit}, {year}) – {sheet}"
EXPORT_SHEET_NOTE = "Målplanen, som den så ud ved udgangen af fasen ({until}). Det nye i fasen er markeret."
EXPORT_SHEET_NOTE_OPEN = "Målplanen, som den ser ud nu. Det nye i fasen er markeret."
# Chefforum's workbook: every unit's newest målplan across the organisation.
CHEFFORUM_EXPORT_TITLE = "Chefforum – målplaner på tværs"
CHEFFORUM_EXPORT_SUMMARY = "Oversigt"
CHEFFORUM_EXPORT_SUMMARY_HEADERS = (
    "Afdeling",
    "Målsætning",
    "Arbejdspladser",
    "Mål",
    "Mål uden tegn",
    "Mål uden prøvehandlinger",
    "Godkendte tegn",
    "Prøvehandlinger",
    "Læring",
)
CHEFFORUM_EXPORT_ALL = "I alt"
CHEFFORUM_EXPORT_NO_AFDELING = "Uden afdeling"
CHEFFORUM_EXPORT_NO_MAALSAETNING = "Uden målsætning"
CHEFFORUM_EXPORT_PLAN_HEADERS = ("Arbejdsplads", "Målplan", *EXPORT_HEADERS[:-1], "Fase")
CHEFFORUM_EXPORT_FROM_START = "Fra start"

# --- Eksempler: labels shared by every card that shows one (the flow's own texts follow in their section) ---
EKSEMPEL_TEMA_LABEL = "Tema"
EKSEMPEL_NIVEAU_LABEL = "Niveau"
EKSEMPEL_LABEL = "Eksemplet"
EKSEMPEL_SITUATION_LABEL = "Situationen"
# The four temaer of the medarbejder- og ledelsesgrundlag, with their meaning from "Begreber" (seed 002).
TEMA_LABELS = {Tema.VORES_OPGAVE: "Vores opgave", Tema.HELHED: "Helhed", Tema.RELATIONER: "Relationer", Tema.MOD: "Mod"}
TEMA_MEANINGS = {
    Tema.VORES_OPGAVE: "Det, vi alle arbejder mod og med – det tema, der binder de øvrige tre sammen.",
    Tema.HELHED: "Vores sammenhæng og indbyrdes afhængighed for vores fælles opgave.",
    Tema.RELATIONER: "Vores relationer, samarbejde og gensidige tillid.",
    Tema.MOD: (
        "Hvordan vi med tillid, læring og mod ruster os selv og hinanden til forandringer og nye perspektiver "
        "– og samtidig står fast i vores faglighed."
    ),
}
NIVEAU_LABELS = {Niveau.MEDARBEJDER: "Medarbejder", Niveau.LEDER: "Leder"}

# --- Hardening ---
# A typed value with a character that cannot be stored (a lone UTF-16 surrogate, e.g. from a broken paste).
ERROR_INVALID_CHARACTER = "Teksten indeholder et ugyldigt skrifttegn. Ret det, og prøv igen."
# The connector refused a card as too large (HTTP 413): the person's input is kept.
ERROR_CARD_TOO_LARGE = "Kortet blev for stort til Teams. Gør teksterne lidt kortere, og prøv igen."

# --- Meeting rounds (personalemøde) ---
ROUND_PERSONAL_CHAT = (
    "Runder på personalemødet foregår i teamets chat eller kanal. Tilføj Styringsbot dér, "
    "og skriv **@Styringsbot møde**."
)
ROUND_NOT_A_LEADER = (
    "Det er en leder eller chef, der starter en runde. Spørg din leder, om I skal tage en runde sammen – "
    "så kan du komme med forslag på kortet, når den er i gang."
)
ROUND_SETUP_TITLE = "Start en runde"
ROUND_SETUP_INTRO = "Vælg, hvad runden skal handle om. Alle i chatten kan derefter komme med forslag på samme kort."
ROUND_TARGET_LABEL = "Hvad skal runden handle om?"
ROUND_TARGET_TEGN = "Tegn: {title} ({unit})"
ROUND_TARGET_LAERING = "Læring: {title} ({unit})"
ROUND_TARGET_EKSEMPEL = "Eksempler: {tema}"
ROUND_TARGET_EKSEMPEL_ALL = "Eksempler: alle fire temaer"
ROUND_NIVEAU_LABEL = "Niveau (kun for eksempler)"
ROUND_SHOW_NAMES = "Vis navne ved forslagene"
ROUND_HIDE_UNTIL_CLOSE = "Vis forslagene først, når runden lukkes"
ROUND_SETTINGS_LABEL = "Indstillinger"
ROUND_BUTTON_START = "Start runden"
ROUND_SETUP_ONLY_STARTER = "Det er {name}, der sætter runden op. Kortet til jeres forslag kommer her i chatten."
ROUND_STARTED = "Runden er startet – kortet står herunder i chatten."
ROUND_SETUP_REPLACED = "Denne opsætning er ikke længere i brug."

ROUND_TITLE = {
    "tegn": "Runde: tegn",
    "proevehandling": "Runde: prøvehandlinger",
    "laering": "Runde: læring fra en prøvehandling",
    "eksempel": "Runde: eksempler",
}
ROUND_STARTED_BY = "Startet af {name} · {unit}"
ROUND_TEGN_QUESTION = TEGN_LABEL
ROUND_MAAL_LABEL = "Mål"
ROUND_LAERING_QUESTIONS = (
    "Hvad gjorde vi, og hvilke tegn så vi?",
    "Hvilken effekt havde det for borgere, foreninger eller virksomheder?",
    "Hvad har vi lært – skal vi fortsætte, justere eller stoppe?",
)
ROUND_EKSEMPEL_QUESTION = "Beskriv en konkret adfærd ({niveau}niveau), der viser temaet i praksis."
ROUND_COUNT = "{count} forslag fra {people:person|personer}"
ROUND_COUNT_NONE = "Ingen forslag endnu"
ROUND_INPUT_LABEL = "Dit forslag"
ROUND_INPUT_PLACEHOLDER = "Skriv ét forslag ad gangen"
ROUND_TEMA_LABEL = "Tema for dit eksempel"
ROUND_BUTTON_ADD = "Tilføj"
ROUND_BUTTON_REMOVE = "Fjern"
ROUND_BUTTON_CLOSE = "Afslut runden"
ROUND_BUTTON_MY_CARD = "Vis mit kort"
ROUND_MY_CARD_HINT = "Tryk på »Vis mit kort« for at se dine egne forslag."
ROUND_TYPE_HINT = "Du kan også skrive dit forslag i chatten: @Styringsbot og forslaget."
ROUND_MINE_HEADER = "Dine forslag"
ROUND_ALL_HEADER = "Alle forslag"
ROUND_HIDDEN_NOTE = "Forslagene vises for alle, når runden lukkes."
ROUND_ANONYMOUS_NOTE = "Forslagene vises uden navne."
ROUND_ADDED = "Tak – dit forslag er med."
ROUND_ALREADY_ADDED = "Det forslag har du allerede tilføjet."
ROUND_REMOVED = "Dit forslag er fjernet."
ROUND_TYPED_ADDED = "Tak, {name} – dit forslag er med ({count} i alt)."
ROUND_TYPED_ADDED_MANY = "Tak, {names} – jeres forslag er med ({count} i alt)."
LIST_AND = "og"
LIST_OTHERS = "{count} andre"
ROUND_CLOSED_REFUSED = "Runden er lukket, så der kan ikke komme flere forslag. Giv gerne dit forslag til din leder."
ROUND_CLOSE_REFUSED = "Det er {name} eller en leder af enheden, der kan afslutte runden."
ROUND_ONLY_STARTER = "Det er {name}, der vælger, hvilke forslag der sendes videre."
ROUND_NOT_FOUND = "Runden findes ikke længere."
ROUND_BAD_TARGET = "Vælg et mål, en prøvehandling eller et tema fra listen."
ROUND_SUMMARY_TITLE = "Runden er lukket"
ROUND_SUMMARY_COUNT = "{count} forslag fra {people:person|personer}. Tak for jeres bidrag!"
ROUND_SUMMARY_NONE = "Der kom ingen forslag i denne runde."
ROUND_AUTO_CLOSED = (
    "Din runde i mødechatten var åben i mere end {hours:time|timer}, så jeg har lukket den. "
    "Vælg her i vores chat eller på kortet i mødechatten, hvilke forslag der skal sendes videre."
)
ROUND_NO_OPEN_ROUND = "Der er ingen åben runde i denne chat. En leder kan starte en med **@Styringsbot møde**."
ROUND_SELECT_HEADER = "Vælg de forslag, der skal sendes videre"
ROUND_SELECT_INTRO_MAALPLAN = (
    "De valgte forslag går videre til chefen som forslag fra personalemødet. Du kan rette ordlyden først; "
    "den oprindelige ordlyd gemmes i historikken."
)
ROUND_SELECT_INTRO_EKSEMPEL = (
    "De valgte eksempler sendes til den, der samler eksempler ind, i enhedens navn. Du kan rette ordlyden først."
)
ROUND_SELECT_ITEM = "Forslag {n} – {author}"
ROUND_SELECT_TOGGLE = "Send forslag {n} videre"
ROUND_SELECT_TEXT_LABEL = "Ordlyd, forslag {n}"
ROUND_SELECT_HINT = "{name} vælger nu, hvilke forslag der sendes videre."
ROUND_BUTTON_SELECT = "Vælg forslag"
ROUND_BUTTON_FORWARD = "Send videre"
ROUND_FORWARD_NONE = "Vælg mindst ét forslag. Skal intet videre, behøver du ikke gøre mere."
ROUND_FORWARDED = "{count} af {total} forslag er sendt videre."
ROUND_FORWARDED_MARK = "Sendt videre"
ROUND_NOT_FORWARDED_MARK = "Ikke sendt videre"
ROUND_FORWARDED_COMMENT = "Fra personalemødet den {date}."
ROUND_FORWARDED_COMMENT_EDITED = "Fra personalemødet den {date}. Oprindelig ordlyd: »{original}«"
ROUND_ANONYMOUS = "Anonym"
MINE_ROUND_HEADER = "Dine forslag fra personalemøder"

# --- Eksempel (issue 10): the flow ---
HELP_BUTTON_EKSEMPEL = "Giv et eksempel"
EKSEMPEL_FLOW_TITLE = "Giv et eksempel"
EKSEMPEL_WHAT_IS = (
    "Medarbejder- og ledelsesgrundlaget bliver først færdigt, når det rummer **konkrete eksempler** på, hvordan "
    "vi gør i hverdagen – for hvert tema og både for medarbejdere og ledere."
)
EKSEMPEL_TEMA_INTRO = "Hvilket af grundlagets fire temaer handler dit eksempel om?"
EKSEMPEL_TEMA_BUTTON = "Vælg {tema}"
EKSEMPEL_NIVEAU_TITLE = "Medarbejder eller leder?"
EKSEMPEL_NIVEAU_INTRO = "Viser eksemplet, hvordan medarbejdere gør, eller hvordan ledere gør?"
NIVEAU_MEANINGS = {
    Niveau.MEDARBEJDER: "Sådan gør vi som medarbejdere (skrives på personalemøder).",
    Niveau.LEDER: "Sådan gør vi som ledere (skrives på ledermøder).",
}
EKSEMPEL_FORM_LABEL = "Hvordan ser det ud i praksis? Beskriv en konkret situation, og hvad vi gør i den"
EKSEMPEL_FORM_PLACEHOLDER = (
    "fx Når en kollega er syg, fordeler vi opgaverne på morgenmødet, så borgerne ikke mærker det."
)
EKSEMPEL_SITUATION_INPUT_LABEL = "Hvilken situation? (valgfrit)"
EKSEMPEL_SITUATION_PLACEHOLDER = "fx morgenmødet i hjemmeplejen"
EKSEMPEL_FRA_LABEL = "Hvem er eksemplet fra?"
EKSEMPEL_FRA_PERSON = "Fra mig ({name})"
EKSEMPEL_FRA_UNIT = "Fra {unit}"
EKSEMPEL_TEAM_LABEL = "Team eller gruppe (valgfrit)"
EKSEMPEL_TEAM_PLACEHOLDER = "fx Stue Mariehønen"
EKSEMPEL_FIELD_FRA = "Fra"
EKSEMPEL_CHECK_TITLE = "Tjek dit eksempel"
EKSEMPEL_COACH_TITLE = "Et lille tip"
# Why the check step flags a text, with a good example of behaviour: (explanation, example).
EKSEMPEL_COACH: dict[EksempelTip, tuple[str, str]] = {
    EksempelTip.VALUE: (
        "Det lyder som en **værdi** (det, vi mener). Grundlaget har brug for det, vi **gør**: en konkret situation, "
        "og hvad man ville se os gøre i den.",
        "I stedet for »Vi har tillid til hinanden« kan eksemplet fx være »Når en kollega beder om hjælp til en "
        "svær borgersamtale, går vi med uden at spørge hvorfor – og bagefter taler vi om, hvordan det gik«.",
    ),
    EksempelTip.INTENTION: (
        "Det lyder som en **hensigt** (det, vi vil eller skal). Beskriv hellere en situation, hvor vi allerede gør "
        "det, så andre kan se, hvordan det ser ud i praksis.",
        "I stedet for »Vi skal være modige« kan eksemplet fx være »Når vi er uenige i en beslutning, siger vi det "
        "højt på personalemødet – også når lederen er til stede«.",
    ),
    EksempelTip.TOO_SHORT: (
        "Eksemplet er kort. Et godt eksempel fortæller, **hvilken situation** det handler om, og **hvad vi gør** i den "
        "– gerne med et par sætninger mere.",
        "Fx »På morgenmødet fordeler vi opgaverne, når en kollega er syg, så borgerne ikke mærker det – og den, der "
        "får en ekstra opgave, får en anden taget fra sig«.",
    ),
}
EKSEMPEL_RECEIPT_TITLE = "Tak! Dit eksempel er sendt"
# The approval card's buttons on an eksempel: the leder sends it on in the unit's name; the indsamler receives it.
EKSEMPEL_DECISION_BUTTONS = {
    Action.RECOMMEND: "Send videre i enhedens navn",
    Action.APPROVE: "Modtag",
    Action.SEND_BACK: "Send tilbage",
    Action.REJECT: "Afvis",
}
# What the owner of an eksempel is told after the leder's and the indsamler's decisions: (title, text).
OWNER_NEWS_EKSEMPEL = {
    Action.RECOMMEND: (
        "Dit eksempel er sendt videre",
        "{actor} har sendt dit eksempel videre til {next} i enhedens navn.",
    ),
    Action.APPROVE: (
        "Dit eksempel er modtaget",
        "{actor} har modtaget dit eksempel. Nu går det videre til udvælgelsen.",
    ),
}
EKSEMPEL_COMMENT_PLACEHOLDER = "fx Godt eksempel – kan I fortælle lidt mere om situationen?"
EKSEMPEL_ACTION_LABELS = {
    Action.RECOMMEND: "Sendt videre i enhedens navn",
    Action.APPROVE: "Modtaget",
    Action.RECORD_OUTCOME: "Udfald registreret",
    Action.MARK_FILM: "Markeret som kandidat til film",
    Action.UNMARK_FILM: "Ikke længere kandidat til film",
}

# --- Eksempel (issue 10): the selection ---
# A forum's outcome as the list, the history and the news say it; {forum} is the name from the organisation file.
OUTCOME_LABELS = {
    EntryStatus.SELECTED: "Udvalgt af {forum}",
    EntryStatus.NOT_SELECTED: "Ikke udvalgt af {forum}",
    EntryStatus.QUALIFIED: "Kvalificeret i {forum}",
    EntryStatus.NOT_QUALIFIED: "Ikke kvalificeret i {forum}",
    EntryStatus.ADOPTED: "Godkendt i {forum}",
    EntryStatus.NOT_ADOPTED: "Ikke godkendt i {forum}",
}
OUTCOME_ON = "{outcome} den {date}"
FILM_CANDIDATE_ON = "Kandidat til film"
FILM_CANDIDATE_OFF = "Ikke kandidat til film"
FILM_MARK = "🎬 Kandidat til film"
SELECTION_TITLE = "Eksempler til udvælgelse"
SELECTION_INTRO = (
    "Sæt hak ved de eksempler, et forum har taget stilling til, vælg udfaldet og datoen for mødet, og tryk "
    "»Registrér for de valgte«."
)
SELECTION_SHOWING = "Viser {first}–{last} af {count}"
SELECTION_EMPTY = "Der er ingen eksempler, der passer til visningen."
SELECTION_ITEM_HEAD = "Nr. {id} · {tema} · {niveau}"
SELECTION_ITEM_FROM = "Fra {fra} · {unit} · sendt den {date}"
SELECTION_ITEM_FROM_UNIT = "Fra {unit} · sendt den {date}"
SELECTION_SIMILAR = "Ligner nr. {numbers}"
SELECTION_GROUP = "Disse eksempler ligner hinanden: nr. {numbers}"
SELECTION_AND = " og "
SELECTION_FILTER_TEMA = "Tema"
SELECTION_FILTER_NIVEAU = "Niveau"
SELECTION_FILTER_STATUS = "Status"
SELECTION_FILTER_ALL = "Alle"
SELECTION_FILTER_UNDECIDED = "Ikke behandlet af et forum endnu"
SELECTION_FILTER_BUTTON = "Vis"
SELECTION_GROUPED = "Gruppér efter lighed"
SELECTION_UNGROUPED = "Vis som liste"
SELECTION_ACTIONS_HEADER = "Registrér et udfald for de valgte"
SELECTION_OUTCOME_LABEL = "Udfald"
SELECTION_DATE_LABEL = "Dato for mødet"
SELECTION_COMMENT_LABEL = "Kommentar (valgfrit)"
SELECTION_COMMENT_PLACEHOLDER = "fx Vælges sammen med nr. 37"
SELECTION_APPLY = "Registrér for de valgte"
SELECTION_DONE = "Registreret: {outcome} (nr. {numbers})."
SELECTION_UNCHANGED = "Nr. {numbers} var allerede registreret sådan."
SELECTION_REFUSED = "Nr. {numbers} kunne ikke få det udfald: det passer ikke med, hvor langt de er i udvælgelsen."
SELECTION_NONE_PICKED = "Sæt hak ved mindst ét eksempel."
SELECTION_NOT_INDSAMLER = "Listen over eksempler er for indsamleren. Skriv **grundlag** for at se de godkendte."
ERROR_DATE = "Vælg datoen for mødet."

# --- Eksempel (issue 10): the news that keeps people writing ---
EKSEMPEL_NEWS = {
    # (title, text) for the owner, and for the unit's leder; {forum}, {date}, {owner}, {unit}.
    EntryStatus.SELECTED: (
        ("Dit eksempel er udvalgt!", "Dit eksempel er udvalgt af {forum} den {date}. Det går nu videre i udvælgelsen."),
        (
            "Et eksempel fra {unit} er udvalgt",
            "Eksemplet fra {owner} er udvalgt af {forum} den {date}. Det går nu videre i udvælgelsen.",
        ),
    ),
    EntryStatus.ADOPTED: (
        (
            "Dit eksempel er godkendt!",
            "Dit eksempel er godkendt i {forum} den {date}. Nu er det en del af medarbejder- og ledelsesgrundlaget.",
        ),
        (
            "Et eksempel fra {unit} er godkendt",
            "Eksemplet fra {owner} er godkendt i {forum} den {date}. Nu er det en del af medarbejder- og "
            "ledelsesgrundlaget.",
        ),
    ),
}
BUTTON_SHOW_GRUNDLAG = "Se grundlaget"

# --- Eksempel (issue 10): the finished grundlag ---
GRUNDLAG_TITLE = "Medarbejder- og ledelsesgrundlaget"
GRUNDLAG_INTRO = "Her er de eksempler, der er godkendt til grundlaget – tema for tema. Vælg et tema:"
GRUNDLAG_TEMA_COUNT = "{tema} ({count})"
GRUNDLAG_LEVELS = {Niveau.MEDARBEJDER: "Sådan gør vi som medarbejdere", Niveau.LEDER: "Sådan gør vi som ledere"}
GRUNDLAG_EMPTY = "Ingen godkendte eksempler endnu."
GRUNDLAG_ALL = "Se alle eksempler for {level} ({count})"
GRUNDLAG_LEVEL_NAMES = {Niveau.MEDARBEJDER: "medarbejdere", Niveau.LEDER: "ledere"}
GRUNDLAG_FROM = "{fra}, {unit}"

# --- Eksempel (issue 10): the export ---
EKSEMPEL_EXPORT_LEAD = "Alle eksempler er klar som Excel-fil"
EKSEMPEL_EXPORT_READY = EKSEMPEL_EXPORT_LEAD + ": [Hent eksemplerne]({url}). " + EXPORT_LINK_VALID
EKSEMPEL_EXPORT_TITLE = "Eksempler til medarbejder- og ledelsesgrundlaget"
EKSEMPEL_EXPORT_SHEET_SILENT = "Ikke indsendt"
EKSEMPEL_EXPORT_HEADERS = (
    "Nr.",
    "Tema",
    "Niveau",
    "Eksempel",
    "Situation",
    "Fra (enhed/team)",
    "Afdeling",
    "Skrevet af",
    "Dato sendt",
    "Udvælgelse",
    "Forum",
    "Dato for udfald",
    "Kandidat til film",
)
EKSEMPEL_EXPORT_SILENT_HEADERS = ("Enhed", "Afdeling", "Leder")

# --- Oversigt ---
OVERSIGT_TITLE = "Oversigt over eksempler"
OVERSIGT_DEADLINE = "Frist: **{date}** – {days_left}"
OVERSIGT_DAYS_LEFT = {0: "i dag", 1: "i morgen"}
OVERSIGT_DAYS_LEFT_MANY = "om {days:dag|dage}"
OVERSIGT_DAYS_PASSED = "fristen er overskredet med {days:dag|dage}"
OVERSIGT_NO_DEADLINE = "Der er ingen frist for eksempler i organisationsfilen."
OVERSIGT_TOTALS = (
    "{received:eksempel|eksempler} modtaget. {units_sent} af {units:arbejdsplads|arbejdspladser} har sendt eksempler."
)
OVERSIGT_MATRIX_TITLE = "Tema og niveau"
OVERSIGT_MATRIX_HINT = "Modtaget · udvalgt · godkendt. Tryk på et tal for at se eksemplerne."
OVERSIGT_COL_TEMA = "Tema"
OVERSIGT_CELL = "{received} · {selected} · {adopted}"
OVERSIGT_EMPTY_CELLS = "Der mangler eksempler for: {cells}. Grundlaget kan ikke blive færdigt uden."
OVERSIGT_NO_EMPTY_CELLS = "Der er eksempler for alle temaer på begge niveauer."
OVERSIGT_CELL_NAME = "{tema} ({niveau})"
OVERSIGT_AFDELINGER_TITLE = "Afdelinger"
OVERSIGT_AFDELING_LINE = "{sent} af {units} har sendt"
OVERSIGT_UNREACHABLE = "{count:leder|ledere} kan ikke nås – de har ikke installeret Styringsbot."
OVERSIGT_UNREACHABLE_ONE = "1 leder kan ikke nås – vedkommende har ikke installeret Styringsbot."
OVERSIGT_REMIND_ALL = "Send påmindelse til alle, der mangler"
OVERSIGT_REMIND_ONE = "Send påmindelse til {unit}"
OVERSIGT_BACK = "Tilbage til oversigten"
OVERSIGT_AFDELING_TITLE = "{name}"
OVERSIGT_AFDELING_INTRO = "{sent} af {units:arbejdsplads|arbejdspladser} har sendt eksempler."
OVERSIGT_UNIT_SENT = "{count:eksempel|eksempler} sendt"
OVERSIGT_UNIT_MISSING = "Mangler"
OVERSIGT_UNIT_LEDER = "Leder: {names}"
OVERSIGT_UNIT_NO_LEDER = "Ingen leder i organisationsfilen"
OVERSIGT_UNIT_REMINDED = "Påmindet den {date}"
OVERSIGT_UNIT_REMINDING = "Påmindelsen er på vej"
OVERSIGT_UNIT_UNREACHABLE = "Lederen kan ikke nås i Teams endnu"
OVERSIGT_CELL_COUNT = "{total:eksempel|eksempler} modtaget. Viser {first}–{last}."
OVERSIGT_REMINDED = (
    "Påmindelsen sendes nu til lederne af {count:arbejdsplads|arbejdspladser}. Kan den ikke leveres, skriver jeg "
    "det her."
)
OVERSIGT_REMINDED_ONE = (
    "Påmindelsen sendes nu til lederen af 1 arbejdsplads. Kan den ikke leveres, skriver jeg det her."
)
OVERSIGT_REMINDER_REFUSED = (
    "Påmindelsen kunne ikke leveres til lederen af {units}. Lederen har ikke åbnet en chat med Styringsbot "
    "endnu, eller Teams afviste beskeden. Sig det til lederen på anden vis."
)
OVERSIGT_REMINDED_NONE = "Der var ingen at minde om: alle har sendt eksempler, eller de er allerede påmindet i dag."
OVERSIGT_REMINDED_NO_LEDER = (
    "{count:arbejdsplads|arbejdspladser} har ingen leder i organisationsfilen og kan derfor ikke påmindes."
)
OVERSIGT_NOT_ALLOWED = "Det er kun indsamleren, der kan se det og sende påmindelser."
OVERSIGT_FOR_NOBODY = (
    "**Oversigt** er til indsamleren af eksempler, chefer og ledere: her ser de, hvad der er kommet ind, hvad der "
    "venter, og hvem der mangler. Du har ingen af de roller, så der er ikke noget at vise dig her – men du kan "
    "altid skrive **mine** og se, hvor langt dine egne forslag er nået."
)
OVERSIGT_MANAGER_TITLE = "Oversigt – {title}"
OVERSIGT_MANAGER_INTRO_CHEF = "Arbejdspladserne i din afdeling: forslag, hvad der venter, og eksempler."
OVERSIGT_MANAGER_INTRO_LEDER = "Din arbejdsplads: forslag, hvad der venter, og eksempler."
OVERSIGT_KIND_COUNTS = "{kind}: {counts}"
OVERSIGT_KIND_NONE = "{kind}: ingen endnu"
OVERSIGT_COUNT_STATUS = "{count} {status}"
OVERSIGT_STATUS_SHORT = {
    EntryStatus.PENDING: "afventer",
    EntryStatus.SENT_BACK: "sendt tilbage",
    EntryStatus.REJECTED: "afvist",
    EntryStatus.APPROVED: "godkendt",
    EntryStatus.WITHDRAWN: "trukket tilbage",
}
OVERSIGT_WAITING = {
    EntryKind.TEGN: "{count:tegn|tegn} venter hos {who} siden den {since}",
    EntryKind.LAERING: (
        "{count:evaluering af en prøvehandling|evalueringer af prøvehandlinger} venter hos {who} siden den {since}"
    ),
    EntryKind.EKSEMPEL: "{count:eksempel|eksempler} venter hos {who} siden den {since}",
    EntryKind.PROEVEHANDLING: "{count:prøvehandling|prøvehandlinger} venter hos {who} siden den {since}",
}
OVERSIGT_NOTHING_WAITING = "Intet venter."
OVERSIGT_EKSEMPLER_SENT = "Eksempler: {count} sendt"
OVERSIGT_EKSEMPLER_MISSING = "Eksempler: mangler"
OVERSIGT_PAGE_UNITS = "Arbejdsplads {first}–{last} af {total}."
OVERSIGT_NEXT = "Næste"
OVERSIGT_PREVIOUS = "Forrige"

# --- Oversigt: every mål covered (issue 20) ---
OVERSIGT_COVERAGE_UNIT = "Mål: {maal} · uden tegn: {no_tegn} · uden prøvehandlinger: {no_ph}"
OVERSIGT_COVERAGE_NO_PLAN = "Mål: ingen målplan endnu"
OVERSIGT_MAAL_COUNTS = (
    "Tegn: {tegn} godkendt, {tegn_pending} afventer · Prøvehandlinger: {ph}, {ph_pending} foreslået · "
    "Læring: {laering} godkendt, {laering_pending} afventer"
)
OVERSIGT_MAAL_LACKS_TEGN = "Mangler tegn"
OVERSIGT_MAAL_LACKS_PH = "Mangler prøvehandlinger"
OVERSIGT_MAAL_LACKS_BOTH = "Mangler tegn og prøvehandlinger"
OVERSIGT_UNIT_OPEN = "Se målene: {unit}"
OVERSIGT_UNIT_COVERAGE_TITLE = "Mål – {unit}"
OVERSIGT_UNIT_COVERAGE_INTRO = (
    "Arbejdspladsens mål i den nyeste målplan: godkendte og ventende tegn og prøvehandlinger, og læringen."
)
OVERSIGT_ACROSS_BUTTON = "Chefforum: alle mål på tværs"
OVERSIGT_ACROSS_TITLE = "Chefforum – mål på tværs"
OVERSIGT_ACROSS_INTRO = (
    "Alle arbejdspladsers mål i de nyeste målplaner, pr. målsætning: {maal} mål, {no_tegn} uden tegn, "
    "{no_ph} uden prøvehandlinger."
)
OVERSIGT_ACROSS_LINE = (
    "{maal} mål på {units} · uden tegn: {no_tegn} · uden prøvehandlinger: {no_ph} · "
    "tegn: {tegn} godkendt, {tegn_pending} afventer · læring: {laering}"
)
OVERSIGT_UNITS = "{count:arbejdsplads|arbejdspladser}"
OVERSIGT_NO_MAALSAETNING = "Uden målsætning"
OVERSIGT_MAALSAETNING_OPEN = "Se målene"
OVERSIGT_PAGE_MAAL = "Mål {first}–{last} af {total}."
OVERSIGT_ACROSS_BACK = "Tilbage til Chefforum-oversigten"
OVERSIGT_ACROSS_EXPORT = "Hent alle målplaner som Excel-fil"
CHEFFORUM_EXPORT_READY = (
    "Alle målplaner på tværs er klar som Excel-fil – en oversigt og et ark pr. afdeling: "
    "[Hent regnearket]({url}). " + EXPORT_LINK_VALID
)
OVERSIGT_NO_MAAL = "Der er ingen målplaner endnu."
OVERSIGT_MAAL_UNIT = "{unit}"
OVERSIGT_NOT_IN_SCOPE = (
    "Det kan du ikke se herfra: oversigten viser dine egne arbejdspladser, og Chefforum ser alle mål på tværs."
)

# --- Reminders and digests ---
REMINDER_TITLE = "Påmindelse: eksempler til medarbejder- og ledelsesgrundlaget"
REMINDER_TEXT = "**{unit}** har endnu ikke sendt eksempler. Fristen er **{date}** ({days_left})."
REMINDER_WHAT = (
    "Vi mangler konkrete eksempler på adfærd for de fire temaer – Vores opgave, Helhed, Relationer og Mod – "
    "fra både medarbejdere og ledere."
)
REMINDER_MOEDE = (
    "Har I personalemøde snart? Skriv **@Styringsbot møde** i mødechatten, så kan alle give eksempler på samme kort."
)
REMINDER_BUTTON = "Skriv et eksempel"
# Before Chefforum's quality-assurance dates (issue 20): mål without tegn or prøvehandlinger.
COVERAGE_REMINDER_TITLE_TEGN = "Påmindelse: mål uden tegn"
COVERAGE_REMINDER_TITLE_PH = "Påmindelse: mål uden prøvehandlinger"
COVERAGE_REMINDER_TEXT_TEGN = (
    "**{unit}** har {count} mål uden godkendte tegn. Chefforum kvalitetssikrer tegn på tværs **{date}** ({days_left})."
)
COVERAGE_REMINDER_TEXT_PH = (
    "**{unit}** har {count} mål uden prøvehandlinger. Chefforum kvalitetssikrer prøvehandlinger på tværs "
    "**{date}** ({days_left})."
)
COVERAGE_REMINDER_MAAL = "• {title}"
COVERAGE_REMINDER_MORE = "… og {count} mål mere."
COVERAGE_REMINDER_WHAT_TEGN = (
    "Drøft målene med medarbejderne – fx på et personalemøde med **@Styringsbot møde** – og send tegnene videre "
    "til chefen."
)
COVERAGE_REMINDER_WHAT_PH = (
    "Drøft med medarbejderne, hvad I vil prøve af for hvert mål, og hvordan I vil se virkningen. Send det videre "
    "til chefen."
)
COVERAGE_REMINDER_TITLE_CHEF = "Påmindelse: forslag venter på dig før Chefforum"
COVERAGE_REMINDER_CHEF_TEGN = (
    "{count} tegn fra **{unit}** venter på din godkendelse. Chefforum kvalitetssikrer tegn på tværs **{date}** "
    "({days_left})."
)
COVERAGE_REMINDER_CHEF_PH = (
    "{count} forslag om prøvehandlinger og læring fra **{unit}** venter på din godkendelse. Chefforum "
    "kvalitetssikrer prøvehandlinger på tværs **{date}** ({days_left})."
)
COVERAGE_REMINDER_BUTTON_GODKEND = "Se forslagene"
COVERAGE_REMINDER_BUTTON_TEGN = "Foreslå et tegn"
COVERAGE_REMINDER_BUTTON_OVERSIGT = "Se målene"
DIGEST_TITLE = "Forslag, der venter på dig"
DIGEST_INTRO = "{count} forslag har ventet på dig i mere end {days:dag|dage}. Det ældste står først."
DIGEST_LINE = "{kind} nr. {id} fra {owner}, {unit} – venter siden den {since}"
DIGEST_MORE = "… og {count} forslag mere."
DIGEST_BUTTON = "Se forslagene"
TYPED_ANBEFAL = "**anbefal** nummer [kommentar], fx »anbefal 12 Godt forslag«"
TYPED_GODKEND = "**godkend** nummer [kommentar], fx »godkend 12«"
TYPED_SEND_TILBAGE = "**send tilbage** nummer kommentar, fx »send tilbage 12 Beskriv målgruppen nærmere«"
TYPED_AFVIS = "**afvis** nummer kommentar, fx »afvis 12 Det er en handling, ikke et tegn«"
TYPED_SEND_VIDERE = "**send videre** nummer [kommentar], fx »send videre 12« (et eksempel i enhedens navn)"
TYPED_MODTAG = "**modtag** nummer, fx »modtag 12« (et eksempel til grundlaget)"
TYPED_TRAEK_TILBAGE = "**træk tilbage** nummer, fx »træk tilbage 12« (dit eget forslag)"
TYPED_RET = "**ret** nummer, fx »ret 12« (et forslag, der er sendt tilbage til dig)"
TYPED_FORSLAG = "**forslag** tekst, fx »forslag Børnene hjælper hinanden med påklædningen« (til en åben runde)"
TYPED_MOEDE_TEGN = "**møde tegn** målets nummer [anonym] [skjult], fx »møde tegn 3«"
TYPED_MOEDE_LAERING = "**møde læring** prøvehandlingens nummer, fx »møde læring 4«"
TYPED_MOEDE_EKSEMPEL = (
    "**møde eksempel** tema [medarbejder|leder], fx »møde eksempel mod« eller »møde eksempel alle leder«"
)
TYPED_MOEDE_SLUT = "**møde slut** (afslut runden)"
TYPED_MOEDE_SEND = "**møde send** forslagenes numre, fx »møde send 1,3,4« (efter runden)"
TYPED_FJERN = "**fjern** nummer, fx »fjern 2« (dit andet forslag i runden)"
TYPED_MOEDE_FORMS = "**møde** (vælg på kortet), " + TYPED_MOEDE_TEGN
TYPED_WRONG_FORM = "Det forstod jeg ikke helt. Skriv det sådan: {usage}"
HELP_TYPED_HEADER = "Du kan også skrive"
INBOX_TYPED_FORMS = (
    "Du kan også skrive din beslutning, fx »anbefal 12«, »godkend 12«, »send tilbage 12 kommentar« eller "
    "»afvis 12 kommentar«. Nummeret står på kortet."
)
PERSONAL_SENT_THERE = "Det sender jeg til dig i vores personlige chat."
PERSONAL_NO_CHAT_YET = (
    "Det svarer jeg kun på i vores personlige chat, for det er kun til dig. Find Styringsbot under Apps i Teams, "
    "og skriv det til mig der."
)
ROUND_ALREADY_OPEN = "Der er allerede en åben runde i denne chat. Skriv @Styringsbot møde for at se den."
ROUND_BAD_NUMBER = (
    "Det nummer er ikke et af dine mål eller prøvehandlinger. Vælg på kortet herunder, hvor numrene står."
)
ROUND_TARGET_NUMBERED = "{text} – nr. {number}"
ROUND_NOTHING_TO_SEND = "Du har ingen lukket runde med forslag, der venter på at blive sendt videre."
ROUND_SEND_NO_SUCH = "Runden har {count} forslag. Skriv numrene, som de står på kortet, fx »møde send 1,3«."
ROUND_SENT_TYPED = "{count} forslag er sendt videre."
ROUND_REMOVE_NO_SUCH = "Det forslag fandt jeg ikke. Du har {count} forslag i runden; skriv fx »fjern 1«."
ROUND_TOO_MANY = "Du har allerede givet det største antal forslag i denne runde. Fjern et, hvis du vil give et nyt."
ROUND_TYPED_ADDED_ANONYMOUS = "Tak – forslaget er med ({count} i alt)."
ROUND_PRIVATE_TITLE = "Dit forslag til runden"
ROUND_PRIVATE_ADDED = "Tak – dit forslag er med i runden. Det vises, som lederen har valgt for runden."
ROUND_PRIVATE_NONE = (
    "Der er ingen åben runde i de chats, du er med i. Du kan give dit forslag, når en leder starter en."
)
ROUND_PRIVATE_WHICH = "Du er med i flere chats med en åben runde. Vælg, hvilken runde forslaget skal med i:"
ROUND_PRIVATE_CHOICE = "{title} · {unit} · {by}"
ROUND_SELECT_TEMA_LABEL = "Tema, forslag {n}"
ROUND_SELECT_TEMA_REQUIRED = "Vælg et tema for forslaget."
ROUND_TEMA_NONE = "Vælg tema"
ROUND_SELECT_TYPED = "Du kan også skrive numrene til mig, fx »møde send 1,3,4«."
TYPED_EKSPORT = "**eksport** målplanens nummer, fx »eksport 2« (nummeret står på knappen)"
EXPORT_BUTTON_NUMBERED = "Hent: {title} (nr. {number})"
EXPORT_PICK_TYPED = "Du kan også skrive »eksport« og målplanens nummer, fx »eksport {number}«."
NUMBER_FOR_TYPING = "nr. {number}"
TYPED_MINE = "**mine** side, fx »mine 2« (de næste ti)"
TYPED_GRUNDLAG = "**grundlag** tema [medarbejder|leder], fx »grundlag mod leder«"
TYPED_EKSEMPLER = "**eksempler** [tema] [medarbejder|leder] [side], fx »eksempler mod side 2«"
TYPED_UDFALD = (
    "**udfald** numre udfald forum [dato], fx »udfald 12,14 udvalgt arbejdsgruppen 3.11.2026« "
    "(udfaldet: udvalgt, ikke udvalgt, kvalificeret, ikke kvalificeret, godkendt eller ikke godkendt)"
)
TYPED_FILM = "**film** numre, fx »film 12,14«, eller **ikke film** numre"
TYPED_OVERSIGT_AFDELING = "**oversigt** afdelingens nummer, fx »oversigt 2«"
TYPED_PAAMIND = "**påmind** [enhedens nummer], fx »påmind 7« eller »påmind« for alle, der mangler"
# What people type for an eksempel's outcome in a forum (`udfald 12 udvalgt arbejdsgruppen`), by status.
TYPED_OUTCOME_WORDS = {
    EntryStatus.SELECTED: ("udvalgt",),
    EntryStatus.NOT_SELECTED: ("ikke udvalgt",),
    EntryStatus.QUALIFIED: ("kvalificeret",),
    EntryStatus.NOT_QUALIFIED: ("ikke kvalificeret",),
    EntryStatus.ADOPTED: ("godkendt", "vedtaget"),
    EntryStatus.NOT_ADOPTED: ("ikke godkendt", "ikke vedtaget"),
}
TYPED_PAGE_WORD = "side"
TYPED_MAAL_UNIT = "**mål** enhedens nummer, fx »mål 7« (enhedens mål og hvad der mangler)"
TYPED_TVAERS = "**tværs** et måls nummer, fx »tværs 3« (målsætningens mål på tværs)"
ROUND_MORE = "+ {count} forslag mere – {name} får dem alle i sin personlige chat."
ROUND_SELECT_MORE = (
    "Kortet viser de første {shown} af {total} forslag. Skriv »møde send« og numrene for at sende andre videre."
)
ROUND_PRIVATE_HINT = (
    "Forslagene vises uden navne eller først ved lukning: skriv ikke dit forslag i chatten, hvor navnet står. "
    "Skriv i stedet »forslag« og dit forslag til Styringsbot i jeres personlige chat."
)
# --- The indsamler's daily digest (issue 19): one card a day instead of a card per eksempel ---
EKSEMPEL_DIGEST_TITLE = "Nye eksempler til dig"
EKSEMPEL_DIGEST_INTRO = "Siden {since} er der kommet {count:nyt eksempel|nye eksempler}."
# One line per tema: the tema's name (TEMA_LABELS), then this.
EKSEMPEL_DIGEST_TEMA = "{count:eksempel|eksempler}"
EKSEMPEL_DIGEST_WAITING = "I alt venter {waiting:eksempel|eksempler} på at blive modtaget."
EKSEMPEL_DIGEST_WHERE = (
    "Under fanen »Arbejdsbord« kan du søge, filtrere og registrere udfald for mange eksempler ad gangen. "
    "Skriv **eksempler** for at se listen her i chatten."
)
EKSEMPEL_DIGEST_OPEN_TAB = "Åbn Arbejdsbord"
EKSEMPEL_DIGEST_OPEN_LIST = "Vis listen her"
# --- The workbench tab »Arbejdsbord« and the grundlag on the web (issue 19; web/) ---
# ==========================================================================================================
ROLE_LABELS[Role.ARBEJDSGRUPPE] = "arbejdsgruppen"
TAB_NAME = "Arbejdsbord"
TAB_SKIP_TO_CONTENT = "Gå til indholdet"
TAB_MENU_LABEL = "Arbejdsbordets sider"
TAB_PAGE_TITLES = {"eksempler": "Eksempler", "godkendelser": "Godkendelser", "overblik": "Overblik"}
TAB_SIGNED_IN_AS = "Logget ind som {name}"
TAB_SIGNING_IN = "Logger ind via Teams …"
TAB_SIGNIN_FAILED = (
    "Vi kunne ikke logge dig ind. Arbejdsbordet virker kun inde i Teams – åbn fanen »Arbejdsbord« i Styringsbot."
)
TAB_SIGNIN_RETRY = "Prøv igen"
TAB_NOTHING_FOR_YOU_TITLE = "Arbejdsbordet er til dem, der samler og beslutter"
TAB_NOTHING_FOR_YOU = (
    "Her arbejder indsamleren, arbejdsgruppen, ledere og chefer med eksempler, godkendelser og overblik. "
    "Du har ikke en af de roller, så der er ikke noget til dig her – men du kan stadig det hele i chatten med "
    "Styringsbot: skriv »tegn«, »læring«, »eksempel« eller »mine«."
)
TAB_NOT_ALLOWED_TITLE = "Den side er ikke til dig"
TAB_NOT_ALLOWED = "Du har ikke adgang til denne side. Vælg en af dine sider i menuen."
TAB_NOT_SIGNED_IN = "Du er ikke logget ind. Åbn Arbejdsbord i Teams igen."
TAB_CSRF_FAILED = "Siden var forældet. Genindlæs den, og prøv igen – intet er gemt."
TAB_BAD_INPUT = "Det, der blev sendt, kunne ikke læses. Genindlæs siden, og prøv igen."
TAB_ERROR = "Noget gik galt hos os. Prøv igen om lidt – intet af det, du har valgt, er tabt."
TAB_NOT_FOUND = "Siden findes ikke."
TAB_BACK = "Tilbage"

# Local development only: the sign-in page that lists the demo people.
TAB_DEV_TITLE = "Log ind (lokal udvikling)"
TAB_DEV_INTRO = "Kun på udviklerens maskine: vælg, hvem du vil være. I Teams logger fanen ind af sig selv."
TAB_DEV_BUTTON = "Log ind som {name}"
TAB_DEV_ROLES_NONE = "medarbejder"

# Eksempler
TAB_EKS_TITLE = "Eksempler"
TAB_EKS_INTRO = "Alle modtagne eksempler. Søg, filtrér og sæt hak – dine hak huskes på tværs af sider og filtre."
TAB_EKS_SEARCH = "Søg i teksten"
TAB_EKS_SEARCH_HINT = "Ord fra eksemplet eller situationen, eller et nummer"
TAB_EKS_FILTER_ALL = "Alle"
TAB_EKS_FILTER_AFDELING = "Afdeling"
TAB_EKS_FILTER_UNIT = "Arbejdsplads"
TAB_EKS_FILTER_STAGE = "Hvor langt"
TAB_EKS_STAGE_NEW = "Ikke behandlet endnu"
TAB_EKS_FILTER_FILM = "Film"
TAB_EKS_FILM_YES = "Kun kandidater til film"
TAB_EKS_FILM_NO = "Ikke kandidater til film"
TAB_EKS_FILTER_SIMILAR = "Kun eksempler, der ligner andre"
TAB_EKS_SORT = "Sortér efter"
TAB_EKS_SORTS = {
    "nr": "Nummer, ældste først",
    "-nr": "Nummer, nyeste først",
    "sendt": "Dato sendt, ældste først",
    "-sendt": "Dato sendt, nyeste først",
    "tema": "Tema og niveau",
    "afdeling": "Afdeling og arbejdsplads",
}
TAB_EKS_APPLY = "Vis"
TAB_EKS_RESET = "Nulstil"
TAB_EKS_SHOWING = "Viser {first}–{last} af {count:eksempel|eksempler}"
TAB_EKS_EMPTY = "Ingen eksempler passer til søgningen og filtrene."
TAB_EKS_TABLE_CAPTION = "Eksempler, side {page} af {pages}"
TAB_EKS_COL_PICK = "Valgt"
TAB_EKS_COL_NR = "Nr."
TAB_EKS_COL_TEMA = "Tema og niveau"
TAB_EKS_COL_TEXT = "Eksemplet"
TAB_EKS_COL_UNIT = "Afdeling og arbejdsplads"
TAB_EKS_COL_SENT = "Sendt"
TAB_EKS_COL_FILM = "Film"
TAB_EKS_COL_SIMILAR = "Ligner"
TAB_EKS_COL_PROPOSALS = "Forslag"
TAB_EKS_SITUATION = "Situationen: {situation}"
TAB_EKS_SHOW_ALL = "Vis hele teksten"
TAB_EKS_PICK = "Vælg nr. {id}"
TAB_EKS_NO_OUTCOME = "–"
TAB_EKS_OUTCOME = "{outcome}, {date}"
TAB_EKS_GROUP_LINK = "Gruppe ({count})"
TAB_EKS_NO_GROUP = "–"
TAB_EKS_FILM_ON = "Kandidat til film"
TAB_EKS_FILM_OFF = "Ikke kandidat"
TAB_EKS_FILM_TOGGLE_ON = "Gør nr. {id} til kandidat til film"
TAB_EKS_FILM_TOGGLE_OFF = "Fjern nr. {id} som kandidat til film"
TAB_EKS_PROPOSE = "Foreslå til udvælgelse"
TAB_EKS_UNPROPOSE = "Træk forslag tilbage"
TAB_EKS_PROPOSE_LABEL = "Foreslå nr. {id} til udvælgelse"
TAB_EKS_UNPROPOSE_LABEL = "Træk dit forslag om nr. {id} tilbage"
TAB_EKS_TICKED = "{count} valgt"
TAB_EKS_TICK_PAGE = "Vælg alle på siden"
TAB_EKS_CLEAR = "Ryd valgte"
TAB_EKS_PAGES = "Sider"
TAB_EKS_PREVIOUS = "Forrige side"
TAB_EKS_NEXT = "Næste side"
TAB_EKS_PAGE_OF = "Side {page} af {pages}"
TAB_EKS_BULK_TITLE = "Registrér et forums udfald for de valgte"
TAB_EKS_BULK_OUTCOME = "Udfald"
TAB_EKS_BULK_CHOOSE = "Vælg udfald"
TAB_EKS_BULK_DATE = "Mødets dato"
TAB_EKS_BULK_COMMENT = "Kommentar (valgfri)"
TAB_EKS_BULK_BUTTON = "Registrér for de valgte"
TAB_EKS_BULK_NONE = "Sæt hak ved mindst ét eksempel først."
TAB_EKS_BULK_MISSING = "Vælg et udfald og mødets dato."
TAB_EKS_BULK_DONE = "Registreret for {count:eksempel|eksempler}."
TAB_EKS_BULK_SAME = "{count} havde allerede det udfald."
TAB_EKS_BULK_REFUSED = "{count} kunne ikke få det udfald nu (fx ikke udvalgt endnu)."
TAB_EKS_GROUP_TITLE = "Eksempler der ligner nr. {id}"
TAB_EKS_GROUP_INTRO = "De {count} eksempler ligner hinanden. Sammenlign dem side om side."
TAB_EKS_GROUP_ALONE = "Ingen andre eksempler ligner nr. {id}."

# Godkendelser
TAB_GODK_TITLE = "Godkendelser"
TAB_GODK_INTRO = "Det, der venter på dig – det ældste først. Sæt hak ved flere, og beslut for dem alle på én gang."
TAB_GODK_EMPTY = "Der venter ikke noget på dig lige nu."
TAB_GODK_CAPTION = "Forslag der venter på dig"
TAB_GODK_COL_KIND = "Slags"
TAB_GODK_COL_FROM = "Fra"
TAB_GODK_COL_TEXT = "Forslaget"
TAB_GODK_COL_SINCE = "Venter siden"
TAB_GODK_COL_HISTORY = "Historik"
TAB_GODK_HISTORY_LINK = "Se historik for nr. {id}"
TAB_GODK_COMMENT = "Kommentar til alle de valgte"
TAB_GODK_COMMENT_HINT = "Skal udfyldes, når du sender tilbage."
TAB_GODK_FORWARD = "Anbefal / godkend de valgte"
TAB_GODK_SEND_BACK = "Send de valgte tilbage"
TAB_GODK_NONE = "Sæt hak ved mindst ét forslag først."
TAB_GODK_COMMENT_REQUIRED = "Skriv en kommentar, når du sender forslag tilbage – så ved de, hvad de skal rette."
TAB_GODK_DONE = "{count} forslag er sendt videre eller godkendt."
TAB_GODK_DONE_BACK = "{count} forslag er sendt tilbage."
TAB_GODK_ALREADY = "{count} var allerede besluttet af en anden."
TAB_GODK_REFUSED = "{count} kunne du ikke beslutte (det er ikke din tur)."
TAB_GODK_HISTORY_TITLE = "{kind} nr. {id}"
TAB_GODK_HISTORY_CAPTION = "Historik"
TAB_GODK_HISTORY_WHO = "Hvem"
TAB_GODK_HISTORY_WHAT = "Hvad"
TAB_GODK_HISTORY_WHEN = "Hvornår"
TAB_GODK_HISTORY_COMMENT = "Kommentar"
TAB_GODK_STATUS = "Status: {status}"
TAB_GODK_FIELDS = {
    "tegn": "Tegn",
    "maalgruppe": "Målgruppe",
    "hvad_gjorde_vi": "Hvad gjorde vi",
    "hvad_laerte_vi": "Hvad lærte vi",
    "eksempel": "Eksemplet",
    "situation": "Situationen",
}

# Overblik
TAB_OVERBLIK_TITLE = "Overblik"
TAB_OVERBLIK_DEADLINE = "{title}: {date} ({days:dag|dage} tilbage)"
TAB_OVERBLIK_DEADLINE_PASSED = "{title}: {date} (fristen er overskredet)"
TAB_OVERBLIK_MATRIX = "Modtagne eksempler: tema × niveau"
TAB_OVERBLIK_MATRIX_NOTE = "Jo mørkere felt, jo flere eksempler. Tomme felter er markeret »mangler«."
TAB_OVERBLIK_CELL = "{received} modtaget · {selected} udvalgt · {adopted} godkendt"
TAB_OVERBLIK_CELL_EMPTY = "mangler"
TAB_OVERBLIK_AFDELINGER = "Afdelinger"
TAB_OVERBLIK_PROGRESS = "{sent} af {units:arbejdsplads|arbejdspladser} har sendt"
TAB_OVERBLIK_MISSING = "Arbejdspladser der mangler"
TAB_OVERBLIK_MISSING_NONE = "Alle arbejdspladser har sendt eksempler."
TAB_OVERBLIK_COL_UNIT = "Arbejdsplads"
TAB_OVERBLIK_COL_AFDELING = "Afdeling"
TAB_OVERBLIK_COL_LEDER = "Leder"
TAB_OVERBLIK_COL_REMINDED = "Påmindet"
TAB_OVERBLIK_NO_LEDER = "ingen leder i organisationsfilen"
TAB_OVERBLIK_UNREACHABLE = "kan ikke nås i Teams"
TAB_OVERBLIK_REMIND = "Send påmindelse"
TAB_OVERBLIK_REMIND_UNIT = "Send påmindelse til {unit}"
TAB_OVERBLIK_REMIND_ALL = "Send påmindelse til alle der mangler"
TAB_OVERBLIK_NO_DEADLINE = "Der er ingen frist for eksempler i organisationsfilen, så der kan ikke sendes påmindelser."
# The Overblik's mål (issue 20's coverage, in the tab for chefer and Chefforum).
TAB_MAAL_TITLE = "Mål i målplanerne"
TAB_MAAL_INTRO = (
    "Dine arbejdspladsers mål i de nyeste målplaner: hvor mange tegn, prøvehandlinger og hvor meget læring hvert "
    "mål har, og hvilke mål der mangler tegn eller prøvehandlinger."
)
TAB_MAAL_COL_MAAL = "Mål"
TAB_MAAL_COL_NO_TEGN = "Uden tegn"
TAB_MAAL_COL_NO_PH = "Uden prøvehandlinger"
TAB_MAAL_COL_TEGN = "Tegn"
TAB_MAAL_COL_PH = "Prøvehandlinger"
TAB_MAAL_COL_LAERING = "Læring"
TAB_MAAL_COL_MAALSAETNING = "Målsætning"
TAB_MAAL_COL_UNITS = "Arbejdspladser"
TAB_MAAL_APPROVED_PENDING = "{approved} godkendt · {pending} afventer"
TAB_MAAL_PH = "{approved} · {pending} foreslået"
TAB_MAAL_SHOW = "Vis målene"
TAB_MAAL_NO_PLAN = "Ingen målplan endnu"
TAB_MAAL_COVERED = "Har tegn og prøvehandlinger"
TAB_MAAL_OF_UNIT = "{unit}: {title}"

# The grundlag on the web (GET /grundlag and `python -m cli publish-grundlag`): no names, only behaviour.
WEB_GRUNDLAG_TITLE = "Medarbejder- og ledelsesgrundlaget"
WEB_GRUNDLAG_ORG = "Albertslund Kommune"
WEB_GRUNDLAG_INTRO = (
    "Grundlaget beskriver, hvordan vi arbejder sammen i Albertslund Kommune. Eksemplerne er skrevet af "
    "medarbejdere og ledere og godkendt i KommuneMED – konkret adfærd for hvert af de fire temaer."
)
WEB_GRUNDLAG_CONTENTS = "Indhold"
WEB_GRUNDLAG_EMPTY = "Der er endnu ingen godkendte eksempler for dette niveau."
WEB_GRUNDLAG_FILM = "Med i filmen"
WEB_GRUNDLAG_FILM_NOTE = "Eksempler markeret »Med i filmen« er valgt til en kort film om grundlaget."
WEB_GRUNDLAG_UPDATED = "Opdateret {date}"

# The Excel round trip (the tab's Eksempler page)
TAB_XL_TITLE = "Excel: udfald for mange på én gang"
TAB_XL_INTRO = (
    "Hent listen med de filtre, du har valgt, udfyld et forums udfald og dato i Excel, og læs filen ind igen. "
    "Du ser først, hvad der vil ske – intet registreres, før du bekræfter."
)
TAB_XL_DOWNLOAD = "Hent listen som Excel"
TAB_XL_FILE = "Udfyldt Excel-fil"
TAB_XL_UPLOAD = "Læs filen ind"
TAB_XL_SHEET = "Eksempler"
TAB_XL_HELP_SHEET = "Vejledning"
TAB_XL_HELP = (
    "Skriv et udfald i kolonnen »… nyt udfald« og mødets dato i kolonnen »… dato« ud for de eksempler, forummet "
    "har taget stilling til. Brug præcis en af teksterne nedenfor. Ret ikke i de andre kolonner."
)
TAB_XL_HELP_VALUES = "Gyldige udfald"
TAB_XL_COL_STATUS = "Status"
TAB_XL_COL_RECORDED = "{fora}: registreret"
TAB_XL_COL_NEW = "{fora}: nyt udfald"
TAB_XL_COL_DATE = "{fora}: dato"
TAB_XL_PREVIEW_TITLE = "Det vil ske, når du bekræfter"
TAB_XL_PREVIEW_CHANGES = "Registreres ({count})"
TAB_XL_PREVIEW_CONFLICTS = "Konflikter – registreres ikke ({count})"
TAB_XL_PREVIEW_PROBLEMS = "Kan ikke læses ({count})"
TAB_XL_PREVIEW_UNCHANGED = "{count} havde allerede det udfald og er sprunget over."
TAB_XL_PREVIEW_NOTHING = "Filen indeholder ingen nye udfald."
TAB_XL_CONFLICT = "Har fået »{current}« siden listen blev hentet (i filen stod »{exported}«)."
TAB_XL_NOTHING_RECORDED = "intet"
TAB_XL_PROBLEM_LABEL = "Ukendt udfald »{value}«."
TAB_XL_PROBLEM_DATE = "Mangler en dato, fx 10.11.2026."
TAB_XL_PROBLEM_UNKNOWN = "Intet modtaget eksempel har det nummer."
TAB_XL_COL_PROBLEM = "Hvorfor"
TAB_XL_CONFIRM = "Registrér {count} udfald"
TAB_XL_CANCEL = "Fortryd"
TAB_XL_BAD_FILE = "Filen kunne ikke læses som den Excel-fil, Arbejdsbord har lavet. Hent listen igen, og udfyld den."
TAB_XL_TOO_OLD = "Forhåndsvisningen er for gammel. Læs filen ind igen."

# Godkendelser: the chef corrects a tegn's wording before »indarbejdet« (the original is kept in the history)
TAB_GODK_CORRECT_TITLE = "Ret formuleringen og godkend"
TAB_GODK_CORRECT_INTRO = (
    "Du kan rette tegnets formulering, før du godkender det. Den oprindelige formulering gemmes i historikken."
)
TAB_GODK_CORRECT_FIELD = "Tegnet"
TAB_GODK_CORRECT_COMMENT = "Kommentar (valgfri)"
TAB_GODK_CORRECT_BUTTON = "Ret og godkend"
TAB_GODK_CORRECTED = "Formuleringen er rettet. Oprindelig formulering: »{original}«"
TAB_GODK_CORRECT_INVALID = "Skriv tegnet – det må ikke være tomt eller for langt."
REMINDER_QUESTIONS = "Har du spørgsmål, kan du kontakte {who}."
PERSON_AT_EMAIL = "{person} på {email}"
HELP_GROUP_PROPOSAL = "Er der en åben runde i chatten, så skriv **@Styringsbot** og dit forslag."
HELP_ROUNDS = (
    "På et personalemøde skriver du **@Styringsbot møde** i mødets chat, eller fx **@Styringsbot møde tegn 3**. "
    "Så kan alle komme med forslag."
)
HELP_CONTACT = "Spørgsmål om eksemplerne til medarbejder- og ledelsesgrundlaget: {who}."
ROUND_FORWARDED_ANONYMOUSLY = "Sendt videre anonymt som nr. {id}"
ROUND_FORWARDED_COMMENT_ANONYMOUS = "Fra personalemødet den {date} (anonymt)."

# --- Plan A (issue 21): perspektiver, indikatorer, each arbejdsplads's Plan A, MUS and LUS, the plakat ----------

# `begreber`: the three perspektiver and the eight indikatorer (seed 000, »Derfor skal vi arbejde med Plan A«).
BEGREBER_PLAN_A: tuple[tuple[str, str], ...] = (
    (
        "Plan A",
        "Arbejdspladsens redskab til at prioritere ud fra de tre perspektiver og de udvalgte indikatorer. Plan A "
        "beskriver den **forskel**, vi vil skabe for borgerne – ikke en liste over handlinger.",
    ),
    (
        "Perspektiv: Opgaver",
        "Vi skal indfri de politiske målsætninger og drage læring af det. Indikatorer: **1** Tydelig sammenhæng "
        "mellem den overordnede vision og vores indsatser. **2** Kommunalbestyrelsen får gennemskuelige "
        "afrapporteringer, der viser graden af målopfyldelse. **3** Der er gode rammer for faglig refleksion, "
        "dialog og udvikling blandt medarbejdere og ledere.",
    ),
    (
        "Perspektiv: Adfærd",
        "Vi skal have samme tilgang til vores opgaver, som vi selv ville ønske at opleve som borgere. Indikatorer: "
        "**4** Det er en naturlig del af vores opgaveløsning at inddrage borgerne og borgernes perspektiv. **5** "
        "Velfungerende samarbejdsrelationer er afgørende for, at vi kan skabe værdi for borgeren. **6** Vi har høj "
        "trivsel og lavt personalefravær.",
    ),
    (
        "Perspektiv: Struktur",
        "Vi skal vide, hvem der har ansvaret for hvad, men også finde sammen om det, der går på tværs. "
        "Indikatorer: **7** Der er en klar opgavefordeling i afdelinger, på tværs af afdelinger samt i "
        "samarbejdet mellem fag- og stabsområder. **8** Det tværfaglige samarbejde er en integreret del af vores "
        "struktur.",
    ),
    (
        "Indikator",
        "Et af de otte pejlemærker under de tre perspektiver. Chefforum udvælger hvert år de indikatorer, der er "
        "obligatoriske i alle arbejdspladsers Plan A (i 2024: 1, 6 og 8). Andre indikatorer kan tages med efter "
        "aftale med afdelingschefen.",
    ),
    (
        "MUS og LUS",
        "Plan A er omdrejningspunkt for samtalerne: medarbejderudviklingssamtalen (MUS) og "
        "lederudviklingssamtalen (LUS) følger fremdriften i arbejdet med perspektiverne og indikatorerne.",
    ),
)

# `plan a`: an arbejdsplads's Plan A.
PLAN_A_TITLE = "Plan A – {unit}"
PLAN_A_INTRO = (
    "Plan A beskriver den forskel, vi vil skabe for borgerne inden for de tre perspektiver – ikke de handlinger, "
    "vi vil gøre."
)
PLAN_A_MANDATORY_YEAR = "Obligatoriske indikatorer ({year})"
PLAN_A_MANDATORY = "Obligatoriske indikatorer"
PLAN_A_FURTHER = "Øvrige indikatorer"
PLAN_A_INDIKATOR_HEADING = "Indikator {number} · {perspektiv}"
PLAN_A_INDIKATOR_CHOSEN = "Valgt af arbejdspladsen"
PLAN_A_QUESTION_FORSKEL = "Hvilken forskel vil vi skabe?"
PLAN_A_QUESTION_KENDETEGN = "Hvordan kan vi se, at det lykkes?"
PLAN_A_QUESTION_MAAL_TEGN = "Tegn fra vores målplan, der viser det (hvor det passer)"
PLAN_A_DOCUMENTS = "Dokumenter"
PLAN_A_MAAL_TEGN_HINT = "Godkendte tegn i jeres målplan, som I kan nævne her:"
PLAN_A_NOT_WRITTEN = "Ikke skrevet endnu."
PLAN_A_FORM_HEADING = "Form"
PLAN_A_FORM_LABEL = "Hvilken form har vores Plan A?"
PLAN_A_FORM_PLACEHOLDER = "fx En plakat i personalerummet og et fast punkt på hvert personalemøde"
PLAN_A_FORM_NONE = "Formen er ikke besluttet endnu."
PLAN_A_FORM_DECIDED = "Besluttet"
PLAN_A_FORM_DECIDED_LABEL = "Formen blev besluttet den"
PLAN_A_IN_USE = "I brug siden"
PLAN_A_IN_USE_LABEL = "Vi arbejder aktivt med Plan A siden"
PLAN_A_NOT_YET = "endnu ikke"
PLAN_A_DEADLINE = "Frist: {date}"
PLAN_A_UPDATED = "Senest ændret {when}"
PLAN_A_NO_INDIKATORER = "Organisationsfilen har endnu ingen indikatorer. Spørg administratoren."
PLAN_A_READ_ONLY = "Du kan læse arbejdspladsens Plan A. Det er lederen, der retter den."
PLAN_A_BUTTON_EDIT = "Ret indikator {number}"
PLAN_A_BUTTON_FORM = "Ret form og datoer"
PLAN_A_BUTTON_ADD = "Tilføj indikator"
PLAN_A_BUTTON_REMOVE = "Fjern indikator {number}"
PLAN_A_BUTTON_HISTORY = "Historik"
PLAN_A_BUTTON_POSTER = "Hent plakat"
PLAN_A_BUTTON_SAVE = "Gem"
PLAN_A_BUTTON_BACK = "Tilbage til Plan A"
PLAN_A_BUTTON_REMOVE_DOCUMENT = "Fjern dokument {position}"
PLAN_A_BUTTON_MORE = "Ældre ændringer"
PLAN_A_BUTTON_SEND_PREP = "Send forberedelse"
PLAN_A_ADD_CHOOSE = "Vælg først den indikator, I vil tilføje, på listen."
PLAN_A_ADD_LABEL = "Tilføj en indikator mere"
PLAN_A_ADD_CHOICE = "{number}. {text}"
PLAN_A_ADD_HINT = (
    "Vil I arbejde med flere indikatorer end de obligatoriske, så aftal det med jeres afdelingschef, før I "
    "tilføjer dem."
)
PLAN_A_ADDED = (
    "Indikator {number} er tilføjet jeres Plan A. Husk at aftale det med jeres afdelingschef, hvis I ikke "
    "allerede har gjort det."
)
PLAN_A_REMOVED = "Indikator {number} er fjernet fra jeres Plan A."
PLAN_A_SAVED = "Gemt."
PLAN_A_DOCUMENT_REMOVED = "Dokumentet er fjernet. Husk at gemme, hvis du har rettet i teksterne."
PLAN_A_NOTHING_CHANGED = "Der var ingen ændringer at gemme."
PLAN_A_DOC_URL_LABEL = "Tilføj et dokument: link (fx APV-handleplanen)"
PLAN_A_DOC_URL_PLACEHOLDER = "https://…"
PLAN_A_DOC_TITLE_LABEL = "Dokumentets navn"
PLAN_A_DOC_TITLE_PLACEHOLDER = "fx APV-handleplan 2026"
PLAN_A_EDIT_TITLE = "Plan A – indikator {number}"
PLAN_A_FORSKEL_PLACEHOLDER = "fx Flere kolleger siger, at de kan tale åbent om, hvordan de har det på arbejdet"
PLAN_A_KENDETEGN_PLACEHOLDER = "fx Trivselsmålingen og sygefraværet hvert kvartal; hvad vi hører på personalemøderne"
PLAN_A_FORM_TITLE = "Plan A – form og datoer"
PLAN_A_HISTORY_TITLE = "Plan A – historik"
PLAN_A_HISTORY_EMPTY = "Ingen ændringer endnu."
PLAN_A_HISTORY_LINE = "{when} · {who}"
PLAN_A_HISTORY_FIELDS = {
    "forskel": "Indikator {number}: »Hvilken forskel vil vi skabe?«",
    "kendetegn": "Indikator {number}: »Hvordan kan vi se, at det lykkes?«",
    "maal_tegn": "Indikator {number}: tegn fra målplanen",
    "dokument_tilfoejet": "Indikator {number}: dokument tilføjet",
    "dokument_fjernet": "Indikator {number}: dokument fjernet",
    "indikator_tilfoejet": "Indikator {number} tilføjet",
    "indikator_fjernet": "Indikator {number} fjernet",
    "form": "Formen",
    "form_besluttet": "Dato for beslutning om formen",
    "i_brug": "I brug siden",
}
PLAN_A_HISTORY_CHANGE = "Før: {old}\nNu: {new}"
PLAN_A_HISTORY_EMPTY_VALUE = "(tomt)"
PLAN_A_HISTORY_SHOWING = "Viser {first}–{last} af {count:ændring|ændringer}"
PLAN_A_NOT_ALLOWED = "Du kan ikke se den Plan A. Du kan se Plan A for den arbejdsplads, du er på eller leder."
PLAN_A_EDIT_NOT_ALLOWED = "Det er arbejdspladsens leder, der retter Plan A. Du kan læse den med »plan a«."
PLAN_A_NO_UNIT = (
    "Du er ikke knyttet til en arbejdsplads, så jeg ved ikke, hvilken Plan A du vil se. Skriv »plan a« og "
    "arbejdspladsens nummer, fx »plan a 3«."
)
PLAN_A_PICK_TITLE = "Plan A for dine arbejdspladser"
PLAN_A_PICK_BUTTON = "{name} (nr. {number})"
PLAN_A_PROBLEMS = {
    "not_allowed": PLAN_A_EDIT_NOT_ALLOWED,
    "no_such_indikator": "Den indikator findes ikke. Indikatorerne har numrene 1–8.",
    "not_in_plan": "Den indikator er ikke med i jeres Plan A. Tilføj den først, fx »plan a tilføj 3«.",
    "already_in_plan": "Den indikator er allerede med i jeres Plan A.",
    "mandatory": "En obligatorisk indikator kan ikke fjernes fra Plan A.",
    "bad_url": "Linket skal være en hel adresse, der begynder med https:// eller http://.",
    "too_many_documents": "Der kan højst være 5 dokumenter ved en indikator. Fjern et, før du tilføjer et nyt.",
    "no_such_document": "Det dokument fandt jeg ikke. Dokumenterne er nummereret 1, 2, 3 … under indikatoren.",
}
# Coaching on »Hvilken forskel vil vi skabe?« (domain.plan_a.Tip), as the tegn coaching does for tegn.
PLAN_A_TIP_TITLE = "Et godt råd"
PLAN_A_TIPS = {
    "handlinger": (
        "Det, I har skrevet, lyder som handlinger – noget I vil gøre (»Vi holder møder om …«). Plan A skal "
        "beskrive den forskel, handlingerne skal skabe: hvad er anderledes for borgerne eller for os, når det "
        "lykkes?"
    ),
    "hensigt": (
        "Det, I har skrevet, er en god hensigt, men ingen kan se, hvornår den er nået. Skriv den forandring, man "
        "vil kunne se eller høre: hvem gør, oplever eller siger noget andet end i dag – og hvor meget?"
    ),
}
PLAN_A_TIP_SHORT = {
    "handlinger": (
        "Et godt råd: det lyder som handlinger, ikke som en forskel. Se hvorfor under »Ret indikator {number}«."
    ),
    "hensigt": "Et godt råd: ingen kan se, hvornår det er nået. Se hvorfor under »Ret indikator {number}«.",
}
PLAN_A_TIP_EXAMPLE = (
    "Et godt eksempel: »Flere kolleger siger i trivselsmålingen, at de kan få hjælp, når de er pressede, og "
    "sygefraværet falder fra 6 til 4 procent.«"
)
PLAN_A_POSTER_READY = (
    "Her er jeres Plan A som plakat (PDF, A3 liggende), klar til at udskrive: {url}\n\n"
    "Linket virker i {minutes:minut|minutter} og kun for dig."
)
# Typed forms (hjælp lists them; a wrong form is answered with its usage).
TYPED_PLAN_A = "**plan a** [arbejdspladsens nummer], fx »plan a« (din arbejdsplads) eller »plan a 3«"
TYPED_PLAN_A_RET = "**plan a ret** indikator, fx »plan a ret 6« (indikatorens kort med alle felter)"
TYPED_PLAN_A_RET_FORM = "**plan a ret form**: kortet med formen og datoerne"
TYPED_PLAN_A_FORSKEL = "**plan a forskel** indikator tekst, fx »plan a forskel 6 Flere kolleger siger …«"
TYPED_PLAN_A_SE = (
    "**plan a se** indikator tekst (Hvordan kan vi se, at det lykkes?), fx »plan a se 6 Trivselsmålingen …«"
)
TYPED_PLAN_A_TEGN = "**plan a tegn** indikator tekst (tegn fra målplanen), fx »plan a tegn 1 Børnene fortæller …«"
TYPED_PLAN_A_DOKUMENT = "**plan a dokument** indikator link [navn], fx »plan a dokument 6 https://… APV-handleplan«"
TYPED_PLAN_A_FJERN_DOKUMENT = "**plan a fjern dokument** indikator nummer, fx »plan a fjern dokument 6 1«"
TYPED_PLAN_A_TILFOEJ = "**plan a tilføj** indikator, fx »plan a tilføj 3« (aftal det med jeres chef)"
TYPED_PLAN_A_FJERN = "**plan a fjern** indikator, fx »plan a fjern 3« (kun en, I selv har tilføjet)"
TYPED_PLAN_A_FORM = "**plan a form** tekst, fx »plan a form En plakat i personalerummet«"
TYPED_PLAN_A_BESLUTTET = "**plan a besluttet** dato, fx »plan a besluttet 28.10.2026« (formen blev besluttet)"
TYPED_PLAN_A_I_BRUG = "**plan a i brug** dato, fx »plan a i brug 1.12.2026« (vi arbejder aktivt med den)"
TYPED_PLAN_A_HISTORIK = "**plan a historik** [side], fx »plan a historik« eller »plan a historik 2«"
TYPED_PLAN_A_PLAKAT = "**plan a plakat**: et link til plakaten, klar til at udskrive"

# MUS and LUS: a preparation card in the person's personal chat.
PREP_KIND_NAMES = {"mus": "MUS", "lus": "LUS"}
PREP_TITLE = "Forberedelse til din {kind}"
PREP_FROM = "Fra {sender} · {unit}"
PREP_INTRO = (
    "Plan A er omdrejningspunktet for vores samtale. Her er arbejdspladsens obligatoriske indikatorer, og hvad "
    "vi har skrevet om dem. Tænk over spørgsmålene, før vi ses."
)
PREP_QUESTIONS_HEADING = "Spørgsmål at tænke over"
PREP_QUESTIONS = (
    "Hvor ser du, at vi allerede gør en forskel for borgerne på disse indikatorer?",
    "Hvad i dit eget arbejde kan bidrage til den forskel, vi vil skabe – og hvad har du brug for til det?",
    "Hvad skal vi se efter, så vi ved, at det lykkes?",
)
PREP_GRUNDLAG = (
    "Medarbejder- og ledelsesgrundlaget hører også med i samtalen: se de godkendte eksempler for dit niveau."
)
PREP_BUTTON_GRUNDLAG = "Se grundlaget"
PREP_NOTES_LABEL = "Dine noter (kun du og {sender} kan se dem)"
PREP_NOTES_PLACEHOLDER = "Skriv dine tanker her, før samtalen"
PREP_NOTES_SAVED = "Dine noter er gemt."
PREP_PRIVACY = "Selve samtalen gemmes ikke her. Kun dine noter gemmes, og kun du og {sender} kan se dem."
PREP_BUTTON_SAVE = "Gem noter"
PREP_NOTES_HEADING = "Noter fra {recipient}"
PREP_NO_NOTES = "{recipient} har ikke skrevet noter endnu."
PREP_SENT = "Forberedelsen til {kind} er sendt til {name} i deres chat med Styringsbot."
PREP_ALREADY_SENT = "Forberedelsen er allerede sendt til {name}."
PREP_NOT_REACHABLE = (
    "{name} har ikke skrevet til Styringsbot endnu, så jeg kan ikke sende forberedelsen. Bed {name} skrive "
    "»hjælp« til Styringsbot og prøv igen."
)
PREP_SEND_FAILED = "Det lykkedes ikke at sende forberedelsen til {name}. Prøv igen om lidt."
PREP_NOBODY = (
    "Jeg fandt ingen med det navn eller den e-mail blandt dem, du er {role} for. Skriv fx »{word} Mette« "
    "eller »{word} mette.hansen@albertslund.dk«."
)
PREP_ROLE_WORD = {"mus": "leder", "lus": "chef"}
PREP_MANY = "Flere passer: {names}. Skriv hele navnet eller e-mailen."
PREP_NOT_A_LEDER = "Det er lederen, der sender forberedelsen til MUS til sine medarbejdere."
PREP_NOT_A_CHEF = "Det er chefen, der sender forberedelsen til LUS til sine ledere."
PREP_NOT_YOURS = "Den forberedelse er ikke din."
PREP_NOT_FOUND = "Den forberedelse fandt jeg ikke."
PREP_PERSON_LABEL = "Send forberedelse til MUS: navn eller e-mail"
PREP_PERSON_PLACEHOLDER = "fx Mette Hansen"
PREP_NUMBER = "Forberedelse nr. {id}"
TYPED_MUS = "**mus** navn eller e-mail, fx »mus Mette Hansen« (forberedelse til MUS; kun ledere)"
TYPED_LUS = "**lus** navn eller e-mail, fx »lus Lars« (forberedelse til LUS; kun chefer)"
TYPED_SAMTALE_NOTER = "**samtale noter** nummer tekst, fx »samtale noter 4 Jeg vil gerne tale om …«"
TYPED_SAMTALE_VIS = "**samtale vis** nummer, fx »samtale vis 4« (forberedelsen med noterne)"

# The plakat: the Plan A as a PDF (A3 liggende, one page), made from the printable page (cards/plakat.py).
PLAKAT_TITLE = "Plan A – {unit}"
PLAKAT_SUBTITLE = "Den forskel vi vil skabe"
PLAKAT_FORM = "Vores form"
PLAKAT_PRINTED = "Udskrevet {date}"
PLAKAT_EMPTY_PERSPEKTIV = "Ingen indikatorer under dette perspektiv i vores Plan A."
PLAKAT_INDIKATOR = "Indikator {number}"
PLAKAT_CHOSEN = "Valgt af os"
PLAKAT_STATUS = "{signal} · {date}"
PLAKAT_STATUS_HEADING = "Seneste status"
PLAKAT_NO_STATUS = "Ingen status endnu."
PLAKAT_FORM_DECIDED = "Besluttet {date}"
PLAKAT_IN_USE = "I brug siden {date}"
PLAKAT_FORM_NOT_DECIDED = "Ikke besluttet endnu"
PLAKAT_NOT_IN_USE = "Ikke i brug endnu"
# The PDF's file name without its ».pdf« (what the browser saves it as); characters no file system takes are replaced.
PLAKAT_FILENAME = "Plan A – {unit}"
PLAKAT_LINK_INVALID = (
    "Linket til plakaten er udløbet eller ugyldigt. Skriv »plan a plakat« i Styringsbot for at få et nyt."
)
PLAKAT_UNAVAILABLE = "Plakaten kan ikke laves lige nu. Prøv igen om lidt."

# --- Plan A across arbejdspladser (issue 21, points 5 and 6): `oversigt plan a`, the deadline reminders, and
# tegn, prøvehandlinger and læring linked to an indikator -------------------------------------------------------

PLAN_A_OVERVIEW_BUTTON = "Plan A på arbejdspladserne"
PLAN_A_OVERVIEW_TITLE = "Plan A – {title}"
PLAN_A_OVERVIEW_TITLE_ALL = "Plan A på alle arbejdspladser"
PLAN_A_OVERVIEW_INTRO = (
    "For hver arbejdsplads: er formen besluttet og i brug, er de obligatoriske indikatorer skrevet, den seneste "
    "status og hvor mange tegn, prøvehandlinger og læring der er knyttet til hver indikator."
)
PLAN_A_OVERVIEW_TOTALS = (
    "{units:arbejdsplads|arbejdspladser}: {decided} har besluttet formen, {in_use} arbejder aktivt med den, "
    "{written} har skrevet alle obligatoriske indikatorer."
)
PLAN_A_OVERVIEW_DEADLINE = "{title}: {date}"
PLAN_A_OVERVIEW_FORM_DECIDED = "Form besluttet {date}"
PLAN_A_OVERVIEW_FORM_MISSING = "Formen er ikke besluttet"
PLAN_A_OVERVIEW_IN_USE = "I brug siden {date}"
PLAN_A_OVERVIEW_IN_USE_MISSING = "Ikke i brug endnu"
PLAN_A_OVERVIEW_NOT_STARTED = "Ingen Plan A endnu"
PLAN_A_OVERVIEW_WRITTEN = "{written} af {count:obligatorisk indikator|obligatoriske indikatorer} skrevet"
# Not »6. …«: Teams reads a line that starts with a number and a full stop as a numbered list, and renumbers it.
PLAN_A_OVERVIEW_INDIKATOR = "Indikator {number}: {text}"
PLAN_A_OVERVIEW_IS_WRITTEN = "skrevet"
PLAN_A_OVERVIEW_NOT_WRITTEN = "ikke skrevet"
PLAN_A_OVERVIEW_FURTHER = "valgt af arbejdspladsen"
PLAN_A_OVERVIEW_NO_STATUS = "ingen status endnu"
PLAN_A_OVERVIEW_STATUS = "status {colour} ({date})"
PLAN_A_STATUS_LABELS = {"groen": "grøn", "gul": "gul", "roed": "rød"}
PLAN_A_OVERVIEW_COUNTS = "tegn {tegn} · prøvehandlinger {ph} · læring {laering}"
PLAN_A_OVERVIEW_LEDER = "Leder: {names}"
PLAN_A_OVERVIEW_NO_LEDER = "Ingen leder i organisationsfilen"
PLAN_A_OVERVIEW_OPEN = "Se Plan A for {unit}"
PLAN_A_OVERVIEW_EVERYONE = "Alle arbejdspladser"
PLAN_A_OVERVIEW_OWN = "Kun mine afdelinger"
PLAN_A_OVERVIEW_EMPTY = "Der er ingen arbejdspladser at vise."
PLAN_A_OVERVIEW_NOT_ALLOWED = (
    "Overblikket over Plan A er for chefer (deres afdelingers arbejdspladser) og Chefforum (alle "
    "arbejdspladser). Din egen arbejdsplads' Plan A ser du med »plan a«."
)
TYPED_OVERSIGT_PLAN_A = "**oversigt plan a** [side], fx »oversigt plan a« eller »oversigt plan a 2«"
TYPED_OVERSIGT_PLAN_A_ALLE = "**oversigt plan a alle** [side]: alle arbejdspladser (Chefforum)"
# The tab's Overblik page.
TAB_PLAN_A_TITLE = "Plan A på arbejdspladserne"
TAB_PLAN_A_COL_UNIT = "Arbejdsplads"
TAB_PLAN_A_COL_FORM = "Form besluttet"
TAB_PLAN_A_COL_IN_USE = "I brug"
TAB_PLAN_A_COL_WRITTEN = "Obligatoriske skrevet"
TAB_PLAN_A_COL_INDIKATORER = "Indikatorer: status og antal"

# Reminders before Plan A's two deadlines (the calendar keys plan-a-form and plan-a-i-brug).
PLAN_A_REMINDER_TITLE_FORM = "Påmindelse: formen på jeres Plan A"
PLAN_A_REMINDER_TEXT_FORM = (
    "**{unit}** har endnu ikke besluttet, hvilken form jeres Plan A skal have. Fristen er **{date}** ({days_left})."
)
PLAN_A_REMINDER_WHAT_FORM = (
    "Når I har besluttet formen, så skriv den og datoen i jeres Plan A, fx »plan a besluttet 28.10.2026«."
)
PLAN_A_REMINDER_TITLE_IN_USE = "Påmindelse: arbejd aktivt med Plan A"
PLAN_A_REMINDER_TEXT_IN_USE = "**{unit}** arbejder endnu ikke aktivt med Plan A. Fristen er **{date}** ({days_left})."
PLAN_A_REMINDER_WHAT_IN_USE = "Når I er i gang, så skriv datoen i jeres Plan A, fx »plan a i brug 1.12.2026«."
PLAN_A_REMINDER_BUTTON = "Åbn Plan A"

# Tegn, prøvehandlinger and læring linked to an indikator (an optional field in their flows).
INDIKATOR_LABEL = "Plan A-indikator (valgfri)"
INDIKATOR_HINT = "Forslaget er den indikator, som målet hører til i organisationsfilen."
INDIKATOR_NONE = "Ingen indikator"
INDIKATOR_CHOICE = "{number}. {text}"
INDIKATOR_FIELD = "Plan A-indikator"
INDIKATOR_SHOWN = "Indikator {number}"
ERROR_UNKNOWN_INDIKATOR = "Den indikator findes ikke. Vælg en på listen, eller »Ingen indikator«."

# Coaching in a round (domain.coaching.round_tip): to the author at once, and beside the proposal in the selection.
ROUND_TIPS = {
    "tegn_action": TEGN_COACH_TEXT,
    EksempelTip.VALUE.value: EKSEMPEL_COACH[EksempelTip.VALUE][0],
    EksempelTip.INTENTION.value: EKSEMPEL_COACH[EksempelTip.INTENTION][0],
    "proevehandling_goal": (
        "Det lyder som et **mål** (det, vi vil opnå). En prøvehandling er noget, vi **gør** – og som vi kan se "
        "virkningen af."
    ),
}
ROUND_TIP_FLAG = "Tip: {tip}"
ROUND_TIP_PRIVATE = "Et lille tip til dit forslag »{proposal}«: {tip}"
APPROVAL_CORRECT_LABEL = "Ordlyd i målplanen (ret den, hvis den skal skrives anderledes)"
BUTTON_CORRECT_APPROVE = "Ret og godkend"
TYPED_RET_OG_GODKEND = "**ret og godkend** nummer ny ordlyd, fx »ret og godkend 12 Flere børn fortæller selv«"
ERROR_TOO_LONG_OR_EMPTY = "Skriv ordlyden – den må ikke være tom eller for lang."
ROUND_TARGETS = {
    EntryKind.TEGN: ROUND_TARGET_TEGN,
    EntryKind.PROEVEHANDLING: "Prøvehandlinger: {title} ({unit})",
    EntryKind.LAERING: ROUND_TARGET_LAERING,
}
ROUND_PROEVEHANDLING_QUESTION = "Hvad vil vi prøve for at nå målet – og for hvem?"
TYPED_MOEDE_PROEVEHANDLING = "**møde prøvehandling** målets nummer, fx »møde prøvehandling 3«"

# --- Plan A at personalemøder (issue 21): the Plan A round, the status round and the status history ------------
# A round on one indikator of the unit's Plan A. Its answers go to the leder (into the Plan A, or as the unit's
# status), never to the chef.
ROUND_TITLE_TOPIC = {"plan_a": "Runde: Plan A", "status": "Runde: status på Plan A"}
ROUND_TARGET_TOPIC = {
    "plan_a": "Plan A – hvilken forskel vil vi skabe? Indikator {number}: {title} ({unit})",
    "status": "Status – hvordan går det? Indikator {number}: {title} ({unit})",
}
ROUND_TOPIC_QUESTION = {
    "plan_a": "Hvilken forskel vil vi skabe for indikator {number}, »{text}«?",
    "status": "Hvordan går det med indikator {number}, »{text}«?",
}
ROUND_TOPIC_HINT = {
    "plan_a": "Beskriv den forskel, vi vil kunne se eller høre, når det lykkes – ikke det, vi vil gøre.",
    "status": "Giv grøn, gul eller rød, og skriv én sætning om hvorfor.",
}
COLOUR_LABELS = {"groen": "Grøn", "gul": "Gul", "roed": "Rød"}
COLOUR_MARKS = {"groen": "🟢", "gul": "🟡", "roed": "🔴"}
COLOUR_COUNTS = {"groen": "{count:grøn|grønne}", "gul": "{count:gul|gule}", "roed": "{count:rød|røde}"}
ROUND_STATUS_COLOUR_LABEL = "Hvordan går det?"
ROUND_STATUS_INPUT_LABEL = "Én sætning om hvorfor"
ROUND_STATUS_INPUT_PLACEHOLDER = "fx Vi taler mere sammen, men fraværet er det samme"
ROUND_STATUS_TYPE_HINT = (
    "Du kan også skrive i chatten: @Styringsbot, farven og din sætning, fx »@Styringsbot gul Vi taler mere "
    "sammen, men fraværet er det samme«."
)
ROUND_STATUS_COLOUR_REQUIRED = (
    "Begynd med grøn, gul eller rød og skriv så din sætning, fx »@Styringsbot gul Vi taler mere sammen, men "
    "fraværet er det samme«."
)
TYPED_MOEDE_PLAN_A = "**møde plan a** indikatorens nummer, fx »møde plan a 6« (hvilken forskel vil vi skabe?)"
TYPED_MOEDE_STATUS = "**møde status** indikatorens nummer, fx »møde status 6« (hvordan går det?)"
TYPED_MOEDE_FARVE = (
    "**møde grøn**, **møde gul** eller **møde rød** og en kort begrundelse, fx »møde gul Vi taler mere sammen, "
    "men fraværet er det samme« (enhedens status efter en statusrunde)"
)
TYPED_PLAN_A_STATUS = "**plan a status** indikatorens nummer, fx »plan a status 6« (status gennem året)"
TYPED_PLAN_A_STATUS_GEM = (
    "**plan a grøn**, **plan a gul** eller **plan a rød** indikator tekst: enhedens status i dag, "
    "fx »plan a gul 6 Vi hjælper hinanden mere, men fraværet er det samme«"
)
# The leder records a status without a status round (on the indikator's status card).
PLAN_A_STATUS_FORM_HEADER = "Gem en ny status"
PLAN_A_STATUS_FORM_INTRO = (
    "Efter en statusrunde gemmer du status fra runden. Har I talt om det et andet sted, fx på et ledermøde, kan "
    "du gemme den her."
)

# After a Plan A round: the leder's choice, worked into the Plan A.
ROUND_SELECT_HEADER_PLAN_A = "Vælg de forslag, du vil bruge i Plan A"
ROUND_SELECT_INTRO_PLAN_A = (
    "Forslagene går ikke videre til chefen. De valgte sættes ind under »Hvilken forskel vil vi skabe?« for "
    "indikator {number} i jeres Plan A, så du kan skrive dem sammen til én forskel. Ændringen gemmes i Plan A's "
    "historik med dit navn og datoen."
)
ROUND_SELECT_TOGGLE_PLAN_A = "Brug forslag {n} i Plan A"
ROUND_BUTTON_USE_PLAN_A = "Brug i Plan A"
ROUND_SELECT_HINT_PLAN_A = "{name} vælger nu, hvilke forslag der skal bruges i Plan A."
ROUND_USED_PLAN_A = "Brugt i Plan A: {used} af {total:forslag|forslag}."
ROUND_USED_MARK = "Brugt i Plan A"
ROUND_NOT_USED_MARK = "Ikke brugt"
ROUND_PLAN_A_USED = (
    "Forslagene står nu under indikator {number}. Skriv dem sammen til den forskel, I vil skabe, og gem."
)
ROUND_PLAN_A_USED_ELSEWHERE = (
    "{count:forslag|forslag} er sat ind i Plan A under indikator {number}. Kortet, hvor du skriver dem sammen, "
    "står i din chat med Styringsbot."
)
ROUND_PLAN_A_ONLY_STARTER = "Det er {name}, der vælger, hvilke forslag der skal bruges i Plan A."

# After a status round: the spread, and the unit's status as the leder records it.
ROUND_STATUS_SPREAD_HEADER = "Sådan går det ifølge jer"
ROUND_STATUS_RECORD_HEADER = "Gem enhedens status"
ROUND_STATUS_RECORD_INTRO = (
    "Vælg den farve, der passer bedst for hele enheden, og skriv kort hvorfor. Status gemmes med datoen i jeres "
    "Plan A, hvor medarbejderne og jeres chef kan følge udviklingen gennem året."
)
ROUND_STATUS_RECORD_COLOUR = "Enhedens status"
ROUND_STATUS_RECORD_TEXT = "Kort begrundelse"
ROUND_STATUS_RECORD_DATE = "Dato"
ROUND_BUTTON_RECORD_STATUS = "Gem status"
ROUND_STATUS_RECORDED = "Status for indikator {number} er gemt: {colour} den {date}."
ROUND_STATUS_ALREADY = "Den status var allerede gemt."
ROUND_STATUS_ONLY_STARTER = "Det er {name}, der gemmer enhedens status."
ROUND_STATUS_HINT = "{name} gemmer nu enhedens status."
ROUND_STATUS_NO_ROUND = "Du har ingen lukket statusrunde. Start en i teamets chat med »@Styringsbot møde status 6«."
ROUND_STATUS_TEXT_REQUIRED = "Skriv en kort begrundelse for status."

# The status history of one indikator, in `plan a`.
PLAN_A_STATUS_LABEL = "Status"
PLAN_A_STATUS_VALUE = "{mark} {colour} ({date}): {text}"
PLAN_A_STATUS_TITLE = "Status for indikator {number}"
PLAN_A_STATUS_INTRO = "Sådan har enheden vurderet det gennem året, nyeste først."
PLAN_A_STATUS_EMPTY = (
    "Der er ikke gemt nogen status endnu. Lederen gør det efter en statusrunde på personalemødet "
    "(»@Styringsbot møde status {number}« i teamets chat)."
)
PLAN_A_STATUS_LINE = "{date} · {who}"
PLAN_A_BUTTON_STATUS = "Status {number}"
PLAN_A_HISTORY_FIELDS["forskel_fra_moede"] = "Indikator {number}: forslag fra personalemødet sat ind i forskellen"
PLAN_A_PROBLEMS["too_long"] = (
    "Teksten bliver for lang, hvis forslagene sættes ind. Kort først forskellen ned med »plan a ret« og "
    "indikatorens nummer."
)
PLAN_A_PROBLEMS["no_status_text"] = ROUND_STATUS_TEXT_REQUIRED
# The coaching a Plan A round's proposal gets (domain.rounds.tip_for): the Plan A's own.
ROUND_TIPS["plan_a_handlinger"] = PLAN_A_TIPS["handlinger"]
ROUND_TIPS["plan_a_hensigt"] = PLAN_A_TIPS["hensigt"]
