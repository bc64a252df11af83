"""Who finds which status by searching: the visibility matrix for `/api/v2/search`.

An author (a communicator, so they may post internally and to any group) posts one status per
visibility, each with a word unique to the run and a mention of `mentioned`; the group status
goes to group G. The viewers:
  author        wrote them
  follower      a person of the organisation who follows the author
  stranger      a person of the organisation who follows nobody, is mentioned nowhere
  mentioned     mentioned in every status, follows nobody, in no group
  group_member  a member of G
  guest         an external person (guest) who follows the author
  anonymous     no token
Search uses the rules of every read path: a status is found exactly by those who may read it.
Full text is for signed-in people only (as in Mastodon); a status's URL finds it for anyone
who may read it, anonymous readers included.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import httpx
import pytest

from support import User, matrix_table

VISIBILITIES = ("public", "unlisted", "private", "direct", "internal", "group")
VIEWERS = ("author", "follower", "stranger", "mentioned", "group_member", "guest", "anonymous")
GROUPS = "/api/zwitscher/v1/groups"


# Y: the viewer finds the status; .: it is not among the results.
#   words  the unique word, as full text        url  the status's URL
MATRIX = matrix_table(VIEWERS, """
#              author follower stranger mentioned group_member guest anonymous
words public     Y      Y        Y        Y          Y         Y      .
words unlisted   Y      Y        Y        Y          Y         Y      .
words private    Y      Y        .        Y          .         Y      .
words direct     Y      .        .        Y          .         .      .
words internal   Y      Y        Y        Y          Y         .      .
words group      Y      .        .        .          Y         .      .
url   public     Y      Y        Y        Y          Y         Y      Y
url   unlisted   Y      Y        Y        Y          Y         Y      Y
url   private    Y      Y        .        Y          .         Y      .
url   direct     Y      .        .        Y          .         .      .
url   internal   Y      Y        Y        Y          Y         .      .
url   group      Y      .        .        .          Y         .      .
""")


@dataclass
class World:
    people: dict[str, User]
    anonymous: httpx.Client
    word: str
    subjects: dict[str, dict] = field(default_factory=dict)
    memo: dict = field(default_factory=dict)

    def search(self, viewer: str, q: str) -> set[str]:
        client = self.anonymous if viewer == "anonymous" else self.people[viewer].http
        response = client.get("/api/v2/search", params={"q": q, "type": "statuses"})
        assert response.status_code == 200, response.text
        ids = {s["id"] for s in response.json()["statuses"]}
        return {v for v, s in self.subjects.items() if s["id"] in ids}


def _post(user: User, text: str, **params) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def world(users, server) -> World:
    admin = users.create(role="admin")
    roles = {"author": "communicator", "guest": "guest"}
    people = {name: users.create(role=roles.get(name)) for name in VIEWERS
              if name != "anonymous"}
    group = admin.http.post(GROUPS, data={"slug": f"search-{secrets.token_hex(3)}",
                                          "name": "Search G"}).json()
    admin.http.post(f"{GROUPS}/{group['id']}/members",
                    data={"account_ids[]": [people["group_member"].id]}).raise_for_status()
    for name in ("follower", "guest"):
        people[name].http.post(f"/api/v1/accounts/{people['author'].id}/follow"
                               ).raise_for_status()
    unique = "sv" + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10))
    with httpx.Client(base_url=server.base_url, timeout=30) as anonymous:
        found = World(people, anonymous, unique)
        mention = people["mentioned"].username
        found.subjects = {
            v: _post(people["author"], f"@{mention} {unique} Lagebericht {v}", visibility=v,
                     **({"group_ids[]": group["id"]} if v == "group" else {}))
            for v in VISIBILITIES}
        yield found


READERS = {
    "words": lambda w, viewer: w.search(viewer, w.word),
    "url": lambda w, viewer: set().union(*(w.search(viewer, s["url"])
                                           for s in w.subjects.values())),
}


@pytest.mark.parametrize(("path", "visibility", "viewer"), list(MATRIX),
                         ids=["-".join(key) for key in MATRIX])
def test_each_viewer_finds_exactly_what_they_may_read(world, path, visibility, viewer):
    if (path, viewer) not in world.memo:
        world.memo[path, viewer] = READERS[path](world, viewer)
    expected = MATRIX[path, visibility, viewer]
    assert (visibility in world.memo[path, viewer]) == expected, (
        f"{viewer} {'should' if expected else 'must not'} find the {visibility} status "
        f"by {path}")


def test_a_phrase_or_an_author_filter_opens_no_door(world):
    author = world.people["author"]
    for q in (f'"{world.word} lagebericht"', f"from:{author.username} {world.word}",
              f"from:{author.username}"):
        assert world.search("stranger", q) <= {"public", "unlisted", "internal"}
        assert world.search("guest", q) <= {"public", "unlisted", "private"}


def test_blocked_and_muting_viewers_find_none_of_the_authors_statuses(world, users):
    author = world.people["author"]
    blocked, muter = users.create(), users.create()
    for person in (blocked, muter):
        person.http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
    world.people |= {"blocked": blocked, "muter": muter}
    assert world.search("blocked", world.word) == {"public", "unlisted", "private",
                                                   "internal"}
    author.http.post(f"/api/v1/accounts/{blocked.id}/block").raise_for_status()
    muter.http.post(f"/api/v1/accounts/{author.id}/mute").raise_for_status()
    assert world.search("blocked", world.word) == set()
    assert world.search("muter", world.word) == set()
    muter.http.post(f"/api/v1/accounts/{author.id}/unmute").raise_for_status()
    assert world.search("muter", world.word) == {"public", "unlisted", "private", "internal"}
