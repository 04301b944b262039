"""Builds the Teams app manifest from the settings and the bot's command list, and zips the app package."""

from __future__ import annotations

import json
import re
import tomllib
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.settings import TAB_ENTITY_ID, Settings
from cards import texts
from manifest import icons
from turn.commands import COMMANDS, Command

# The newest numbered manifest version in Microsoft's schemas (npm @microsoft/app-manifest,
# build/json-schemas/teams/); vDevPreview is for Teams' public developer preview only, not for an org's app
# catalog. tests/test_manifest.py fails when node_modules brings a newer one, so that this line is revisited.
MANIFEST_VERSION = "1.30"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"

SCOPES: tuple[str, ...] = ("personal", "team", "groupChat")

# bots[].commandLists[].commands has maxItems 12 from schema v1.24 on (10 before). When a scope has more
# commands than that, the ones people need least in the menu are left out, in this order. They still work
# when typed; `annullér` is also a button on every card.
MAX_COMMANDS_PER_LIST = 12
LEFT_OUT_FIRST: tuple[Command, ...] = (Command.ANNULLER, Command.EKSPORT, Command.BEGREBER)

PACKAGE_NAME = "styringsbot.zip"
PACKAGE_FILES = ("manifest.json", icons.COLOR_PATH.name, icons.OUTLINE_PATH.name)

# Albertslund Kommune's public pages. termsOfUseUrl must be set; the municipality has no separate terms for
# internal tools, so it points to the website. An IT department may point these at its intranet pages.
DEVELOPER = {
    "name": "Albertslund Kommune",
    "websiteUrl": "https://albertslund.dk",
    "privacyUrl": "https://albertslund.dk/om-kommunen/databeskyttelse/saadan-behandler-vi-dine-oplysninger",
    "termsOfUseUrl": "https://albertslund.dk",
}

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# A fixed timestamp for every file in the zip, so the same settings always give the same bytes.
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


class ManifestError(ValueError):
    """The package cannot be built from these settings; the message says what to set."""


def app_version() -> str:
    """The project's version from pyproject.toml; Teams needs a higher one for every update of the app."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    with pyproject.open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def command_lists() -> list[dict[str, Any]]:
    """One command list per scope, in the order of COMMANDS, trimmed to the schema's limit if needed."""
    lists = []
    for scope in SCOPES:
        chosen = [info for info in COMMANDS if scope in info.scopes]
        for command in LEFT_OUT_FIRST:
            if len(chosen) <= MAX_COMMANDS_PER_LIST:
                break
            chosen = [info for info in chosen if info.command is not command]
        if len(chosen) > MAX_COMMANDS_PER_LIST:
            raise ManifestError(
                f"scope {scope} has {len(chosen)} commands; Teams shows at most {MAX_COMMANDS_PER_LIST}: "
                "add more to LEFT_OUT_FIRST in manifest/build.py"
            )
        commands = [{"title": str(info.command), "description": info.description} for info in chosen]
        lists.append({"scopes": [scope], "commands": commands})
    return lists


def valid_domain(public_base_url: str) -> str:
    """The host name users reach the bot at (no scheme, no port), as validDomains wants it."""
    host = urlsplit(public_base_url).hostname
    if not host:
        raise ManifestError(f"PUBLIC_BASE_URL={public_base_url!r} has no host name; set it to https://<host>")
    return host


def check_app_id(settings: Settings) -> str:
    app_id = settings.APP_ID.strip()
    if not app_id:
        raise ManifestError(
            "APP_ID is empty: set APP_ID to the Application (client) ID of the bot's Entra app registration "
            "(in .env or the environment), then build again"
        )
    if not _GUID.match(app_id):
        raise ManifestError(f"APP_ID={app_id!r} is not a GUID; copy the Application (client) ID from Azure")
    return app_id


def build_manifest(settings: Settings, *, version: str | None = None) -> dict[str, Any]:
    """The manifest.json content for these settings. The bot id comes from APP_ID and is never committed."""
    app_id = check_app_id(settings)
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version or app_version(),
        # The Teams app id is the bot's app id: one GUID per deployment, stable for the life of the bot, so an
        # uploaded new version replaces the old app instead of appearing next to it.
        "id": app_id,
        "localizationInfo": {"defaultLanguageTag": "da-dk"},
        "developer": DEVELOPER,
        "name": {"short": texts.BOT_NAME, "full": texts.APP_NAME_FULL},
        "description": {"short": texts.APP_DESCRIPTION_SHORT, "full": texts.APP_DESCRIPTION_FULL},
        "icons": {"color": icons.COLOR_PATH.name, "outline": icons.OUTLINE_PATH.name},
        "accentColor": icons.ACCENT_COLOR,
        "bots": [
            {
                "botId": app_id,
                "scopes": list(SCOPES),
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": command_lists(),
            }
        ],
        # The workbench »Arbejdsbord«: a personal tab served by the same app (web/), signed in by Teams SSO.
        "staticTabs": [
            {
                "entityId": TAB_ENTITY_ID,
                "name": texts.TAB_NAME,
                "contentUrl": f"{settings.PUBLIC_BASE_URL}/tab",
                "scopes": ["personal"],
            }
        ],
        # Teams SSO for the tab: the app registration's id and its application ID URI (api://<host>/<app id>).
        "webApplicationInfo": {"id": app_id, "resource": settings.tab_audience},
        "validDomains": [valid_domain(settings.PUBLIC_BASE_URL)],
        "defaultInstallScope": "personal",
    }


def build_package(settings: Settings, out_path: Path, *, version: str | None = None) -> Path:
    """Write the app package (manifest.json, color.png, outline.png at the zip's root) to `out_path`."""
    manifest = build_manifest(settings, version=version)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    members = {
        "manifest.json": (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        icons.COLOR_PATH.name: icons.COLOR_PATH.read_bytes(),
        icons.OUTLINE_PATH.name: icons.OUTLINE_PATH.read_bytes(),
    }
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in PACKAGE_FILES:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    return out_path
