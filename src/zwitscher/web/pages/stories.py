"""My stories and the story editor, as plain forms (no JavaScript needed).

The editor is one form holding the whole story: its title, summary, audience and every block.
Each of its buttons (move a block up or down, remove it, add a post, a heading or a text, save)
sends all of it with the version it was loaded at, and `save_story` saves it as a whole; so no
typing is lost to another button, and two editors at work together see whose save theirs
replaced (the notice after the redirect). Publishing, collaborators and deleting are forms of
their own, for the story's managers.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.domain.errors import DomainError, NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.policies.brands import brands_to_post_as
from zwitscher.policies.stories import (
    HEADING,
    MAX_BLOCKS,
    MAX_HEADING,
    MAX_SUMMARY,
    MAX_TEXT,
    MAX_TITLE,
    POST,
    PUBLIC,
    TEXT,
)
from zwitscher.services.change_story_collaborators import (
    add_story_collaborator,
    remove_story_collaborator,
)
from zwitscher.services.create_story import create_story
from zwitscher.services.delete_story import delete_story
from zwitscher.services.publish_story import publish_story, unpublish_story
from zwitscher.services.read_story import MANAGER, Person, my_stories, story_to_read
from zwitscher.services.save_story import (
    BlockDraft,
    StoryDraft,
    overwritten_saves,
    save_story,
)
from zwitscher.views.stories import BlockView, StoryView
from zwitscher.views.story_documents import embed_snippet, story_urls
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.pages.story_pages import reader_of

router = APIRouter()

LIMITS = {"title": MAX_TITLE, "summary": MAX_SUMMARY, "heading": MAX_HEADING, "text": MAX_TEXT}


def _person(browser: Browser) -> Person:
    return reader_of(browser)


def _story_id(raw: str) -> int:
    story_id = parse_id(raw)
    if story_id is None:
        raise NotFound("No such story")
    return story_id


async def _my_stories(browser: Browser, *, draft: dict | None = None, error: str | None = None,
                      status_code: int = 200) -> Response:
    person = _person(browser)
    async with uows(browser.request).read() as uow:
        rows = await my_stories(uow, person=person)
        owners = await uow.accounts.get_many({row.owner_id for row, _ in rows})
        brands = await brands_to_post_as(uow, person_id=person.account_id, role=person.role)
    return browser.render("stories.html", status_code=status_code, stories=rows,
                          owners=owners, brands=brands, draft=draft or {"audience": PUBLIC},
                          error=error, limits=LIMITS)


@router.get("/web/stories", include_in_schema=False)
async def stories_page(browser: SignedIn) -> Response:
    return await _my_stories(browser)


@router.post("/web/stories", include_in_schema=False)
async def new_story(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    owner_id = parse_id(form.get("owner", "")) if form.get("owner") else None
    try:
        async with uows(request).write() as uow:
            story_id = await create_story(
                uow, person=_person(browser), title=form.get("title", ""),
                summary=form.get("summary", ""), audience=form.get("audience", PUBLIC),
                owner_id=owner_id)
    except DomainError as exc:
        return await _my_stories(browser, draft=form, error=browser.explain(exc),
                                 status_code=exc.status_code)
    return browser.redirect(f"/web/stories/{story_id}")


async def _editor(browser: Browser, raw_id: str, *, form: dict | None = None,
                  blocks: list[BlockDraft] | None = None, error: str | None = None,
                  collaborator_error: str | None = None, status_code: int = 200) -> Response:
    """The editor; after a refused save, with what was sent (`form`, `blocks`) and why."""
    person, query = _person(browser), browser.request.query_params
    try:
        async with uows(browser.request).read() as uow:
            view, role = await story_to_read(uow, reader=person, story_id=_story_id(raw_id))
            if role is None:
                raise NotFound("No such story")
            collaborators = await uow.stories.collaborators(view.id)
            saved, base = parse_id(query.get("saved", "")), parse_id(query.get("base", ""))
            overwritten = await overwritten_saves(
                uow, story_id=view.id, person=person, base_version=base,
                version=saved) if saved and base else ()
    except DomainError as exc:
        return browser.problem(exc)
    here = origin(browser.request)
    return browser.render(
        "story_edit.html", status_code=status_code, story=view, role=role,
        manages=role == MANAGER, collaborators=collaborators, error=error,
        collaborator_error=collaborator_error,
        draft=form or {"title": view.title, "summary": view.summary, "audience": view.audience,
                       "base_version": view.version},
        blocks=_shown(view, blocks) if blocks is not None else list(view.blocks),
        saved=bool(saved), overwritten=overwritten, urls=story_urls(view, here),
        snippet=embed_snippet(view, here), limits=LIMITS, max_blocks=MAX_BLOCKS)


def _shown(view: StoryView, drafts: list[BlockDraft]) -> list[BlockView]:
    """Blocks sent with a refused save, to show again: a post among them is shown as the
    story has it (one it does not have yet was refused; it stays in the "add" field)."""
    posts = {str(block.post.status_id): block for block in view.posts}
    return [posts[draft.post] if draft.kind == POST else BlockView(draft.kind, draft.text)
            for draft in drafts if draft.kind != POST or draft.post in posts]


@router.get("/web/stories/{story_id}", include_in_schema=False)
async def edit_story(story_id: str, browser: SignedIn) -> Response:
    return await _editor(browser, story_id)


def _sent_blocks(form: dict[str, str]) -> list[BlockDraft]:
    """The blocks as the editor sent them, in order."""
    try:
        count = min(int(form.get("blocks", "0")), MAX_BLOCKS)
    except ValueError:
        count = 0
    blocks = []
    for i in range(max(count, 0)):
        kind = form.get(f"block-{i}-kind")
        if kind is not None:
            blocks.append(BlockDraft(kind, form.get(f"block-{i}-text", ""),
                                     form.get(f"block-{i}-post", "")))
    return blocks


def _apply(op: str, blocks: list[BlockDraft]) -> str:
    """Move or remove a block (`up:3`, `down:0`, `remove:2`); the anchor to show after."""
    action, _, raw = op.partition(":")
    index = int(raw) if raw.isdigit() else -1
    if not 0 <= index < len(blocks):
        return ""
    if action == "up" and index > 0:
        blocks[index - 1], blocks[index] = blocks[index], blocks[index - 1]
        return f"#block-{index - 1}"
    if action == "down" and index < len(blocks) - 1:
        blocks[index], blocks[index + 1] = blocks[index + 1], blocks[index]
        return f"#block-{index + 1}"
    if action == "remove":
        del blocks[index]
        return "#blocks"
    return ""


@router.post("/web/stories/{story_id}", include_in_schema=False)
async def save(request: Request, story_id: str, browser: SignedIn,
               form: GenuineForm) -> Response:
    blocks = _sent_blocks(form)
    anchor = _apply(form.get("op", ""), blocks)
    added = [BlockDraft(kind, form.get(field, "").strip())
             for kind, field in ((HEADING, "new_heading"), (TEXT, "new_text"))
             if form.get(field, "").strip()]
    if form.get("new_post", "").strip():
        added.append(BlockDraft(POST, post=form["new_post"].strip()))
    base = parse_id(form.get("base_version", "")) or 0
    try:
        async with uows(request).write() as uow:
            saved = await save_story(uow, person=_person(browser), story_id=_story_id(story_id),
                                     draft=StoryDraft(
                                         base_version=base, title=form.get("title", ""),
                                         summary=form.get("summary", ""),
                                         audience=form.get("audience", PUBLIC),
                                         blocks=tuple(blocks + added)))
    except NotFound as exc:
        return browser.problem(exc)
    except DomainError as exc:
        return await _editor(browser, story_id, form=form, blocks=blocks,
                             error=browser.explain(exc), status_code=exc.status_code)
    if added:
        anchor = f"#block-{len(blocks) + len(added) - 1}"
    query = urlencode({"saved": saved.version, "base": base})
    return browser.redirect(f"/web/stories/{saved.story_id}?{query}{anchor}")


async def _manage(browser: Browser, story_id: str, work) -> Response:
    """Run a manager's change, then back to the editor (or the problem page)."""
    try:
        async with uows(browser.request).write() as uow:
            await work(uow, _person(browser), _story_id(story_id))
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"/web/stories/{_story_id(story_id)}")


@router.post("/web/stories/{story_id}/publish", include_in_schema=False)
async def publish(story_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    return await _manage(browser, story_id, lambda uow, person, sid: publish_story(
        uow, person=person, story_id=sid))


@router.post("/web/stories/{story_id}/unpublish", include_in_schema=False)
async def unpublish(story_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    return await _manage(browser, story_id, lambda uow, person, sid: unpublish_story(
        uow, person=person, story_id=sid))


@router.post("/web/stories/{story_id}/collaborators", include_in_schema=False)
async def add_collaborator(story_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    who = form.get("username", "")
    try:
        async with uows(browser.request).write() as uow:
            await add_story_collaborator(uow, person=_person(browser),
                                         story_id=_story_id(story_id), who=who)
    except NotFound as exc:
        return browser.problem(exc)
    except DomainError as exc:
        return await _editor(browser, story_id, collaborator_error=browser.explain(exc),
                             status_code=exc.status_code)
    return browser.redirect(f"/web/stories/{_story_id(story_id)}#collaborators")


@router.post("/web/stories/{story_id}/collaborators/remove", include_in_schema=False)
async def remove_collaborator(story_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    account_id = parse_id(form.get("account_id", "")) or 0
    leaving = account_id == browser.session.viewer.account_id
    response = await _manage(browser, story_id, lambda uow, person, sid: (
        remove_story_collaborator(uow, person=person, story_id=sid, account_id=account_id)))
    return browser.redirect("/web/stories") if leaving and response.status_code == 303 \
        else response


@router.get("/web/stories/{story_id}/delete", include_in_schema=False)
async def confirm_deletion(story_id: str, browser: SignedIn) -> Response:
    """The confirmation step, a page of its own so that it works without JavaScript."""
    try:
        async with uows(browser.request).read() as uow:
            view, role = await story_to_read(uow, reader=_person(browser),
                                             story_id=_story_id(story_id))
    except DomainError as exc:
        return browser.problem(exc)
    if role != MANAGER:
        return browser.not_found()
    return browser.render("story_delete.html", story=view)


@router.post("/web/stories/{story_id}/delete", include_in_schema=False)
async def remove_story(story_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    response = await _manage(browser, story_id, lambda uow, person, sid: delete_story(
        uow, person=person, story_id=sid))
    return browser.redirect("/web/stories") if response.status_code == 303 else response
