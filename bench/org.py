"""The synthetic organisation, made in memory (no database yet): who follows whom, who posts
what and when, and the tokens people sign in with.

Deterministic for a seed, so both modes of one run (and two runs) load the same organisation.
Accounts are referred to by index (0 .. accounts-1) here; `account_ids[i]` is the database id.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from zwitscher.domain.ids import id_for_datetime

ALL_STAFF = 0  # the account everyone follows (announcements)


@dataclass(frozen=True)
class Scale:
    accounts: int = 10_000
    statuses: int = 1_000_000
    median_follows: int = 100
    follows_sigma: float = 0.8  # log-normal spread of how many accounts each one follows
    popularity_alpha: float = 0.85  # Zipf exponent of who gets followed
    activity_alpha: float = 0.7  # Zipf exponent of who posts
    all_staff_statuses: int = 300  # the announcements account posts about ten a day
    feed_size: int = 800  # home feed rows kept per account (newest first)
    days: int = 30
    threshold: int = 2000  # ZWITSCHER_FAN_OUT_THRESHOLD the data set is flagged for
    seed: int = 20261201


@dataclass
class Org:
    scale: Scale
    now: datetime
    account_ids: list[int]
    account_created: list[datetime]
    following: list[list[int]]  # account -> accounts it follows
    followers: list[list[int]]  # account -> its followers, in the order they followed
    status_ids: list[int]  # ascending (= time order)
    status_authors: list[int]  # account index per status
    tokens: list[str]  # one bearer token per account
    follow_pairs: list[tuple[int, int]]  # (follower, followed), oldest follow first
    by_author: list[list[int]] = field(default_factory=list)  # status ids, newest first
    _recent: list[list[int]] = field(default_factory=list, repr=False)
    _newest: list[list[int]] = field(default_factory=list, repr=False)
    _flagged: list[bool] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.by_author:
            self.by_author = [[] for _ in self.account_ids]
            for status_id, author in zip(self.status_ids, self.status_authors, strict=True):
                self.by_author[author].append(status_id)
            for ids in self.by_author:
                ids.reverse()

    @property
    def size(self) -> int:
        return len(self.account_ids)

    def followers_count(self, i: int) -> int:
        return len(self.followers[i])

    def fan_out_on_read(self, i: int, threshold: int | None = None) -> bool:
        return self.followers_count(i) >= (threshold or self.scale.threshold)

    def follows_count(self) -> int:
        return sum(len(f) for f in self.following)

    def flagged(self) -> list[int]:
        return [i for i in range(self.size) if self.fan_out_on_read(i)]

    def most_followed(self) -> int:
        """The most followed account other than all-staff (~10,000 followers at full size)."""
        return max(range(1, self.size), key=self.followers_count)

    def written_authors_near(self, followers: int, count: int) -> list[int]:
        """`count` accounts below the threshold with about `followers` followers each."""
        candidates = [i for i in range(1, self.size) if not self.fan_out_on_read(i)]
        return sorted(candidates,
                      key=lambda i: (abs(self.followers_count(i) - followers), i))[:count]

    def written_author_near(self, followers: int) -> int:
        """An account below the threshold with about `followers` followers that has posted."""
        candidates = [i for i in range(1, self.size)
                      if not self.fan_out_on_read(i) and self.by_author[i]]
        return min(candidates, key=lambda i: (abs(self.followers_count(i) - followers), i))

    def home_feed(self, i: int) -> list[int]:
        """Status ids in account i's written home feed: the newest `feed_size` statuses of the
        accounts it follows that are not merged at read time, and its own."""
        keep = self.scale.feed_size
        if not self._recent:
            self._index_recent()
        authors = [t for t in self.following[i] if not self._flagged[t]] + [i]
        # Most feeds fill up from the last few days; only when they do not, look further back.
        for source in (self._recent, self._newest):
            ids = list(itertools.chain.from_iterable([source[t] for t in authors]))
            if len(ids) >= keep or source is self._newest:
                ids.sort(reverse=True)
                return ids[:keep]
        raise AssertionError("unreachable")

    def _index_recent(self) -> None:
        keep = self.scale.feed_size
        cutoff = self.status_ids[int(len(self.status_ids) * 0.9)] if self.status_ids else 0
        self._flagged = [self.fan_out_on_read(i) for i in range(self.size)]
        self._newest = [ids[:keep] for ids in self.by_author]
        self._recent = [ids[:bisect_left(ids, -cutoff, key=lambda x: -x)] for ids in self._newest]


def token_for(seed: int, index: int) -> str:
    return hashlib.sha256(f"zwitscher-bench:{seed}:{index}".encode()).hexdigest()[:43]


def _zipf_cumulative(count: int, alpha: float, rng: random.Random) -> tuple[list[int], list[float]]:
    """Accounts 1..count-1 in a random popularity order, with cumulative Zipf weights."""
    order = list(range(1, count))
    rng.shuffle(order)
    weights = [rank ** -alpha for rank in range(1, count)]
    return order, list(itertools.accumulate(weights))


def _follow_graph(scale: Scale, rng: random.Random) -> list[list[int]]:
    order, cumulative = _zipf_cumulative(scale.accounts, scale.popularity_alpha, rng)
    mu = math.log(scale.median_follows - 1)  # everyone also follows all-staff
    following: list[list[int]] = []
    for i in range(scale.accounts):
        want = max(5, min(scale.accounts // 4, round(math.exp(rng.gauss(mu, scale.follows_sigma)))))
        chosen = {ALL_STAFF} if i != ALL_STAFF else set()
        target = want + len(chosen)
        for _ in range(20):  # the popular head repeats; a few rounds fill the set
            for t in rng.choices(order, cum_weights=cumulative, k=want * 2):
                if t != i:
                    chosen.add(t)
                    if len(chosen) >= target:
                        break
            if len(chosen) >= target:
                break
        picked = sorted(chosen - {ALL_STAFF})
        rng.shuffle(picked)
        following.append(([ALL_STAFF] if i != ALL_STAFF else []) + picked)
    return following


def _statuses(scale: Scale, now: datetime, rng: random.Random) -> tuple[list[int], list[int]]:
    start_ms = int((now - timedelta(days=scale.days)).timestamp() * 1000)
    end_ms = int((now - timedelta(minutes=1)).timestamp() * 1000)
    times = sorted(rng.randrange(start_ms, end_ms) for _ in range(scale.statuses))
    # (ms << 16) | seq, as `id_for_datetime(ts) | seq`: unique, and ordered by time.
    ids = [(ms << 16) | (n & 0xFFFF) for n, ms in enumerate(times)]
    order, cumulative = _zipf_cumulative(scale.accounts, scale.activity_alpha, rng)
    staff = min(scale.all_staff_statuses, scale.statuses // 1000)
    authors = rng.choices(order, cum_weights=cumulative, k=scale.statuses - staff)
    positions = set(rng.sample(range(scale.statuses), staff))
    pool = iter(authors)
    status_authors = [ALL_STAFF if n in positions else next(pool) for n in range(len(ids))]
    return ids, status_authors


def build_org(scale: Scale) -> Org:
    rng = random.Random(scale.seed)
    now = datetime.now(UTC).replace(microsecond=0)
    created = [now - timedelta(days=90) + timedelta(seconds=i) for i in range(scale.accounts)]
    account_ids = [id_for_datetime(c) | (i & 0xFFFF) for i, c in enumerate(created)]
    following = _follow_graph(scale, rng)
    followers: list[list[int]] = [[] for _ in range(scale.accounts)]
    # Follows happen in a random order over time; followers lists keep that order.
    pairs = [(a, t) for a, targets in enumerate(following) for t in targets]
    rng.shuffle(pairs)
    for a, t in pairs:
        followers[t].append(a)
    status_ids, status_authors = _statuses(scale, now, rng)
    tokens = [token_for(scale.seed, i) for i in range(scale.accounts)]
    return Org(scale, now, account_ids, created, following, followers, status_ids,
               status_authors, tokens, pairs)


def ms_of(status_id: int) -> int:
    return status_id >> 16


def datetime_of(status_id: int) -> datetime:
    return datetime.fromtimestamp((status_id >> 16) / 1000, tz=UTC)


def index_of(org: Org, account_id: int) -> int:
    i = bisect_left(org.account_ids, account_id)
    if i == org.size or org.account_ids[i] != account_id:
        raise KeyError(account_id)
    return i
