"""What a directory writes on a User, read one attribute path at a time onto a draft of the
person: a POST or PUT body (every attribute a `replace`, RFC 7644 sections 3.3 and 3.5.1) and
each PATCH operation (section 3.5.2) alike.

What we keep, as /Schemas publishes it: `userName` (required), `displayName` and
`name.formatted` (one stored value: the display name; `name.givenName` and `name.familyName`
make it when neither is given, and are not kept), one e-mail address (required; always the
primary work address), `externalId`, `active` (required: deactivate with `false`).
Read-only attributes (`id`, `meta`, `groups`, `emails.type`, `emails.primary`) are ignored
in a body and refused in a PATCH path (`mutability`); attributes we do not keep (titles,
addresses, the enterprise extension) are ignored, so a directory's default mapping works.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.api.scim.common import ScimError, value_matches
from zwitscher.domain.scim_filter import Path, PathError, parse_path
from zwitscher.services.update_person import PersonChanges

_READ_ONLY = frozenset({"id", "meta", "groups", "schemas"})
_SINGLE_VALUED = frozenset({"username", "displayname", "externalid", "active", "name"})
_DISPLAY_NAME_LIMIT = 100


@dataclass(slots=True)
class PersonDraft:
    user_name: str = ""
    email: str = ""
    display_name: str = ""
    external_id: str = ""  # "" for none
    active: bool = True

    @classmethod
    def of(cls, person: sa.Row) -> PersonDraft:
        return cls(user_name=person.directory_user_name or person.username, email=person.email,
                   display_name=person.display_name, external_id=person.external_id or "",
                   active=not person.disabled)


def read_body(draft: PersonDraft, body: dict) -> None:
    """A POST or PUT body: each attribute in it replaces the draft's."""
    write(draft, "replace", None, body, body=True)
    draft.display_name = draft.display_name[:_DISPLAY_NAME_LIMIT]


def changes_to(person: sa.Row, draft: PersonDraft) -> PersonChanges:
    """What differs between the stored person and the draft; None leaves a value alone."""
    display_name = draft.display_name[:_DISPLAY_NAME_LIMIT]
    return PersonChanges(
        user_name=draft.user_name
        if draft.user_name != (person.directory_user_name or person.username) else None,
        email=draft.email if draft.email.lower() != person.email.lower() else None,
        display_name=display_name if display_name != person.display_name else None,
        external_id=draft.external_id
        if draft.external_id != (person.external_id or "") else None,
        active=draft.active if draft.active == person.disabled else None)


def write(draft: PersonDraft, op: str, path: Path | None, value: object, *,
          body: bool = False, raw_path: str | None = None) -> None:
    """Apply one operation (`add`, `replace` or `remove`) at `path` (None: the value is an
    object of attributes). ScimError when the operation cannot apply; the draft is then
    thrown away, so nothing is stored."""
    if path is None:
        if not isinstance(value, dict):
            raise ScimError(400, "Without a path, the value must be an object", "invalidValue")
        # displayName last: it wins over `name` when both are sent (as Okta does).
        for key, item in sorted(value.items(), key=lambda pair: pair[0].lower() == "displayname"):
            try:
                inner = parse_path(key)
            except PathError as exc:
                raise ScimError(400, f"{key!r} is not an attribute name", "invalidValue") from exc
            if inner.attribute not in ("schemas", "id", "meta"):  # Okta repeats the id
                write(draft, op, inner, item, body=body, raw_path=key)
        return
    name, where = path.attribute, raw_path or path.attribute
    if name in _READ_ONLY:
        if body:
            return
        raise ScimError(400, f"{where} is read-only", "mutability")
    if name == "emails":
        _write_email(draft, op, path, value, body=body, where=where)
    elif path.value_filter is not None or (path.sub_attribute and name != "name"):
        if name in _SINGLE_VALUED:
            raise ScimError(400, f"{where}: {name} has no values or sub-attributes to select",
                            "invalidPath")
    elif name == "name":
        _write_name(draft, op, path.sub_attribute, value)
    elif name == "username":
        if op == "remove":
            raise ScimError(400, "userName is required and cannot be removed", "mutability")
        draft.user_name = _string(value, "userName") or ""
    elif name == "displayname":
        draft.display_name = "" if op == "remove" else _string(value, "displayName") or ""
    elif name == "externalid":
        draft.external_id = "" if op == "remove" else _string(value, "externalId") or ""
    elif name == "active":
        if op == "remove" or value is None:
            raise ScimError(400, "active is required and cannot be removed; replace it with "
                                 "false to deactivate the person", "mutability")
        draft.active = _boolean(value)


def _write_name(draft: PersonDraft, op: str, sub: str | None, value: object) -> None:
    if sub == "formatted":
        draft.display_name = "" if op == "remove" else _string(value, "name.formatted") or ""
    elif sub is None and (op == "remove" or value is None):
        draft.display_name = ""
    elif sub is None:
        if not isinstance(value, dict):
            raise ScimError(400, "name must be an object", "invalidValue")
        parts = {key.lower(): item for key, item in value.items()}
        formatted = parts.get("formatted")
        if formatted is None:
            formatted = " ".join(_string(parts[part], f"name.{part}") or ""
                                 for part in ("givenname", "familyname") if parts.get(part))
        draft.display_name = _string(formatted, "name.formatted") or ""
    # name.givenName, name.familyName and the other parts are not kept.


def _write_email(draft: PersonDraft, op: str, path: Path, value: object, *, body: bool,
                 where: str) -> None:
    """A person has one address, presented as `{"value", "type": "work", "primary": true}`:
    a value filter is tested against it (no match: `noTarget`, or nothing to remove)."""
    current = {"value": draft.email, "type": "work", "primary": True}
    if path.value_filter is not None and not value_matches(path.value_filter, current):
        if op == "remove":
            return
        raise ScimError(400, f"No e-mail address matches {where}", "noTarget")
    sub = path.sub_attribute
    if op == "remove":
        raise ScimError(400, "emails is required: replace the address instead of removing it",
                        "mutability")
    if sub in ("type", "primary"):
        if not body:
            raise ScimError(400, f"{where} is read-only: the address is the primary work "
                                 "address", "mutability")
    elif sub == "value":
        draft.email = _address(value)
    elif sub is None:
        draft.email = _email(value)
    # Other sub-attributes (display) are not kept.


def _email(value: object) -> str:
    """The primary (or first) address of a list of `emails` values, or of one value."""
    entries = value if isinstance(value, list) else [value]
    if not entries:
        raise ScimError(400, "emails must hold at least one value", "invalidValue")
    if not all(isinstance(entry, dict) for entry in entries):
        raise ScimError(400, 'Each of emails must be an object: {"value": "..."}',
                        "invalidValue")
    lowered = [{key.lower(): item for key, item in entry.items()} for entry in entries]
    if any(entry.get("value") is None for entry in lowered):
        raise ScimError(400, "Each of emails needs its value", "invalidValue")
    chosen = next((entry for entry in lowered if entry.get("primary") is True), lowered[0])
    return _address(chosen["value"])


def _address(value: object) -> str:
    if not isinstance(value, str):
        raise ScimError(400, "An e-mail address must be a string", "invalidValue")
    return value.strip()


def _string(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ScimError(400, f"{name} must be a string", "invalidValue")
    return value.strip()


def _boolean(value: object) -> bool:
    """Entra ID sends `"False"` as a string in PATCH; others send JSON booleans."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ScimError(400, "active must be true or false", "invalidValue")
