"""Mastodon's Filter, FilterKeyword, FilterStatus, FilterResult and V1::Filter entities."""

from __future__ import annotations

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.presenters.common import iso
from zwitscher.domain.filters import Filter, FilterMatch, Keyword


class FilterKeyword(TypedDict):
    id: str
    keyword: str
    whole_word: bool


class FilterStatus(TypedDict):
    id: str
    status_id: str


class FilterHead(TypedDict):
    """A filter without its keywords and statuses, as a FilterResult names it."""

    id: str
    title: str
    context: list[str]
    expires_at: str | None
    filter_action: str


class FilterEntity(FilterHead):
    keywords: list[FilterKeyword]
    statuses: list[FilterStatus]


class FilterResult(TypedDict):
    filter: FilterHead
    keyword_matches: list[str] | None
    status_matches: list[str] | None


class V1Filter(TypedDict):
    id: str
    phrase: str
    context: list[str]
    whole_word: bool
    expires_at: str | None
    irreversible: bool


def present_keyword(keyword: Keyword | sa.Row) -> FilterKeyword:
    return {"id": str(keyword.id), "keyword": keyword.keyword, "whole_word": keyword.whole_word}


def present_filter_status(entry_id: int, status_id: int) -> FilterStatus:
    return {"id": str(entry_id), "status_id": str(status_id)}


def present_filter(rule: Filter, *, with_contents: bool = True) -> dict:
    entity = {"id": str(rule.id), "title": rule.title, "context": list(rule.context),
              "expires_at": iso(rule.expires_at), "filter_action": rule.action}
    if with_contents:  # a FilterResult's filter goes without them
        entity["keywords"] = [present_keyword(k) for k in rule.keywords]
        entity["statuses"] = [present_filter_status(*entry) for entry in rule.status_entries]
    return entity


def present_filter_result(match: FilterMatch) -> FilterResult:
    return {"filter": present_filter(match.filter, with_contents=False),
            "keyword_matches": list(match.keyword_matches) or None,
            "status_matches": [str(i) for i in match.status_matches] or None}


def present_v1_filter(rule: Filter, keyword: Keyword) -> V1Filter:
    return {"id": str(keyword.id), "phrase": keyword.keyword, "context": list(rule.context),
            "whole_word": keyword.whole_word, "expires_at": iso(rule.expires_at),
            "irreversible": rule.action == "hide"}
