"""Home feed ids in Redis, shared by every process of the scale-out mode (as Mastodon keeps
its feeds): the same store as `feed_cache.MemoryFeedStore`, with the same rules.

Each feed and each merged author's list is a sorted set whose members are zero-padded ids
under one score, so ranges are exact by lexical order (a 64-bit id does not fit a score's
double). A feed is held while its `:merged` key (its merged authors) exists; an author's list
while its `:held` key does. Each lookup, keep and change is one script, so a page costs one
round trip and no change lands between a check and a write. A lookup merges the feed's
written ids with its held authors' lists in the script, so the reply is one page's worth.

A load is kept only if its `:loading` token is still there: every change to that feed takes
the token away, since the load may predate the change. Everybody's feeds are dropped at once
by moving to a new epoch (the keys carry it), when an account becomes one that home feeds
merge in. Changes arrive before their commit as well as after it (`UnitsOfWork`), so a
process killed between its commit and this store loses none on PostgreSQL; on SQLite they
arrive after it only, and held feeds expiring after `home_feed_cache_seconds` (to be loaded
again) bound what such a process loses.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import redis.asyncio as redis_asyncio

from zwitscher.domain.feed_changes import Delivered, FeedChange, Posted, SourcesChanged
from zwitscher.timelines.feed_cache import FeedLookup, HomeSources, Window

# A load that takes longer than this keeps nothing.
LOADING_MILLISECONDS = 30_000

_LOOKUP = """
local p, viewer, low, high = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local count, oldest, token, loading_ms = tonumber(ARGV[5]), ARGV[6] == '1', ARGV[7], ARGV[8]
local epoch = redis.call('GET', p .. 'epoch') or '0'
local function window(key)
  local min = '(' .. low
  local max = high == '' and '+' or '(' .. high
  if oldest then
    return redis.call('ZRANGEBYLEX', key, min, max, 'LIMIT', 0, count)
  end
  return redis.call('ZREVRANGEBYLEX', key, max, min, 'LIMIT', 0, count)
end
local home = p .. 'home:' .. epoch .. ':' .. viewer
local merged = redis.call('GET', home .. ':merged')
-- Readers that miss the same key while it loads share its token (see `feed_cache._Loading`).
local function loading(key)
  redis.call('SET', key .. ':loading', token, 'PX', loading_ms, 'NX')
  return redis.call('GET', key .. ':loading')
end
if not merged then
  return {epoch, loading(home)}
end
-- The written ids and each held author's merged here, newest (or oldest) first, each once,
-- at most `count`: the reply carries one short list, not one per author.
local lists, missing = {window(home)}, {}
for author in string.gmatch(merged, '%d+') do
  local key = p .. 'author:' .. author
  if redis.call('EXISTS', key .. ':held') == 1 then
    lists[#lists + 1] = window(key)
  else
    missing[#missing + 1] = author
    missing[#missing + 1] = loading(key)
  end
end
local ids, next, last = {}, {}, nil
for i = 1, #lists do next[i] = 1 end
while #ids < count do
  local best, from = nil, nil
  for i = 1, #lists do
    local candidate = lists[i][next[i]]
    if candidate and (best == nil or (oldest and candidate < best)
                      or (not oldest and candidate > best)) then
      best, from = candidate, i
    end
  end
  if best == nil then break end
  next[from] = next[from] + 1
  if best ~= last then
    ids[#ids + 1] = best
    last = best
  end
end
return {epoch, merged, ids, missing}
"""

_KEEP = """
local p, kind, id, epoch, token, merged = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local ttl = tonumber(ARGV[7])
local key, held
if kind == 'home' then
  if (redis.call('GET', p .. 'epoch') or '0') ~= epoch then return 0 end
  key = p .. 'home:' .. epoch .. ':' .. id
  held = key .. ':merged'
else
  key = p .. 'author:' .. id
  held = key .. ':held'
end
if redis.call('GET', key .. ':loading') ~= token then return 0 end
redis.call('DEL', key .. ':loading', key)
-- 500 entries per ZADD: Lua's `unpack` has a limit.
for first = 8, #ARGV, 500 do
  local members = {}
  for i = first, math.min(first + 499, #ARGV) do
    members[#members + 1] = 0
    members[#members + 1] = ARGV[i]
  end
  redis.call('ZADD', key, unpack(members))
end
-- The ids outlive the key that says they are held, so a held feed always has its ids.
redis.call('EXPIRE', key, ttl + 60)
redis.call('SET', held, merged, 'EX', ttl)
return 1
"""

_CHANGE = """
local p, kind, size = ARGV[1], ARGV[2], tonumber(ARGV[3])
local epoch = redis.call('GET', p .. 'epoch') or '0'
local function add(key, held, member)
  redis.call('DEL', key .. ':loading')
  if redis.call('EXISTS', held) == 1 then
    redis.call('ZADD', key, 0, member)
    redis.call('ZREMRANGEBYRANK', key, 0, -(size + 1))
  end
end
if kind == 'delivered' then
  for i = 5, #ARGV do
    local home = p .. 'home:' .. epoch .. ':' .. ARGV[i]
    add(home, home .. ':merged', ARGV[4])
  end
elseif kind == 'posted' then
  local author = p .. 'author:' .. ARGV[4]
  add(author, author .. ':held', ARGV[5])
elseif kind == 'sources' then
  local home = p .. 'home:' .. epoch .. ':' .. ARGV[4]
  redis.call('DEL', home .. ':loading', home .. ':merged', home)
else
  redis.call('INCR', p .. 'epoch')
end
return 1
"""


def _member(status_id: int) -> str:
    return f"{status_id:020d}"


class RedisFeedStore:
    outlives_process = True

    def __init__(self, url: str, *, namespace: str, feed_size: int, seconds: int) -> None:
        self.feed_size = feed_size
        self._seconds = seconds
        self._prefix = f"{namespace}:feeds:"
        self._redis = redis_asyncio.from_url(url)
        self._lookup = self._redis.register_script(_LOOKUP)
        self._keep = self._redis.register_script(_KEEP)
        self._change = self._redis.register_script(_CHANGE)

    async def lookup(self, viewer_id: int, window: Window) -> FeedLookup:
        token = secrets.token_hex(8)
        reply = await self._lookup(args=[
            self._prefix, viewer_id, _member(window.low),
            _member(window.high) if window.high is not None else "", window.count,
            "1" if window.oldest else "0", token, LOADING_MILLISECONDS])
        epoch = reply[0].decode()
        if len(reply) == 2:
            return FeedLookup(None, home_load=(epoch, reply[1].decode()))
        merged_authors = tuple(int(author) for author in reply[1].split(b",") if author)
        missing = reply[3]
        loads = {int(author): (epoch, shared_token.decode())
                 for author, shared_token in zip(missing[::2], missing[1::2], strict=True)}
        # The held authors' ids are merged into the one list already.
        held = {author_id: [] for author_id in merged_authors if author_id not in loads}
        return FeedLookup(self._ascending(reply[2], window), merged_authors, held,
                          author_loads=loads)

    async def keep_home(self, viewer_id: int, sources: HomeSources,
                        load: tuple[str, str]) -> None:
        merged = ",".join(str(author_id) for author_id in sources.merged_authors)
        await self._kept("home", viewer_id, load, merged, sources.written)

    async def keep_author(self, author_id: int, ids: list[int], load: tuple[str, str]) -> None:
        await self._kept("author", author_id, load, "1", ids)

    async def apply(self, changes: Iterable[FeedChange]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for change in changes:
                match change:
                    case Delivered(status_id, account_ids):
                        args = ["delivered", _member(status_id), *account_ids]
                    case Posted(author_id, status_id):
                        args = ["posted", author_id, _member(status_id)]
                    case SourcesChanged(None):
                        args = ["everybody"]
                    case SourcesChanged(account_id):
                        args = ["sources", account_id]
                await self._change(args=[self._prefix, args[0], self.feed_size, *args[1:]],
                                   client=pipe)
            await pipe.execute()

    async def close(self) -> None:
        await self._redis.aclose()

    async def _kept(self, kind: str, key_id: int, load: tuple[str, str], held: str,
                    ids: list[int]) -> None:
        epoch, token = load
        await self._keep(args=[self._prefix, kind, key_id, epoch, token, held, self._seconds,
                               *(_member(status_id) for status_id in ids)])

    @staticmethod
    def _ascending(members: list[bytes], window: Window) -> list[int]:
        ids = [int(member) for member in members]
        return ids if window.oldest else ids[::-1]
