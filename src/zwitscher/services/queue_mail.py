"""Queue an e-mail: it is sent by the job system once the unit of work that asked for it
commits (and never, if it rolls back), retried while the mail server is unreachable."""

from __future__ import annotations

from typing import Any

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.jobs import SendMail
from zwitscher.mail.messages import KINDS, new_message_id, recipient


async def queue_mail(uow: UnitOfWork, *, kind: str, to: str, name: str, language: str,
                     **values: Any) -> None:
    if kind not in KINDS:
        raise LookupError(f"no e-mail of kind {kind!r}")
    recipient(to, name)  # refused now, in the request, rather than by the job later
    await uow.enqueue(SendMail(kind=kind, to=to, name=name, language=language, values=values,
                               message_id=new_message_id(uow.settings)))
