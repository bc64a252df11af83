"""Who finds `internal` and `group` statuses where: the organisation's own visibility matrix.

An author (a communicator: internal communications) posts one `internal` status and one
`group` status addressed to group G. G has a subgroup S. The viewers:
  author          wrote them
  member          a person of the organisation, in no group, not following the author
  follower        a member who follows the author
  group_member    a member of G
  sub_member      a member of S (so, through the tree, of G)
  former          was a member of G when the posts went out, was taken out afterwards
  guest_follower  an external person (guest) who follows the author
  guest_in_group  a guest who is a member of G (journalists in "press: national")
  anonymous       no token
Rules: internal is for every person of the organisation, never guests or anonymous; group is
for members of G and of groups below it as they are when read, guests included.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import httpx
import pytest

from streams import SseStream
from support import User, matrix_table, wait_until

VISIBILITIES = ("internal", "group")
VIEWERS = ("author", "member", "follower", "group_member", "sub_member", "former",
           "guest_follower", "guest_in_group", "anonymous")
GROUPS = "/api/zwitscher/v1/groups"


# Y: the viewer finds the status there; .: it must not be there (404, 401 or absent).
#   status   GET /api/v1/statuses/:id        context  descendants of the author's public root
#   account  the author's statuses           home     the home timeline
#   public / tag   public and hashtag timelines
#   group    GET /api/zwitscher/v1/groups/G/timeline
#   notified carried by one of the viewer's notifications
MATRIX = matrix_table(VIEWERS, """
#                author member follower group_m sub_m former guest_f guest_g anon
status   internal  Y      Y      Y        Y      Y     Y      .       .      .
status   group     Y      .      .        Y      Y     .      .       Y      .
context  internal  Y      Y      Y        Y      Y     Y      .       .      .
context  group     Y      .      .        Y      Y     .      .       Y      .
account  internal  Y      Y      Y        Y      Y     Y      .       .      .
account  group     Y      .      .        Y      Y     .      .       Y      .
home     internal  Y      .      Y        .      .     .      .       .      .
home     group     Y      .      .        Y      Y     .      .       Y      .
public   internal  .      .      .        .      .     .      .       .      .
public   group     .      .      .        .      .     .      .       .      .
tag      internal  .      .      .        .      .     .      .       .      .
tag      group     .      .      .        .      .     .      .       .      .
group    internal  .      .      .        .      .     .      .       .      .
group    group     Y      .      .        Y      Y     .      .       Y      .
notified internal  .      .      .        .      .     .      .       .      .
notified group     .      .      .        Y      Y     .      .       Y      .
""")

# Posted again while everyone listens (`former` is out of G by then).
#   user    `update` on /streaming/user;   groupstream  /streaming/group?group=G
STREAM_MATRIX = matrix_table(VIEWERS, """
user        internal  Y      .      Y        .      .     .      .       .      .
user        group     Y      .      .        Y      Y     .      .       Y      .
groupstream internal  .      .      .        .      .     .      .       .      .
groupstream group     .      .      .        Y      Y     .      .       Y      .
""")


@dataclass
class Org:
    people: dict[str, User]
    anonymous: httpx.Client
    group: dict
    tag: str
    root: dict = field(default_factory=dict)
    subjects: dict[str, dict] = field(default_factory=dict)
    memo: dict = field(default_factory=dict)

    def client(self, viewer: str) -> httpx.Client:
        return self.anonymous if viewer == "anonymous" else self.people[viewer].http

    def post(self, label: str) -> dict[str, dict]:
        author = self.people["author"]
        return {v: _post(author, f"#{self.tag} {label} {v}", visibility=v,
                         in_reply_to_id=self.root["id"],
                         **({"group_ids[]": self.group["id"]} if v == "group" else {}))
                for v in VISIBILITIES}

    def which(self, ids: set[str]) -> set[str]:
        return {v for v, s in self.subjects.items() if s["id"] in ids}

    def listing(self, viewer: str, url: str) -> set[str]:
        response = self.client(viewer).get(url, params={"limit": "40",
                                                        "since_id": self.root["id"]})
        if response.status_code in (401, 404):
            return set()
        assert response.status_code == 200, response.text
        return self.which({s["id"] for s in response.json()})


def _post(user: User, text: str, **params) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _read_status(org: Org, viewer: str) -> set[str]:
    found = set()
    for visibility, status in org.subjects.items():
        response = org.client(viewer).get(f"/api/v1/statuses/{status['id']}")
        assert response.status_code in (200, 404), response.text
        if response.status_code == 200:
            found.add(visibility)
    return found


def _read_context(org: Org, viewer: str) -> set[str]:
    response = org.client(viewer).get(f"/api/v1/statuses/{org.root['id']}/context")
    assert response.status_code == 200, response.text
    return org.which({s["id"] for s in response.json()["descendants"]})


def _read_notifications(org: Org, viewer: str) -> set[str]:
    if viewer == "anonymous":
        return set()
    response = org.client(viewer).get("/api/v1/notifications", params={"limit": "80"})
    assert response.status_code == 200, response.text
    return org.which({n["status"]["id"] for n in response.json() if n["status"]})


READERS = {
    "status": _read_status,
    "context": _read_context,
    "account": lambda o, v: o.listing(v, f"/api/v1/accounts/{o.people['author'].id}/statuses"),
    "home": lambda o, v: o.listing(v, "/api/v1/timelines/home"),
    "public": lambda o, v: o.listing(v, "/api/v1/timelines/public"),
    "tag": lambda o, v: o.listing(v, f"/api/v1/timelines/tag/{o.tag}"),
    "group": lambda o, v: o.listing(v, f"{GROUPS}/{o.group['id']}/timeline"),
    "notified": _read_notifications,
}


def _members(admin: User, group: dict, *people: User) -> None:
    admin.http.post(f"{GROUPS}/{group['id']}/members",
                    data={"account_ids[]": [p.id for p in people]}).raise_for_status()


@pytest.fixture(scope="module")
def org(users, server) -> Org:
    admin = users.create(role="admin")
    guests = {"guest_follower", "guest_in_group"}
    roles = {name: "guest" for name in guests} | {"author": "communicator"}
    people = {name: users.create(role=roles.get(name)) for name in VIEWERS if name != "anonymous"}
    suffix = secrets.token_hex(3)
    group = admin.http.post(GROUPS, data={"slug": f"g-{suffix}", "name": "G"}).json()
    sub = admin.http.post(GROUPS, data={"slug": f"s-{suffix}", "name": "S",
                                        "parent_id": group["id"]}).json()
    _members(admin, group, people["group_member"], people["former"], people["guest_in_group"])
    _members(admin, sub, people["sub_member"])
    for name in ("follower", "guest_follower"):
        people[name].http.post(f"/api/v1/accounts/{people['author'].id}/follow"
                               ).raise_for_status()
    with httpx.Client(base_url=server.base_url, timeout=30) as anonymous:
        found = Org(people, anonymous, group, tag=f"org{secrets.token_hex(5)}")
        found.root = _post(people["author"], f"#{found.tag} the thread starts here")
        found.subjects = found.post("matrix")
        # Fan-out runs as a job: take `former` out only once the posts reached them.
        assert wait_until(lambda: found.listing("former", "/api/v1/timelines/home")
                          == {"group"}), "fan-out never reached the group"
        admin.http.delete(f"{GROUPS}/{group['id']}/members",
                          params={"account_ids[]": [people["former"].id]}).raise_for_status()
        found.people["admin"] = admin
        yield found


@pytest.mark.parametrize(("path", "visibility", "viewer"), list(MATRIX),
                         ids=["-".join(key) for key in MATRIX])
def test_each_viewer_finds_exactly_what_the_organisation_allows(org, path, visibility, viewer):
    if (path, viewer) not in org.memo:
        org.memo[path, viewer] = READERS[path](org, viewer)
    expected = MATRIX[path, visibility, viewer]
    assert (visibility in org.memo[path, viewer]) == expected, (
        f"{viewer} {'should' if expected else 'must not'} find the {visibility} status "
        f"on {path}")


def test_streams_carry_internal_and_group_posts_only_to_those_allowed(org, server):
    streams: dict[tuple[str, str], SseStream] = {}
    for viewer in VIEWERS:
        if viewer == "anonymous":
            continue
        user = org.people[viewer]
        streams["user", viewer] = SseStream(server.base_url, "/api/v1/streaming/user",
                                            user.token, {})
        try:
            streams["groupstream", viewer] = SseStream(
                server.base_url, "/api/v1/streaming/group", user.token,
                {"group": org.group["id"]})
        except AssertionError:
            pass  # not a member: the stream is refused (404), which the matrix expects
    anonymous = httpx.get(f"{server.base_url}/api/v1/streaming/group",
                          params={"group": org.group["id"]}, timeout=5)
    assert anonymous.status_code == 401
    try:
        live = org.post("live")
        sentinel = _post(org.people["author"], "sentinel: everyone following has this",
                         visibility="public")
        streams["user", "follower"].wait_for("update", lambda d: sentinel["id"] in d)
        for (path, visibility, viewer), expected in STREAM_MATRIX.items():
            if viewer == "anonymous":
                continue
            stream = streams.get((path, viewer))
            if expected:
                assert stream is not None, f"{viewer} could not open {path}"
                stream.wait_for("update", lambda d, s=live[visibility]: s["id"] in d)
            elif stream is not None:
                assert live[visibility]["id"] not in stream.status_ids(), (
                    f"{viewer} must not hear the {visibility} post on {path}")
    finally:
        for stream in streams.values():
            stream.close()


def test_a_member_taken_out_of_the_group_stops_hearing_its_stream_at_once(org, server):
    admin, leaver = org.people["admin"], org.people["group_member"]
    stream = SseStream(server.base_url, "/api/v1/streaming/group", leaver.token,
                       {"group": org.group["id"]})
    watcher = SseStream(server.base_url, "/api/v1/streaming/group",
                        org.people["sub_member"].token, {"group": org.group["id"]})
    try:
        admin.http.delete(f"{GROUPS}/{org.group['id']}/members",
                          params={"account_ids[]": [leaver.id]}).raise_for_status()
        status = _post(org.people["author"], "after the reorganisation", visibility="group",
                       **{"group_ids[]": org.group["id"]})
        watcher.wait_for("update", lambda d: status["id"] in d)
        assert status["id"] not in stream.status_ids()
    finally:
        stream.close()
        watcher.close()
        _members(admin, org.group, leaver)


def test_mastodon_clients_see_private_and_the_exact_visibility_in_the_extension(org):
    for visibility, status in org.subjects.items():
        shown = org.people["author"].http.get(f"/api/v1/statuses/{status['id']}").json()
        assert shown["visibility"] == "private"
        assert shown["zwitscher"]["visibility"] == visibility
    groups = org.subjects["group"]["zwitscher"]["groups"]
    assert [g["id"] for g in groups] == [org.group["id"]]


def test_a_reply_stays_with_the_audience_of_what_it_answers(org):
    reply = _post(org.people["group_member"], "count me in", visibility="private",
                  in_reply_to_id=org.subjects["group"]["id"])
    assert reply["zwitscher"]["visibility"] == "group"
    assert org.people["follower"].http.get(f"/api/v1/statuses/{reply['id']}").status_code == 404


def test_posting_to_groups_and_internally_is_checked(org):
    guest, member = org.people["guest_follower"], org.people["member"]
    refused = [
        (guest, {"visibility": "internal"}),
        (member, {"visibility": "group"}),
        (member, {"visibility": "group", "group_ids[]": org.group["id"]}),
        (member, {"visibility": "public", "group_ids[]": org.group["id"]}),
        (member, {"visibility": "group", "group_ids[]": "999999999999"}),
        (member, {"visibility": "group", "group_ids[]": "not-an-id"}),
    ]
    before = len(member.http.get(f"/api/v1/accounts/{member.id}/statuses").json())
    for user, params in refused:
        response = user.http.post("/api/v1/statuses", data={"status": "hello", **params})
        assert 400 <= response.status_code < 500, (params, response.text)
        assert "error" in response.json()
    assert len(member.http.get(f"/api/v1/accounts/{member.id}/statuses").json()) == before
    # Guests post to groups they belong to.
    _post(org.people["guest_in_group"], "from the press room", visibility="group",
          **{"group_ids[]": org.group["id"]})


def test_whom_the_author_blocks_reads_neither_internal_nor_group_posts(users, org):
    author, admin = users.create(role="communicator"), org.people["admin"]
    blocked = users.create()
    _members(admin, org.group, blocked)
    internal = _post(author, "for everyone inside", visibility="internal")
    group = _post(author, "for the group", visibility="group", **{"group_ids[]": org.group["id"]})
    for status in (internal, group):
        assert blocked.http.get(f"/api/v1/statuses/{status['id']}").status_code == 200
    author.http.post(f"/api/v1/accounts/{blocked.id}/block").raise_for_status()
    for status in (internal, group):
        assert blocked.http.get(f"/api/v1/statuses/{status['id']}").status_code == 404
        found = blocked.http.get("/api/v2/search", params={"q": status["url"],
                                                           "resolve": "true"}).json()
        assert found["statuses"] == []


def test_edits_and_deletions_tell_no_mentioned_outsider_of_internal_or_group_posts(org, server):
    author, guest, member = (org.people[name] for name in ("author", "guest_follower", "member"))
    texts = {"internal": f"inside only, @{guest.username}",
             "group": f"for the group only, @{member.username}",
             "public": f"for all, @{guest.username} @{member.username}"}
    streams = [SseStream(server.base_url, "/api/v1/streaming/user", person.token, {})
               for person in (guest, member)]
    try:
        posted = {v: _post(author, text, visibility=v,
                           **({"group_ids[]": org.group["id"]} if v == "group" else {}))
                  for v, text in texts.items()}
        for v, status in posted.items():  # the mentions stay in the edited text
            author.http.put(f"/api/v1/statuses/{status['id']}",
                            data={"status": f"{texts[v]} (edited)"}).raise_for_status()
        for status in posted.values():
            author.http.delete(f"/api/v1/statuses/{status['id']}").raise_for_status()
        # The public post, edited and deleted last, reaches both: what came before has too.
        for stream in streams:
            stream.wait_for("delete", lambda data: data == posted["public"]["id"])
            heard = " ".join(data for _, data in stream.events)
            for v in ("internal", "group"):
                assert posted[v]["id"] not in heard, f"an outsider heard of the {v} post"
    finally:
        for stream in streams:
            stream.close()
