"""Someone outside the organisation asks for a brand's press releases by e-mail, on its
newsroom page or through the API, without an account. Double opt-in: the address is sent a
link to confirm, and nothing else until it was followed (`confirm_newsroom_subscription`).

Asking again for the same address sends the link again (a subscription that is confirmed
already stays so) and stores no second row; the answer is the same either way, so nobody
learns whether an address is subscribed. Floods are held back before anything is stored or
sent: requests are counted per network address, per e-mail address and in all. Requests whose
link expired unconfirmed go when the next request to that newsroom comes.
"""

from __future__ import annotations

from datetime import timedelta

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.email_addresses import is_valid_email
from zwitscher.domain.errors import NotFound, TooManyAttempts, ValidationFailed
from zwitscher.services.newsroom_links import confirm_path, token_of
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.secrets import digest, new_secret
from zwitscher.throttle import limit

LIFETIME = timedelta(days=7)
REQUESTS_PER_NETWORK_ADDRESS = limit("10/hour")
REQUESTS_PER_EMAIL = limit("3/hour")
REQUESTS_IN_ALL = limit("500/hour")


async def subscribe_to_newsroom(uow: UnitOfWork, *, brand_id: int, email: str, language: str,
                                network_address: str) -> str:
    """Store the request (or find the earlier one) and e-mail the link that confirms it;
    returns the address as it is kept (trimmed, lower case)."""
    if not await uow.throttle.allow(REQUESTS_PER_NETWORK_ADDRESS, "newsroom:address",
                                    network_address):
        raise TooManyAttempts()
    address = email.strip().lower()
    if not is_valid_email(address):
        raise ValidationFailed("Email is invalid")
    brand = await uow.accounts.get(brand_id)
    if brand is None or brand.kind != "brand":
        raise NotFound("No such brand account")
    if not (await uow.throttle.allow(REQUESTS_PER_EMAIL, "newsroom:email", address)
            and await uow.throttle.allow(REQUESTS_IN_ALL, "newsroom:all", "all")):
        raise TooManyAttempts()
    now = utcnow()
    language = i18n.supported(language) or i18n.DEFAULT_LANGUAGE
    await uow.newsroom_subscribers.delete_unconfirmed(brand_id, created_before=now - LIFETIME)
    subscriber_id = await uow.newsroom_subscribers.add_unless_present(
        brand_id=brand_id, email=address, language=language,
        token_digest=digest(new_secret()), created_at=now)
    if subscriber_id is not None:
        # The id is part of the token: its digest is known once the row has one.
        token = await token_of(uow, subscriber_id)
        await uow.newsroom_subscribers.update(subscriber_id, token_digest=digest(token))
    else:
        earlier = await uow.newsroom_subscribers.of_address(brand_id, address)
        token = await token_of(uow, earlier.id)
        # An unconfirmed request's link lives again from now on.
        await uow.newsroom_subscribers.update(
            earlier.id, language=language,
            **({"created_at": now} if earlier.confirmed_at is None else {}))
    await queue_mail(uow, kind="newsroom_confirm", to=address, name="", language=language,
                     brand=" ".join((brand.display_name or brand.username).split()),
                     days=LIFETIME.days, path=confirm_path(token))
    return address
