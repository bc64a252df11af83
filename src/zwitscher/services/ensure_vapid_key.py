"""The server's VAPID key pair (RFC 8292): made on first start, then the same for good.

Push services tie a subscription to the public key an app subscribed with (the instance's
`configuration.vapid.public_key`), so every web and worker process must sign with the one
pair, and it must outlive restarts: it lives in the database, not in a file per process.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from zwitscher.db.uow import UnitOfWork

VAPID_KEY = "vapid"


async def ensure_vapid_key(uow: UnitOfWork) -> None:
    if await uow.server_keys.get(VAPID_KEY) is not None:
        return
    key = ec.generate_private_key(ec.SECP256R1())
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    point = key.public_key().public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
    # Mastodon hands the key out as padded URL-safe base64; apps pass it on unchanged.
    public_key = base64.urlsafe_b64encode(point).decode()
    await uow.server_keys.add_unless_present(name=VAPID_KEY, private_key=private_pem,
                                             public_key=public_key)
