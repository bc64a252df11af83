"""Filters (v2): the person's filters, with their keywords and statuses as sub-resources."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import Field, ValidationError, field_validator

from zwitscher.api.deps import path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Id, Params, describe, parse, with_examples
from zwitscher.api.presenters.filters import (
    FilterEntity,
    FilterKeyword,
    FilterStatus,
    present_filter,
    present_filter_status,
    present_keyword,
)
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.filters import MAX_KEYWORDS
from zwitscher.domain.ids import parse_id
from zwitscher.services.change_filter_parts import (
    add_filter_keyword,
    add_filter_status,
    owned_filter_status,
    owned_keyword,
    remove_filter_keyword,
    remove_filter_status,
    update_filter_keyword,
)
from zwitscher.services.create_filter import FilterDraft, KeywordChange, create_filter
from zwitscher.services.oauth import Viewer
from zwitscher.services.update_filter import FilterChanges, delete_filter, update_filter

router = APIRouter()

READ = "read:filters"
WRITE = "write:filters"


def _blank(value: object) -> bool:
    """Rails' `blank?`: what `accepts_nested_attributes_for ... reject_if: :all_blank` skips."""
    return value is None or value is False or (isinstance(value, str | list | dict)
                                               and not (value.strip() if isinstance(value, str)
                                                        else value))


class FilterContext(Params):
    context: list[str] | None = None
    expires_in: int | None = None

    @field_validator("context", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, str) else value

    @field_validator("expires_in", mode="before")
    @classmethod
    def _blank_is_never(cls, value):
        return None if value == "" else value


class KeywordAttributes(Params):
    model_config = {**Params.model_config, "populate_by_name": True}

    keyword: str | None = None
    whole_word: bool | None = None
    id: Id | None = None
    destroy: bool = Field(False, alias="_destroy")


class FilterForm(FilterContext):
    model_config = with_examples({"title": "Spoilers", "context": ["home", "public"],
                                  "filter_action": "warn",
                                  "keywords_attributes": [{"keyword": "spoiler"}]})

    title: str | None = None
    filter_action: str | None = None
    keywords_attributes: list | dict | None = None


def keyword_changes(raw: list | dict | None) -> list[KeywordChange]:
    """`keywords_attributes[]` as a list, or Rails' indexed form (`[0][keyword]=`)."""
    entries = list(raw.values()) if isinstance(raw, dict) else (raw or [])
    if len(entries) > 2 * MAX_KEYWORDS:
        raise ValidationFailed(f"A filter can have at most {MAX_KEYWORDS} keywords")
    changes = []
    for raw_entry in entries:
        if not isinstance(raw_entry, dict):
            raise ValidationFailed("keywords_attributes must be a list of keywords")
        try:
            entry = KeywordAttributes.model_validate(raw_entry)
        except ValidationError as exc:
            raise ValidationFailed(f"keywords_attributes: {describe(exc)}") from exc
        if all(_blank(v) for v in (entry.keyword, entry.whole_word, entry.id)):
            continue
        keyword_id = None
        if entry.id not in (None, ""):
            keyword_id = parse_id(entry.id)
            if keyword_id is None:
                raise NotFound()
        changes.append(KeywordChange(entry.keyword, entry.whole_word, keyword_id,
                                     entry.destroy))
    return changes


@router.get("/api/v2/filters")
@declare(returns=list[FilterEntity])
async def list_filters(request: Request, viewer: Viewer = Depends(scoped(READ))) -> JSON:
    async with uows(request).read() as uow:
        rules = await uow.filters.of(viewer.account_id)
    return JSON([present_filter(rule) for rule in rules])


@router.get("/api/v2/filters/{filter_id}")
@declare(returns=FilterEntity)
async def get_filter(request: Request, filter_id: str,
                     viewer: Viewer = Depends(scoped(READ))) -> JSON:
    async with uows(request).read() as uow:
        rule = await uow.filters.get(viewer.account_id, path_id(filter_id))
    if rule is None:
        raise NotFound()
    return JSON(present_filter(rule))


@router.post("/api/v2/filters")
@declare(returns=FilterEntity, takes=FilterForm)
async def create(request: Request, viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    form = await parse(request, FilterForm)
    draft = FilterDraft(title=form.title, context=form.context or [],
                        action=form.filter_action, expires_in=form.expires_in,
                        keywords=keyword_changes(form.keywords_attributes))
    async with uows(request).write() as uow:
        rule = await create_filter(uow, account_id=viewer.account_id, draft=draft)
    return JSON(present_filter(rule))


@router.put("/api/v2/filters/{filter_id}")
@declare(returns=FilterEntity, takes=FilterForm)
async def update(request: Request, filter_id: str,
                 viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    form = await parse(request, FilterForm)
    changes = FilterChanges(title=form.title, context=form.context, action=form.filter_action,
                            expires_in=form.expires_in,
                            expires_in_given="expires_in" in form.model_fields_set,
                            keywords=keyword_changes(form.keywords_attributes))
    async with uows(request).write() as uow:
        rule = await update_filter(uow, account_id=viewer.account_id,
                                   filter_id=path_id(filter_id), changes=changes)
    return JSON(present_filter(rule))


@router.delete("/api/v2/filters/{filter_id}")
@declare(returns=Empty)
async def delete(request: Request, filter_id: str,
                 viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    async with uows(request).write() as uow:
        await delete_filter(uow, account_id=viewer.account_id, filter_id=path_id(filter_id))
    return JSON({})


# Keywords.

class KeywordForm(Params):
    keyword: str | None = None
    whole_word: bool | None = None


@router.get("/api/v2/filters/{filter_id}/keywords")
@declare(returns=list[FilterKeyword])
async def list_keywords(request: Request, filter_id: str,
                        viewer: Viewer = Depends(scoped(READ))) -> JSON:
    async with uows(request).read() as uow:
        rule = await uow.filters.get(viewer.account_id, path_id(filter_id))
    if rule is None:
        raise NotFound()
    return JSON([present_keyword(k) for k in rule.keywords])


@router.post("/api/v2/filters/{filter_id}/keywords")
@declare(returns=FilterKeyword, takes=KeywordForm)
async def add_keyword(request: Request, filter_id: str,
                      viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    form = await parse(request, KeywordForm)
    async with uows(request).write() as uow:
        row = await add_filter_keyword(uow, account_id=viewer.account_id,
                                       filter_id=path_id(filter_id), keyword=form.keyword,
                                       whole_word=bool(form.whole_word))
    return JSON(present_keyword(row))


@router.get("/api/v2/filters/keywords/{keyword_id}")
@declare(returns=FilterKeyword)
async def get_keyword(request: Request, keyword_id: str,
                      viewer: Viewer = Depends(scoped(READ))) -> JSON:
    async with uows(request).read() as uow:
        row = await owned_keyword(uow, account_id=viewer.account_id,
                                  keyword_id=path_id(keyword_id))
    return JSON(present_keyword(row))


@router.put("/api/v2/filters/keywords/{keyword_id}")
@declare(returns=FilterKeyword, takes=KeywordForm)
async def change_keyword(request: Request, keyword_id: str,
                         viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    form = await parse(request, KeywordForm)
    async with uows(request).write() as uow:
        row = await update_filter_keyword(uow, account_id=viewer.account_id,
                                          keyword_id=path_id(keyword_id), keyword=form.keyword,
                                          whole_word=form.whole_word)
    return JSON(present_keyword(row))


@router.delete("/api/v2/filters/keywords/{keyword_id}")
@declare(returns=Empty)
async def remove_keyword(request: Request, keyword_id: str,
                         viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    async with uows(request).write() as uow:
        await remove_filter_keyword(uow, account_id=viewer.account_id,
                                    keyword_id=path_id(keyword_id))
    return JSON({})


# Statuses.

class StatusForm(Params):
    status_id: Id | None = None


@router.get("/api/v2/filters/{filter_id}/statuses")
@declare(returns=list[FilterStatus])
async def list_statuses(request: Request, filter_id: str,
                        viewer: Viewer = Depends(scoped(READ))) -> JSON:
    async with uows(request).read() as uow:
        rule = await uow.filters.get(viewer.account_id, path_id(filter_id))
    if rule is None:
        raise NotFound()
    return JSON([present_filter_status(*entry) for entry in rule.status_entries])


@router.post("/api/v2/filters/{filter_id}/statuses")
@declare(returns=FilterStatus, takes=StatusForm)
async def add_status(request: Request, filter_id: str,
                     viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    form = await parse(request, StatusForm)
    async with uows(request).write() as uow:
        entry = await add_filter_status(uow, account_id=viewer.account_id,
                                        filter_id=path_id(filter_id),
                                        status_id=parse_id(form.status_id))
    return JSON(present_filter_status(entry.id, entry.status_id))


@router.get("/api/v2/filters/statuses/{entry_id}")
@declare(returns=FilterStatus)
async def get_status(request: Request, entry_id: str,
                     viewer: Viewer = Depends(scoped(READ))) -> JSON:
    async with uows(request).read() as uow:
        entry = await owned_filter_status(uow, account_id=viewer.account_id,
                                          entry_id=path_id(entry_id))
    return JSON(present_filter_status(entry.id, entry.status_id))


@router.delete("/api/v2/filters/statuses/{entry_id}")
@declare(returns=FilterStatus)
async def remove_status(request: Request, entry_id: str,
                        viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    async with uows(request).write() as uow:
        entry = await owned_filter_status(uow, account_id=viewer.account_id,
                                          entry_id=path_id(entry_id))
        await remove_filter_status(uow, account_id=viewer.account_id, entry_id=entry.id)
    return JSON(present_filter_status(entry.id, entry.status_id))
