"""How trends are ranked, from the raw uses the repository finds (pure functions).

A hashtag or link (its preview card) trends when several people used it recently: it is ranked
by the distinct accounts that used it in the last two days, then by uses; one person repeating
a tag a hundred times does not make it trend. Each comes with Mastodon's seven-day history
(newest day first, days as UTC midnights in epoch seconds, counts as strings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DAYS = 7
RECENT = timedelta(days=2)
MIN_ACCOUNTS = 2


@dataclass(frozen=True, slots=True)
class Trend:
    key: str
    history: list[dict[str, str]]


def week_start(now: datetime) -> datetime:
    return _day(now) - timedelta(days=DAYS - 1)


def rank(uses: Iterable[tuple[str, datetime, int]], now: datetime) -> list[Trend]:
    """`uses`: (key, when, account id). Keys compare case-insensitively; the form shown is the
    most used one."""
    by_key: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    spellings: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, when, account_id in uses:
        by_key[key.lower()].append((when, account_id))
        spellings[key.lower()][key] += 1
    scored = []
    for key, events in by_key.items():
        recent = [(w, a) for w, a in events if w >= now - RECENT]
        accounts = len({a for _, a in recent})
        if accounts >= MIN_ACCOUNTS:
            shown = max(spellings[key].items(), key=lambda item: item[1])[0]
            scored.append(((accounts, len(recent)), Trend(shown, history(events, now))))
    scored.sort(key=lambda item: (-item[0][0], -item[0][1], item[1].key))
    return [trend for _, trend in scored]


def _day(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)


def history(events: list[tuple[datetime, int]], now: datetime) -> list[dict[str, str]]:
    days = [_day(now) - timedelta(days=n) for n in range(DAYS)]
    out = []
    for day in days:
        on_day = [(w, a) for w, a in events if day <= w < day + timedelta(days=1)]
        out.append({"day": str(int(day.timestamp())), "uses": str(len(on_day)),
                    "accounts": str(len({a for _, a in on_day}))})
    return out
