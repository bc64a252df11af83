"""Export the directory in the import's CSV format, so a file exported and imported again
changes nothing: a row per group (with its full path from the top), then a row per person."""

from __future__ import annotations

from collections import defaultdict

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.directory_csv import DirectoryRow
from zwitscher.domain.errors import Forbidden
from zwitscher.domain.roles import Actor


async def export_directory(uow: UnitOfWork, *, actor: Actor) -> list[DirectoryRow]:
    if not actor.administers:
        raise Forbidden("Only admins may export the directory")
    groups = {row.id: row for row in await uow.groups.all_groups()}
    paths: dict[int, str] = {}

    def path(group_id: int) -> str:
        if group_id not in paths:
            chain, current = [], group_id
            while current is not None and current not in chain:
                chain.append(current)
                current = groups[current].parent_id
            paths[group_id] = "/".join(groups[g].slug for g in reversed(chain))
        return paths[group_id]

    rows = [DirectoryRow(line=0, username="", email="", display_name=group.name, role="",
                         groups=(path(group.id),), external_id=group.external_id or "")
            for group in groups.values()]
    rows.sort(key=lambda row: row.groups[0])
    groups_of: dict[int, list[str]] = defaultdict(list)
    for membership in await uow.directory.memberships():
        groups_of[membership.account_id].append(path(membership.group_id))
    for person in await uow.directory.people():
        rows.append(DirectoryRow(
            line=0, username=person.username, email=person.email,
            display_name=person.display_name, role=person.role,
            groups=tuple(sorted(groups_of.get(person.account_id, []))),
            external_id=person.external_id or ""))
    return rows
