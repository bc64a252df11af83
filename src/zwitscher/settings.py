"""Configuration from `ZWITSCHER_*` environment variables (twelve-factor).

With nothing set, Zwitscher runs on the embedded default: a SQLite file in a per-user data
directory, in-process jobs and in-process pub/sub.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from limits import parse as parse_limit
from platformdirs import user_data_dir
from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from zwitscher.domain.phone_numbers import is_region
from zwitscher.domain.public_addresses import Network, parse_networks


class RegistrationMode(StrEnum):
    OPEN = "open"
    APPROVAL = "approval"
    INVITE = "invite"
    CLOSED = "closed"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZWITSCHER_", extra="ignore")

    # The public origin (`https://social.example.org`). Entities in API responses use the origin
    # each request arrived by; stream events rendered by workers use this one.
    base_url: str = "http://127.0.0.1:8000"
    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("zwitscher")))
    database_url: str | None = None
    redis_url: str | None = None
    registrations: RegistrationMode = RegistrationMode.OPEN
    instance_title: str = "Zwitscher"
    instance_description: str = "Microblogging for organisations."
    # The instance's rules, as the sign-up and reports show them (admins edit them in the console).
    instance_rules: list[str] = []
    contact_email: str = ""
    max_characters: int = 500
    # argon2's parameters, named by argon2-cffi's profiles. `cheapest` exists for test suites,
    # which create thousands of people: never for real passwords.
    password_hash_profile: Literal["rfc-9106-low-memory", "cheapest"] = "rfc-9106-low-memory"
    max_request_bytes: int = 256 * 1024
    # Directory imports (CSV) are larger: about 100 bytes a person.
    max_import_bytes: int = 16 * 1024 * 1024
    # Uploaded images (media attachments, avatars, headers): the largest file accepted, and the
    # most pixels one may decode to (a small file can unpack to gigabytes: a decompression bomb).
    max_media_bytes: int = Field(default=16 * 1024 * 1024, gt=0)
    max_media_pixels: int = Field(default=7680 * 4320, gt=0)
    # Where uploaded files are kept (default: `media` in the data directory).
    media_dir: Path | None = None
    # Uploads never attached to a status are deleted after this long.
    unattached_media_max_age_seconds: float = Field(default=86400, gt=0)
    # People's archives (docs/data-rights.md): where the zip files are kept (default: `archives`
    # in the data directory; never served as media are), how long one can be downloaded, and
    # how often a person may ask for one (Mastodon: once in seven days, kept seven days).
    archive_dir: Path | None = None
    archive_keep_seconds: float = Field(default=7 * 86400, gt=0)
    archive_interval_seconds: float = Field(default=7 * 86400, ge=0)
    # Requests per five-minute window for one token (or one address when anonymous).
    rate_limit: int = 3000
    # Whether `serve` runs job workers in-process (the embedded default does; at scale,
    # `zwitscher worker` processes do the work and web processes may leave it to them).
    run_jobs_in_process: bool = True
    # How long a claimed job stays a worker's; after that (the worker died) another claims it.
    job_lease_seconds: float = Field(default=60, gt=0)
    # Accounts followed by at least this many are merged into home timelines at read time
    # instead of being written into every follower's feed (hybrid fan-out).
    fan_out_threshold: int = 2000
    # Home feed entries kept per account (newest first); a recurring job trims the rest.
    home_feed_size: int = Field(default=800, ge=20)
    # Home feeds whose ids the embedded default keeps in memory (the most recently read).
    home_feed_cache_size: int = Field(default=10_000, ge=0)
    # Scaled out, feeds are held in Redis; one not loaded again for this long expires (and
    # is loaded again when read), which also bounds a change lost between commit and Redis.
    home_feed_cache_seconds: int = Field(default=3600, ge=1)
    # Statuses and accounts kept per process, each as its view and its rendered entity
    # (about 3 and 2 KB together).
    status_cache_size: int = Field(default=20_000, ge=0)
    account_cache_size: int = Field(default=10_000, ge=0)
    # Scaled out, rendered statuses and accounts are shared in Redis for this long.
    shared_cache_seconds: int = Field(default=86_400, ge=1)
    # Signed-in tokens (and their people's filters) kept per process, and for how long at
    # most: changes drop them at once (over the broker), this bounds a lost message.
    viewer_cache_size: int = Field(default=10_000, ge=0)
    viewer_cache_seconds: float = Field(default=60, ge=0)
    home_feed_trim_interval_seconds: float = Field(default=600, gt=0)
    # How far ahead a post can be scheduled at the earliest (Mastodon: five minutes).
    schedule_min_lead_seconds: float = Field(default=300, ge=0)
    # How long a poll must run at the least (Mastodon: five minutes).
    poll_min_expires_seconds: int = Field(default=300, ge=1)
    # A question flood at a press conference: one person asks at most once in this many seconds,
    # and has at most this many questions waiting for the moderators at once.
    press_question_interval_seconds: float = Field(default=30, ge=0)
    press_max_pending_questions: int = Field(default=3, ge=1)
    # How often the quality scores of recently active accounts are computed again.
    quality_interval_seconds: float = Field(default=3600, gt=0)
    # How long a person who deleted their account may still keep it (Mastodon: 30 days), and
    # how often the retention policies the admins set are applied (docs/data-rights.md).
    account_deletion_grace_seconds: float = Field(default=30 * 86400, gt=0)
    retention_interval_seconds: float = Field(default=3600, gt=0)
    # How often counted analytics events are rolled into their hourly and daily buckets, and
    # the fewest people a number about people may show (fewer is shown as "fewer than N";
    # docs/analytics.md).
    analytics_rollup_seconds: float = Field(default=60, gt=0)
    analytics_minimum_people: int = Field(default=5, ge=1)
    # How often each process writes the live deliveries its streams counted (a process that
    # stops loses at most this long of them; docs/analytics.md, "Live deliveries").
    analytics_live_flush_seconds: float = Field(default=10, gt=0)
    # Hourly buckets of days that ended longer ago than this are deleted; daily ones stay.
    analytics_hourly_keep_seconds: float = Field(default=90 * 86400, gt=0)
    # Monitors (docs/monitoring.md): e-mail alerts wait this long for more matches (a burst is
    # one e-mail) and go at most once per interval per monitor and recipient; their webhooks
    # reach the public internet only, but for these networks of our own (comma-separated
    # addresses or networks: development and tests only).
    monitor_mail_gather_seconds: float = Field(default=60, ge=0)
    monitor_mail_interval_seconds: float = Field(default=600, ge=0)
    # How often the spike rule counts the last 60 minutes of the monitors with matches.
    monitor_spike_check_seconds: float = Field(default=300, gt=0)
    monitor_webhook_allow_private_addresses: str = ""
    # Accept plain `http://` Web Push endpoints. Off in production: push services speak HTTPS,
    # and an http endpoint is most likely a local service someone wants the server to call.
    push_allow_http: bool = False
    # Link previews (the card under a post with a link) are fetched from the public internet
    # only. Networks of our own the fetcher may reach all the same, as comma-separated
    # addresses or networks: for development and tests only, or anyone could make the server
    # fetch pages of the network it runs in.
    preview_allow_private_addresses: str = ""
    # How long fetching a linked page (redirects included), its oEmbed or its image may take.
    preview_timeout_seconds: float = Field(default=10, gt=0)
    # Addresses of reverse proxies (nginx, Caddy) whose X-Forwarded-Proto and X-Forwarded-For
    # are believed: behind one that terminates TLS, cookies get `Secure` and URLs `https://`.
    # Comma-separated addresses or networks, or `*` (only where no one else can reach the port).
    trusted_proxies: str = "127.0.0.1"
    # Outgoing e-mail: `smtp://user:password@host:587` (STARTTLS whenever the server offers
    # it) or `smtps://user:password@host:465` (TLS from the start). Unset, every message is
    # written to `mail_dir` as a `.eml` file instead, for the operator to read.
    smtp_url: str | None = None
    # The sender, e.g. `Zwitscher <no-reply@social.example.org>` (default: no-reply at the
    # host of `base_url`).
    mail_from: str = ""
    mail_dir: Path | None = None
    # Password sign-ins (web, app authorization, password grant) from one network address,
    # and for one login, in a window (`limits` notation): guessing is slow, a typo is not.
    sign_in_limit_per_address: str = "30/5 minutes"
    sign_in_limit_per_login: str = "10/5 minutes"
    # Sign-ups through apps from one network address (Mastodon allows 5 in 30 minutes).
    sign_up_limit_per_address: str = "5/30 minutes"
    # Roles whose people must turn on a second factor before they use the web interface, and
    # whose apps cannot sign in with a password (comma-separated, e.g. `owner,admin,moderator`).
    require_second_factor: str = ""
    # Single sign-on with OpenID Connect (docs/identity.md): the provider's issuer URL (its
    # discovery document is `<issuer>/.well-known/openid-configuration`) and this instance's
    # client there, whose redirect URI is `<base_url>/web/sign-in/sso/callback`.
    oidc_issuer: str | None = None
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid email profile"
    # The name on the sign-in button: "Sign in with <name>".
    oidc_name: str = "single sign-on"
    # Passwords are turned off everywhere (web, API password grant, resets): people sign in
    # through the provider only.
    oidc_only: bool = False
    # For providers that never send `email_verified` and whose addresses the organisation
    # manages (Microsoft Entra ID): their `email` is treated as confirmed.
    oidc_trust_email: bool = False
    # Whether someone the provider knows, but who has no account here yet, gets one at their
    # first sign-in (otherwise only people a directory or an admin created may sign in).
    oidc_create_accounts: bool = True
    # The claim listing the person's groups at the provider, matched to managed groups by
    # external id, then by slug; and which provider group gives which role, as JSON
    # (`{"admin": "zw-admins", "moderator": "zw-moderators"}`; owner cannot be given).
    oidc_groups_claim: str = "groups"
    oidc_roles: dict[str, str] = Field(default_factory=dict)
    # Passwords checked by the organisation's LDAP directory or Active Directory
    # (docs/identity.md): `ldap://host` (with StartTLS unless turned off) or `ldaps://host`.
    ldap_url: str | None = None
    ldap_start_tls: bool = True
    # The certificate authority that signed the directory's certificate (PEM), when it is not
    # one the system trusts.
    ldap_ca_file: Path | None = None
    # The service account that looks people up; `{login}` in the filter is what the person
    # typed, escaped (RFC 4515).
    ldap_bind_dn: str = ""
    ldap_bind_password: str = ""
    ldap_user_base: str = ""
    ldap_user_filter: str = "(&(objectClass=inetOrgPerson)(|(uid={login})(mail={login})))"
    ldap_username_attribute: str = "uid"
    ldap_email_attribute: str = "mail"
    ldap_name_attribute: str = "displayName"
    # Groups: searched below this base with the filter (`{dn}` and `{username}` are the
    # person's, escaped), else read from the person's `memberOf` (Active Directory).
    ldap_group_base: str = ""
    ldap_group_filter: str = "(|(member={dn})(uniqueMember={dn})(memberUid={username}))"
    ldap_create_accounts: bool = True
    # Which directory group (its cn or DN) gives which role, as `oidc_roles`.
    ldap_roles: dict[str, str] = Field(default_factory=dict)
    # Crisis broadcasts (docs/crisis-sms-gateway.md): phone numbers written without a country
    # code are of this region (ISO 3166, e.g. `DE`, `AT`, `CH`), and text messages go to the
    # organisation's SMS gateway adapter at this URL, signed with the shared secret. No URL:
    # no text messages.
    phone_region: str = "DE"
    sms_gateway_url: str = ""
    # Checked even when unset (against the URL): a URL without it is refused.
    sms_gateway_secret: str = Field(default="", validate_default=True)

    @field_validator("sign_in_limit_per_address", "sign_in_limit_per_login",
                     "sign_up_limit_per_address")
    @classmethod
    def _a_limit(cls, value: str) -> str:
        parse_limit(value)
        return value

    @field_validator("preview_allow_private_addresses", "monitor_webhook_allow_private_addresses")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)
        return value

    @field_validator("ldap_url")
    @classmethod
    def _an_ldap_url(cls, value: str | None) -> str | None:
        if value and urlsplit(value).scheme not in ("ldap", "ldaps"):
            raise ValueError("the directory's URL starts with ldap:// or ldaps://")
        return value or None

    @field_validator("oidc_roles", "ldap_roles")
    @classmethod
    def _roles_a_provider_may_give(cls, value: dict[str, str]) -> dict[str, str]:
        allowed = {"admin", "moderator", "communicator", "member", "guest"}
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValueError(f"roles a provider may give are {sorted(allowed)}, not {unknown}")
        return value

    @field_validator("phone_region")
    @classmethod
    def _a_region(cls, value: str) -> str:
        if not is_region(value.upper()):
            raise ValueError(f"{value!r} is not a region code such as DE, AT or CH")
        return value.upper()

    @field_validator("sms_gateway_url")
    @classmethod
    def _a_gateway_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("the SMS gateway's URL starts with https:// or http://")
        return value

    # A field's validator, not the model's: pydantic's message then shows only this (empty)
    # value, where a model validator's shows every setting, passwords included.
    @field_validator("sms_gateway_secret")
    @classmethod
    def _a_signed_gateway(cls, value: str, info: ValidationInfo) -> str:
        # Unsigned, anyone who finds the adapter could send texts in the organisation's name.
        if info.data.get("sms_gateway_url") and not value:
            raise ValueError("ZWITSCHER_SMS_GATEWAY_URL needs ZWITSCHER_SMS_GATEWAY_SECRET")
        return value

    @cached_property
    def effective_database_url(self) -> str:
        """The SQLAlchemy async URL: the configured one with an async driver, or the SQLite file."""
        if not self.database_url:
            return f"sqlite+aiosqlite:///{self.data_dir / 'zwitscher.sqlite3'}"
        url = self.database_url
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                return "postgresql+asyncpg://" + url[len(plain):]
        if url.startswith("sqlite://") and "+aiosqlite" not in url:
            return "sqlite+aiosqlite://" + url[len("sqlite://"):]
        return url

    @property
    def media_path(self) -> Path:
        return self.media_dir or self.data_dir / "media"

    @property
    def archive_path(self) -> Path:
        return self.archive_dir or self.data_dir / "archives"

    @property
    def mail_path(self) -> Path:
        return self.mail_dir or self.data_dir / "mail"

    @property
    def sender(self) -> str:
        host = urlsplit(self.base_url).hostname or "localhost"
        return self.mail_from or f"{self.instance_title} <no-reply@{host}>"

    @property
    def roles_needing_second_factor(self) -> frozenset[str]:
        return frozenset(role.strip() for role in self.require_second_factor.split(",")
                         if role.strip())

    @property
    def sso_configured(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def ldap_configured(self) -> bool:
        return bool(self.ldap_url and self.ldap_user_base)

    @property
    def passwords_allowed(self) -> bool:
        return not (self.oidc_only and self.sso_configured)

    @property
    def monitor_webhook_allowed_networks(self) -> tuple[Network, ...]:
        return parse_networks(self.monitor_webhook_allow_private_addresses)

    @property
    def preview_allowed_networks(self) -> tuple[Network, ...]:
        return parse_networks(self.preview_allow_private_addresses)

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")


def load_settings() -> Settings:
    return Settings()
