"""All configuration, from environment variables and an optional .env file (see .env.example)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Literal
from urllib.parse import quote

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The personal tab's entityId in the manifest (manifest/build.py); deep links to the tab name it.
TAB_ENTITY_ID = "arbejdsbord"


class SettingsError(ValueError):
    """The configuration cannot be used; the message says what to change."""


class Settings(BaseSettings):
    """The one settings class.

    The Bot Framework names (APP_ID, APP_PASSWORD, APP_TYPE, APP_TENANTID) are the attribute names that
    botbuilder's ConfigurationBotFrameworkAuthentication reads, so an instance can be handed to it as is.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore")

    APP_ID: str = ""
    APP_PASSWORD: str = ""
    APP_TYPE: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = "MultiTenant"
    APP_TENANTID: str = ""

    DATABASE_URL: str = "sqlite+aiosqlite:///styringsbot.db"
    ALLOWED_TENANT_IDS: Annotated[list[str], NoDecode] = Field(default_factory=list)
    LOCAL_DEVELOPMENT: bool = False

    HOST: str = "127.0.0.1"
    PORT: int = 3978
    PUBLIC_BASE_URL: str = "http://127.0.0.1:3978"

    EXPORT_SIGNING_KEY: str = Field(default_factory=lambda: secrets.token_urlsafe(32))
    EXPORT_LINK_TTL_SECONDS: int = 600
    # A download link answers at most this many requests (GET or HEAD) in any minute, then 429 (per process).
    EXPORT_DOWNLOADS_PER_MINUTE: int = Field(default=6, ge=1)

    # Proactive messages: retries on 429/412/502/504 with exponential backoff and jitter from this base delay.
    NOTIFY_RETRY_BASE_SECONDS: float = 0.5
    NOTIFY_MAX_ATTEMPTS: int = 6
    # How long an instance holds a notification it is delivering (after a crash, another takes it over then),
    # and how often each instance delivers what is pending (also once at start-up).
    NOTIFY_CLAIM_SECONDS: float = 300.0
    NOTIFY_SWEEP_SECONDS: float = 60.0

    LOG_LEVEL: str = "INFO"

    # Inbound authentication. Teams' tokens are signed with keys the Bot Framework publishes as OpenID metadata;
    # the names are the ones botbuilder's ConfigurationBotFrameworkAuthentication reads (tests point them at a
    # loopback stand-in). The keys are fetched without blocking, within OPENID_TIMEOUT_SECONDS; a failed fetch
    # is not retried for OPENID_RETRY_SECONDS (requests meanwhile get 503, or are checked with the last keys).
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str = "https://login.botframework.com/v1/.well-known/openidconfiguration"
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str = "https://api.botframework.com"
    OPENID_TIMEOUT_SECONDS: float = 1.5
    OPENID_RETRY_SECONDS: float = 30.0
    # The largest request body /api/messages accepts (Teams activities are a few KB; a card submit at every
    # field's maximum, in non-ASCII script, stays under 64 KB).
    MAX_REQUEST_BYTES: int = 256 * 1024

    # --- Oversigt: deadlines, reminders, digests and the scheduler -------------------------------------------
    # The calendar keys (organisation file) that are eksempel deadlines; the overview shows the next one.
    EKSEMPEL_DEADLINE_KEYS: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["eksempler-frist"])
    # Days before a deadline on which the ledere of units that have not delivered are reminded; empty: never.
    REMINDER_OFFSETS_DAYS: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [14, 7, 2])
    # Days before Plan A's two deadlines (plan-a-form, plan-a-i-brug) on which the ledere of arbejdspladser that
    # have not got there are reminded.
    PLAN_A_REMINDER_OFFSETS_DAYS: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [14, 3])
    # Reminders and digests go out from this hour (Europe/Copenhagen), not at midnight.
    REMINDER_HOUR: int = Field(default=8, ge=0, le=23)
    # The weekly digest for approvers: ISO weekday (1 = Monday … 7 = Sunday) and hour; off when either is unset.
    DIGEST_WEEKDAY: int | None = Field(default=None, ge=1, le=7)
    DIGEST_HOUR: int | None = Field(default=None, ge=0, le=23)
    # Entries that have waited longer than this many days are listed in the digest.
    DIGEST_MIN_AGE_DAYS: int = Field(default=7, ge=0)
    # The indsamler's daily digest (issue 19): from this local time (Europe/Copenhagen, HH:MM), once a day, each
    # indsamler gets one card saying how many eksempler reached her since the last one (none on a day with none).
    # She gets no card per eksempel.
    EKSEMPEL_DIGEST_TIME: dt.time = dt.time(8, 0)
    # The scheduler in the bot process: how often it looks for what is due; off for a bot without it.
    SCHEDULER_ENABLED: bool = True
    SCHEDULER_INTERVAL_SECONDS: int = Field(default=300, ge=1)

    # Meeting rounds: the shared card is updated at most this often per round (Microsoft's Ask Away uses 5 s);
    # a round left open this long is closed automatically and its starter told; how often that is checked.
    ROUND_UPDATE_SECONDS: float = 5.0
    ROUND_AUTO_CLOSE_HOURS: float = 12.0
    ROUND_SWEEP_SECONDS: float = 60.0
    # How many proposals one person may add to one round (the round's cards stay under Teams' size limit).
    ROUND_MAX_PROPOSALS_PER_PERSON: int = Field(default=5, ge=1, le=50)

    # --- The workbench tab (web/) -------------------------------------------------------------------------------
    # Teams SSO tokens for the tab are Entra ID tokens: their signing keys come from this OpenID metadata (tests
    # point it at a loopback stand-in), fetched within OPENID_TIMEOUT_SECONDS like the bot's.
    ENTRA_OPENID_METADATA_URL: str = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
    # The tab's application ID URI (the token's audience); empty: api://<host of PUBLIC_BASE_URL>/<APP_ID>.
    TAB_APP_ID_URI: str = ""
    # How long a tab session lasts before Teams SSO is asked again.
    TAB_SESSION_HOURS: float = Field(default=8.0, gt=0)
    # The Teams app id in deep links to the tab (the indsamler's digest opens »Arbejdsbord«). Empty: APP_ID, the
    # manifest's id, which is right for an app uploaded as a custom app. An app published to the organisation's
    # app catalog gets a catalog id of its own (Teams admin center, Manage apps, the app's »App ID«): set it here.
    TEAMS_APP_ID: str = ""

    @field_validator("ALLOWED_TENANT_IDS", mode="before")
    @classmethod
    def _split_tenants(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("EKSEMPEL_DEADLINE_KEYS", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("REMINDER_OFFSETS_DAYS", "PLAN_A_REMINDER_OFFSETS_DAYS", mode="before")
    @classmethod
    def _split_offsets(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("REMINDER_OFFSETS_DAYS", "PLAN_A_REMINDER_OFFSETS_DAYS")
    @classmethod
    def _offsets_not_negative(cls, value: list[int]) -> list[int]:
        if any(days < 0 for days in value):
            raise ValueError("reminder offsets are days before the deadline: 0 or more, e.g. 14,7,2")
        return sorted(set(value), reverse=True)

    @field_validator("PUBLIC_BASE_URL")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _require_tenant_in_production(self) -> Settings:
        if self.APP_ID and not self.ALLOWED_TENANT_IDS and not self.LOCAL_DEVELOPMENT:
            raise SettingsError(
                "APP_ID is set but ALLOWED_TENANT_IDS is empty: the bot would answer any Microsoft 365 tenant. "
                "Set ALLOWED_TENANT_IDS to your tenant id (comma-separated for several), "
                "or LOCAL_DEVELOPMENT=true on a developer machine."
            )
        return self

    @property
    def tab_audience(self) -> str:
        """The application ID URI Teams SSO tokens for the tab must carry as their audience."""
        if self.TAB_APP_ID_URI:
            return self.TAB_APP_ID_URI
        host = self.PUBLIC_BASE_URL.split("://", 1)[-1].split("/", 1)[0]
        return f"api://{host}/{self.APP_ID}"

    @property
    def tab_deep_link(self) -> str:
        """The Teams deep link that opens the personal tab »Arbejdsbord«; empty without an app id (local runs).
        Format: https://teams.microsoft.com/l/entity/<appId>/<entityId> (Microsoft Learn, »Deep link to an
        application«, browse within your app)."""
        app_id = (self.TEAMS_APP_ID or self.APP_ID).strip()
        if not app_id:
            return ""
        return f"https://teams.microsoft.com/l/entity/{quote(app_id, safe='')}/{TAB_ENTITY_ID}"

    def tenant_allowed(self, tenant_id: str | None) -> bool:
        """Whether an activity from this tenant may be served. An empty list allows all only in local development."""
        if not self.ALLOWED_TENANT_IDS:
            return self.LOCAL_DEVELOPMENT or not self.APP_ID
        return tenant_id in self.ALLOWED_TENANT_IDS


def explain(error: ValidationError) -> str:
    """A settings error as one line for a person (no traceback): what is wrong and what to set."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'settings'}: {str(e['msg']).removeprefix('Value error, ')}"
        for e in error.errors()
    )
