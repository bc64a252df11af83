"""Import people, groups and memberships from the directory CSV (`domain.directory_csv`).

The import plans first and applies second: `plan_directory_import` compares the file with the
whole directory as it stands and lists every change; a dry run stops there, a real run applies
exactly that list, so the two reports are the same. Running the same file again plans nothing.

Choices (see docs/directory.md):
- all or nothing: one malformed row and nothing is imported; every problem is reported with
  its line number;
- empty cells leave what is stored alone (a display name, a role, an external id);
- memberships are only added, unless `sync_memberships`: then each person in the file ends up
  in exactly the groups the file lists for them (people not in the file are left alone);
- new people get a password that matches nothing (not a hash at all): they sign in once single
  sign-on or a password reset gives them a way; hashing 5,000 random passwords would take
  minutes and protect nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field

import orjson

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.directory_csv import DirectoryFile, LineError
from zwitscher.domain.errors import Conflict, Forbidden
from zwitscher.domain.ids import new_id
from zwitscher.domain.roles import Actor
from zwitscher.services.passwords import UNUSABLE_PASSWORD
from zwitscher.services.plan_directory_import import ImportPlan, plan_directory_import
from zwitscher.services.welcome_people import welcome_people


@dataclass(slots=True)
class ImportReport:
    dry_run: bool
    errors: list[LineError] = field(default_factory=list)
    accounts_created: list[str] = field(default_factory=list)
    accounts_updated: list[dict] = field(default_factory=list)
    groups_created: list[str] = field(default_factory=list)
    groups_updated: list[dict] = field(default_factory=list)
    memberships_added: list[list[str]] = field(default_factory=list)
    memberships_removed: list[list[str]] = field(default_factory=list)

    @property
    def changes(self) -> dict:
        """What the import changes (or would change): everything but the dry-run flag."""
        return {key: value for key, value in self.as_json().items()
                if key not in ("dry_run", "errors")}

    @property
    def fingerprint(self) -> str:
        """Names this plan: the same changes (and problems) give the same fingerprint."""
        planned = {"changes": self.changes, "errors": self.as_json()["errors"]}
        return hashlib.sha256(orjson.dumps(planned, option=orjson.OPT_SORT_KEYS)).hexdigest()

    def as_json(self) -> dict:
        answer = asdict(self)
        answer["errors"] = [{"line": e.line, "message": e.message} for e in self.errors]
        return answer


async def import_directory(uow: UnitOfWork, *, actor: Actor, rows: DirectoryFile,
                           dry_run: bool, sync_memberships: bool = False,
                           welcome: bool = True, planned: str | None = None) -> ImportReport:
    """`planned`: the fingerprint of the dry run a person approved. When the plan is no longer
    that one (someone changed the directory in between), nothing is applied."""
    if not actor.administers:
        raise Forbidden("Only admins may import the directory")
    plan = await plan_directory_import(uow, actor=actor, rows=rows,
                                       sync_memberships=sync_memberships)
    report = _report(plan, dry_run=dry_run)
    if planned is not None and report.fingerprint != planned:
        raise Conflict("The directory changed after the dry run, so its plan no longer holds; "
                       "nothing was imported")
    if not report.errors and not dry_run:
        await _apply(uow, actor, plan, welcome=welcome)
    return report


def _report(plan: ImportPlan, *, dry_run: bool) -> ImportReport:
    if plan.errors:
        return ImportReport(dry_run=dry_run, errors=sorted(
            plan.errors, key=lambda e: (e.line, e.message)))
    return ImportReport(
        dry_run=dry_run,
        accounts_created=sorted(p["username"] for p in plan.new_people),
        accounts_updated=sorted(({"username": u.username, "changes": u.changes}
                                 for u in plan.person_updates), key=lambda u: u["username"]),
        groups_created=sorted(g.slug for g in plan.new_groups),
        groups_updated=sorted(({"slug": g.slug, "changes": g.changes}
                               for g in plan.group_updates), key=lambda g: g["slug"]),
        memberships_added=sorted([slug, username] for slug, username in plan.additions),
        memberships_removed=sorted([slug, username] for slug, username in plan.removals))


async def _apply(uow: UnitOfWork, actor: Actor, plan: ImportPlan, *, welcome: bool) -> None:
    audit: list[dict] = []

    def record(action: str, target_type: str, target_id: int | None, **details) -> None:
        audit.append(dict(actor_id=actor.account_id, actor_label=actor.label,
                          actor_signed_in_with=actor.signed_in_with, action=action,
                          target_type=target_type, target_id=target_id, details=details))

    group_ids = dict(plan.group_ids)
    for group in plan.new_groups:  # parents come first
        group_ids[group.slug] = await uow.groups.create(
            slug=group.slug, name=group.name, external_id=group.external_id,
            parent_id=group_ids[group.parent] if group.parent else None)
        record("group.created", "group", group_ids[group.slug], slug=group.slug,
               parent_id=group_ids.get(group.parent), source="directory import")
    for update in plan.group_updates:
        values = dict(update.changes)
        if "parent" in values:
            parent = values.pop("parent")
            values["parent_id"] = group_ids[parent] if parent else None
        await uow.groups.update(group_ids[update.slug], **values)
        record("group.updated", "group", group_ids[update.slug], changes=update.changes,
               source="directory import")
    if plan.new_groups or any("parent" in u.changes for u in plan.group_updates):
        await uow.groups.rebuild_tree()

    account_ids = dict(plan.account_ids)
    for person in plan.new_people:
        person["account_id"], person["user_id"] = new_id(), new_id()
        account_ids[person["username"].lower()] = person["account_id"]
        record("account.created", "account", person["account_id"],
               username=person["username"], role=person["role"], source="directory import")
    await uow.directory.create_people(plan.new_people, password_hash=UNUSABLE_PASSWORD)
    if welcome:
        await welcome_people(uow, user_ids=[person["user_id"] for person in plan.new_people])
    for update in plan.person_updates:
        await _update_person(uow, update.account_id, update.user_id, update.changes)
        record("account.updated", "account", update.account_id, changes=update.changes,
               source="directory import")

    await uow.directory.add_memberships([(group_ids[slug], account_ids[username.lower()])
                                         for slug, username in plan.additions])
    for action, pairs in (("group.members_added", plan.additions),
                          ("group.members_removed", plan.removals)):
        by_group: dict[str, list[int]] = defaultdict(list)
        for slug, username in pairs:
            by_group[slug].append(account_ids[username.lower()])
        for slug, ids in sorted(by_group.items()):
            if action == "group.members_removed":
                await uow.groups.remove_members(group_ids[slug], ids)
            record(action, "group", group_ids[slug], account_ids=[str(a) for a in ids],
                   source="directory import")
    await uow.audit.append_many(audit)


async def _update_person(uow: UnitOfWork, account_id: int, user_id: int, changes: dict) -> None:
    if "display_name" in changes:
        await uow.accounts.update(account_id, display_name=changes["display_name"])
    login = {key: changes[key] for key in ("email", "role", "external_id") if key in changes}
    if "email" in login:
        login["email_lower"] = login["email"].lower()
    if login:
        await uow.accounts.update_user(user_id, **login)
