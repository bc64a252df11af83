"""My drafts (/web/drafts), without JavaScript: an author follows their brand drafts from
waiting to published or not approved, reads the reviewer's comment there, gets there from the
notification and the composer; nobody ever sees anyone else's drafts; signed out, the page
sends you to sign in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from support import BRANDS, make_brand, wait_until

pytestmark = pytest.mark.usefixtures("quiet_server_log")



@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


@pytest.fixture
def press(admin, users):
    return make_brand(admin, users)


def _draft(author, brand: dict, text: str, **fields) -> dict:
    response = author.http.post(f"{BRANDS}/{brand['id']}/statuses",
                                data={"status": text, **fields})
    assert response.status_code == 202, response.text
    return response.json()


def _card(page: str, draft: dict) -> str:
    """The part of the page that shows one draft."""
    start = page.index(f'id="draft-{draft["id"]}"')
    return page[start:page.index("</article>", start)]


def test_an_author_sees_the_draft_waiting_then_not_approved_with_the_reviewers_comment(
        server, press, browser_of):
    brand, jana, tom = press
    draft = _draft(tom, brand, "Neue Öffnungszeiten ab Montag", spoiler_text="Hausmitteilung")
    tom_web = browser_of(tom)
    waiting = tom_web.get("/web/drafts")
    assert waiting.status_code == 200 and "<h1" in waiting.text and "My drafts" in waiting.text
    card = _card(waiting.text, draft)
    assert "Post for Press office" in card and f"@{brand['username']}" in card
    assert "Waiting for approval" in card and "Neue Öffnungszeiten ab Montag" in card
    assert "Hausmitteilung" in card and "The reviewer" not in card

    comment = "Bitte ohne <b>Superlative</b>.\nUnd mit Datum."
    rejected = browser_of(jana).submit(
        "/web/admin/drafts", f"/web/admin/drafts/{brand['id']}/{draft['id']}/reject",
        {"note": comment})
    assert "Rejected: the post was not published." in rejected.text
    card = _card(tom_web.get("/web/drafts").text, draft)
    assert "Not approved" in card and "Waiting for approval" not in card
    assert "The reviewer&#39;s comment:" in card
    assert "Bitte ohne &lt;b&gt;Superlative&lt;/b&gt;.\nUnd mit Datum." in card
    assert "<b>Superlative" not in card
    assert "Decided:" in card and "Jana" not in card  # the decision is the brand's


def test_the_brand_draft_notifications_lead_to_my_drafts(server, press, browser_of):
    brand, jana, tom = press
    turned_down = _draft(tom, brand, "Ein Entwurf, der nicht passt")
    taken = _draft(tom, brand, "Ein Entwurf, der passt")
    jana.http.post(f"{BRANDS}/{brand['id']}/drafts/{turned_down['id']}/reject",
                   data={"note": ""}).raise_for_status()
    jana.http.post(f"{BRANDS}/{brand['id']}/drafts/{taken['id']}/approve").raise_for_status()
    wait_until(lambda: len([n for n in tom.http.get("/api/v1/notifications").json()
                            if n["type"].startswith("brand.draft_")]) == 2)
    tom_web = browser_of(tom)
    page = tom_web.get("/web/notifications").text
    assert "Your post for Press office was approved" in page
    assert ("Your post for Press office was not approved. Any comment from the reviewer is on "
            "your drafts page and in your e-mail.") in page
    assert page.count('<a href="/web/drafts">See my drafts</a>') == 2

    drafts = tom_web.get("/web/drafts").text
    assert "The reviewer left no comment." in _card(drafts, turned_down)
    published = _card(drafts, taken)
    assert "Published" in published
    status_id = jana.http.get(f"{BRANDS}/{brand['id']}/drafts",
                              params={"state": "published"}).json()[0]["status_id"]
    assert f'href="/@{brand["username"]}/{status_id}"' in published
    assert drafts.index(f'id="draft-{taken["id"]}"') < drafts.index(
        f'id="draft-{turned_down["id"]}"')  # the newest first

    german = tom_web.submit("/web/drafts", "/web/language",
                            {"language": "de", "back": "/web/drafts"})
    assert "Meine Entwürfe" in german.text and "Veröffentlicht" in german.text


def test_a_scheduled_draft_says_when_it_will_be_published(server, press, browser_of):
    brand, _, tom = press
    when = datetime.now(UTC) + timedelta(days=3)
    draft = _draft(tom, brand, "Sommerfest am Freitag",
                   scheduled_at=when.isoformat(timespec="seconds"))
    card = _card(browser_of(tom).get("/web/drafts").text, draft)
    assert "Waiting for approval" in card and "to be published at" in card


def test_nobody_sees_anyone_elses_drafts(server, press, admin, new_user, browser_of):
    brand, jana, tom = press
    draft = _draft(tom, brand, "Nur für Toms Augen, bis es freigegeben ist")
    for person in (jana, admin, new_user()):
        web = browser_of(person)
        for path in ("/web/drafts", f"/web/drafts?max_id={int(draft['id']) + 1}",
                     f"/web/drafts?min_id={int(draft['id']) - 1}"):
            page = web.get(path)
            assert page.status_code == 200, path
            assert "Nur für Toms Augen" not in page.text and 'id="draft-' not in page.text
    assert "You have no drafts for brand accounts." in browser_of(jana).get("/web/drafts").text


def test_my_drafts_come_newest_first_in_pages(server, press, browser_of):
    brand, _, tom = press
    drafts = [_draft(tom, brand, f"Entwurf Nummer {number}") for number in range(3)]
    web = browser_of(tom)
    first = web.get("/web/drafts", params={"limit": 2}).text
    assert "Entwurf Nummer 2" in first and "Entwurf Nummer 1" in first
    assert "Entwurf Nummer 0" not in first and "Older drafts" in first
    older = web.get("/web/drafts", params={"max_id": drafts[1]["id"]}).text
    assert "Entwurf Nummer 0" in older and "Entwurf Nummer 1" not in older
    assert "Latest drafts" in older
    assert web.get("/web/drafts?max_id=<script>").status_code == 422


def test_the_composer_links_my_drafts_for_authors_who_need_approval(server, press, browser_of):
    brand, jana, tom = press
    assert 'href="/web/drafts"' in browser_of(tom).get("/web/home").text
    assert 'href="/web/drafts"' not in browser_of(jana).get("/web/home").text
    sent = browser_of(tom).submit("/web/home", "/web/statuses", {
        "text": "Bitte freigeben", "post_as": brand["id"], "visibility": "public"})
    assert "is waiting for approval" in sent.text and "See my drafts" in sent.text


def test_signed_out_my_drafts_sends_you_to_sign_in(server):
    with httpx.Client(base_url=server.base_url) as anonymous:
        answer = anonymous.get("/web/drafts")
    assert answer.status_code == 303 and answer.headers["location"].endswith("/web/sign-in")
