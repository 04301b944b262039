"""Every text a user sees, in Danish, in one place so that someone who writes Danish well can read and correct it.

Developers: add new texts here, never inline in cards, dialogs or handlers. Placeholders use str.format names.
"""

from __future__ import annotations

BOT_NAME = "Styringsbot"

# --- Commands (also used for the Teams manifest's command lists; max 128 characters each) ---
COMMAND_DESCRIPTIONS: dict[str, str] = {
    "hjælp": "Se hvad Styringsbot kan hjælpe med",
    "tegn": "Foreslå et tegn for et mål i jeres målplan",
    "læring": "Skriv hvad en prøvehandling har lært jer",
    "eksempel": "Giv et eksempel til medarbejder- og ledelsesgrundlaget",
    "mine": "Se dine egne forslag og hvor langt de er",
    "godkend": "Se forslag der venter på din godkendelse",
    "møde": "Start en runde i mødechatten på et personalemøde",
    "oversigt": "Overblik over indsamlede eksempler og forslag",
    "eksport": "Hent målplanen som Excel-ark",
    "begreber": "Hvad er et tegn, et mål og en prøvehandling?",
    "annullér": "Afbryd det du er i gang med",
}

# --- Help card ---
HELP_TITLE = "Hej! Jeg er Styringsbot"
HELP_INTRO = (
    "Jeg hjælper dig med at arbejde med jeres målplan og med medarbejder- og ledelsesgrundlaget "
    "– direkte her i Teams. Skriv et af ordene herunder, eller tryk på en knap."
)
HELP_GROUP_HINT = "I en gruppechat eller kanal skal du nævne mig først, fx **@Styringsbot tegn**."
HELP_COMMANDS_HEADER = "Det kan du skrive"
HELP_BUTTON_TEGN = "Foreslå et tegn"
HELP_BUTTON_LAERING = "Skriv en læring"
HELP_BUTTON_BEGREBER = "Forklar begreberne"
HELP_UNKNOWN_PREFIX = "Det forstod jeg ikke helt."

# --- Greeting on install ---
WELCOME_PERSONAL = (
    "Velkommen til Styringsbot. Her kan du foreslå tegn, dele hvad jeres prøvehandlinger har lært jer, "
    "og give eksempler til medarbejder- og ledelsesgrundlaget. Skriv **hjælp** for at komme i gang."
)
WELCOME_GROUP = (
    "Hej alle sammen! Jeg er Styringsbot. På et personalemøde kan lederen skrive **@Styringsbot møde**, "
    "så kan I alle komme med forslag på samme kort. Skriv **@Styringsbot hjælp** for at se mere."
)

# --- Errors ---
ERROR_GENERIC = (
    "Beklager, noget gik galt hos mig. Det du skrev er ikke gået tabt – prøv igen om lidt. "
    "Bliver det ved, så kontakt IT-support og nævn tidspunktet."
)
ERROR_TENANT_NOT_ALLOWED = "Styringsbot kan kun bruges af Albertslund Kommunes egne medarbejdere."
ERROR_NOT_AVAILABLE_YET = "Det kan jeg ikke endnu – det kommer snart."
