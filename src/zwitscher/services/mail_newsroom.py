"""A published public press release goes to the newsroom's confirmed e-mail subscribers: the
body of the `MailNewsroomSubscribers` job, which `publish_press_release` queues.

One job queues the e-mails of one batch of subscribers (in id order, from `after_id` on) and
queues itself for the next batch, so no transaction holds thousands of rows and a mailing
that was cut short goes on where it stopped: a batch's e-mails and the job for the next batch
commit together with the completion of this one. Each e-mail is its own delivery job
(`SendMail`), sent by the worker's delivery slots. A release that is no longer public (its
post deleted) stops the mailing at the next batch.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import MailNewsroomSubscribers
from zwitscher.services.mail_links import link_secret
from zwitscher.services.newsroom_links import subscriber_token, unsubscribe_path
from zwitscher.services.publish_press_release import release_path
from zwitscher.services.queue_mail import queue_mail

BATCH = 500
LEAD_LENGTH = 600
ELLIPSIS = "…"


async def mail_newsroom(uow: UnitOfWork, *, release_id: int, after_id: int = 0) -> int:
    """Queues the e-mails of the next batch; returns how many."""
    release = await uow.press_releases.readable(release_id, viewer_id=None, now=utcnow())
    if release is None:
        return 0
    subscribers = await uow.newsroom_subscribers.confirmed_after(release.brand_id, after_id,
                                                                 BATCH)
    if not subscribers:
        return 0
    brand = await uow.accounts.get(release.brand_id)
    secret = await link_secret(uow)
    values = {"brand": _one_line(brand.display_name or brand.username),
              "headline": release.headline, "lead": lead_of(release.body),
              "path": release_path(brand.username, release.id)}
    for subscriber in subscribers:
        await queue_mail(uow, kind="press_release", to=subscriber.email, name="",
                         language=subscriber.language, **values,
                         unsubscribe_path=unsubscribe_path(
                             subscriber_token(secret, subscriber.id)))
    if len(subscribers) == BATCH:
        await uow.enqueue(MailNewsroomSubscribers(release_id=release.id,
                                                  after_id=subscribers[-1].id))
    return len(subscribers)


def lead_of(body: str) -> str:
    """The first paragraph, cut at a word's end if it is long."""
    lead = body.strip().split("\n\n")[0].strip()
    if len(lead) <= LEAD_LENGTH:
        return lead
    return lead[:LEAD_LENGTH].rsplit(None, 1)[0].rstrip() + ELLIPSIS


def _one_line(text: str) -> str:
    return " ".join(text.split())
