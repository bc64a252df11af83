"""The instance's name on a shared Redis: the same in all its processes, different from any
other instance's.

Pub/sub channels are global to a Redis server. Two instances pointed at one Redis (a staging
and a production, or the test suite's many) would otherwise hear each other's posts. The name
derives from the key pair made once in the database (`ensure_vapid_key`), so every web and
worker process of an instance finds the same one without being told. A copy restored from a
backup (`zwitscher.backup`) has the same key, so the same name: it must not share its
original's Redis server.
"""

from __future__ import annotations

import hashlib

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.ensure_vapid_key import VAPID_KEY, ensure_vapid_key


async def name_instance(uow: UnitOfWork) -> str:
    await ensure_vapid_key(uow)
    key = await uow.server_keys.get(VAPID_KEY)
    return namespace_of(key.public_key)


def namespace_of(public_key: str) -> str:
    """The name that the instance with this VAPID public key has on Redis."""
    return "zw-" + hashlib.sha256(public_key.encode()).hexdigest()[:12]
