"""What an admin sets about the instance in the console: its title, description, rules and
who may sign up. The operator's environment (`ZWITSCHER_INSTANCE_TITLE`, …) gives the
defaults; what an admin stores in the database wins over them.

Every process holds the values on its `Settings` (read by the API, the sign-up, e-mails, the
web app manifest, without a query each); `keep_instance_current` has each web and worker
process look for a newer change every few seconds, so a change reaches all of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit
from zwitscher.settings import RegistrationMode, Settings

MAX_TITLE = 100
MAX_DESCRIPTION = 2000
MAX_RULES = 30
MAX_RULE = 500
# The settings an admin may store, by their names on `Settings`.
STORED = ("instance_title", "instance_description", "instance_rules", "registrations")
CHECK_EVERY = 5.0

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class InstanceChanges:
    title: str
    description: str
    rules: list[str]
    registrations: str


async def configure_instance(uow: UnitOfWork, *, actor: Actor,
                             changes: InstanceChanges) -> dict[str, Any]:
    """Store the changes (all or none); returns what is stored, for `apply_instance` once the
    transaction has committed."""
    if not actor.administers:
        raise Forbidden("Only admins may change the instance's settings")
    title, description = changes.title.strip(), changes.description.strip()
    rules = [rule.strip() for rule in changes.rules if rule.strip()]
    if not title or len(title) > MAX_TITLE:
        raise ValidationFailed("The title needs 1 to %(maximum)s characters", maximum=MAX_TITLE)
    if len(description) > MAX_DESCRIPTION:
        raise ValidationFailed("The description is too long (at most %(maximum)s characters)",
                               maximum=MAX_DESCRIPTION)
    if len(rules) > MAX_RULES or any(len(rule) > MAX_RULE for rule in rules):
        raise ValidationFailed("At most %(count)s rules of at most %(maximum)s characters each",
                               count=MAX_RULES, maximum=MAX_RULE)
    if changes.registrations not in set(RegistrationMode):
        raise ValidationFailed("Choose who may sign up from the list")
    values = {"instance_title": title, "instance_description": description,
              "instance_rules": rules, "registrations": changes.registrations}
    before = {name: _plain(getattr(uow.settings, name)) for name in STORED}
    changed = {name: value for name, value in values.items() if before[name] != value}
    if changed:
        await uow.instance_settings.put(changed)
        await record_audit(uow, actor=actor, action="instance.configured",
                           target_type="instance", target_id=None,
                           changed=sorted(changed), registrations=values["registrations"])
    return values


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple | list) else str(value)


def apply_instance(settings: Settings, stored: dict[str, Any]) -> None:
    """Put stored values over the environment's on this process's settings (a value that no
    longer validates, from an older version, is left out rather than break the process)."""
    for name, value in stored.items():
        if name not in STORED:
            continue
        try:
            checked = Settings.model_validate({**settings.model_dump(), name: value})
        except ValueError:
            log.warning("ignoring the stored instance setting %s", name)
            continue
        setattr(settings, name, getattr(checked, name))


async def load_instance(uow: UnitOfWork, settings: Settings) -> datetime | None:
    """Apply what is stored; returns the time of its last change."""
    apply_instance(settings, await uow.instance_settings.stored())
    return await uow.instance_settings.last_change()


async def keep_instance_current(units: UnitsOfWork, settings: Settings) -> asyncio.Task:
    """Load the stored settings now, then apply newer changes (another process's) as they
    come: one small query every few seconds."""
    async with units.read() as uow:
        seen = await load_instance(uow, settings)

    async def watch() -> None:
        nonlocal seen
        while True:
            await asyncio.sleep(CHECK_EVERY)
            with contextlib.suppress(Exception):  # a database hiccup: try again next time
                async with units.read() as uow:
                    if await uow.instance_settings.last_change() != seen:
                        seen = await load_instance(uow, settings)

    return asyncio.create_task(watch(), name="zwitscher-instance-settings")
