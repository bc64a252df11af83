"""Filters (v1, deprecated by Mastodon 4.0 and still used by many apps): each v1 filter is one
keyword of a v2 filter, its id the keyword's."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import parse, with_examples
from zwitscher.api.presenters.filters import V1Filter, present_v1_filter
from zwitscher.api.responses import JSON
from zwitscher.api.v2.filters import READ, WRITE, FilterContext
from zwitscher.services.change_v1_filter import (
    V1FilterChanges,
    create_v1_filter,
    delete_v1_filter,
    update_v1_filter,
    v1_filter,
)
from zwitscher.services.oauth import Viewer

router = APIRouter()


class V1FilterForm(FilterContext):
    model_config = with_examples({"phrase": "spoiler", "context": ["home"], "whole_word": True})

    phrase: str | None = None
    irreversible: bool | None = None
    whole_word: bool | None = None


@router.get("/api/v1/filters")
@declare(returns=list[V1Filter])
async def list_filters(request: Request, viewer: Viewer = Depends(scoped(READ))) -> JSON:
    async with uows(request).read() as uow:
        rules = await uow.filters.of(viewer.account_id)
    return JSON([present_v1_filter(rule, keyword) for rule in rules for keyword in rule.keywords])


@router.get("/api/v1/filters/{keyword_id}")
@declare(returns=V1Filter)
async def get_filter(request: Request, keyword_id: str,
                     viewer: Viewer = Depends(scoped(READ))) -> JSON:
    async with uows(request).read() as uow:
        rule, keyword = await v1_filter(uow, account_id=viewer.account_id,
                                        keyword_id=path_id(keyword_id))
    return JSON(present_v1_filter(rule, keyword))


@router.post("/api/v1/filters")
@declare(returns=V1Filter, takes=V1FilterForm)
async def create(request: Request, viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    form = await parse(request, V1FilterForm)
    async with uows(request).write() as uow:
        rule, keyword = await create_v1_filter(
            uow, account_id=viewer.account_id, phrase=form.phrase, context=form.context or [],
            irreversible=bool(form.irreversible), whole_word=bool(form.whole_word),
            expires_in=form.expires_in)
    return JSON(present_v1_filter(rule, keyword))


@router.put("/api/v1/filters/{keyword_id}")
@declare(returns=V1Filter, takes=V1FilterForm)
async def update(request: Request, keyword_id: str,
                 viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    form = await parse(request, V1FilterForm)
    changes = V1FilterChanges(phrase=form.phrase, context=form.context,
                              irreversible=form.irreversible, whole_word=form.whole_word,
                              expires_in=form.expires_in,
                              expires_in_given="expires_in" in form.model_fields_set)
    async with uows(request).write() as uow:
        rule, keyword = await update_v1_filter(uow, account_id=viewer.account_id,
                                               keyword_id=path_id(keyword_id), changes=changes)
    return JSON(present_v1_filter(rule, keyword))


@router.delete("/api/v1/filters/{keyword_id}")
@declare(returns=Empty)
async def delete(request: Request, keyword_id: str,
                 viewer: Viewer = Depends(scoped(WRITE))) -> JSON:
    async with uows(request).write() as uow:
        await delete_v1_filter(uow, account_id=viewer.account_id, keyword_id=path_id(keyword_id))
    return JSON({})
