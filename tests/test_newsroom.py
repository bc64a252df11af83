"""The public newsroom of a brand account: its pages, feeds and API show exactly the published
public releases (anyone, signed in or not); journalists subscribe by e-mail with double opt-in
and leave with one click (RFC 8058); people signed in turn on notifications with the bell."""

from __future__ import annotations

import json
import secrets
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from lxml import html as lxml_html
from mail_support import html_of, text_of

from media_support import image_bytes, upload
from support import make_brand, wait_until
from web_support import WebClient, browser_at_own_address, csrf_of

pytestmark = pytest.mark.usefixtures("quiet_server_log")

RELEASES = "/api/zwitscher/v1/press/releases"
NEWSROOM_API = "/api/zwitscher/v1/newsroom"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<script>alert(1)</script>"
LISTED = "//ol[@class='release-list']//h3/a"  # the headlines a newsroom page lists


def write(author, brand: dict, **fields) -> dict:
    """A release through the press API, published at once unless `publish_at` is given."""
    data = {"brand_id": brand["id"], "headline": f"Release {secrets.token_hex(4)}",
            "body": "Passenger numbers rose by 12 per cent.\n\nMore in the annual report.",
            "public": True, **fields}
    response = author.http.post(RELEASES, json=data)
    assert response.status_code == 200, response.text
    return response.json()


def in_seconds(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def local(url: str) -> str:
    """A link from an e-mail (made with the configured base URL) as a path on this server."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def address() -> str:
    return f"nora_{secrets.token_hex(4)}@example.org"


@pytest.fixture(scope="module")
def room(users):
    """A brand with a communicator, a press group with a journalist, and three releases: one
    published for the public, one under embargo for an hour, one for the press group only."""
    admin = users.create(role="admin")
    brand, jana, _ = make_brand(admin, users, username="trams", display_name="City Trams")
    journalist = users.create(role="guest")
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "slug": f"press-{secrets.token_hex(3)}", "name": "Regional press"}).json()
    admin.http.patch(f"/api/zwitscher/v1/groups/{group['id']}",
                     data={"press": "true", "press_name": "Regional press"}).raise_for_status()
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members",
                    data={"account_ids[]": [journalist.id]}).raise_for_status()
    picture = upload(jana, image_bytes("PNG", (600, 315)), description="The new tram").json()
    public = write(jana, brand, headline="Record year for the tram network",
                   media_ids=[picture["id"]], contact_id=jana.id,
                   contact_details="+49 30 1234-567",
                   body="Passenger numbers rose by 12 per cent, see https://example.org/report."
                        "\n\nThe annual report follows in May.")
    embargoed = write(jana, brand, headline="Embargoed fares", publish_at=in_seconds(3600))
    group_only = write(jana, brand, headline="Only for the press", public=False,
                       group_ids=[group["id"]])
    return {"brand": brand, "jana": jana, "journalist": journalist, "public": public,
            "embargoed": embargoed, "group_only": group_only, "picture": picture}


def headlines_everywhere(server, brand: dict, reader=None) -> dict[str, set[str]]:
    """The headlines each way of reading the newsroom shows (as `reader`, else anonymous)."""
    http = reader.http if reader else httpx.Client(base_url=server.base_url, timeout=30)
    name = brand["username"]
    found = {}
    page = lxml_html.fromstring(http.get(f"/newsroom/{name}").text)
    found["page"] = {a.text_content() for a in page.xpath(LISTED)}
    atom = ET.fromstring(http.get(f"/newsroom/{name}.atom").content)
    found["atom"] = {e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")}
    rss = ET.fromstring(http.get(f"/newsroom/{name}.rss").content)
    found["rss"] = {item.findtext("title") for item in rss.iter("item")}
    feed = http.get(f"/newsroom/{name}.json").json()
    found["json"] = {item["title"] for item in feed["items"]}
    api = http.get(f"{NEWSROOM_API}/{brand['id']}/releases")
    assert api.status_code == 200, api.text
    found["api"] = {release["headline"] for release in api.json()}
    return found


def test_the_newsroom_feeds_and_api_hold_only_published_public_releases(room, server):
    for reader in (None, room["journalist"]):
        for where, headlines in headlines_everywhere(server, room["brand"], reader).items():
            assert "Record year for the tram network" in headlines, where
            assert "Embargoed fares" not in headlines, where
            assert "Only for the press" not in headlines, where
    anonymous = WebClient(server.base_url)
    name = room["brand"]["username"]
    assert anonymous.get(f"/newsroom/{name}/{room['public']['id']}").status_code == 200
    for release_id in (room["embargoed"]["id"], room["group_only"]["id"], "123", "abc"):
        missing = anonymous.get(f"/newsroom/{name}/{release_id}")
        assert missing.status_code == 404, release_id
        assert "Embargoed fares" not in missing.text and "Only for the press" not in missing.text
    anonymous.close()


def test_an_embargoed_release_appears_everywhere_once_it_is_published(room, server):
    release = write(room["jana"], room["brand"], headline="Night trams from June",
                    publish_at=in_seconds(2))
    path = f"/newsroom/{room['brand']['username']}/{release['id']}"
    assert httpx.get(server.base_url + path).status_code == 404
    assert wait_until(lambda: httpx.get(server.base_url + path).status_code == 200, timeout=30)
    for where, headlines in headlines_everywhere(server, room["brand"]).items():
        assert "Night trams from June" in headlines, where


def test_the_feeds_are_valid_documents_with_absolute_links(room, server):
    name = room["brand"]["username"]
    base = server.base_url  # the configured base URL: the server's own address here
    atom_response = httpx.get(f"{server.base_url}/newsroom/{name}.atom")
    assert atom_response.headers["content-type"].startswith("application/atom+xml")
    atom = ET.fromstring(atom_response.content)
    assert atom.find(f"{ATOM}link[@rel='self']").get("href") == f"{base}/newsroom/{name}.atom"
    entry = next(e for e in atom.iter(f"{ATOM}entry")
                 if e.findtext(f"{ATOM}title") == "Record year for the tram network")
    link = f"{base}/newsroom/{name}/{room['public']['id']}"
    assert entry.find(f"{ATOM}link").get("href") == link
    assert entry.findtext(f"{ATOM}id") == link and entry.findtext(f"{ATOM}published")
    assert 'href="https://example.org/report"' in entry.findtext(f"{ATOM}content")
    assert f'src="{base}/' in entry.findtext(f"{ATOM}content")  # the image, absolute
    rss = ET.fromstring(httpx.get(f"{server.base_url}/newsroom/{name}.rss").content)
    assert rss.get("version") == "2.0"
    assert rss.find("channel/link").text == f"{base}/newsroom/{name}"
    item = next(i for i in rss.iter("item") if i.findtext("link") == link)
    assert item.findtext("pubDate") and item.findtext("guid") == link
    feed_response = httpx.get(f"{server.base_url}/newsroom/{name}.json")
    assert feed_response.headers["content-type"].startswith("application/feed+json")
    feed = feed_response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{base}/newsroom/{name}.json"
    item = next(i for i in feed["items"] if i["url"] == link)
    assert item["id"] == link and item["date_published"].endswith("Z")
    assert item["summary"].startswith("Passenger numbers rose")
    assert item["image"].startswith(f"{base}/")
    for extension in ("xml", "html", ""):
        assert httpx.get(f"{server.base_url}/newsroom/{name}.{extension}").status_code == 404


def test_a_release_page_has_its_own_url_opengraph_tags_and_facts(room, server):
    name, release = room["brand"]["username"], room["public"]
    url = f"{server.base_url}/newsroom/{name}/{release['id']}"
    response = httpx.get(f"{server.base_url}/newsroom/{name}/{release['id']}")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.text)

    def meta(key: str) -> str | None:
        found = page.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
        return found[0] if found else None

    assert page.xpath("//link[@rel='canonical']/@href") == [url]
    assert meta("og:url") == url and meta("og:type") == "article"
    assert meta("og:title") == "Record year for the tram network"
    assert meta("og:description").startswith("Passenger numbers rose by 12 per cent")
    assert meta("og:image").startswith(f"{server.base_url}/")
    assert meta("og:image:alt") == "The new tram"
    assert meta("twitter:card") == "summary_large_image"
    assert meta("article:published_time") == release["published_at"][:19] + "Z"
    feeds = page.xpath("//link[@rel='alternate']/@href")
    assert {f"/newsroom/{name}.{ext}" for ext in ("atom", "rss", "json")} <= set(feeds)
    assert page.xpath("//h1")[0].text_content() == "Record year for the tram network"
    body = page.xpath("//div[contains(@class, 'release-body')]")[0]
    assert len(body.xpath(".//p")) == 2
    assert body.xpath(".//a")[0].get("href") == "https://example.org/report"
    facts = page.xpath("//dl[@class='release-facts']")[0].text_content()
    assert "Jana Stuker" in facts and "+49 30 1234-567" in facts  # contact, and written by
    assert page.xpath("//ul[@class='release-attachments']//img")[0].get("alt") == "The new tram"
    # A page without an image has a summary card and no og:image.
    plain = write(room["jana"], room["brand"])
    page = lxml_html.fromstring(httpx.get(
        f"{server.base_url}/newsroom/{name}/{plain['id']}").text)
    assert meta("twitter:card") == "summary" and meta("og:image") is None


def test_the_newsroom_searches_pages_and_speaks_german(room, server):
    name = room["brand"]["username"]
    web = WebClient(server.base_url, language="de")
    found = lxml_html.fromstring(web.get(f"/newsroom/{name}", params={"q": "RECORD tram"}).text)
    assert [a.text_content() for a in found.xpath(LISTED)] == [
        "Record year for the tram network"]
    assert found.get("lang") == "de"
    assert "Pressemitteilungen" in found.text_content()
    nothing = web.get(f"/newsroom/{name}", params={"q": f"{HOSTILE} 100%_"})
    assert nothing.status_code == 200 and HOSTILE not in nothing.text
    assert "Keine Pressemitteilung passt zu deiner Suche." in nothing.text
    first = lxml_html.fromstring(web.get(f"/newsroom/{name}", params={"limit": 1}).text)
    older = first.xpath("//nav[@class='pager']//a/@href")
    assert older and "max_id=" in older[0]
    assert web.get(f"/newsroom/{name}", params={"max_id": "nope"}).status_code == 422
    api = httpx.get(f"{server.base_url}{NEWSROOM_API}/{name}/releases",
                    params={"q": "record", "limit": 1})
    assert [r["headline"] for r in api.json()] == ["Record year for the tram network"]
    web.close()


def test_only_brand_accounts_have_a_newsroom(room, server, users):
    person = users.create()
    for name in (person.username, person.id, "nobody_here", HOSTILE):
        assert httpx.get(f"{server.base_url}/newsroom/{name}").status_code == 404
        api = httpx.get(f"{server.base_url}{NEWSROOM_API}/{name}/releases")
        assert api.status_code == 404 and "error" in api.json()


def subscribe(server, brand: dict, email: str, *, via: str = "api", client=None):
    if via == "api":
        return httpx.post(f"{server.base_url}{NEWSROOM_API}/{brand['id']}/subscriptions",
                          json={"email": email},
                          headers=client.http.headers if client else None)
    page = f"/newsroom/{brand['username']}"
    return client.http.post(f"{page}/subscribe",
                            data={"csrf": csrf_of(client.get(page)), "email": email})


def confirmation_link(mailbox, email: str, count: int = 1) -> str:
    message = mailbox.wait_for(email, count=count)
    assert "Confirm your subscription to the press releases of City Trams" in message["Subject"]
    assert "List-Unsubscribe" not in message
    return local(next(word for word in text_of(message).split()
                      if "/web/newsroom/confirm?token=" in word))


def test_subscribe_confirm_receive_and_unsubscribe_with_one_click(room, server, mailbox):
    nora, control = address(), address()
    web = browser_at_own_address(server.base_url)
    answer = subscribe(server, room["brand"], nora, via="web", client=web)
    assert answer.status_code == 200 and "a link to confirm the subscription" in answer.text
    link = confirmation_link(mailbox, nora)
    subscribe(server, room["brand"], control, client=web).raise_for_status()
    web.get(confirmation_link(mailbox, control)).raise_for_status()
    # Before the address is confirmed, a release goes to the confirmed one alone.
    before = write(room["jana"], room["brand"], headline="Before confirming")
    mailbox.wait_for(control, count=2)
    assert len(mailbox.to(nora)) == 1
    confirmed = web.get(link)
    assert confirmed.status_code == 200 and "your address is confirmed" in confirmed.text
    assert web.get(link).status_code == 200  # again: still confirmed, nothing changes
    release = write(room["jana"], room["brand"], headline="Trams run all night",
                    body="From June the trams run all night.\n\nDetails follow.")
    message = mailbox.wait_for(nora, count=2)
    assert message["Subject"] == "City Trams: Trams run all night"
    text = text_of(message)
    assert "From June the trams run all night." in text and "Details follow" not in text
    assert f"/newsroom/{room['brand']['username']}/{release['id']}" in text
    assert "Trams run all night" in html_of(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = local(message["List-Unsubscribe"].strip("<>"))
    assert unsubscribe in text  # the same link in the text, for people
    assert before["headline"] not in text
    # A link scanner's GET changes nothing; the mail program's POST needs no cookie or token.
    page = web.get(unsubscribe)
    assert page.status_code == 200 and "Unsubscribe" in page.text
    one_click = httpx.post(server.base_url + unsubscribe,
                           content=b"List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert one_click.status_code == 200 and "no more press releases" in one_click.text
    again = httpx.post(server.base_url + unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert web.get(unsubscribe).status_code == 404
    write(room["jana"], room["brand"], headline="After unsubscribing")
    assert "After unsubscribing" in mailbox.wait_for(control, count=4)["Subject"]
    assert len(mailbox.to(nora)) == 2
    web.close()


def test_asking_again_resends_the_same_link_without_saying_whether_subscribed(
        room, server, mailbox):
    nora = address()
    client = browser_at_own_address(server.base_url)
    first = subscribe(server, room["brand"], f"  {nora.upper()} ", client=client)
    assert first.status_code == 202 and first.json() == {"email": nora,
                                                         "confirm_within_days": 7}
    link = confirmation_link(mailbox, nora)
    client.get(link).raise_for_status()
    second = subscribe(server, room["brand"], nora, client=client)
    assert second.status_code == 202 and second.json() == first.json()
    assert confirmation_link(mailbox, nora, count=2) == link  # the same row, the same link
    page = subscribe(server, room["brand"], nora, via="web", client=client)
    assert page.status_code == 200 and "a link to confirm the subscription" in page.text
    assert confirmation_link(mailbox, nora, count=3) == link
    # Three requests an hour for one address; a fourth sends nothing.
    refused = subscribe(server, room["brand"], nora, client=client)
    assert refused.status_code == 429 and "error" in refused.json()
    write(room["jana"], room["brand"], headline="Mailed once")
    assert "Mailed once" in mailbox.wait_for(nora, count=4)["Subject"]
    assert len(mailbox.to(nora)) == 4
    client.close()


def test_one_network_address_cannot_subscribe_address_after_address(room, server, mailbox):
    client = browser_at_own_address(server.base_url)
    answers = [subscribe(server, room["brand"], address(), client=client).status_code
               for _ in range(11)]
    assert answers == [202] * 10 + [429]
    client.close()


BAD_ADDRESSES = ["", "nora", "nora@localhost", "nora@example.org\r\nBcc: x@evil.example",
                 f"{HOSTILE}@example.org", "a" * 330 + "@example.org", "nora@@example.org",
                 "nora@exa mple.org"]


@pytest.mark.parametrize("email", BAD_ADDRESSES)
def test_bad_addresses_are_refused_and_nothing_is_stored_or_sent(room, server, mailbox, email):
    client = browser_at_own_address(server.base_url)
    refused = subscribe(server, room["brand"], email, client=client)
    assert refused.status_code == 422 and refused.json()["error"]
    page = subscribe(server, room["brand"], email, via="web", client=client)
    assert page.status_code == 422 and "Email is invalid" in page.text
    assert HOSTILE not in page.text
    sent_to = {r.lower() for recipients, _ in mailbox.messages for r in recipients}
    assert not {r for r in sent_to if "evil" in r or r in email.lower() or "script" in r}
    client.close()


def test_forged_and_unknown_links_change_nothing(room, server):
    web = WebClient(server.base_url)
    for token in ("", "1.abc", "x" * 500, HOSTILE, f"{room['brand']['id']}.{'0' * 40}"):
        confirm = web.get("/web/newsroom/confirm", params={"token": token})
        assert confirm.status_code == 422 and "not valid any more" in confirm.text
        assert HOSTILE not in confirm.text
        assert web.get("/web/newsroom/unsubscribe", params={"token": token}).status_code == 404
        assert web.http.post("/web/newsroom/unsubscribe",
                             params={"token": token}).status_code == 200
    form = web.http.post(f"/newsroom/{room['brand']['username']}/subscribe",
                         data={"email": address()})
    assert form.status_code == 403  # no CSRF token
    web.close()


def test_the_bell_follows_the_brand_with_notifications_on_and_off(room, server, users):
    reader = users.create()
    web = WebClient(server.base_url)
    name = room["brand"]["username"]
    signed_out = web.get(f"/newsroom/{name}")
    assert f"/newsroom/{name}/notify" not in signed_out.text
    web.sign_in(reader.username)
    page = f"/newsroom/{name}"
    on = web.submit(page, f"{page}/notify", {"notify": "on"})
    assert on.status_code == 200 and "Turn off notifications" in on.text
    relationship = reader.http.get("/api/v1/accounts/relationships",
                                   params={"id[]": room["brand"]["id"]}).json()[0]
    assert relationship["following"] is True and relationship["notifying"] is True
    off = web.submit(page, f"{page}/notify", {"notify": "off"})
    assert off.status_code == 200 and "Notify me" in off.text
    relationship = reader.http.get("/api/v1/accounts/relationships",
                                   params={"id[]": room["brand"]["id"]}).json()[0]
    assert relationship["following"] is True and relationship["notifying"] is False
    assert web.http.post(f"{page}/notify", data={"notify": "on"}).status_code == 403
    web.close()


def test_hostile_text_in_a_release_comes_out_escaped_in_pages_and_feeds(room, server):
    release = write(room["jana"], room["brand"], headline=f"{HOSTILE} Fares",
                    body=f"<img src=x onerror=alert(1)> {HOSTILE}")
    name = room["brand"]["username"]
    for path in (f"/newsroom/{name}", f"/newsroom/{name}/{release['id']}"):
        text = httpx.get(server.base_url + path).text
        assert HOSTILE not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Fares" in text
    atom = ET.fromstring(httpx.get(f"{server.base_url}/newsroom/{name}.atom").content)
    titles = {e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")}
    assert f"{HOSTILE} Fares" in titles  # text in the XML, not markup of it
    content = next(e.findtext(f"{ATOM}content") for e in atom.iter(f"{ATOM}entry")
                   if e.findtext(f"{ATOM}title") == f"{HOSTILE} Fares")
    assert "<script>" not in content and "<img src=x" not in content
    feed = json.loads(httpx.get(f"{server.base_url}/newsroom/{name}.json").content)
    assert any(item["title"] == f"{HOSTILE} Fares" for item in feed["items"])
