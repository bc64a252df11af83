"""Time-sortable 64-bit ids: `(milliseconds since epoch << 16) | sequence`.

Clients turn datetimes into ids the same way (Mastodon.py does), so `max_id` / `min_id`
pagination by date works, and every timeline query is a range scan on the primary key.
The low 16 bits start at a random offset each millisecond so that several processes minting
ids in the same millisecond rarely collide; the unique primary key catches the rest.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import datetime

_lock = threading.Lock()
_last_ms = 0
_seq = 0


def new_id() -> int:
    global _last_ms, _seq
    with _lock:
        ms = int(time.time() * 1000)
        if ms <= _last_ms:
            ms = _last_ms
            _seq += 1
            if _seq > 0xFFFF:
                ms += 1
                _seq = secrets.randbelow(0x8000)
        else:
            _seq = secrets.randbelow(0x8000)
        _last_ms = ms
        return (ms << 16) | _seq


def id_for_datetime(moment: datetime) -> int:
    return int(moment.timestamp() * 1000) << 16


def parse_id(raw: object) -> int | None:
    """An id from a request, or None when it does not have the shape of one."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 < raw < 2**63 else None
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 19:
        value = int(raw)
        return value if 0 < value < 2**63 else None
    return None
