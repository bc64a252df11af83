"""Who finds which status where: the visibility matrix, checked against Mastodon's rules.

One author posts one status per visibility, each with a hashtag unique to the run and a
mention of `mentioned`. Six viewers then read every read path:
  author         wrote the statuses
  follower       follows the author (with post notifications, the bell)
  stranger       follows nobody, is mentioned nowhere
  mentioned      is mentioned in every status, does not follow the author
  blocked_later  followed the author (with the bell) and was blocked after the posts reached it
  anonymous      no token at all
Mastodon's rules: the author sees everything of their own; public and unlisted are for
everyone the author does not block, but unlisted stays out of the public and hashtag
timelines; private is for followers and mentioned accounts; direct only for mentioned
accounts. Home feeds are for followers (a mentioned non-follower gets a notification, not a
home entry). A blocked viewer finds none of the author's statuses anywhere (GET says 404).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from dataclasses import dataclass, field

import httpx
import pytest

from support import User, matrix_table, wait_until

VISIBILITIES = ("public", "unlisted", "private", "direct")
VIEWERS = ("author", "follower", "stranger", "mentioned", "blocked_later", "anonymous")


# Y: the viewer finds the status on that path; .: it must not be there (404, 401 or absent).
#   status      GET /api/v1/statuses/:id
#   ancestor    in `ancestors` of the context of a public reply to it (by `mentioned`)
#   descendant  in `descendants` of the context of the public post it answers (by `mentioned`)
#   around      the public posts above and below it still show in those two contexts:
#               Mastodon skips a status the viewer may not see, it does not cut the thread
#   (for these three rows the status is the author's answer in a thread started by
#   `mentioned`: root <- answer (the visibility) <- public reply by `mentioned`)
#   account     GET /api/v1/accounts/:author/statuses
#   faved_by    GET .../favourited_by (`mentioned` favourited all four)
#   reblogged   GET .../reblogged_by (the follower reblogged public and unlisted)
#   notified    carried by one of the viewer's notifications (mention, status, favourite...)
MATRIX = matrix_table(VIEWERS, """
#                          author follower stranger mentioned blocked_later anonymous
status      public           Y      Y        Y        Y          .          Y
status      unlisted         Y      Y        Y        Y          .          Y
status      private          Y      Y        .        Y          .          .
status      direct           Y      .        .        Y          .          .
ancestor    public           Y      Y        Y        Y          .          Y
ancestor    unlisted         Y      Y        Y        Y          .          Y
ancestor    private          Y      Y        .        Y          .          .
ancestor    direct           Y      .        .        Y          .          .
descendant  public           Y      Y        Y        Y          .          Y
descendant  unlisted         Y      Y        Y        Y          .          Y
descendant  private          Y      Y        .        Y          .          .
descendant  direct           Y      .        .        Y          .          .
around      public           Y      Y        Y        Y          Y          Y
around      unlisted         Y      Y        Y        Y          Y          Y
around      private          Y      Y        Y        Y          Y          Y
around      direct           Y      Y        Y        Y          Y          Y
account     public           Y      Y        Y        Y          .          Y
account     unlisted         Y      Y        Y        Y          .          Y
account     private          Y      Y        .        Y          .          .
account     direct           Y      .        .        Y          .          .
faved_by    public           Y      Y        Y        Y          .          Y
faved_by    unlisted         Y      Y        Y        Y          .          Y
faved_by    private          Y      Y        .        Y          .          .
faved_by    direct           Y      .        .        Y          .          .
reblogged   public           Y      Y        Y        Y          .          Y
reblogged   unlisted         Y      Y        Y        Y          .          Y
reblogged   private          Y      Y        .        Y          .          .
reblogged   direct           Y      .        .        Y          .          .
public      public           Y      Y        Y        Y          .          Y
public      unlisted         .      .        .        .          .          .
public      private          .      .        .        .          .          .
public      direct           .      .        .        .          .          .
tag         public           Y      Y        Y        Y          .          Y
tag         unlisted         .      .        .        .          .          .
tag         private          .      .        .        .          .          .
tag         direct           .      .        .        .          .          .
home        public           Y      Y        .        .          .          .
home        unlisted         Y      Y        .        .          .          .
home        private          Y      Y        .        .          .          .
home        direct           Y      .        .        .          .          .
notified    public           Y      Y        .        Y          .          .
notified    unlisted         Y      Y        .        Y          .          .
notified    private          Y      Y        .        Y          .          .
notified    direct           Y      .        .        Y          .          .
""")

# The same statuses posted again while every viewer listens (SSE).
#   user_update  `update` events on /streaming/user     (what enters the home feed)
#   user_notice  `notification` events on /streaming/user
#   public       /streaming/public;   hashtag  /streaming/hashtag?tag=...
STREAM_MATRIX = matrix_table(VIEWERS, """
user_update public           Y      Y        .        .          .          .
user_update unlisted         Y      Y        .        .          .          .
user_update private          Y      Y        .        .          .          .
user_update direct           Y      .        .        .          .          .
user_notice public           .      Y        .        Y          .          .
user_notice unlisted         .      Y        .        Y          .          .
user_notice private          .      Y        .        Y          .          .
user_notice direct           .      .        .        Y          .          .
public      public           Y      Y        Y        Y          .          Y
public      unlisted         .      .        .        .          .          .
public      private          .      .        .        .          .          .
public      direct           .      .        .        .          .          .
hashtag     public           Y      Y        Y        Y          .          Y
hashtag     unlisted         .      .        .        .          .          .
hashtag     private          .      .        .        .          .          .
hashtag     direct           .      .        .        .          .          .
""")


def _post(user: User, text: str, **params: str) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _status_ids(statuses: list[dict]) -> set[str]:
    """Ids a list of statuses shows, including the originals inside reblogs."""
    return {s["id"] for s in statuses} | {s["reblog"]["id"] for s in statuses if s["reblog"]}


@dataclass
class Cast:
    people: dict[str, User]
    anonymous: httpx.Client
    tag: str

    def client(self, viewer: str) -> httpx.Client:
        return self.anonymous if viewer == "anonymous" else self.people[viewer].http

    def post_round(self, label: str) -> dict[str, dict]:
        """The author's four statuses, one per visibility, all tagged and mentioning."""
        mention = self.people["mentioned"].username
        return {v: _post(self.people["author"], f"@{mention} #{self.tag} {label} {v} post",
                         visibility=v) for v in VISIBILITIES}


@dataclass
class Matrix:
    cast: Cast
    subjects: dict[str, dict]   # visibility -> the author's status
    root: dict                  # public post by `mentioned` that the author answered ...
    answers: dict[str, dict]    # ... visibility -> the author's answer
    replies: dict[str, dict]    # visibility -> public reply to the answer, by `mentioned`
    since_id: str               # older than everything the fixture posted
    memo: dict = field(default_factory=dict)

    def seen(self, path: str, viewer: str) -> set[str]:
        """The visibilities whose status `viewer` finds on `path`."""
        if (path, viewer) not in self.memo:
            self.memo[path, viewer] = READERS[path](self, self.cast.client(viewer))
        return self.memo[path, viewer]

    def which(self, ids: set[str], statuses: dict[str, dict] | None = None) -> set[str]:
        return {v for v, s in (statuses or self.subjects).items() if s["id"] in ids}

    def listing(self, client: httpx.Client, url: str, **params: str) -> set[str]:
        response = client.get(url, params={"limit": "40", "since_id": self.since_id, **params})
        if client is self.cast.anonymous and response.status_code == 401:
            return set()
        assert response.status_code == 200, response.text
        return self.which(_status_ids(response.json()))


def _read_status(m: Matrix, client: httpx.Client) -> set[str]:
    found = set()
    for visibility, status in m.subjects.items():
        response = client.get(f"/api/v1/statuses/{status['id']}")
        assert response.status_code in (200, 404), response.text
        if response.status_code == 200:
            assert response.json()["id"] == status["id"]
            found.add(visibility)
    return found


def _context(client: httpx.Client, status: dict, part: str) -> set[str]:
    response = client.get(f"/api/v1/statuses/{status['id']}/context")
    assert response.status_code == 200, response.text
    return _status_ids(response.json()[part])


def _read_ancestors(m: Matrix, client: httpx.Client) -> set[str]:
    found = set()
    for reply in m.replies.values():
        found |= m.which(_context(client, reply, "ancestors"), m.answers)
    return found


def _read_descendants(m: Matrix, client: httpx.Client) -> set[str]:
    return m.which(_context(client, m.root, "descendants"), m.answers)


def _read_around(m: Matrix, client: httpx.Client) -> set[str]:
    below = _context(client, m.root, "descendants")
    return {v for v, reply in m.replies.items()
            if reply["id"] in below and m.root["id"] in _context(client, reply, "ancestors")}


def _read_who(list_name: str, marker: str, marked: tuple[str, ...]):
    """favourited_by/reblogged_by: 404 when hidden, else exactly who marked it."""
    def read(m: Matrix, client: httpx.Client) -> set[str]:
        found = set()
        for visibility, status in m.subjects.items():
            response = client.get(f"/api/v1/statuses/{status['id']}/{list_name}")
            assert response.status_code in (200, 404), response.text
            if response.status_code == 200:
                expected = [m.cast.people[marker].id] if visibility in marked else []
                assert [a["id"] for a in response.json()] == expected
                found.add(visibility)
        return found
    return read


def _read_notifications(m: Matrix, client: httpx.Client) -> set[str]:
    response = client.get("/api/v1/notifications", params={"limit": "80"})
    if client is m.cast.anonymous:
        assert response.status_code == 401
        return set()
    assert response.status_code == 200, response.text
    return m.which({n["status"]["id"] for n in response.json() if n["status"]})


READERS = {
    "status": _read_status,
    "ancestor": _read_ancestors,
    "descendant": _read_descendants,
    "around": _read_around,
    "account": lambda m, c: m.listing(c, f"/api/v1/accounts/{m.cast.people['author'].id}"
                                         "/statuses"),
    "faved_by": _read_who("favourited_by", "mentioned", VISIBILITIES),
    "reblogged": _read_who("reblogged_by", "follower", ("public", "unlisted")),
    "public": lambda m, c: m.listing(c, "/api/v1/timelines/public"),
    "tag": lambda m, c: m.listing(c, f"/api/v1/timelines/tag/{m.cast.tag}"),
    "home": lambda m, c: m.listing(c, "/api/v1/timelines/home"),
    "notified": _read_notifications,
}


@pytest.fixture(scope="module")
def cast(users, server) -> Cast:
    people = {name: users.create() for name in VIEWERS if name != "anonymous"}
    author = people["author"]
    for name in ("follower", "blocked_later"):
        people[name].http.post(f"/api/v1/accounts/{author.id}/follow",
                               data={"notify": "true"}).raise_for_status()
    with httpx.Client(base_url=server.base_url, timeout=30) as anonymous:
        yield Cast(people, anonymous, tag=f"vis{secrets.token_hex(5)}")


@pytest.fixture(scope="module")
def matrix(cast) -> Matrix:
    author, mentioned = cast.people["author"], cast.people["mentioned"]
    root = _post(mentioned, "Who else is on call this weekend?")
    subjects = cast.post_round("matrix")
    answers = {v: _post(author, f"@{mentioned.username} me, {v}", visibility=v,
                        in_reply_to_id=root["id"]) for v in VISIBILITIES}
    replies = {v: _post(mentioned, f"Thanks! (you answered {v})",
                        in_reply_to_id=answers[v]["id"]) for v in VISIBILITIES}
    for status in subjects.values():
        mentioned.http.post(f"/api/v1/statuses/{status['id']}/favourite").raise_for_status()
    for v in ("public", "unlisted"):
        cast.people["follower"].http.post(
            f"/api/v1/statuses/{subjects[v]['id']}/reblog").raise_for_status()
    m = Matrix(cast, subjects, root, answers, replies, since_id=str(int(root["id"]) - 1))
    # Fan-out runs as a job: block only once the posts have reached the doomed follower.
    for name in ("follower", "blocked_later"):
        client = cast.people[name].http
        assert wait_until(lambda c=client: m.listing(c, "/api/v1/timelines/home")
                          == {"public", "unlisted", "private"}), f"fan-out never reached {name}"
    author.http.post(f"/api/v1/accounts/{cast.people['blocked_later'].id}/block"
                     ).raise_for_status()
    return m


@pytest.mark.parametrize(("path", "visibility", "viewer"), list(MATRIX),
                         ids=["-".join(key) for key in MATRIX])
def test_each_viewer_finds_exactly_the_statuses_mastodon_shows(matrix, path, visibility,
                                                               viewer):
    expected = MATRIX[path, visibility, viewer]
    found = visibility in matrix.seen(path, viewer)
    assert found == expected, (f"{viewer} {'should' if expected else 'must not'} find the "
                               f"{visibility} status on {path}")


def test_the_blocked_viewer_gets_404_for_every_status_of_the_author(matrix):
    client = matrix.cast.client("blocked_later")
    for status in [*matrix.subjects.values(), *matrix.answers.values()]:
        assert client.get(f"/api/v1/statuses/{status['id']}").status_code == 404
        assert client.get(f"/api/v1/statuses/{status['id']}/context").status_code == 404


# Streams.

async def _read_events(lines, events: list[tuple[str, str]]) -> None:
    """Collect `event: ...` / `data: ...` blocks of a Server-Sent Events stream."""
    event, data = None, []
    async for line in lines:
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif line == "" and event:
            events.append((event, "\n".join(data)))
            event, data = None, []


async def _listen(base_url: str, streams: dict, act, sentinels: dict,
                  timeout: float = 5.0) -> tuple[dict, dict[str, str]]:
    """Open every stream, run `act` (blocking) once all are subscribed, then read until each
    stream has delivered its sentinel (posted last; jobs run in order) or `timeout` passes."""
    received: dict = {key: [] for key in streams}
    loop = asyncio.get_running_loop()
    async with (httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(10, read=None))
                as client, contextlib.AsyncExitStack() as stack):
        readers = []
        for key, (url, token) in streams.items():
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = await stack.enter_async_context(client.stream("GET", url,
                                                                     headers=headers))
            assert response.status_code == 200, (key, response.status_code)
            lines = response.aiter_lines()
            # The server subscribes before it sends its first comment.
            assert await anext(lines) == ":)"
            readers.append(asyncio.create_task(_read_events(lines, received[key])))
        try:
            ids = await asyncio.to_thread(act)
            deadline = loop.time() + timeout

            def done() -> bool:
                return all(ids[sentinels[key]] in str(events)
                           for key, events in received.items())

            while not done() and loop.time() < deadline:
                await asyncio.sleep(0.05)
        finally:
            for task in readers:
                task.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
    return received, ids


@pytest.fixture(scope="module")
def streamed(matrix, server) -> dict[tuple[str, str], set[str]]:
    cast = matrix.cast
    logged_in = [v for v in VIEWERS if v != "anonymous"]
    token = {v: cast.people[v].token for v in logged_in} | {"anonymous": None}
    streams, sentinels = {}, {}
    for viewer in VIEWERS:
        streams["public", viewer] = ("/api/v1/streaming/public", token[viewer])
        streams["hashtag", viewer] = (f"/api/v1/streaming/hashtag?tag={cast.tag}", token[viewer])
        sentinels["public", viewer] = sentinels["hashtag", viewer] = "stranger"
        if viewer != "anonymous":
            streams["user", viewer] = ("/api/v1/streaming/user", token[viewer])
            sentinels["user", viewer] = viewer
    unauthorized = cast.anonymous.get("/api/v1/streaming/user")
    assert unauthorized.status_code == 401

    def act() -> dict[str, str]:
        posted = {v: s["id"] for v, s in cast.post_round("streamed").items()}
        # Sentinels: each reaches its poster's user stream; the stranger's public, tagged one
        # every public and hashtag stream.
        for viewer in logged_in:
            public = viewer == "stranger"
            status = _post(cast.people[viewer], f"#{cast.tag} sentinel" if public else "sentinel",
                           visibility="public" if public else "private")
            posted[viewer] = status["id"]
        return posted

    events, ids = asyncio.run(_listen(server.base_url, streams, act, sentinels))
    subjects = {ids[v]: v for v in VISIBILITIES}
    seen: dict[tuple[str, str], set[str]] = {}
    for (stream, viewer), stream_events in events.items():
        assert ids[sentinels[stream, viewer]] in str(stream_events), (
            f"{viewer}'s {stream} stream never delivered its sentinel")
        for event, data in stream_events:
            if event not in ("update", "status.update", "notification"):
                continue
            payload = json.loads(data)
            if event == "notification":
                path, statuses = "user_notice", [payload["status"]] if payload["status"] else []
            else:
                path = "user_update" if stream == "user" else stream
                statuses = [payload]
            for status_id in _status_ids(statuses):
                if status_id in subjects:
                    seen.setdefault((path, viewer), set()).add(subjects[status_id])
    return seen


@pytest.mark.parametrize(("path", "visibility", "viewer"), list(STREAM_MATRIX),
                         ids=["-".join(key) for key in STREAM_MATRIX])
def test_each_viewer_streams_exactly_the_statuses_mastodon_delivers(streamed, path,
                                                                    visibility, viewer):
    expected = STREAM_MATRIX[path, visibility, viewer]
    found = visibility in streamed.get((path, viewer), set())
    assert found == expected, (f"{viewer}'s {path} stream {'missed' if expected else 'leaked'} "
                               f"the {visibility} status")
