"""The umbrella: the organisation's feed and each group's feed gather the public posts of the
organisation's own accounts, through the API and as Atom and RSS, and nothing else."""

from __future__ import annotations

import asyncio
import secrets
import xml.etree.ElementTree as ET

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from zwitscher.settings import Settings

GROUPS = "/api/zwitscher/v1/groups"
ORGANISATION = "/api/zwitscher/v1/feeds/organisation"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


def post(user, text: str, **options) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **options})
    assert response.status_code == 200, response.text
    return response.json()


def create_group(admin, name: str, *, parent: dict | None = None) -> dict:
    data = {"slug": f"{name.lower()}-{secrets.token_hex(3)}", "name": name}
    if parent:
        data["parent_id"] = parent["id"]
    response = admin.http.post(GROUPS, data=data)
    assert response.status_code == 200, response.text
    return response.json()


def add(admin, group: dict, *people) -> None:
    response = admin.http.post(f"{GROUPS}/{group['id']}/members",
                               data={"account_ids[]": [p.id for p in people]})
    assert response.status_code == 200, response.text


def feed_ids(client: httpx.Client, path: str, **params) -> list[str]:
    response = client.get(path, params={"limit": 40, **params})
    assert response.status_code == 200, response.text
    return [status["id"] for status in response.json()]


def make_brand(engine_env: dict, account_id: str) -> None:
    """Turn an account into a brand account whose login is a guest's, so that only being a
    brand account puts it in the feed. (Brand accounts are created on another branch; until
    then the test marks one in the database, as the operator's tooling would.)"""
    settings = Settings(data_dir=engine_env["ZWITSCHER_DATA_DIR"],
                        database_url=engine_env.get("ZWITSCHER_DATABASE_URL"))

    async def mark() -> None:
        engine = create_async_engine(settings.effective_database_url)
        async with engine.begin() as conn:
            await conn.execute(sa.text("UPDATE accounts SET kind = 'brand' WHERE id = :id"),
                               {"id": int(account_id)})
            await conn.execute(sa.text("UPDATE users SET role = 'guest' WHERE account_id = :id"),
                               {"id": int(account_id)})
        await engine.dispose()

    asyncio.run(mark())


def test_the_organisation_feed_shows_public_posts_of_members_and_brands_only(
        server, users, admin, engine_env, new_user):
    member, communicator = new_user(), users.create(role="communicator")
    guest, brand = users.create(role="guest"), new_user()
    make_brand(engine_env, brand.id)
    group = create_group(admin, "Crew")
    add(admin, group, member)

    shown = [post(member, "public from a member"),
             post(communicator, "public from a communicator"),
             post(brand, "public from the press office")]
    thread = post(member, "my own thread continues", in_reply_to_id=shown[0]["id"])
    hidden = [post(guest, "public from a guest"),
              post(member, "unlisted", visibility="unlisted"),
              post(member, "followers only", visibility="private"),
              post(member, "internal", visibility="internal"),
              post(member, "to the crew", visibility="group", **{"group_ids[]": group["id"]}),
              post(member, "a reply to someone else", in_reply_to_id=shown[1]["id"])]
    reblog = member.http.post(f"/api/v1/statuses/{shown[1]['id']}/reblog")
    assert reblog.status_code == 200, reblog.text

    with httpx.Client(base_url=server.base_url) as anonymous:
        for reader in (anonymous, member.http, guest.http):
            ids = feed_ids(reader, ORGANISATION)
            assert {s["id"] for s in shown} | {thread["id"]} <= set(ids)
            assert not {s["id"] for s in hidden} & set(ids)
            assert reblog.json()["id"] not in ids


def test_the_organisation_feed_pages_like_a_mastodon_timeline(server, new_user):
    author = new_user()
    posts = [post(author, f"page test {n}")["id"] for n in range(3)]
    with httpx.Client(base_url=server.base_url) as anonymous:
        first = anonymous.get(ORGANISATION, params={"limit": 2})
        assert [s["id"] for s in first.json()] == posts[:0:-1]
        older = first.links["next"]["url"]
        assert anonymous.get(older).json()[0]["id"] == posts[0]


def test_a_group_feed_gathers_members_of_the_group_and_its_subgroups(admin, new_user, users):
    region, outsider, guest_member = new_user(), new_user(), users.create(role="guest")
    branch_member = new_user()
    south = create_group(admin, "South")
    munich = create_group(admin, "Munich", parent=south)
    add(admin, south, region)
    add(admin, munich, branch_member)

    inside = [post(region, "from the region"), post(branch_member, "from the branch")]
    outside = post(outsider, "from elsewhere")

    ids = feed_ids(admin.http, f"{GROUPS}/{south['id']}/feed")
    assert {s["id"] for s in inside} <= set(ids) and outside["id"] not in ids
    assert feed_ids(admin.http, f"{GROUPS}/{munich['id']}/feed")[0] == inside[1]["id"]
    assert inside[0]["id"] not in feed_ids(admin.http, f"{GROUPS}/{munich['id']}/feed")
    # A guest sees the feeds of their own groups only.
    assert guest_member.http.get(f"{GROUPS}/{south['id']}/feed").status_code == 404
    add(admin, munich, guest_member)
    assert guest_member.http.get(f"{GROUPS}/{south['id']}/feed").status_code == 200


def test_group_feeds_are_not_found_for_unknown_groups_and_anonymous_readers(server, admin):
    group = create_group(admin, "Closed")
    assert admin.http.get(f"{GROUPS}/123456789/feed").status_code == 404
    assert admin.http.get(f"{GROUPS}/not-an-id/feed").json()["error"]
    assert admin.http.get("/feeds/groups/no-such-group.atom").status_code == 404
    with httpx.Client(base_url=server.base_url) as anonymous:
        assert anonymous.get(f"{GROUPS}/{group['id']}/feed").status_code == 401
        refused = anonymous.get(f"/feeds/groups/{group['slug']}.rss")
        assert refused.status_code == 404 and refused.json() == {"error": "No such group"}
        assert anonymous.get("/feeds/organisation.json").status_code == 404


HOSTILE = '<script>alert("x")</script> & <b>bold</b> \x07'


def test_the_atom_feed_is_valid_and_escapes_hostile_posts(server, new_user):
    author = new_user(display_name="Ada <Lovelace>")
    status = post(author, HOSTILE)
    with httpx.Client(base_url=server.base_url) as anonymous:
        response = anonymous.get("/feeds/organisation.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert b"<script>" not in response.content
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    entry = next(e for e in feed.findall(f"{ATOM}entry")
                 if e.find(f"{ATOM}link").get("href").endswith(f"/@{author.username}/"
                                                               f"{status['id']}"))
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Ada <Lovelace>"
    assert entry.find(f"{ATOM}updated").text and entry.find(f"{ATOM}title").text
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    # The HTML a reader renders is the post's sanitised HTML: the script only as text.
    assert "<script>" not in content.text and "&lt;script&gt;" in content.text


def test_the_rss_feed_of_a_group_is_valid_and_lists_its_posts(server, admin, new_user):
    author = new_user(display_name="Branch <Office>")
    group = create_group(admin, "Riverside")
    add(admin, group, author)
    status = post(author, HOSTILE)
    response = admin.http.get(f"/feeds/groups/{group['slug']}.rss")
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert b"<script>" not in response.content
    channel = ET.fromstring(response.content).find("channel")
    assert channel.find("title").text.startswith("Riverside")
    assert channel.find("link").text and channel.find("description").text
    (item,) = channel.findall("item")
    assert item.find("link").text == f"{server.base_url}/@{author.username}/{status['id']}"
    assert item.find("pubDate").text.endswith("GMT")
    assert item.find("{http://purl.org/dc/elements/1.1/}creator").text == "Branch <Office>"
    assert "&lt;script&gt;" in item.find("description").text
    # Feed readers sign in with the token in the address.
    with httpx.Client(base_url=server.base_url) as reader:
        signed_in = reader.get(f"/feeds/groups/{group['slug']}.atom",
                               params={"access_token": admin.token})
        assert signed_in.status_code == 200
