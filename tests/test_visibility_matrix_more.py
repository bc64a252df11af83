"""Who finds which status on the read paths that came after the foundation: bookmarks,
favourites, polls, trends, lists, conversations, notifications and media (the visibility
matrix, continued).

An author (a communicator: may post internally and to any group) posts one status per
visibility, each with a poll, a mention of `mentioned`, a hashtag and a link unique to the run
and the visibility; `former` echoes each (a trend needs two people); the group posts go to
group G. The author also posts one picture per visibility. Every signed-in viewer then
bookmarks and favourites what they can, and puts the author on a list of their own (which
Mastodon allows only to followers). Afterwards three viewers lose access, the way people do:
  author         wrote them
  follower       a person of the organisation who follows the author
  stranger       a person of the organisation who follows nobody
  mentioned      mentioned in every status, follows nobody, in no group
  blocked_later  followed the author and was in G; the author blocks them afterwards
  unfollowed     followed the author, unfollows afterwards
  group_member   a member of G
  former         a member of G, taken out afterwards
  guest          an external person (guest) in G who follows the author
  anonymous      no token
Mastodon's rules: bookmarks, favourites, polls and notifications show only what the viewer
may read now (marked or notified back when it could does not matter); trends are built from
public statuses only, and trending statuses leave out authors the viewer blocks, mutes or is
blocked by; a list shows its members' public, unlisted and followers-only posts to an owner
who follows them, never direct ones (those are conversations, for their participants only);
`GET /api/v1/media/:id` is for the uploader's own media until it is posted.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from itertools import count

import httpx
import pytest

from media_support import image_bytes
from preview_support import Site, html_page
from support import User, matrix_table, wait_until

VISIBILITIES = ("public", "unlisted", "private", "direct", "internal", "group")
VIEWERS = ("author", "follower", "stranger", "mentioned", "blocked_later", "unfollowed",
           "group_member", "former", "guest", "anonymous")
GROUPS = "/api/zwitscher/v1/groups"


# Y: the viewer finds the status (or its tag, link, poll, media) there; .: it must not be
# there (404, 401 or absent).
#   marking    POST .../bookmark (and .../favourite) taken, back when all could still read
#   bookmarks  GET /api/v1/bookmarks          favourites  GET /api/v1/favourites
#   poll       GET /api/v1/polls/:id of the status's poll
#   trending   GET /api/v1/trends/statuses    trend_tag / trend_link  /api/v1/trends/tags|links
#   list       GET /api/v1/timelines/list/:id of the viewer's list holding the author
#   conversation  the last status of one of the viewer's /api/v1/conversations
#   notified / grouped  carried by one of the viewer's notifications, v1 / v2 (grouped);
#               the author's are favourites, the others' mentions and group posts
#   draft_media   GET /api/v1/media/:id of the picture's media before it was posted
#   posted_media  the same after it was posted
MATRIX = matrix_table(VIEWERS, """
#                     author follow strang mention blocked unfoll group_m former guest anon
marking    public        Y     Y      Y      Y       Y       Y      Y      Y     Y     .
marking    unlisted      Y     Y      Y      Y       Y       Y      Y      Y     Y     .
marking    private       Y     Y      .      Y       Y       Y      .      .     Y     .
marking    direct        Y     .      .      Y       .       .      .      .     .     .
marking    internal      Y     Y      Y      Y       Y       Y      Y      Y     .     .
marking    group         Y     .      .      .       Y       .      Y      Y     Y     .
bookmarks  public        Y     Y      Y      Y       .       Y      Y      Y     Y     .
bookmarks  unlisted      Y     Y      Y      Y       .       Y      Y      Y     Y     .
bookmarks  private       Y     Y      .      Y       .       .      .      .     Y     .
bookmarks  direct        Y     .      .      Y       .       .      .      .     .     .
bookmarks  internal      Y     Y      Y      Y       .       Y      Y      Y     .     .
bookmarks  group         Y     .      .      .       .       .      Y      .     Y     .
favourites public        Y     Y      Y      Y       .       Y      Y      Y     Y     .
favourites unlisted      Y     Y      Y      Y       .       Y      Y      Y     Y     .
favourites private       Y     Y      .      Y       .       .      .      .     Y     .
favourites direct        Y     .      .      Y       .       .      .      .     .     .
favourites internal      Y     Y      Y      Y       .       Y      Y      Y     .     .
favourites group         Y     .      .      .       .       .      Y      .     Y     .
poll       public        Y     Y      Y      Y       .       Y      Y      Y     Y     Y
poll       unlisted      Y     Y      Y      Y       .       Y      Y      Y     Y     Y
poll       private       Y     Y      .      Y       .       .      .      .     Y     .
poll       direct        Y     .      .      Y       .       .      .      .     .     .
poll       internal      Y     Y      Y      Y       .       Y      Y      Y     .     .
poll       group         Y     .      .      .       .       .      Y      .     Y     .
trending   public        Y     Y      Y      Y       .       Y      Y      Y     Y     Y
trending   unlisted      .     .      .      .       .       .      .      .     .     .
trending   private       .     .      .      .       .       .      .      .     .     .
trending   direct        .     .      .      .       .       .      .      .     .     .
trending   internal      .     .      .      .       .       .      .      .     .     .
trending   group         .     .      .      .       .       .      .      .     .     .
trend_tag  public        Y     Y      Y      Y       Y       Y      Y      Y     Y     Y
trend_tag  unlisted      .     .      .      .       .       .      .      .     .     .
trend_tag  private       .     .      .      .       .       .      .      .     .     .
trend_tag  direct        .     .      .      .       .       .      .      .     .     .
trend_tag  internal      .     .      .      .       .       .      .      .     .     .
trend_tag  group         .     .      .      .       .       .      .      .     .     .
trend_link public        Y     Y      Y      Y       Y       Y      Y      Y     Y     Y
trend_link unlisted      .     .      .      .       .       .      .      .     .     .
trend_link private       .     .      .      .       .       .      .      .     .     .
trend_link direct        .     .      .      .       .       .      .      .     .     .
trend_link internal      .     .      .      .       .       .      .      .     .     .
trend_link group         .     .      .      .       .       .      .      .     .     .
list       public        .     Y      .      .       .       .      .      .     Y     .
list       unlisted      .     Y      .      .       .       .      .      .     Y     .
list       private       .     Y      .      .       .       .      .      .     Y     .
list       direct        .     .      .      .       .       .      .      .     .     .
list       internal      .     Y      .      .       .       .      .      .     .     .
list       group         .     .      .      .       .       .      .      .     Y     .
conversation public      .     .      .      .       .       .      .      .     .     .
conversation unlisted    .     .      .      .       .       .      .      .     .     .
conversation private     .     .      .      .       .       .      .      .     .     .
conversation direct      Y     .      .      Y       .       .      .      .     .     .
conversation internal    .     .      .      .       .       .      .      .     .     .
conversation group       .     .      .      .       .       .      .      .     .     .
notified   public        Y     .      .      Y       .       .      .      .     .     .
notified   unlisted      Y     .      .      Y       .       .      .      .     .     .
notified   private       Y     .      .      Y       .       .      .      .     .     .
notified   direct        Y     .      .      Y       .       .      .      .     .     .
notified   internal      Y     .      .      Y       .       .      .      .     .     .
notified   group         Y     .      .      .       .       .      Y      .     Y     .
grouped    public        Y     .      .      Y       .       .      .      .     .     .
grouped    unlisted      Y     .      .      Y       .       .      .      .     .     .
grouped    private       Y     .      .      Y       .       .      .      .     .     .
grouped    direct        Y     .      .      Y       .       .      .      .     .     .
grouped    internal      Y     .      .      Y       .       .      .      .     .     .
grouped    group         Y     .      .      .       .       .      Y      .     Y     .
draft_media public       Y     .      .      .       .       .      .      .     .     .
draft_media unlisted     Y     .      .      .       .       .      .      .     .     .
draft_media private      Y     .      .      .       .       .      .      .     .     .
draft_media direct       Y     .      .      .       .       .      .      .     .     .
draft_media internal     Y     .      .      .       .       .      .      .     .     .
draft_media group        Y     .      .      .       .       .      .      .     .     .
posted_media public      .     .      .      .       .       .      .      .     .     .
posted_media unlisted    .     .      .      .       .       .      .      .     .     .
posted_media private     .     .      .      .       .       .      .      .     .     .
posted_media direct      .     .      .      .       .       .      .      .     .     .
posted_media internal    .     .      .      .       .       .      .      .     .     .
posted_media group       .     .      .      .       .       .      .      .     .     .
""")


@dataclass
class World:
    people: dict[str, User]
    anonymous: httpx.Client
    tag: str
    group: dict
    site: Site
    subjects: dict[str, dict] = field(default_factory=dict)   # visibility -> status with poll
    media: dict[str, dict] = field(default_factory=dict)      # visibility -> picture's media
    lists: dict[str, str] = field(default_factory=dict)       # viewer -> their list's id
    memo: dict = field(default_factory=dict)

    def client(self, viewer: str) -> httpx.Client:
        return self.anonymous if viewer == "anonymous" else self.people[viewer].http

    def tag_of(self, visibility: str) -> str:
        return f"{self.tag}{visibility}"

    def link_of(self, visibility: str) -> str:
        return f"{self.site.url}/{self.tag}/{visibility}"

    def which(self, ids: set[str]) -> set[str]:
        return {v for v, s in self.subjects.items() if s["id"] in ids}

    def signed_in(self, viewer: str, url: str, **params: str) -> list | dict | None:
        """The JSON of a path for signed-in people only; None for the anonymous viewer."""
        response = self.client(viewer).get(url, params=params)
        if viewer == "anonymous":
            assert response.status_code == 401, response.text
            return None
        assert response.status_code == 200, response.text
        return response.json()

    def every_page(self, viewer: str, url: str, size: int) -> list[dict]:
        """All of an offset-paged list (trends), so nothing hides beyond the first page."""
        found: list[dict] = []
        for offset in count(0, size):
            response = self.client(viewer).get(url, params={"limit": size, "offset": offset})
            assert response.status_code == 200, response.text
            found += response.json()
            if len(response.json()) < size:
                return found
        raise AssertionError("unreachable")


def _post(user: User, text: str, **params) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _read_marked(url: str):
    def read(w: World, viewer: str) -> set[str]:
        statuses = w.signed_in(viewer, url, limit="40")
        return w.which({s["id"] for s in statuses or []})
    return read


def _read_polls(w: World, viewer: str) -> set[str]:
    found = set()
    for visibility, status in w.subjects.items():
        response = w.client(viewer).get(f"/api/v1/polls/{status['poll']['id']}")
        assert response.status_code in (200, 404), response.text
        if response.status_code == 200:
            assert response.json()["id"] == status["poll"]["id"]
            found.add(visibility)
    return found


def _read_trending_tags(w: World, viewer: str) -> set[str]:
    names = {t["name"].lower() for t in w.every_page(viewer, "/api/v1/trends/tags", 20)}
    return {v for v in VISIBILITIES if w.tag_of(v).lower() in names}


def _read_trending_links(w: World, viewer: str) -> set[str]:
    urls = {link["url"] for link in w.every_page(viewer, "/api/v1/trends/links", 20)}
    return {v for v in VISIBILITIES if w.link_of(v) in urls}


def _read_list(w: World, viewer: str) -> set[str]:
    if viewer == "anonymous":
        assert w.anonymous.get("/api/v1/timelines/list/1").status_code == 401
        return set()
    statuses = w.signed_in(viewer, f"/api/v1/timelines/list/{w.lists[viewer]}", limit="40")
    return w.which({s["id"] for s in statuses})


def _read_conversations(w: World, viewer: str) -> set[str]:
    conversations = w.signed_in(viewer, "/api/v1/conversations", limit="40")
    return w.which({c["last_status"]["id"] for c in conversations or [] if c["last_status"]})


def _read_notifications(w: World, viewer: str) -> set[str]:
    notifications = w.signed_in(viewer, "/api/v1/notifications", limit="80")
    return w.which({n["status"]["id"] for n in notifications or [] if n["status"]})


def _read_grouped(w: World, viewer: str) -> set[str]:
    if viewer == "anonymous":
        assert w.anonymous.get("/api/v2/notifications").status_code == 401
        return set()
    grouped = w.signed_in(viewer, "/api/v2/notifications", limit="80")
    statuses = {s["id"] for s in grouped["statuses"]}
    cited = {g["status_id"] for g in grouped["notification_groups"] if g.get("status_id")}
    assert cited <= statuses, "a group names a status the answer does not carry"
    return w.which(cited)


def _read_media(w: World, viewer: str) -> set[str]:
    found = set()
    for visibility, media in w.media.items():
        response = w.client(viewer).get(f"/api/v1/media/{media['id']}")
        assert response.status_code in (200, 401, 404), response.text
        if response.status_code == 200:
            assert response.json()["id"] == media["id"]
            found.add(visibility)
    return found


READERS = {
    "bookmarks": _read_marked("/api/v1/bookmarks"),
    "favourites": _read_marked("/api/v1/favourites"),
    "poll": _read_polls,
    "trending": lambda w, viewer: w.which(
        {s["id"] for s in w.every_page(viewer, "/api/v1/trends/statuses", 40)}),
    "trend_tag": _read_trending_tags,
    "trend_link": _read_trending_links,
    "list": _read_list,
    "conversation": _read_conversations,
    "notified": _read_notifications,
    "grouped": _read_grouped,
    "posted_media": _read_media,
}


def _members(admin: User, group: dict, *people: User) -> None:
    admin.http.post(f"{GROUPS}/{group['id']}/members",
                    data={"account_ids[]": [p.id for p in people]}).raise_for_status()


def _audience(world: World, visibility: str) -> dict:
    return {"visibility": visibility,
            **({"group_ids[]": world.group["id"]} if visibility == "group" else {})}


def _post_everything(world: World) -> None:
    author, former = world.people["author"], world.people["former"]
    mention = world.people["mentioned"].username
    for v in VISIBILITIES:
        about = f"#{world.tag_of(v)} {world.link_of(v)}"
        world.subjects[v] = _post(author, f"@{mention} {about} Wer kommt? ({v})",
                                  **_audience(world, v), **{"poll[options][]": ["ich", "nein"],
                                                            "poll[expires_in]": "86400"})
        _post(former, f"@{mention} {about} ich auch ({v})", **_audience(world, v))
        # A second account sharing the link (the subject, with its poll, has no card), as
        # trending links need.
        _post(world.people["group_member"], f"{about} ({v})", **_audience(world, v))
    for v in VISIBILITIES:
        uploaded = author.http.post("/api/v2/media", files={
            "file": (f"{v}.png", image_bytes("PNG", (40, 30)), "image/png")})
        assert uploaded.status_code == 200, uploaded.text
        world.media[v] = uploaded.json()
    for viewer in VIEWERS:
        world.memo["draft_media", viewer] = _read_media(world, viewer)
    for v, media in world.media.items():
        _post(author, f"Das Foto ({v})", **_audience(world, v), **{"media_ids[]": media["id"]})


def _mark_and_list_while_allowed(world: World) -> None:
    """Each viewer bookmarks and favourites what it may read now, and lists the author."""
    author = world.people["author"]
    for viewer, person in world.people.items():
        taken = {v: {person.http.post(f"/api/v1/statuses/{status['id']}/{action}").status_code
                     for action in ("bookmark", "favourite")}
                 for v, status in world.subjects.items()}
        assert all(codes in ({200}, {404}) for codes in taken.values()), taken
        world.memo["marking", viewer] = {v for v, codes in taken.items() if codes == {200}}
        created = person.http.post("/api/v1/lists", data={"title": "Leute"})
        assert created.status_code == 200, created.text
        world.lists[viewer] = created.json()["id"]
        added = person.http.post(f"/api/v1/lists/{world.lists[viewer]}/accounts",
                                 data={"account_ids[]": author.id})
        # Mastodon lets one list only the accounts one follows.
        assert added.status_code in (200, 404), added.text


@pytest.fixture(scope="module")
def world(users, server, preview_site) -> World:
    admin = users.create(role="admin")
    roles = {"author": "communicator", "guest": "guest"}
    people = {name: users.create(role=roles.get(name)) for name in VIEWERS
              if name != "anonymous"}
    group = admin.http.post(GROUPS, data={"slug": f"more-{secrets.token_hex(3)}",
                                          "name": "More G"}).json()
    _members(admin, group, *(people[n] for n in ("blocked_later", "group_member", "former",
                                                 "guest")))
    author = people["author"]
    for name in ("follower", "blocked_later", "unfollowed", "guest"):
        people[name].http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
    with httpx.Client(base_url=server.base_url, timeout=30) as anonymous:
        found = World(people, anonymous, tag=f"mx{secrets.token_hex(5)}", group=group,
                      site=preview_site)
        for v in VISIBILITIES:
            preview_site.serve(found.link_of(v).removeprefix(preview_site.url),
                               html_page(f"Seite {v}"))
        _post_everything(found)
        # Cards are fetched by a job: the links trend once their pages were read.
        paths = [found.link_of(v).removeprefix(preview_site.url) for v in VISIBILITIES]
        assert wait_until(lambda: all(preview_site.hits[p] for p in paths)
                          and found.link_of("public") in {
                              link["url"] for link in found.every_page(
                                  "anonymous", "/api/v1/trends/links", 20)}, timeout=20)
        _mark_and_list_while_allowed(found)
        refused = anonymous.post(f"/api/v1/statuses/{found.subjects['public']['id']}/bookmark")
        assert refused.status_code == 401
        found.memo["marking", "anonymous"] = set()
        author.http.post(f"/api/v1/accounts/{people['blocked_later'].id}/block"
                         ).raise_for_status()
        people["unfollowed"].http.post(f"/api/v1/accounts/{author.id}/unfollow"
                                       ).raise_for_status()
        admin.http.delete(f"{GROUPS}/{group['id']}/members",
                          params={"account_ids[]": [people["former"].id]}).raise_for_status()
        found.people["admin"] = admin
        yield found


@pytest.mark.parametrize(("path", "visibility", "viewer"), list(MATRIX),
                         ids=["-".join(key) for key in MATRIX])
def test_each_viewer_finds_exactly_what_they_may_read_now(world, path, visibility, viewer):
    if (path, viewer) not in world.memo:
        world.memo[path, viewer] = READERS[path](world, viewer)
    expected = MATRIX[path, visibility, viewer]
    assert (visibility in world.memo[path, viewer]) == expected, (
        f"{viewer} {'should' if expected else 'must not'} find the {visibility} status "
        f"on {path}")


def test_trending_statuses_leave_out_authors_the_viewer_mutes_or_blocks(world, users):
    author, trending = world.people["author"], world.subjects["public"]["id"]
    muter, blocker = users.create(), users.create()
    world.people |= {"muter": muter, "blocker": blocker}

    def shown(viewer: str) -> set[str]:
        return {s["id"] for s in world.every_page(viewer, "/api/v1/trends/statuses", 40)}

    assert trending in shown("muter") and trending in shown("blocker")
    muter.http.post(f"/api/v1/accounts/{author.id}/mute").raise_for_status()
    blocker.http.post(f"/api/v1/accounts/{author.id}/block").raise_for_status()
    for viewer in ("muter", "blocker"):
        assert trending not in shown(viewer), f"the {viewer} still sees the author's status"
    # The tag and the link stay: they are everyone's, not the author's alone.
    assert world.tag_of("public").lower() in {
        t["name"].lower() for t in world.every_page("blocker", "/api/v1/trends/tags", 20)}


def test_only_those_who_may_read_a_poll_vote_in_it_and_refusals_count_nothing(world):
    for visibility, status in world.subjects.items():
        poll = status["poll"]["id"]
        allowed = {v for v in VIEWERS if MATRIX["poll", visibility, v]} - {"author", "anonymous"}
        for viewer in VIEWERS:
            voted = world.client(viewer).post(f"/api/v1/polls/{poll}/votes",
                                              data={"choices[]": "0"})
            refused = {"author": 422, "anonymous": 401}.get(viewer, 404)
            assert voted.status_code == (200 if viewer in allowed else refused), viewer
        tally = world.people["author"].http.get(f"/api/v1/polls/{poll}").json()
        assert tally["votes_count"] == len(allowed), visibility
