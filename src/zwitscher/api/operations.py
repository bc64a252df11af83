"""What each API route takes and answers, declared beside the route for the OpenAPI document.

    @router.get("/api/v1/lists/{list_id}")
    @declare(returns=List)
    async def show_list(request: Request, list_id: str, viewer: Viewer = Reader) -> JSON:

A declaration is a frozen record on the endpoint function: nothing of it runs per request or
when the app is built. `api.openapi` turns the declarations into the document the first time
someone asks for it. What a route shows by itself is not declared again: its path parameters
(404 for what names nothing), the OAuth scopes of its `scoped` dependency (401, 403), and for
`takes`, where the parameters go (the query of GET and DELETE, else a JSON body) and 422.
Every API route has a declaration (tests/test_openapi_fuzzing.py checks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypeVar

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

F = TypeVar("F", bound=Callable[..., Any])
_ATTRIBUTE = "__zwitscher_declaration__"


@dataclass(frozen=True, slots=True)
class Declaration:
    """`returns`: the answer's type (a TypedDict, `list[...]`, `Empty`, `str` for text);
    `takes`: the parameters' model (a `Params` subclass, or a TypedDict for routes that read
    a body of their own); `answers`: other successful answers, by status; `errors`: the
    statuses a route answers beyond those read from it; `paged`: `max_id`, `since_id`,
    `min_id`, `limit` and a `Link` header; `files`: multipart file fields (the body is then
    `multipart/form-data`); `scopes`: for a route that checks them without `scoped`."""

    returns: object
    takes: object = None
    status: int = 200
    answers: dict[int, object] = field(default_factory=dict)
    errors: tuple[int, ...] = ()
    paged: bool = False
    files: tuple[str, ...] = ()
    media_type: str = "application/json"
    scopes: tuple[str, ...] | None = None


def declare(*, returns: object, takes: object = None, status: int = 200,
            answers: dict[int, object] | None = None, errors: tuple[int, ...] = (),
            paged: bool = False, files: tuple[str, ...] = (),
            media_type: str = "application/json",
            scopes: tuple[str, ...] | None = None) -> Callable[[F], F]:
    declaration = Declaration(returns, takes, status, answers or {}, errors, paged, files,
                              media_type, scopes)

    def mark(endpoint: F) -> F:
        setattr(endpoint, _ATTRIBUTE, declaration)
        return endpoint

    return mark


def declaration_of(endpoint: object) -> Declaration | None:
    return getattr(endpoint, _ATTRIBUTE, None)


@with_config(ConfigDict(extra="forbid"))
class Empty(TypedDict):
    """`{}`: Mastodon's answer when there is nothing more to say."""


class Error(TypedDict):
    """Mastodon's error body (and OAuth's, with `error_description`)."""

    error: str
    error_description: NotRequired[str]
