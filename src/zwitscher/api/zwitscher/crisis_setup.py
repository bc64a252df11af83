"""What the crisis desk prepares before a crisis (docs/crisis.md): templates and contact lists.
Every route is the crisis desk's (communicators, admins): `read:crisis` / `write:crisis`.

    GET    /api/zwitscher/v1/crisis/templates                        every template
    POST   /api/zwitscher/v1/crisis/templates                        make one
    GET    /api/zwitscher/v1/crisis/templates/{id}
    PUT    /api/zwitscher/v1/crisis/templates/{id}                   change it (all fields)
    DELETE /api/zwitscher/v1/crisis/templates/{id}
    GET    /api/zwitscher/v1/crisis/contact_lists                    every list, with its size
    POST   /api/zwitscher/v1/crisis/contact_lists                    make one (name, description)
    GET    /api/zwitscher/v1/crisis/contact_lists/{id}               one, with its contacts
    DELETE /api/zwitscher/v1/crisis/contact_lists/{id}
    POST   /api/zwitscher/v1/crisis/contact_lists/{id}/contacts      add contacts (JSON), or
                                                                     `replace` the list
    POST   /api/zwitscher/v1/crisis/contact_lists/{id}/import        a CSV file (text/csv body
                                                                     or multipart `file`)
    DELETE /api/zwitscher/v1/crisis/contact_lists/{id}/contacts/{contact_id}
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import actor_of, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Id, Params, csv_upload, parse, with_examples
from zwitscher.api.presenters.common import iso
from zwitscher.api.responses import JSON
from zwitscher.domain.crisis_texts import CHANNELS, placeholders_in
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.crises import require_crisis_desk
from zwitscher.services.oauth import Viewer
from zwitscher.services.save_crisis_template import (
    CrisisPlan,
    delete_crisis_template,
    save_crisis_template,
)
from zwitscher.services.write_contact_list import (
    ContactEntry,
    add_contacts,
    create_contact_list,
    delete_contact_list,
    read_contacts_csv,
    remove_contact,
)

router = APIRouter(prefix="/api/zwitscher/v1/crisis")

MAX_CSV_BYTES = 2 * 1024 * 1024
IMPORT_PATH = "/api/zwitscher/v1/crisis/contact_lists/{id}/import"


class Template(TypedDict):
    id: str
    name: str
    title: str
    text: str
    placeholders: list[str]
    account_id: str | None
    group_ids: list[str]
    contact_list_ids: list[str]
    channels: list[str]
    escalation: list[str]
    escalate_after_seconds: int
    public: bool
    updated_at: str


class Contact(TypedDict):
    id: str
    name: str
    email: str | None
    phone: str | None
    language: str


class ContactList(TypedDict):
    id: str
    name: str
    description: str
    size: int
    created_at: str


class ContactListWithContacts(ContactList):
    contacts: list[Contact]


class PlanFields(Params):
    """A crisis's title, text, audience and channels, as a template keeps them."""

    title: str = ""
    text: str = ""
    account_id: Id | None = None
    group_ids: list[Id] = []
    contact_list_ids: list[Id] = []
    channels: list[str] = list(CHANNELS)
    escalation: list[str] = []
    escalate_after_seconds: int = 600
    public: bool = False


class TemplateFields(PlanFields):
    model_config = with_examples({
        "name": "Fire", "title": "Fire at {place}",
        "text": "There is a fire at {place}. {advice} Updates: {link}",
        "group_ids": ["110000000000000002"], "channels": ["stream", "push"],
        "escalation": ["email", "sms"], "escalate_after_seconds": 600})

    name: str = ""


class ListFields(Params):
    model_config = with_examples({"name": "Relatives", "description": "Next of kin"})

    name: str = ""
    description: str = ""


class ContactFields(Params):
    name: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""


class ContactsFields(Params):
    model_config = with_examples({"contacts": [{"name": "Ada Muster",
                                                "phone": "0176 12345678"}]})

    contacts: list[ContactFields] = []
    replace: bool = False


class ImportOptions(Params):
    replace: bool = False


def _ids(raw: list, name: str) -> tuple[int, ...]:
    ids = tuple(parse_id(value) for value in raw[:51])
    if None in ids:
        raise ValidationFailed(f"{name} must be given by their ids")
    return ids


def plan_of(form: PlanFields) -> CrisisPlan:
    account_id = None if form.account_id is None else parse_id(form.account_id)
    if form.account_id is not None and account_id is None:
        raise ValidationFailed("account_id must be an account id")
    return CrisisPlan(
        title=form.title, text=form.text, account_id=account_id,
        group_ids=_ids(form.group_ids, "group_ids"),
        contact_list_ids=_ids(form.contact_list_ids, "contact_list_ids"),
        channels=tuple(form.channels[:10]), escalation=tuple(form.escalation[:10]),
        escalate_after_seconds=form.escalate_after_seconds, public=form.public)


def _template(row) -> Template:
    return {"id": str(row.id), "name": row.name, "title": row.title, "text": row.text,
            "placeholders": list(dict.fromkeys(placeholders_in(row.title)
                                               + placeholders_in(row.text))),
            "account_id": str(row.account_id) if row.account_id else None,
            "group_ids": [str(i) for i in row.group_ids],
            "contact_list_ids": [str(i) for i in row.contact_list_ids],
            "channels": list(row.channels), "escalation": list(row.escalation),
            "escalate_after_seconds": row.escalate_after_seconds, "public": row.public,
            "updated_at": iso(row.updated_at)}


def _list(row, size: int) -> ContactList:
    return {"id": str(row.id), "name": row.name, "description": row.description,
            "size": size, "created_at": iso(row.created_at)}


def _contact(row) -> Contact:
    return {"id": str(row.id), "name": row.name, "email": row.email, "phone": row.phone,
            "language": row.language}


@router.get("/templates")
@declare(returns=list[Template], errors=(403,))
async def list_templates(request: Request,
                         viewer: Viewer = Depends(scoped("read:crisis"))) -> JSON:
    require_crisis_desk(viewer.role)
    async with uows(request).read() as uow:
        return JSON([_template(row) for row in await uow.crisis_templates.every()])


@router.post("/templates")
@declare(returns=Template, takes=TemplateFields, errors=(403, 404, 422))
async def create_template(request: Request,
                          viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    form = await parse(request, TemplateFields)
    async with uows(request).write() as uow:
        row = await save_crisis_template(uow, actor=await actor_of(uow, viewer),
                                         name=form.name, plan=plan_of(form))
        return JSON(_template(row))


@router.get("/templates/{template_id}")
@declare(returns=Template, errors=(403, 404))
async def show_template(request: Request, template_id: str,
                        viewer: Viewer = Depends(scoped("read:crisis"))) -> JSON:
    require_crisis_desk(viewer.role)
    async with uows(request).read() as uow:
        row = await uow.crisis_templates.get(path_id(template_id))
        if row is None:
            raise NotFound("No such template")
        return JSON(_template(row))


@router.put("/templates/{template_id}")
@declare(returns=Template, takes=TemplateFields, errors=(403, 404, 422))
async def change_template(request: Request, template_id: str,
                          viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    form = await parse(request, TemplateFields)
    async with uows(request).write() as uow:
        row = await save_crisis_template(uow, actor=await actor_of(uow, viewer),
                                         name=form.name, plan=plan_of(form),
                                         template_id=path_id(template_id))
        return JSON(_template(row))


@router.delete("/templates/{template_id}")
@declare(returns=Empty, errors=(403, 404))
async def delete_template(request: Request, template_id: str,
                          viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    async with uows(request).write() as uow:
        await delete_crisis_template(uow, actor=await actor_of(uow, viewer),
                                     template_id=path_id(template_id))
    return JSON({})


@router.get("/contact_lists")
@declare(returns=list[ContactList], errors=(403,))
async def list_contact_lists(request: Request,
                             viewer: Viewer = Depends(scoped("read:crisis"))) -> JSON:
    require_crisis_desk(viewer.role)
    async with uows(request).read() as uow:
        return JSON([_list(row, row.size) for row in await uow.contact_lists.every()])


@router.post("/contact_lists")
@declare(returns=ContactList, takes=ListFields, errors=(403, 409, 422))
async def create_list(request: Request,
                      viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    form = await parse(request, ListFields)
    async with uows(request).write() as uow:
        row = await create_contact_list(uow, actor=await actor_of(uow, viewer),
                                        name=form.name, description=form.description)
        return JSON(_list(row, 0))


@router.get("/contact_lists/{list_id}")
@declare(returns=ContactListWithContacts, errors=(403, 404))
async def show_list(request: Request, list_id: str,
                    viewer: Viewer = Depends(scoped("read:crisis"))) -> JSON:
    require_crisis_desk(viewer.role)
    async with uows(request).read() as uow:
        return JSON(await _list_with_contacts(uow, path_id(list_id)))


@router.delete("/contact_lists/{list_id}")
@declare(returns=Empty, errors=(403, 404))
async def delete_list(request: Request, list_id: str,
                      viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    async with uows(request).write() as uow:
        await delete_contact_list(uow, actor=await actor_of(uow, viewer),
                                  list_id=path_id(list_id))
    return JSON({})


@router.post("/contact_lists/{list_id}/contacts")
@declare(returns=ContactListWithContacts, takes=ContactsFields, errors=(403, 404, 422))
async def add_to_list(request: Request, list_id: str,
                      viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    """Add contacts (each: name, and email or phone), or make them the whole list
    (`replace`). One that is not right refuses them all, naming it."""
    form = await parse(request, ContactsFields)
    entries = [ContactEntry(**contact.model_dump()) for contact in form.contacts]
    async with uows(request).write() as uow:
        await add_contacts(uow, actor=await actor_of(uow, viewer), list_id=path_id(list_id),
                           entries=entries, replace=form.replace)
        return JSON(await _list_with_contacts(uow, path_id(list_id)))


@router.post("/contact_lists/{list_id}/import")
@declare(returns=ContactListWithContacts, takes=ImportOptions, files=("file",),
         errors=(403, 404, 413, 415, 422))
async def import_list(request: Request, list_id: str,
                      viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    """Contacts from a CSV file with a header line: name, email, phone, language."""
    text, options = await _csv(request)
    entries = read_contacts_csv(text)
    async with uows(request).write() as uow:
        await add_contacts(uow, actor=await actor_of(uow, viewer), list_id=path_id(list_id),
                           entries=entries, replace=options.replace)
        return JSON(await _list_with_contacts(uow, path_id(list_id)))


@router.delete("/contact_lists/{list_id}/contacts/{contact_id}")
@declare(returns=Empty, errors=(403, 404))
async def remove_from_list(request: Request, list_id: str, contact_id: str,
                           viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    async with uows(request).write() as uow:
        await remove_contact(uow, actor=await actor_of(uow, viewer), list_id=path_id(list_id),
                             contact_id=path_id(contact_id))
    return JSON({})


async def _list_with_contacts(uow, list_id: int) -> ContactListWithContacts:
    row = await uow.contact_lists.get(list_id)
    if row is None:
        raise NotFound("No such contact list")
    contacts = await uow.contact_lists.contacts_of([list_id])
    return {**_list(row, len(contacts)), "contacts": [_contact(c) for c in contacts]}


async def _csv(request: Request) -> tuple[str, ImportOptions]:
    data, options = await csv_upload(request, ImportOptions)
    if len(data) > MAX_CSV_BYTES:
        raise ValidationFailed("The file is larger than 2 MB")
    try:
        return data.decode("utf-8"), options
    except UnicodeDecodeError as exc:
        raise ValidationFailed("The file is not UTF-8 text") from exc
