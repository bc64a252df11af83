"""Link preview cards: a post's first link gets a card (title, description, our own copy of the
image), fetched from the public internet only, within limits, and shown by apps and the web.

The linked sites are small HTTP servers of the test's own (the edge of the world) on loopback
addresses. The instance under test may fetch from 127.0.0.1 only because its operator said so
(`ZWITSCHER_PREVIEW_ALLOW_PRIVATE_ADDRESSES`); 127.0.0.2 stands for the rest of its own network,
and the shared server, allowed 127.0.0.3 alone (`preview_support`), fetches from neither.
"""

from __future__ import annotations

import asyncio
import secrets
import socket

import orjson
import pytest
from aiohttp.abc import AbstractResolver

from zwitscher.domain.jobs import FetchLinkCard
from zwitscher.domain.public_addresses import is_public_address, parse_networks
from zwitscher.jobs.runner import DELIVERY_CONCURRENCY
from zwitscher.services.public_network import NotPublic, PublicOnlyResolver

from media_support import fetch_image, image_bytes
from preview_support import SHARED_PREVIEW_ADDRESS, Site, html_page
from support import UserFactory, fresh_instance, wait_until
from web_support import browser_at_own_address, signed_in

BIG_PHOTO = image_bytes("JPEG", (2400, 1600), color=(20, 90, 160))
THUMBNAIL = image_bytes("PNG", (320, 180), color=(200, 120, 0))


@pytest.fixture(scope="module")
def site():
    """The public web, as far as the instance under test is concerned."""
    web = Site("127.0.0.1")
    web.serve("/big.jpg", BIG_PHOTO, "image/jpeg")
    web.serve("/thumb.png", THUMBNAIL, "image/png")
    web.serve("/article", html_page("Neue Öffnungszeiten der Kantine",
                                    description="Ab Montag auch abends geöffnet.",
                                    image="/big.jpg"))
    web.serve("/video", html_page("Seitentitel", description="Ein Film über das Werk",
                                  head='<link rel="alternate" type="application/json+oembed" '
                                       'href="/oembed.json?url=video">'))
    web.serve("/oembed.json", orjson.dumps({
        "type": "video", "version": "1.0", "title": "Rundgang durch das Werk",
        "author_name": "Werkskanal", "author_url": "/kanal", "provider_name": "Werk-TV",
        "provider_url": "/", "width": 480, "height": 270, "thumbnail_url": "/thumb.png",
        "html": '<iframe src="https://video.example/embed/1" width="480" height="270" '
                'onload="steal()"></iframe><script>steal()</script>'}), "application/json")
    web.redirect("/short", "/hop")
    web.redirect("/hop", f"{web.url}/final", status=301)
    web.serve("/final", html_page("Am Ziel der Weiterleitungen",
                                  head='<link rel="canonical" href="/final">'))
    web.serve("/data.json", b'{"title": "Keine Seite"}', "application/json")
    # The title would be found only past the first MiB, which is all that is read.
    web.serve("/huge", b"<html><head><!--" + b"x" * (3 * 1024 * 1024)
              + b"--><title>Zu weit hinten</title></head></html>")
    yield web
    web.close()


@pytest.fixture(scope="module")
def intranet(site):
    """A server of the instance's own network, which nobody may make it call."""
    inside = Site("127.0.0.2")
    inside.serve("/secret", html_page("Geheime Seite", description="Nur intern"))
    site.redirect("/to-intranet", f"{inside.url}/secret")
    yield inside
    inside.close()


@pytest.fixture(scope="module")
def card_server(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("link-cards"),
                        ZWITSCHER_PREVIEW_ALLOW_PRIVATE_ADDRESSES="127.0.0.1",
                        ZWITSCHER_PREVIEW_TIMEOUT_SECONDS="2") as server:
        yield server


@pytest.fixture(scope="module")
def people(card_server):
    return UserFactory(card_server)


def card_of(user, status: dict) -> dict | None:
    return wait_until(lambda: user.api.status(status["id"])["card"])


def refused(server, user, link: str) -> dict | None:
    """Post `link`; once the server has logged why it got no card, the status's card."""
    status = user.api.status_post(f"Schaut mal: {link}")
    assert wait_until(lambda: f"no preview card for {link}" in server.log_text()), link
    return user.api.status(status["id"])["card"]


def test_a_linked_page_gives_its_post_a_card_with_our_own_copy_of_its_image(
        card_server, people, site):
    ada = people.create()
    link = f"{site.url}/article"
    status = ada.api.status_post(f"Endlich! {link} #kantine")

    card = card_of(ada, status)
    assert card is not None
    assert (card.url, card.type, card.title, card.description, card.provider_name) == (
        link, "link", "Neue Öffnungszeiten der Kantine", "Ab Montag auch abends geöffnet.",
        "Werkszeitung")
    assert card.image.startswith(card_server.base_url + "/media/") and card.blurhash
    response, image = fetch_image(card.image)
    assert response.headers["content-type"] == "image/jpeg"
    assert image.size == (card.width, card.height) == (640, 427)
    assert all("Zwitscher/" in agent and agent.endswith("Bot") for agent in site.agents)

    # The next post with the same link gets the same card without asking the site again.
    asked = site.hits.copy()
    again = people.create().api.status_post(f"Siehe {link}")
    assert card_of(ada, again).title == card.title
    assert site.hits == asked


def test_an_oembed_video_gets_its_player_and_a_redirected_link_its_final_page(
        card_server, people, site):
    ada = people.create()
    video = card_of(ada, ada.api.status_post(f"Film ab: {site.url}/video"))
    assert (video.type, video.title, video.provider_name, video.author_name) == (
        "video", "Rundgang durch das Werk", "Werk-TV", "Werkskanal")
    assert (video.author_url, video.width, video.height) == (f"{site.url}/kanal", 480, 270)
    assert video.html == ('<iframe src="https://video.example/embed/1" width="480" '
                          'height="270"></iframe>')
    assert video.image.startswith(card_server.base_url)

    short = f"{site.url}/short"
    redirected = card_of(ada, ada.api.status_post(f"Kurz: {short}"))
    assert (redirected.url, redirected.title) == (short, "Am Ziel der Weiterleitungen")


def test_an_edited_link_gets_the_card_of_its_new_page(card_server, people, site):
    ada = people.create()
    status = ada.api.status_post(f"Erst {site.url}/article")
    assert card_of(ada, status).title == "Neue Öffnungszeiten der Kantine"
    ada.api.status_update(status["id"], f"Doch lieber {site.url}/final")
    assert wait_until(lambda: (ada.api.status(status["id"])["card"] or {}).get("title")
                      == "Am Ziel der Weiterleitungen")


def test_posts_with_images_or_a_poll_get_no_card(card_server, people, site):
    ada = people.create()
    link = f"{site.url}/article"
    media = ada.api.media_post(image_bytes("PNG"), mime_type="image/png")
    with_image = ada.api.status_post(f"Mit Bild {link}", media_ids=[media["id"]])
    with_poll = ada.api.status_post(f"Mit Umfrage {link}",
                                    poll=ada.api.make_poll(["ja", "nein"], expires_in=3600))
    plain = ada.api.status_post(f"Ohne alles {link}")
    assert card_of(ada, plain) is not None
    assert ada.api.status(with_image["id"])["card"] is None
    assert ada.api.status(with_poll["id"])["card"] is None


def test_a_link_shared_by_several_people_trends_with_its_card(card_server, people, site):
    link = site.serve(f"/news/{secrets.token_hex(4)}", html_page("Betriebsfest im Juni"))
    for _ in range(2):
        sharer = people.create()
        assert card_of(sharer, sharer.api.status_post(f"Lesenswert: {link}")) is not None
    links = people.create().api.trending_links(limit=20)
    found = next(trend for trend in links if trend["url"] == link)
    assert found["title"] == "Betriebsfest im Juni"
    assert str(found["history"][0]["accounts"]) == "2"  # Mastodon.py turns it into a number


def test_nothing_of_the_servers_own_network_is_fetched(card_server, people, site, intranet):
    ada = people.create()
    for link in (f"{intranet.url}/secret", f"{site.url}/to-intranet",
                 "http://10.20.30.40/intern", f"http://[::ffff:127.0.0.2]:{intranet.port}/"):
        assert refused(card_server, ada, link) is None
    assert intranet.hits["/secret"] == 0


def test_loopback_addresses_not_allowed_by_name_stay_refused(server, users, site):
    link = site.serve(f"/page/{secrets.token_hex(4)}", html_page("Lokal"))
    assert refused(server, users.create(), link) is None
    assert site.hits[link.removeprefix(site.url)] == 0


def test_pages_too_big_too_slow_or_not_html_give_no_card(card_server, people, site):
    ada = people.create()
    for path in ("/huge", "/data.json", "/slow"):
        assert refused(card_server, ada, site.url + path) is None
    assert site.gave_up.wait(10)


def test_slow_sites_leave_the_server_free_to_send_a_password_reset(server, users, mailbox):
    """Pages are fetched in a few of the slots e-mail and push are sent in, never all: while
    more slow sites than there are slots keep their pages coming, a reset link arrives."""
    slow = Site(SHARED_PREVIEW_ADDRESS)
    web = browser_at_own_address(server.base_url)
    try:
        ada = users.create()
        for number in range(DELIVERY_CONCURRENCY + 2):
            ada.api.status_post(f"Lädt ewig: {slow.url}/slow?page={number}")
        assert wait_until(lambda: slow.trickling == FetchLinkCard.DELIVERY_SLOTS)

        web.submit("/web/password/forgot", "/web/password/forgot", {"email": ada.email})
        assert mailbox.wait_for(ada.email)["Subject"] == "Reset your password on Zwitscher"
        assert slow.trickling == FetchLinkCard.DELIVERY_SLOTS and not slow.gave_up.is_set()
    finally:
        slow.let_go.set()
        web.close()
        slow.close()


def test_the_web_interface_shows_the_card_behind_a_content_warning(card_server, people, site):
    ada = people.create()
    plain = ada.api.status_post(f"Kantine: {site.url}/article")
    warned = ada.api.status_post(f"Vorsicht: {site.url}/final", spoiler_text="Spoiler")
    assert card_of(ada, plain) and card_of(ada, warned)

    page = signed_in(card_server, ada).get(f"/@{ada.username}").text
    mine = page[page.index(f'id="status-{plain["id"]}"'):]
    card = mine[mine.index('<a class="link-card'):mine.index("</a>", mine.index("link-card"))]
    assert f'href="{site.url}/article"' in card and "Neue Öffnungszeiten der Kantine" in card
    assert '<img src="/media/' in card and 'alt=""' in card and "Werkszeitung" in card
    warning = page[page.index(f'id="status-{warned["id"]}"'):]
    details = warning[warning.index('<details class="warning">'):warning.index("</details>")]
    assert "Am Ziel der Weiterleitungen" in details


class _Names(AbstractResolver):
    """A resolver that knows a few names (DNS is not the test's to change)."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self.names = names

    async def resolve(self, host, port=0, family=socket.AF_INET):
        return [{"hostname": host, "host": address, "port": port, "family": family,
                 "proto": 0, "flags": 0} for address in self.names[host]]

    async def close(self) -> None:
        pass


def test_names_are_judged_by_the_addresses_they_resolve_to():
    resolver = PublicOnlyResolver(inner=_Names({
        "news.example": ["93.184.216.34"], "intranet.example": ["10.1.2.3"],
        "mixed.example": ["192.168.0.9", "93.184.216.34"],
        "sneaky.example": ["::ffff:127.0.0.1", "fe80::1", "224.0.0.251"]}))

    def resolve(name: str) -> list[str]:
        return [entry["host"] for entry in asyncio.run(resolver.resolve(name, 80))]

    assert resolve("news.example") == resolve("mixed.example") == ["93.184.216.34"]
    for name in ("intranet.example", "sneaky.example"):
        with pytest.raises(NotPublic):
            resolve(name)
    allowing = PublicOnlyResolver(allowed=parse_networks("10.0.0.0/8"),
                                  inner=_Names({"intranet.example": ["10.1.2.3"]}))
    assert asyncio.run(allowing.resolve("intranet.example"))[0]["host"] == "10.1.2.3"


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.216.34", True), ("2606:4700::1111", True), ("127.0.0.1", False),
    ("10.0.0.1", False), ("172.16.5.4", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False),
    ("224.0.0.1", False), ("255.255.255.255", False), ("::1", False), ("fc00::1", False),
    ("fe80::1", False), ("ff02::1", False), ("::ffff:10.0.0.1", False),
    ("2002:7f00:1::1", False), ("64:ff9b::7f00:1", False), ("intranet", False)])
def test_only_public_internet_addresses_are_public(address, public):
    assert is_public_address(address) is public

