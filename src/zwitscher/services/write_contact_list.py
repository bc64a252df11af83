"""The crisis desk keeps lists of people without an account (relatives, authorities, the fire
brigade's control room) to reach by e-mail and text message. A list is written as a whole or
added to, by hand or from a CSV file (`name,email,phone,language`); a contact needs a name and
an e-mail address or a phone number. One bad row refuses the whole change, naming the row, so
a list is never half imported. Phone numbers are kept as E.164."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.email_addresses import is_valid_email
from zwitscher.domain.errors import Conflict, DomainError, NotFound, ValidationFailed
from zwitscher.domain.phone_numbers import normalise_phone
from zwitscher.domain.roles import Actor
from zwitscher.policies.crises import require_crisis_desk
from zwitscher.services.record_audit import record_audit

MAX_NAME = 100
MAX_CONTACT_NAME = 200
MAX_CONTACTS = 20_000
CSV_COLUMNS = ("name", "email", "phone", "language")


@dataclass(frozen=True, slots=True)
class ContactEntry:
    name: str
    email: str = ""
    phone: str = ""
    language: str = ""


async def create_contact_list(uow: UnitOfWork, *, actor: Actor, name: str,
                              description: str = "") -> sa.Row:
    require_crisis_desk(actor.role)
    name = name.strip()
    if not name or len(name) > MAX_NAME or len(description) > 500:
        raise ValidationFailed("A contact list needs a name of at most %(name)s characters and "
                               "a description of at most %(description)s", name=MAX_NAME,
                               description=500)
    if await uow.contact_lists.by_name(name) is not None:
        raise Conflict("A contact list of this name exists already")
    list_id = await uow.contact_lists.add(name=name, description=description.strip(),
                                          created_by_id=actor.account_id, created_at=utcnow())
    await record_audit(uow, actor=actor, action="contact_list.create",
                       target_type="contact_list", target_id=list_id, name=name)
    return await uow.contact_lists.get(list_id)


async def add_contacts(uow: UnitOfWork, *, actor: Actor, list_id: int,
                       entries: list[ContactEntry], replace: bool = False) -> int:
    """Add the entries to the list (or make them the whole list); how many it now holds."""
    require_crisis_desk(actor.role)
    if await uow.contact_lists.get(list_id) is None:
        raise NotFound("No such contact list")
    if len(entries) > MAX_CONTACTS:
        raise ValidationFailed("At most %(count)s contacts at once", count=MAX_CONTACTS)
    region = uow.settings.phone_region
    rows = [_checked(entry, number, region) for number, entry in enumerate(entries, start=1)]
    if replace:
        await uow.contact_lists.replace_contacts(list_id, rows)
    else:
        await uow.contact_lists.add_contacts(list_id, rows)
    await record_audit(uow, actor=actor, action="contact_list.change",
                       target_type="contact_list", target_id=list_id, added=len(rows),
                       replaced=replace)
    return len(await uow.contact_lists.contacts_of([list_id]))


def read_contacts_csv(text: str) -> list[ContactEntry]:
    """Rows of a CSV file with a header naming (some of) name, email, phone, language."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [column.strip().lower() for column in reader.fieldnames or []]
    if "name" not in header or not ({"email", "phone"} & set(header)):
        raise ValidationFailed("The file needs a header line with the columns name and email "
                               "or phone (and language if you like)")
    if unknown := [column for column in header if column not in CSV_COLUMNS]:
        raise ValidationFailed("Unknown column %(column)s: the columns are %(columns)s",
                               column=repr(unknown[0])[:60], columns=", ".join(CSV_COLUMNS))
    reader.fieldnames = header
    try:
        return [ContactEntry(**{key: (value or "").strip() for key, value in row.items()
                                if key in CSV_COLUMNS})
                for row in reader]
    except csv.Error as exc:
        raise ValidationFailed("The file is not valid CSV: %(problem)s",
                               problem=str(exc)) from exc


async def remove_contact(uow: UnitOfWork, *, actor: Actor, list_id: int,
                         contact_id: int) -> None:
    require_crisis_desk(actor.role)
    if not await uow.contact_lists.delete_contact(list_id, contact_id):
        raise NotFound("No such contact")
    await record_audit(uow, actor=actor, action="contact_list.change",
                       target_type="contact_list", target_id=list_id, removed=1)


async def delete_contact_list(uow: UnitOfWork, *, actor: Actor, list_id: int) -> None:
    require_crisis_desk(actor.role)
    found = await uow.contact_lists.get(list_id)
    if found is None:
        raise NotFound("No such contact list")
    await uow.contact_lists.delete(list_id)
    await record_audit(uow, actor=actor, action="contact_list.delete",
                       target_type="contact_list", target_id=list_id, name=found.name)


def _checked(entry: ContactEntry, number: int, region: str) -> dict:
    def refuse(why: DomainError) -> ValidationFailed:
        # The reason is a DomainError of its own (not a ValidationFailed, whose text would say
        # "Validation failed" twice), explained in the page's language in turn.
        return ValidationFailed("Contact %(number)s: %(reason)s", number=str(number),
                                reason=why)

    name = entry.name.strip()
    email, phone = entry.email.strip(), entry.phone.strip()
    if not name or len(name) > MAX_CONTACT_NAME:
        raise refuse(DomainError("a name of at most %(count)s characters is needed",
                                 count=MAX_CONTACT_NAME))
    if not email and not phone:
        raise refuse(DomainError("an e-mail address or a phone number is needed"))
    if email and not is_valid_email(email):
        raise refuse(DomainError("%(address)s is not an e-mail address",
                                 address=repr(email[:80])))
    try:
        phone = normalise_phone(phone, region=region) if phone else ""
    except ValidationFailed as exc:
        raise refuse(DomainError(exc.text, **exc.variables)) from exc
    language = i18n.supported(entry.language.strip() or i18n.DEFAULT_LANGUAGE)
    if language is None:
        raise refuse(DomainError("unknown language %(language)s",
                                 language=repr(entry.language[:10])))
    return {"name": name, "email": email or None, "phone": phone or None,
            "language": language, "created_at": utcnow()}
