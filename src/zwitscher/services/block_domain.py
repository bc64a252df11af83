"""Block and unblock a domain for oneself: its accounts vanish from one's timelines,
notifications and streams, and one's followers there are removed (as Mastodon does).

All accounts here are local (their `acct` has no domain), so a block finds nobody today; it is
stored and applied by the same exclusion rules as account blocks (see
`policies.visibility.domain_blocked_accounts`).
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.domains import host_of, normalize_domain
from zwitscher.domain.errors import ValidationFailed
from zwitscher.services.follow_account import remove_follow


async def block_domain(uow: UnitOfWork, *, account_id: int, domain: str,
                       own_hosts: set[str]) -> None:
    """`own_hosts`: the names this server answers by, which cannot be blocked."""
    name = normalize_domain(domain)
    if name in {host_of(uow.settings.base_url)} | own_hosts:
        raise ValidationFailed("You cannot block your own domain")
    await uow.domain_blocks.add(account_id=account_id, domain=name)
    for follower_id in await uow.domain_blocks.followers_on_blocked_domains(account_id):
        await remove_follow(uow, account_id=follower_id, target_id=account_id)
        await uow.relationships.take_follow_request(account_id=follower_id,
                                                    target_id=account_id)
        await uow.notifications.delete_follow_request(account_id=account_id,
                                                      from_account_id=follower_id)
    uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)


async def unblock_domain(uow: UnitOfWork, *, account_id: int, domain: str) -> None:
    await uow.domain_blocks.remove(account_id=account_id, domain=normalize_domain(domain))
    uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)
