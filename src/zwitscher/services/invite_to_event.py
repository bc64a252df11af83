"""Invite people to a live event: its organisers name accounts here and e-mail addresses of
people without one. Each invitee is e-mailed (in their language) the event, links that answer
without a sign-in (accept, maybe, decline: `event_links`), the link to their invitation's
page (their consent, the calendar file) and the event's calendar file.

An invitee is one participant row, however often they are invited: inviting again mails the
invitation again and keeps their answer and consents. An address that belongs to an account
invites that account. Someone who answered on their own before is now invited as well.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.calendars import CalendarEntry, calendar_file, file_name
from zwitscher.domain.clock import utcnow
from zwitscher.domain.email_addresses import is_valid_email
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.services.event_links import invitation_path, invitation_token
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.see_event import Person, organise_event
from zwitscher.views.events import event_path

MAX_AT_ONCE = 100
MAX_PARTICIPANTS = 5000
MAX_DESCRIPTION_IN_MAIL = 600


@dataclass(frozen=True, slots=True)
class Invitee:
    """Who to write to: an account's person, or an address."""

    account_id: int | None
    email: str
    name: str
    language: str
    time_zone: str | None


async def invite_to_event(uow: UnitOfWork, *, person: Person, event_id: int,
                          account_ids: list[int], emails: list[str]) -> list[int]:
    """The invitees' participant ids, in the order given."""
    event = (await organise_event(uow, person=person, event_id=event_id)).event
    if event.archived_at is not None or event.ends_at <= utcnow():
        raise ValidationFailed("The event is over: nobody can be invited any more")
    if not account_ids and not emails:
        raise ValidationFailed("Name at least one person or e-mail address to invite")
    if len(account_ids) + len(emails) > MAX_AT_ONCE:
        raise ValidationFailed("At most %(count)s invitations at once", count=MAX_AT_ONCE)
    invitees = await _invitees(uow, account_ids, emails)
    if len(await uow.event_participants.of_event(event.id)) + len(invitees) > MAX_PARTICIPANTS:
        raise ValidationFailed("An event has at most %(count)s participants",
                               count=MAX_PARTICIPANTS)
    inviter = await uow.accounts.get(person.account_id)
    participant_ids = []
    for invitee in invitees.values():
        participant = await _participant(uow, event, invitee, person.account_id)
        participant_ids.append(participant.id)
        await _mail(uow, event, participant, invitee, inviter)
    return participant_ids


async def invite_named(uow: UnitOfWork, *, person: Person, event_id: int,
                       names: list[str]) -> list[int]:
    """Invitees as people type them: usernames (`@` in front or not) and e-mail addresses."""
    addresses = [name for name in names if "@" in name.lstrip("@")]
    usernames = [name.lstrip("@") for name in names if "@" not in name.lstrip("@")]
    known = await uow.accounts.by_usernames([username.lower() for username in usernames])
    for username in usernames:
        if username.lower() not in known:
            raise NotFound("Nobody here is called %(name)s", name=f"@{username}"[:100])
    return await invite_to_event(uow, person=person, event_id=event_id,
                                 account_ids=[known[u.lower()].id for u in usernames],
                                 emails=addresses)


async def _invitees(uow: UnitOfWork, account_ids: list[int],
                    emails: list[str]) -> dict[tuple, Invitee]:
    """Each invitee once (an address of an account is that account), checked: one unknown
    account or malformed address refuses them all."""
    found: dict[tuple, Invitee] = {}
    users = await uow.accounts.users_for_accounts(set(account_ids))
    accounts = await uow.accounts.get_many(set(account_ids))
    for account_id in account_ids:
        user, account = users.get(account_id), accounts.get(account_id)
        if user is None or account is None or account.deleted_at is not None:
            raise NotFound("No such person")
        found[("account", account_id)] = _of_account(account, user)
    for raw in emails:
        address = raw.strip().lower()
        if not is_valid_email(address):
            raise ValidationFailed("Not an e-mail address: %(address)s", address=raw[:320])
        user = await uow.accounts.user_by_email(address)
        if user is not None:
            account = await uow.accounts.get(user.account_id)
            found[("account", account.id)] = _of_account(account, user)
        else:
            found[("email", address)] = Invitee(None, address, "", i18n.DEFAULT_LANGUAGE, None)
    return found


def _of_account(account: sa.Row, user: sa.Row) -> Invitee:
    return Invitee(account.id, user.email, account.display_name or account.username,
                   i18n.supported(user.locale) or i18n.DEFAULT_LANGUAGE, user.time_zone)


async def _participant(uow: UnitOfWork, event: sa.Row, invitee: Invitee,
                       inviter_id: int) -> sa.Row:
    repo = uow.event_participants
    if invitee.account_id is not None:
        values = {"account_id": invitee.account_id}
        earlier = await repo.of_account(event.id, invitee.account_id)
    else:
        values = {"email": invitee.email}
        earlier = await repo.of_email(event.id, invitee.email)
    if earlier is None:
        await repo.add_unless_present(
            event_id=event.id, name=invitee.name, language=invitee.language, invited=True,
            invited_by_id=inviter_id, created_at=utcnow(), **values)
        earlier = await (repo.of_account(event.id, invitee.account_id)
                         if invitee.account_id is not None
                         else repo.of_email(event.id, invitee.email))
    elif not earlier.invited:
        await repo.update(earlier.id, invited=True, invited_by_id=inviter_id)
    return earlier


async def _mail(uow: UnitOfWork, event: sa.Row, participant: sa.Row, invitee: Invitee,
                inviter: sa.Row | None) -> None:
    token = await invitation_token(uow, participant.id)
    page = invitation_path(token)
    origin = uow.settings.base_url.rstrip("/")
    # People without an account read the event through their invitation.
    url = origin + (event_path(event.id) if invitee.account_id is not None else page)
    fmt = i18n.Formatter(invitee.language, invitee.time_zone)
    zone = "" if invitee.time_zone else " UTC"
    end = fmt.time(event.ends_at) if fmt.same_day(event.starts_at, event.ends_at) \
        else fmt.minute(event.ends_at)
    description = event.description if len(event.description) <= MAX_DESCRIPTION_IN_MAIL \
        else event.description[:MAX_DESCRIPTION_IN_MAIL].rstrip() + "…"
    calendar = calendar_file(CalendarEntry(
        event.id, event.title, event.description, event.place, event.starts_at,
        event.ends_at, url, event.created_at, event.updated_at))
    await queue_mail(
        uow, kind="event_invitation", to=invitee.email, name=invitee.name,
        language=invitee.language,
        inviter=(inviter.display_name or inviter.username) if inviter else "",
        title=event.title, place=event.place, description=description,
        when=f"{fmt.minute(event.starts_at)} – {end}{zone}",
        path=page, accept_path=f"{page}?answer=accept", maybe_path=f"{page}?answer=maybe",
        decline_path=f"{page}?answer=decline", calendar=calendar.decode(),
        calendar_name=file_name(event.title))
