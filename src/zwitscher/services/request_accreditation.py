"""A journalist asks to be accredited, on the public accreditation page or through the API,
without an account: name, address, outlet, role, a link to their work, the press groups they
ask for and a note. The request waits unseen until the address follows the link e-mailed to
it (`confirm_accreditation`); only then does it reach the press desk's queue.

Floods are held back before anything is stored or sent: requests are counted per network
address, per e-mail address (nobody is sent link after link) and in all. A new request from an
address replaces its unconfirmed ones; requests never confirmed go when their link expires.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import TooManyAttempts
from zwitscher.policies.press import FROM_REQUEST, UNCONFIRMED
from zwitscher.services.admit_journalist import (
    Journalist,
    checked_journalist,
    checked_note,
    group_names,
    press_groups_named,
)
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.secrets import digest, new_secret
from zwitscher.throttle import limit

CONFIRM_PATH = "/web/press/accreditation/confirm"
LIFETIME = timedelta(days=2)
REQUESTS_PER_NETWORK_ADDRESS = limit("10/hour")
REQUESTS_PER_EMAIL = limit("3/hour")
REQUESTS_IN_ALL = limit("300/hour")


@dataclass(frozen=True, slots=True)
class AccreditationRequest:
    journalist: Journalist
    group_ids: Sequence[int]
    note: str = ""
    language: str = i18n.DEFAULT_LANGUAGE


async def request_accreditation(uow: UnitOfWork, *, request: AccreditationRequest,
                                network_address: str) -> None:
    """Store the request unconfirmed and e-mail its address the link that confirms it."""
    if not await uow.throttle.allow(REQUESTS_PER_NETWORK_ADDRESS, "accreditation:address",
                                    network_address):
        raise TooManyAttempts()
    journalist = checked_journalist(request.journalist)
    note = checked_note(request.note)
    groups = await press_groups_named(uow, request.group_ids)
    if not (await uow.throttle.allow(REQUESTS_PER_EMAIL, "accreditation:email",
                                     journalist.email)
            and await uow.throttle.allow(REQUESTS_IN_ALL, "accreditation:all", "all")):
        raise TooManyAttempts()
    now = utcnow()
    await uow.press_accreditations.delete_unconfirmed(created_before=now - LIFETIME)
    await uow.press_accreditations.delete_unconfirmed(email=journalist.email)
    secret = new_secret()
    language = i18n.supported(request.language) or i18n.DEFAULT_LANGUAGE
    accreditation_id = await uow.press_accreditations.add(
        source=FROM_REQUEST, state=UNCONFIRMED, email=journalist.email, name=journalist.name,
        outlet=journalist.outlet, position=journalist.position, work_url=journalist.work_url,
        note=note, language=language, token_digest=digest(secret), created_at=now)
    await uow.press_accreditations.add_groups(accreditation_id, [g.id for g in groups],
                                              requested=True)
    await queue_mail(uow, kind="accreditation_confirm", to=journalist.email,
                     name=journalist.name, language=language, outlet=journalist.outlet,
                     groups=group_names(groups), days=LIFETIME.days,
                     path=f"{CONFIRM_PATH}?token={secret}")
