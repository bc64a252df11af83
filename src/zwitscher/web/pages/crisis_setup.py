"""What the crisis desk prepares before a crisis, in the web interface: templates and contact
lists (`services/save_crisis_template.py`, `services/write_contact_list.py`).

    /web/crisis/templates                      every template; "New template"
    /web/crisis/templates/new | {id}/edit      the form (both are saved at …/templates)
    /web/crisis/templates/{id}/delete          delete one, after a confirmation
    /web/crisis/contacts                       every contact list, with its size; a new one
    /web/crisis/contacts/{id}                  its contacts (a page at a time), one to add,
                                               a CSV file to add or to replace them with
    /web/crisis/contacts/import                where the CSV file is sent (one path, so that
                                               it alone takes a file of up to 2 MB: app.py)
    /web/crisis/contacts/{id}/contacts/{contact_id}/remove
    /web/crisis/contacts/{id}/delete           delete the list, after a confirmation

Only the crisis desk finds these pages (`web/crisis_forms.py`); the services check again.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from zwitscher.api.deps import actor_of, uows
from zwitscher.domain.crisis_texts import CHANNELS
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.i18n import LANGUAGES
from zwitscher.services.save_crisis_template import (
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
from zwitscher.web.browser import Browser
from zwitscher.web.crisis_forms import (
    DESK_PATH,
    CrisisDesk,
    blank_form,
    form_of_template,
    plan_choices,
    plan_of,
    read_form,
    small_number,
)
from zwitscher.web.guards import GenuineForm

router = APIRouter()
TEMPLATES_PATH = DESK_PATH + "/templates"
CONTACTS_PATH = DESK_PATH + "/contacts"
IMPORT_PATH = CONTACTS_PATH + "/import"
MAX_CSV_BYTES = 2 * 1024 * 1024
CONTACTS_PER_PAGE = 200
DONE = {"saved", "deleted", "added", "imported", "removed", "created"}


def _done(browser: Browser) -> str | None:
    done = browser.request.query_params.get("done")
    return done if done in DONE else None


# Templates.

@router.get(TEMPLATES_PATH, include_in_schema=False)
async def templates_page(browser: CrisisDesk) -> Response:
    async with uows(browser.request).read() as uow:
        templates = await uow.crisis_templates.every()
        choices = await plan_choices(uow, browser)
    return browser.render("crisis_templates.html", templates=templates,
                          groups={group.id: group for group in choices.groups},
                          contact_lists={row.id: row for row in choices.contact_lists},
                          done=_done(browser))


@router.get(TEMPLATES_PATH + "/new", include_in_schema=False)
async def new_template(browser: CrisisDesk) -> Response:
    return await _template_form(browser, blank_form(), template_id=None)


@router.get(TEMPLATES_PATH + "/{template_id}/edit", include_in_schema=False)
async def edit_template(template_id: str, browser: CrisisDesk) -> Response:
    async with uows(browser.request).read() as uow:
        template = await uow.crisis_templates.get(parse_id(template_id) or 0)
    if template is None:
        return browser.not_found()
    return await _template_form(browser, form_of_template(template), template_id=template.id)


@router.post(TEMPLATES_PATH, include_in_schema=False)
async def save_template(request: Request, browser: CrisisDesk, fields: GenuineForm) -> Response:
    form = read_form(await request.form())
    template_id = None
    if raw_id := fields.get("template_id", ""):
        if (template_id := parse_id(raw_id)) is None:
            return browser.not_found()
    try:
        plan = plan_of(form)
        async with uows(request).write() as uow:
            await save_crisis_template(uow, actor=await actor_of(uow, browser.session.viewer),
                                       name=form["name"], plan=plan, template_id=template_id)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.problem(exc)
        return await _template_form(browser, form, template_id=template_id,
                                    status_code=exc.status_code, error=browser.explain(exc))
    return browser.redirect(f"{TEMPLATES_PATH}?done=saved")


async def _template_form(browser: Browser, form: dict, *, template_id: int | None,
                         status_code: int = 200, error: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        choices = await plan_choices(uow, browser)
    return browser.render("crisis_template_form.html", status_code=status_code, form=form,
                          template_id=template_id, choices=choices, channels=CHANNELS,
                          error=error)


@router.get(TEMPLATES_PATH + "/{template_id}/delete", include_in_schema=False)
async def confirm_template_deletion(template_id: str, browser: CrisisDesk) -> Response:
    async with uows(browser.request).read() as uow:
        template = await uow.crisis_templates.get(parse_id(template_id) or 0)
    if template is None:
        return browser.not_found()
    return browser.render("crisis_template_delete.html", template=template)


@router.post(TEMPLATES_PATH + "/{template_id}/delete", include_in_schema=False)
async def delete_template(template_id: str, browser: CrisisDesk,
                          _form: GenuineForm) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            await delete_crisis_template(uow, actor=await actor_of(uow, browser.session.viewer),
                                         template_id=parse_id(template_id) or 0)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{TEMPLATES_PATH}?done=deleted")


# Contact lists.

@router.get(CONTACTS_PATH, include_in_schema=False)
async def contact_lists_page(browser: CrisisDesk) -> Response:
    return await _lists_page(browser)


async def _lists_page(browser: Browser, *, form: dict | None = None, status_code: int = 200,
                      error: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        lists = await uow.contact_lists.every()
    return browser.render("crisis_contacts.html", status_code=status_code, lists=lists,
                          form=form or {}, error=error, done=_done(browser))


@router.post(CONTACTS_PATH, include_in_schema=False)
async def create_list(browser: CrisisDesk, form: GenuineForm) -> Response:
    name, description = form.get("name", "")[:200], form.get("description", "")[:1000]
    try:
        async with uows(browser.request).write() as uow:
            row = await create_contact_list(uow, actor=await actor_of(uow, browser.session.viewer),
                                            name=name, description=description)
    except DomainError as exc:
        return await _lists_page(browser, form={"name": name, "description": description},
                                 status_code=exc.status_code, error=browser.explain(exc))
    return browser.redirect(f"{CONTACTS_PATH}/{row.id}?done=created")


@router.get(CONTACTS_PATH + "/{list_id}", include_in_schema=False)
async def contact_list_page(list_id: str, browser: CrisisDesk) -> Response:
    return await _list_page(browser, list_id)


async def _list_page(browser: Browser, raw_id: str, *, form: dict | None = None,
                     status_code: int = 200, error: str | None = None,
                     about: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        found = await uow.contact_lists.get(parse_id(raw_id) or 0)
        contacts = await uow.contact_lists.contacts_of([found.id]) if found else []
    if found is None:
        return browser.not_found()
    page = small_number(browser.request.query_params.get("page", "")) or 1
    first = (page - 1) * CONTACTS_PER_PAGE
    return browser.render(
        "crisis_contact_list.html", status_code=status_code, contact_list=found,
        contacts=contacts[first:first + CONTACTS_PER_PAGE], size=len(contacts), page=page,
        pages=max(1, -(-len(contacts) // CONTACTS_PER_PAGE)), languages=LANGUAGES,
        form=form or {}, error=error, about=about, done=_done(browser),
        import_path=IMPORT_PATH)


@router.post(CONTACTS_PATH + "/{list_id}/contacts", include_in_schema=False)
async def add_contact(list_id: str, browser: CrisisDesk, form: GenuineForm) -> Response:
    entry = ContactEntry(**{key: form.get(key, "")[:400]
                            for key in ("name", "email", "phone", "language")})
    try:
        async with uows(browser.request).write() as uow:
            await add_contacts(uow, actor=await actor_of(uow, browser.session.viewer),
                               list_id=parse_id(list_id) or 0, entries=[entry])
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.problem(exc)
        return await _list_page(browser, list_id, form=form, status_code=exc.status_code,
                                error=browser.explain(exc), about="add")
    return browser.redirect(f"{CONTACTS_PATH}/{list_id}?done=added")


@router.post(IMPORT_PATH, include_in_schema=False)
async def import_contacts(request: Request, browser: CrisisDesk,
                          form: GenuineForm) -> Response:
    raw_id = form.get("list_id", "")
    replace = form.get("mode") == "replace"
    try:
        upload = (await request.form()).get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed("Choose a CSV file")
        data = await upload.read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            raise ValidationFailed("The file is larger than 2 MB")
        try:
            entries = read_contacts_csv(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ValidationFailed("The file is not UTF-8 text") from exc
        async with uows(request).write() as uow:
            await add_contacts(uow, actor=await actor_of(uow, browser.session.viewer),
                               list_id=parse_id(raw_id) or 0, entries=entries,
                               replace=replace)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.problem(exc)
        return await _list_page(browser, raw_id, form={"mode": form.get("mode", "")},
                                status_code=exc.status_code, error=browser.explain(exc),
                                about="import")
    return browser.redirect(f"{CONTACTS_PATH}/{raw_id}?done=imported")


@router.post(CONTACTS_PATH + "/{list_id}/contacts/{contact_id}/remove", include_in_schema=False)
async def remove_from_list(list_id: str, contact_id: str, browser: CrisisDesk,
                           _form: GenuineForm) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            await remove_contact(uow, actor=await actor_of(uow, browser.session.viewer),
                                 list_id=parse_id(list_id) or 0,
                                 contact_id=parse_id(contact_id) or 0)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{CONTACTS_PATH}/{list_id}?done=removed")


@router.get(CONTACTS_PATH + "/{list_id}/delete", include_in_schema=False)
async def confirm_list_deletion(list_id: str, browser: CrisisDesk) -> Response:
    async with uows(browser.request).read() as uow:
        found = await uow.contact_lists.get(parse_id(list_id) or 0)
    if found is None:
        return browser.not_found()
    return browser.render("crisis_contact_list_delete.html", contact_list=found)


@router.post(CONTACTS_PATH + "/{list_id}/delete", include_in_schema=False)
async def delete_list(list_id: str, browser: CrisisDesk, _form: GenuineForm) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            await delete_contact_list(uow, actor=await actor_of(uow, browser.session.viewer),
                                      list_id=parse_id(list_id) or 0)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{CONTACTS_PATH}?done=deleted")
