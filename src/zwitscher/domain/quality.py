"""The quality score: how much an account behaves like a follower collector, a republisher or a
link spammer, from what it did in the last `WINDOW`. Pure arithmetic; `docs/organisations.md`
("Quality score") explains the formula to moderators.

Each signal becomes a penalty between 0 and 1 that starts at a tolerance and is full at a
limit, and only once there is enough activity to judge. The score is the product of
(1 - penalty) over all penalties: 1 is an unremarkable account, 0 one that is all of it.
A flag is raised when its penalty reaches `FLAG_AT`. A high post rate alone lowers the score
but raises no flag: a live blog from an event posts a lot, rightly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(days=30)
QUICK_UNFOLLOW = timedelta(days=7)  # unfollowing within this of following counts as churn
MIN_POSTS = 5  # fewer posts in the window say nothing about what someone posts
MIN_FOLLOWS = 10  # fewer follows made say nothing about churn
MIN_FOLLOWING = 100  # following fewer says nothing about the ratio
FLAG_AT = 0.5

FOLLOWER_COLLECTOR = "follower_collector"
REPUBLISHER = "republisher"
LINK_SPAMMER = "link_spammer"

_LINKS_ONLY = re.compile(r"^(?:https?://\S+\s*)+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Post:
    text: str
    is_reblog: bool


@dataclass(frozen=True, slots=True)
class FollowEvent:
    target_id: int
    action: str  # "follow" or "unfollow"
    at: datetime


@dataclass(frozen=True, slots=True)
class Assessment:
    score: float
    flags: list[str]
    signals: dict[str, float | int]


def _penalty(value: float, *, tolerated: float, full: float) -> float:
    return min(max((value - tolerated) / (full - tolerated), 0.0), 1.0)


def is_links_only(text: str) -> bool:
    return bool(_LINKS_ONLY.match(text.strip()))


def _churn(events: Iterable[FollowEvent]) -> tuple[int, int]:
    """(follows made, of those undone within QUICK_UNFOLLOW), events oldest first."""
    followed_at: dict[int, datetime] = {}
    made = quick = 0
    for event in events:
        if event.action == "follow":
            made += 1
            followed_at[event.target_id] = event.at
        elif event.target_id in followed_at:
            if event.at - followed_at.pop(event.target_id) <= QUICK_UNFOLLOW:
                quick += 1
    return made, quick


def assess(*, posts: list[Post], events: list[FollowEvent], followers: int, following: int,
           days_observed: float) -> Assessment:
    own = [p for p in posts if not p.is_reblog]
    texts = [" ".join(p.text.casefold().split()) for p in own]
    written = [t for t in texts if t]
    link_only = sum(1 for p in own if p.text.strip() and is_links_only(p.text))
    duplicates = len(written) - len(set(written))
    made, quick = _churn(events)
    signals = {
        "posts": len(own),
        "reblogs": len(posts) - len(own),
        "posts_per_day": round(len(posts) / max(days_observed, 1.0), 2),
        "link_only_ratio": round(link_only / len(own), 3) if own else 0.0,
        "duplicate_ratio": round(duplicates / len(own), 3) if own else 0.0,
        "follows_made": made,
        "quick_unfollows": quick,
        "churn_ratio": round(quick / made, 3) if made else 0.0,
        "followers": followers,
        "following": following,
        "following_per_follower": round(following / max(followers, 1), 2),
    }
    judged_posts = len(own) >= MIN_POSTS
    penalties = {
        "churn": _penalty(signals["churn_ratio"], tolerated=0.2, full=0.7)
        if made >= MIN_FOLLOWS else 0.0,
        "ratio": _penalty(signals["following_per_follower"], tolerated=10, full=50)
        if following >= MIN_FOLLOWING else 0.0,
        "link_only": _penalty(signals["link_only_ratio"], tolerated=0.2, full=0.7)
        if judged_posts else 0.0,
        "duplicates": _penalty(signals["duplicate_ratio"], tolerated=0.2, full=0.7)
        if judged_posts else 0.0,
        "post_rate": _penalty(signals["posts_per_day"], tolerated=50, full=200),
    }
    score = 1.0
    for penalty in penalties.values():
        score *= 1.0 - penalty
    flags = []
    if max(penalties["churn"], penalties["ratio"]) >= FLAG_AT:
        flags.append(FOLLOWER_COLLECTOR)
    if penalties["duplicates"] >= FLAG_AT:
        flags.append(REPUBLISHER)
    if penalties["link_only"] >= FLAG_AT:
        flags.append(LINK_SPAMMER)
    return Assessment(round(score, 3), flags, signals)
