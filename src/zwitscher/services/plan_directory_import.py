"""Plan a directory import: compare the CSV with the directory as stored and list each change.

Nothing is written here. The plan is pure data, so a dry run and the real run report the same
thing, and `import_directory` applies it in a handful of batched statements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.directory_csv import DirectoryFile, DirectoryRow, LineError
from zwitscher.domain.roles import Actor, Role, parse_role
from zwitscher.services.create_group import SLUG_RE
from zwitscher.services.register_account import identity_problems


@dataclass(slots=True)
class NewGroup:
    slug: str
    name: str
    parent: str | None
    external_id: str | None


@dataclass(slots=True)
class GroupUpdate:
    slug: str
    changes: dict  # name, external_id, parent (a slug or None)


@dataclass(slots=True)
class PersonUpdate:
    username: str
    account_id: int
    user_id: int
    changes: dict  # display_name, email, role, external_id


@dataclass(slots=True)
class ImportPlan:
    errors: list[LineError] = field(default_factory=list)
    new_groups: list[NewGroup] = field(default_factory=list)
    group_updates: list[GroupUpdate] = field(default_factory=list)
    new_people: list[dict] = field(default_factory=list)
    person_updates: list[PersonUpdate] = field(default_factory=list)
    additions: list[tuple[str, str]] = field(default_factory=list)  # (slug, username)
    removals: list[tuple[str, str]] = field(default_factory=list)
    group_ids: dict[str, int] = field(default_factory=dict)  # existing groups by slug
    account_ids: dict[str, int] = field(default_factory=dict)  # existing people by username


async def plan_directory_import(uow: UnitOfWork, *, actor: Actor, rows: DirectoryFile,
                                sync_memberships: bool) -> ImportPlan:
    planner = _Planner(actor, sync_memberships)
    await planner.load(uow)
    return planner.plan(rows)


class _Planner:
    def __init__(self, actor: Actor, sync_memberships: bool) -> None:
        self.actor = actor
        self.sync = sync_memberships
        self.result = ImportPlan()
        # Where the file puts groups: slug -> (parent slug or None, line that said so).
        self.parents: dict[str, tuple[str | None, int]] = {}
        self.names: dict[str, str] = {}
        self.group_external_ids: dict[str, tuple[str, int]] = {}
        self.mentioned: set[str] = set()

    async def load(self, uow: UnitOfWork) -> None:
        self.people = {row.username.lower(): row for row in await uow.directory.people()}
        self.by_email = {row.email.lower(): row for row in self.people.values()}
        self.by_external_id = {row.external_id: row for row in self.people.values()
                               if row.external_id}
        self.groups = {row.slug: row for row in await uow.groups.all_groups()}
        self.group_slugs = {row.id: row.slug for row in self.groups.values()}
        self.group_by_external_id = {row.external_id: row.slug for row in self.groups.values()
                                     if row.external_id}
        self.groups_of: dict[int, set[str]] = defaultdict(set)
        for membership in await uow.directory.memberships():
            self.groups_of[membership.account_id].add(self.group_slugs[membership.group_id])
        self.result.group_ids = {slug: row.id for slug, row in self.groups.items()}
        self.result.account_ids = {key: row.account_id for key, row in self.people.items()}

    def plan(self, rows: DirectoryFile) -> ImportPlan:
        self.result.errors.extend(rows.errors)
        people: list[tuple[DirectoryRow, list[str]]] = []
        for row in rows.rows:
            if row.defines_group:
                self._group_row(row)
            else:
                slugs = [self._path(row, path, from_top=False) for path in row.groups]
                people.append((row, [slug for slug in slugs if slug]))
        self._plan_groups()
        seen: dict[str, int] = {}
        emails: dict[str, int] = {}
        for row, slugs in people:
            self._person(row, slugs, seen, emails)
        return self.result

    def _error(self, at: int, text: str, /, **values) -> None:
        """A problem of line `at` (`values` fill the text's placeholders, `line` among them)."""
        self.result.errors.append(LineError(at, text, values))

    # Groups.

    def _group_row(self, row: DirectoryRow) -> None:
        if row.email or row.role:
            self._error(row.line, "A row without a username defines a group and has no email "
                                  "or role")
        elif len(row.groups) != 1:
            self._error(row.line, "A row without a username must name exactly one group path")
        elif (slug := self._path(row, row.groups[0], from_top=True)) is not None:
            if len(row.display_name) > 200:
                self._error(row.line, "A group name must be at most 200 characters")
            elif row.display_name:
                self.names[slug] = row.display_name
            if row.external_id:
                self._group_external_id(row, slug)

    def _group_external_id(self, row: DirectoryRow, slug: str) -> None:
        owner = self.group_by_external_id.get(row.external_id)
        earlier = self.group_external_ids.get(row.external_id)
        if len(row.external_id) > 200:
            self._error(row.line, "An external id must be at most 200 characters")
        elif owner not in (None, slug):
            self._error(row.line, "External id %(external_id)s belongs to group %(group)s",
                        external_id=repr(row.external_id), group=owner)
        elif earlier and earlier[0] != slug:
            self._error(row.line, "External id %(external_id)s is also on line %(line)s",
                        external_id=repr(row.external_id), line=earlier[1])
        else:
            self.group_external_ids[row.external_id] = (slug, row.line)

    def _path(self, row: DirectoryRow, path: str, *, from_top: bool) -> str | None:
        """Note where the path puts its groups; return its last group's slug (None if bad)."""
        parts = [part.strip().lower() for part in path.split("/")]
        if not all(SLUG_RE.match(part) for part in parts):
            self._error(row.line, "Group path %(path)s: each group is 1 to 64 lowercase "
                                  "letters, digits, - or _, separated by /", path=repr(path))
            return None
        if len(set(parts)) != len(parts):
            self._error(row.line, "Group path %(path)s names a group twice", path=repr(path))
            return None
        for index, slug in enumerate(parts):
            self.mentioned.add(slug)
            if index == 0 and not from_top:
                continue
            parent = parts[index - 1] if index else None
            earlier = self.parents.get(slug)
            if earlier and earlier[0] != parent:
                if earlier[0]:
                    self._error(row.line, "Group %(slug)s is placed below %(parent)s on line "
                                          "%(line)s", slug=slug, parent=earlier[0],
                                line=earlier[1])
                else:
                    self._error(row.line, "Group %(slug)s is placed at the top on line "
                                          "%(line)s", slug=slug, line=earlier[1])
                return None
            self.parents.setdefault(slug, (parent, row.line))
        return parts[-1]

    def _final_parent(self, slug: str) -> str | None:
        if slug in self.parents:
            return self.parents[slug][0]
        existing = self.groups.get(slug)
        return self.group_slugs.get(existing.parent_id) if existing else None

    def _plan_groups(self) -> None:
        depth: dict[str, int] = {}
        for slug in sorted(self.mentioned):
            seen, current = [], slug
            while current is not None and current not in seen:
                seen.append(current)
                current = self._final_parent(current)
            if current is not None:
                self._error(self.parents.get(slug, (None, 1))[1],
                            "Group %(slug)s would end up below itself", slug=slug)
                return
            depth[slug] = len(seen)
        for slug in sorted(self.mentioned, key=lambda s: (depth[s], s)):
            external_id = next((ext for ext, (owner, _) in self.group_external_ids.items()
                                if owner == slug), None)
            existing = self.groups.get(slug)
            if existing is None:
                self.result.new_groups.append(NewGroup(
                    slug=slug, name=self.names.get(slug, slug), parent=self._final_parent(slug),
                    external_id=external_id))
                continue
            changes: dict = {}
            if slug in self.names and self.names[slug] != existing.name:
                changes["name"] = self.names[slug]
            if external_id and external_id != existing.external_id:
                changes["external_id"] = external_id
            if slug in self.parents and self._final_parent(slug) != self.group_slugs.get(
                    existing.parent_id):
                changes["parent"] = self._final_parent(slug)
            if changes:
                self.result.group_updates.append(GroupUpdate(slug, changes))

    # People.

    def _person(self, row: DirectoryRow, slugs: list[str], seen: dict[str, int],
                emails: dict[str, int]) -> None:
        key, email_key = row.username.lower(), row.email.lower()
        problems: list[tuple[str, dict]] = [
            (problem, {}) for problem in identity_problems(row.username, row.email,
                                                          allow_reserved=True)]
        role = parse_role(row.role) if row.role else None
        if row.role and role is None:
            problems.append(("Role must be one of %(choices)s",
                             {"choices": ", ".join(r.value for r in Role)}))
        if len(row.display_name) > 100:
            problems.append(("Display name must be at most 100 characters", {}))
        if len(row.external_id) > 200:
            problems.append(("External id must be at most 200 characters", {}))
        if key in seen:
            problems.append(("@%(username)s is also on line %(line)s",
                             {"username": row.username, "line": seen[key]}))
        elif email_key in emails:
            problems.append(("%(email)s is also on line %(line)s",
                             {"email": row.email, "line": emails[email_key]}))
        seen.setdefault(key, row.line)
        emails.setdefault(email_key, row.line)
        existing = self.people.get(key)
        problems += self._taken(row, existing)
        current_role = parse_role(existing.role) if existing else None
        if role not in (None, current_role) and Role.OWNER in (role, current_role) \
                and self.actor.role != Role.OWNER:
            problems.append(("Only owners may make or unmake owners", {}))
        if problems:
            for text, values in problems:
                self._error(row.line, text, **values)
            return
        if existing is None:
            self.result.new_people.append(dict(
                username=row.username, email=row.email, display_name=row.display_name,
                role=(role or Role.MEMBER).value, external_id=row.external_id or None))
            current: set[str] = set()
        else:
            self._person_update(row, existing, role)
            current = self.groups_of.get(existing.account_id, set())
        wanted = set(slugs)
        self.result.additions += [(slug, row.username) for slug in sorted(wanted - current)]
        if self.sync:
            self.result.removals += [(slug, row.username) for slug in sorted(current - wanted)]

    def _taken(self, row: DirectoryRow, existing) -> list[tuple[str, dict]]:
        problems = []
        email_owner = self.by_email.get(row.email.lower())
        if email_owner is not None and email_owner is not existing:
            problems.append(("Email %(email)s belongs to @%(username)s",
                             {"email": row.email, "username": email_owner.username}))
        id_owner = self.by_external_id.get(row.external_id) if row.external_id else None
        if id_owner is not None and id_owner is not existing:
            problems.append(("External id %(external_id)s belongs to @%(username)s",
                             {"external_id": repr(row.external_id),
                              "username": id_owner.username}))
        return problems

    def _person_update(self, row: DirectoryRow, existing, role: Role | None) -> None:
        changes: dict = {}
        if row.email.lower() != existing.email.lower():
            changes["email"] = row.email
        if row.display_name and row.display_name != existing.display_name:
            changes["display_name"] = row.display_name
        if role is not None and role.value != existing.role:
            if self.actor.account_id == existing.account_id:
                self._error(row.line, "You cannot change your own role")
                return
            changes["role"] = role.value
        if row.external_id and row.external_id != existing.external_id:
            changes["external_id"] = row.external_id
        if changes:
            self.result.person_updates.append(PersonUpdate(
                row.username, existing.account_id, existing.user_id, changes))
