"""The LDAP client: checking a password with the organisation's directory (OpenLDAP, Active
Directory), the way such directories expect it: search, then bind.

The service account searches for the one entry the login names (the login escaped, RFC 4515,
so `*)(uid=*` is a name, not a filter); then a bind as that entry with the password typed
proves the password. An empty password is never sent: to most directories a bind without one
is an anonymous bind, which succeeds. The connection is encrypted (LDAPS, or StartTLS unless
turned off) and the directory's certificate checked.

ldap3 is synchronous: a check runs in a worker thread, with timeouts, so a slow or vanished
directory delays one sign-in and never the server.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from ldap3 import NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException, LDAPInvalidCredentialsResult
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

from zwitscher.settings import Settings

CONNECT_SECONDS = 5
ANSWER_SECONDS = 10
# Ids that stay when a person is renamed or moved: OpenLDAP's (RFC 4530) and Active Directory's.
STABLE_ID_ATTRIBUTES = ("entryUUID", "objectGUID")
MAX_GROUPS = 1000
log = logging.getLogger(__name__)


class DirectoryUnavailable(Exception):
    """The directory could not be reached, refused the service account, or answered nonsense."""


@dataclass(frozen=True, slots=True)
class DirectoryPerson:
    """The entry whose password was right."""

    subject: str
    dn: str
    username: str | None
    email: str | None
    display_name: str | None
    # Each group by its DN and by its cn (the names `ZWITSCHER_LDAP_ROLES` and managed groups'
    # external ids and slugs may use).
    groups: tuple[str, ...]


class LdapDirectory:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def check_password(self, login: str, password: str) -> DirectoryPerson | None:
        """The person, if the directory has exactly one entry for `login` and `password` is
        theirs; None otherwise."""
        if not login or not password:
            return None
        return await asyncio.to_thread(self._check, login, password)

    def _check(self, login: str, password: str) -> DirectoryPerson | None:
        settings = self.settings
        try:
            ldap = self._connection(settings.ldap_bind_dn, settings.ldap_bind_password)
            try:
                entry = self._entry(ldap, login)
                if entry is None:
                    return None
                dn, attributes = entry
                groups = self._groups(ldap, dn, attributes)
            finally:
                ldap.unbind()
            if not self._binds(dn, password):
                return None
        except LDAPException as exc:
            raise DirectoryUnavailable(f"{type(exc).__name__}: {exc}") from exc
        return DirectoryPerson(
            subject=_stable_id(attributes) or dn, dn=dn,
            username=_first(attributes, settings.ldap_username_attribute),
            email=_first(attributes, settings.ldap_email_attribute),
            display_name=(_first(attributes, settings.ldap_name_attribute)
                          or _first(attributes, "cn")),
            groups=groups)

    def _server(self) -> Server:
        parts = urlsplit(self.settings.ldap_url or "")
        tls = Tls(validate=ssl.CERT_REQUIRED,
                  ca_certs_file=str(self.settings.ldap_ca_file)
                  if self.settings.ldap_ca_file else None)
        secure = parts.scheme == "ldaps"
        return Server(parts.hostname or "", port=parts.port or (636 if secure else 389),
                      use_ssl=secure, tls=tls, get_info=NONE, connect_timeout=CONNECT_SECONDS)

    def _connection(self, user: str, password: str) -> Connection:
        """A bound connection (LDAPInvalidCredentialsResult if the credentials are wrong)."""
        ldap = Connection(self._server(), user=user or None, password=password or None,
                          receive_timeout=ANSWER_SECONDS, raise_exceptions=True,
                          auto_referrals=False, read_only=True)
        try:
            ldap.open()
            if self.settings.ldap_start_tls and not ldap.server.ssl:
                ldap.start_tls()
            ldap.bind()
        except BaseException:
            ldap.unbind()
            raise
        return ldap

    def _entry(self, ldap: Connection, login: str) -> tuple[str, dict] | None:
        settings = self.settings
        search = settings.ldap_user_filter.replace("{login}", escape_filter_chars(login))
        wanted = {settings.ldap_username_attribute, settings.ldap_email_attribute,
                  settings.ldap_name_attribute, "cn", "memberOf", *STABLE_ID_ATTRIBUTES}
        ldap.search(settings.ldap_user_base, search, search_scope=SUBTREE,
                    attributes=sorted(wanted), size_limit=2)
        entries = [entry for entry in ldap.response if entry.get("type") == "searchResEntry"]
        if len(entries) != 1:
            if entries:
                log.warning("LDAP: the login %r names %d entries: refused", login, len(entries))
            return None
        return entries[0]["dn"], entries[0]["raw_attributes"]

    def _groups(self, ldap: Connection, dn: str, attributes: dict) -> tuple[str, ...]:
        settings = self.settings
        if settings.ldap_group_base:
            search = (settings.ldap_group_filter
                      .replace("{dn}", escape_filter_chars(dn))
                      .replace("{username}", escape_filter_chars(
                          _first(attributes, settings.ldap_username_attribute) or "")))
            ldap.search(settings.ldap_group_base, search, search_scope=SUBTREE,
                        attributes=["cn"], size_limit=MAX_GROUPS)
            group_dns = [entry["dn"] for entry in ldap.response
                         if entry.get("type") == "searchResEntry"]
        else:
            group_dns = _all(attributes, "memberOf")[:MAX_GROUPS]
        names: list[str] = []
        for group_dn in group_dns:
            names.append(group_dn)
            names.extend(_common_names(group_dn))
        return tuple(dict.fromkeys(names))

    def _binds(self, dn: str, password: str) -> bool:
        try:
            self._connection(dn, password).unbind()
        except LDAPInvalidCredentialsResult:
            return False
        return True


def _all(attributes: dict, name: str) -> list[str]:
    values = next((value for key, value in attributes.items() if key.lower() == name.lower()),
                  [])
    texts = []
    for value in values if isinstance(values, list) else [values]:
        try:
            texts.append(value.decode() if isinstance(value, bytes) else str(value))
        except UnicodeDecodeError:
            continue
    return texts


def _first(attributes: dict, name: str) -> str | None:
    values = [value.strip() for value in _all(attributes, name) if value.strip()]
    return values[0] if values else None


def _stable_id(attributes: dict) -> str | None:
    uuid_text = _first(attributes, "entryUUID")
    if uuid_text:
        return uuid_text.lower()
    guid = next((value for key, value in attributes.items() if key.lower() == "objectguid"), [])
    if guid and len(guid[0]) == 16:
        # Active Directory's GUID, in the form its tools show it.
        return str(uuid.UUID(bytes_le=guid[0]))
    return None


def _common_names(dn: str) -> list[str]:
    try:
        first = parse_dn(dn)[0]
    except LDAPException:
        return []
    attribute, value, _ = first
    return [value] if attribute.lower() == "cn" else []


def ldap_directory(settings: Settings) -> LdapDirectory | None:
    return LdapDirectory(settings) if settings.ldap_configured else None
