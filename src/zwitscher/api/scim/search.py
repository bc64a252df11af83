"""`POST /scim/v2/.search`: one query over Users and Groups (RFC 7644 section 3.4.3).

Users come first, then Groups, each oldest first; `startIndex` and `count` page through both
as one list. A filtered attribute that a resource type does not have matches none of its
resources (section 3.4.2.1: "as if there is no attribute value"): `userName eq "x"` finds
no group; `displayName`, `externalId` and `id` are searched in both.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import uows
from zwitscher.api.operations import declare
from zwitscher.api.presenters.scim import ScimGroup, ScimUser
from zwitscher.api.scim import groups, users
from zwitscher.api.scim.common import (
    PREFIX,
    ListHead,
    ScimError,
    ScimJSON,
    SearchRequest,
    conditions,
    directory_caller,
    list_response,
    locator,
    query_from_body,
    scim_body,
)
from zwitscher.domain.scim_filter import FilterError, equalities

router = APIRouter(prefix=PREFIX, dependencies=[Depends(directory_caller)])


class ResourceList(ListHead):
    Resources: list[ScimUser | ScimGroup]


@router.post("/.search")
@declare(returns=ResourceList, takes=SearchRequest)
async def search_everything(request: Request) -> ScimJSON:
    query = query_from_body(await scim_body(request))
    try:
        named = {c.attribute for c in equalities(query.filter)} if query.filter else set()
    except FilterError as exc:
        raise ScimError(400, str(exc), "invalidFilter") from exc
    unknown = named - set(users.SEARCHABLE) - set(groups.SEARCHABLE)
    if unknown:
        raise ScimError(400, f"Filtering by {sorted(unknown)[0]!r} is not supported",
                        "invalidFilter")
    people = conditions(query.filter, users.SEARCHABLE) \
        if named <= set(users.SEARCHABLE) else None
    teams = conditions(query.filter, groups.SEARCHABLE) \
        if named <= set(groups.SEARCHABLE) else None
    offset, locate = query.start - 1, locator(request)
    async with uows(request).read() as uow:
        people_total, found = await users.find_users(
            uow, people, offset=offset, limit=query.count, selection=query.selection,
            locate=locate)
        groups_total, more = await groups.find_groups(
            uow, teams, offset=max(offset - people_total, 0), limit=query.count - len(found),
            selection=query.selection, locate=locate)
    return list_response(found + more, total=people_total + groups_total, start=query.start)
