"""A person's archive (docs/data-rights.md, "Your archive"): asked for on the web or through
the API, made by a job, announced by e-mail, downloaded by its owner only, in Mastodon's
archive format with its CSV exports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
from mail_support import link_in, text_of

from media_support import image_bytes
from support import User, UserFactory, fresh_instance, wait_until
from web_support import WebClient

ARCHIVE_API = "/api/zwitscher/v1/archive"
ARCHIVE_PAGE = "/web/settings/archive"


@dataclass
class World:
    ana: User
    bob: User
    host: str
    posted: dict[str, str]  # what Ana posted, by name: status id
    bobs_public: str
    bobs_private_text: str
    bobs_direct_text: str
    image: bytes  # the attachment as the server serves it
    avatar: bytes
    zip: zipfile.ZipFile
    archive_id: str
    mail: str


def _archive_mail(mailbox, address: str):
    def arrived():
        return next((message for message in mailbox.to(address)
                     if "archive" in message["Subject"]), None)
    message = wait_until(arrived, timeout=60)
    assert message is not None, "no e-mail about the archive"
    return message


@pytest.fixture(scope="module")
def world(users, server, mailbox) -> World:
    """Ana posts to every audience (an image, a poll, a boost, a reply), follows, lists,
    bookmarks, favourites, blocks and mutes; Bob writes her privately. Ana asks for her archive
    on the web, follows the e-mail's link and downloads it."""
    ana, bob, carol, dave, erin = (users.create() for _ in range(5))
    bob.api.account_follow(ana.id)
    ana.api.account_follow(bob.id, notify=True)
    ana.api.account_follow(carol.id, reblogs=False)
    bobs_public = bob.api.status_post("Bobs öffentlicher Beitrag")
    bobs_private_text = "Bobs Geheimnis nur für Folgende"
    bobs_private = bob.api.status_post(bobs_private_text, visibility="private")
    bobs_direct_text = "Bobs Nachricht nur an Ana"
    bob.api.status_post(f"@{ana.username} {bobs_direct_text}", visibility="direct")
    media = ana.api.media_post(image_bytes("PNG", (64, 48), color=(10, 120, 200)),
                               mime_type="image/png", description="Das Werk in Ulm")
    pictured = ana.api.status_post("Öffentlich mit Bild", media_ids=[media.id])
    posted = {
        "public": pictured.id,
        "unlisted": ana.api.status_post("Nicht gelistet", visibility="unlisted").id,
        "private": ana.api.status_post("Nur für Folgende", visibility="private").id,
        "direct": ana.api.status_post(f"@{bob.username} Anas Nachricht an Bob",
                                      visibility="direct").id,
        "poll": ana.api.status_post("Kaffee oder Tee?", poll=ana.api.make_poll(
            ["Kaffee", "Tee"], expires_in=3600)).id,
        "reply": ana.api.status_post("Antwort", in_reply_to_id=bobs_public.id).id,
        "boost": ana.api.status_reblog(bobs_public.id).id,
    }
    ana.api.status_favourite(bobs_public.id)
    ana.api.status_bookmark(bobs_public.id)
    ana.api.status_bookmark(bobs_private.id)
    work = ana.api.list_create("Arbeit, Team")
    ana.api.list_accounts_add(work.id, [bob.id, carol.id])
    ana.api.account_block(dave.id)
    ana.api.account_mute(erin.id, notifications=True)
    ana.api.domain_block("spam.example")
    ana.api.account_update_credentials(avatar=image_bytes("PNG", (400, 400)),
                                       avatar_mime_type="image/png")
    me = ana.api.me()
    image = httpx.get(pictured.media_attachments[0].url).content
    avatar = httpx.get(me.avatar).content

    web = WebClient(server.base_url)
    web.sign_in(ana.username)
    page = web.get(ARCHIVE_PAGE)
    assert "Ask for your archive" in page.text
    asked = web.submit(ARCHIVE_PAGE, ARCHIVE_PAGE, {})
    assert asked.status_code == 200
    assert "Your archive is being made" in asked.text
    mail = _archive_mail(mailbox, ana.email)
    link = link_in(mail)
    assert urlsplit(link).path == ARCHIVE_PAGE
    page = web.get(urlsplit(link).path)
    download = next(line.split('href="')[1].split('"')[0] for line in page.text.splitlines()
                    if "/download" in line)
    archive = web.get(download)
    web.close()
    assert archive.status_code == 200, archive.text
    assert archive.headers["content-type"] == "application/zip"
    assert f"archive-{ana.username}-" in archive.headers["content-disposition"]
    return World(ana, bob, urlsplit(server.base_url).netloc, posted, bobs_public.id,
                 bobs_private_text, bobs_direct_text, image, avatar,
                 zipfile.ZipFile(io.BytesIO(archive.content)), download.split("/")[-2],
                 text_of(mail))


def _json(world: World, name: str) -> dict:
    return json.loads(world.zip.read(name))


def _csv(world: World, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(world.zip.read(name).decode())))


def _uri(world: World, user: User, status_id: str) -> str:
    return f"http://{world.host}/users/{user.username}/statuses/{status_id}"


def test_the_email_says_the_archive_is_ready_and_how_large(world):
    assert "is ready" in world.mail
    assert " kB" in world.mail or " MB" in world.mail


def test_the_outbox_holds_every_own_post_in_mastodons_shape(world):
    outbox = _json(world, "outbox.json")
    assert outbox["type"] == "OrderedCollection"
    assert outbox["totalItems"] == len(outbox["orderedItems"]) == len(world.posted)
    by_uri = {item["object"] if item["type"] == "Announce" else item["object"]["id"]: item
              for item in outbox["orderedItems"]}
    for name, status_id in world.posted.items():
        if name == "boost":
            continue
        item = by_uri[_uri(world, world.ana, status_id)]
        assert item["type"] == "Create"
        assert item["actor"] == f"http://{world.host}/users/{world.ana.username}"
        assert item["object"]["type"] == ("Question" if name == "poll" else "Note")
    audience = {name: by_uri[_uri(world, world.ana, world.posted[name])]["object"]
                for name in ("public", "unlisted", "private", "direct")}
    public = "https://www.w3.org/ns/activitystreams#Public"
    assert public in audience["public"]["to"] and public in audience["unlisted"]["cc"]
    assert audience["private"]["to"] == [f"http://{world.host}/users/{world.ana.username}"
                                         "/followers"]
    assert audience["direct"]["to"] == [f"http://{world.host}/users/{world.bob.username}"]
    assert "Anas Nachricht an Bob" in audience["direct"]["content"]
    poll = by_uri[_uri(world, world.ana, world.posted["poll"])]["object"]
    assert [option["name"] for option in poll["oneOf"]] == ["Kaffee", "Tee"]
    reply = by_uri[_uri(world, world.ana, world.posted["reply"])]["object"]
    assert reply["inReplyTo"] == _uri(world, world.bob, world.bobs_public)
    boost = by_uri[_uri(world, world.bob, world.bobs_public)]
    assert boost["type"] == "Announce"


def test_attachments_name_their_files_which_are_the_served_bytes(world):
    outbox = _json(world, "outbox.json")
    pictured = next(item["object"] for item in outbox["orderedItems"]
                    if item["type"] == "Create" and item["object"]["attachment"])
    [attachment] = pictured["attachment"]
    assert attachment["type"] == "Document" and attachment["mediaType"] == "image/png"
    assert attachment["name"] == "Das Werk in Ulm"
    assert attachment["url"].startswith("media_attachments/files/")
    assert world.zip.read(attachment["url"]) == world.image
    media = [name for name in world.zip.namelist() if name.startswith("media_attachments/")]
    assert media == [attachment["url"]]


def test_the_profile_and_its_picture_are_there(world):
    actor = _json(world, "actor.json")
    assert actor["type"] == "Person"
    assert actor["preferredUsername"] == world.ana.username
    assert actor["outbox"] == "outbox.json"
    assert world.zip.read(actor["icon"]["url"]) == world.avatar


def test_favourites_and_bookmarks_are_ids_of_posts(world):
    assert _json(world, "likes.json")["orderedItems"] == [
        _uri(world, world.bob, world.bobs_public)]
    bookmarks = _json(world, "bookmarks.json")
    assert bookmarks["totalItems"] == 2
    assert _uri(world, world.bob, world.bobs_public) in bookmarks["orderedItems"]
    assert sorted(row[0] for row in _csv(world, "bookmarks.csv")) == sorted(
        bookmarks["orderedItems"])


def test_nobody_elses_private_words_are_in_it(world):
    everything = b"".join(world.zip.read(name) for name in world.zip.namelist())
    assert world.bobs_private_text.encode() not in everything
    assert world.bobs_direct_text.encode() not in everything


def test_the_csv_files_are_mastodons(world, users):
    bob = f"{world.bob.username}@{world.host}"
    following = _csv(world, "following_accounts.csv")
    assert following[0] == ["Account address", "Show boosts", "Notify on new posts",
                            "Languages"]
    rows = {row[0]: row[1:] for row in following[1:]}
    assert rows[bob] == ["true", "true", ""]
    assert len(rows) == 2 and ["false", "false", ""] in rows.values()
    lists = _csv(world, "lists.csv")
    assert len(lists) == 2 and {title for title, _ in lists} == {"Arbeit, Team"}
    assert bob in {member for _, member in lists}
    assert len(_csv(world, "blocked_accounts.csv")) == 1
    muted = _csv(world, "muted_accounts.csv")
    assert muted[0] == ["Account address", "Hide notifications"]
    assert len(muted) == 2 and muted[1][1] == "true"
    assert _csv(world, "blocked_domains.csv") == [["spam.example"]]


def test_only_its_owner_can_download_it(world, server, browser_of):
    path = f"{ARCHIVE_PAGE}/{world.archive_id}/download"
    api_path = f"{ARCHIVE_API}/{world.archive_id}/download"
    assert browser_of(world.bob).get(path).status_code == 404
    assert world.bob.http.get(api_path).status_code == 404
    anonymous = WebClient(server.base_url)
    assert anonymous.get(path).status_code == 404
    anonymous.close()
    assert httpx.get(server.base_url + api_path).status_code == 401
    own = world.ana.http.get(api_path)
    assert own.status_code == 200 and own.content[:2] == b"PK"


def test_a_second_request_within_the_week_is_refused(world, browser_of):
    refused = world.ana.http.post(ARCHIVE_API)
    assert refused.status_code == 422
    assert "you can ask for the next one from" in refused.json()["error"]
    page = browser_of(world.ana).submit(ARCHIVE_PAGE, ARCHIVE_PAGE, {})
    assert page.status_code == 422
    assert "You can ask for the next one from" in page.text
    state = world.ana.http.get(ARCHIVE_API).json()
    assert state["id"] == world.archive_id and state["state"] == "ready"
    assert state["download_url"].endswith(f"/{world.archive_id}/download")


def test_an_app_asks_for_the_archive_and_downloads_it(new_user, mailbox):
    eve = new_user()
    eve.api.status_post("Eves Beitrag", visibility="private")
    asked = eve.api._Mastodon__api_request("POST", ARCHIVE_API)
    assert asked["state"] == "queued"
    ready = wait_until(lambda: eve.http.get(ARCHIVE_API).json()["state"] == "ready",
                       timeout=60)
    assert ready
    state = eve.http.get(ARCHIVE_API).json()
    archive = eve.http.get(urlsplit(state["download_url"]).path)
    assert archive.status_code == 200 and len(archive.content) == state["size"]
    outbox = json.loads(zipfile.ZipFile(io.BytesIO(archive.content)).read("outbox.json"))
    assert [item["object"]["content"] for item in outbox["orderedItems"]] == [
        "<p>Eves Beitrag</p>"]
    assert _archive_mail(mailbox, eve.email)
    refused = eve.http.post(ARCHIVE_API, headers={"Accept-Language": "de"})
    assert refused.status_code == 422 and "nächste" in refused.json()["error"]


def test_an_archive_expires_and_its_file_goes(tmp_path_factory):
    """On an instance that keeps archives two seconds and lets people ask at any time."""
    data_dir = tmp_path_factory.mktemp("archives")
    with fresh_instance(data_dir, ZWITSCHER_ARCHIVE_KEEP_SECONDS="2",
                        ZWITSCHER_ARCHIVE_INTERVAL_SECONDS="0") as server:
        fay = UserFactory(server).create()
        archive_id = fay.http.post(ARCHIVE_API).json()["id"]

        def state() -> str:
            return fay.http.get(ARCHIVE_API).json()["state"]

        assert wait_until(lambda: state() == "expired", timeout=60)
        assert fay.http.get(f"{ARCHIVE_API}/{archive_id}/download").status_code == 404
        assert wait_until(lambda: not list((data_dir / "archives").glob("*.zip")))
        again = fay.http.post(ARCHIVE_API)
        assert again.status_code == 202 and again.json()["id"] != archive_id
