"""The crisis desk in a real headless Chromium: a communicator sends an alert from a template
on a phone in a few taps and watches its dashboard while a relative answers through the link
in their e-mail and a colleague, who sees the banner on every page, answers through it; the
counts change without a reload. The desk's pages pass axe-core and are photographed (375 px
and 1280 px, German and English; the phone's steps at 390 × 844) into `tests/artifacts/`.

A server of its own: its e-mail goes to this module's SMTP server, whose messages carry the
relative's link, and its jobs are claimed by nobody else."""

from __future__ import annotations

import re

import pytest
from mail_support import text_of

from browser_support import check_and_photograph, photograph, require_playwright, violations
from support import UserFactory, fresh_instance

expect = require_playwright()

LIVE = 15000  # ms: an answer reaches the dashboard over its stream
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def browser_instance(tmp_path_factory, sink):
    with fresh_instance(tmp_path_factory.mktemp("crisis-web"),
                        ZWITSCHER_SMTP_URL=sink.url) as server:
        yield server


@pytest.fixture(scope="module")
def people(browser_instance):
    users = UserFactory(browser_instance)
    admin = users.create(role="admin")
    desk = users.create("leitung", display_name="Leitstelle", role="communicator")
    mara = users.create("mara", display_name="Mara Werk")
    group = admin.http.post("/api/zwitscher/v1/groups",
                            data={"slug": "werk", "name": "Werk Nord"}).json()
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members",
                    data={"account_ids[]": [mara.id]}).raise_for_status()
    relatives = desk.http.post("/api/zwitscher/v1/crisis/contact_lists",
                               json={"name": "Angehörige", "description": "Next of kin"}).json()
    desk.http.post(f"/api/zwitscher/v1/crisis/contact_lists/{relatives['id']}/contacts", json={
        "contacts": [{"name": "Ada Angehörige", "email": "ada@example.net", "language": "en"},
                     {"name": "Bruno Nachbar", "phone": "0176 5550123", "language": "de"}]}
    ).raise_for_status()
    template = desk.http.post("/api/zwitscher/v1/crisis/templates", json={
        "name": "Fire", "title": "Fire at {place}",
        "text": "There is a fire at {place}. Leave by the nearest exit. Answer here: {link}",
        "group_ids": [group["id"]], "contact_list_ids": [relatives["id"]],
        "channels": ["stream", "email"], "escalation": [], "escalate_after_seconds": 600})
    assert template.status_code == 200, template.text
    return {"desk": desk, "mara": mara, "template": template.json(), "list": relatives}


def test_a_phone_sends_from_a_template_in_three_taps_and_the_answers_arrive_live(
        browser_contexts, people, sink):
    phone = browser_contexts("leitung", **PHONE).new_page()
    phone.goto("/web/crisis")
    phone.get_by_role("link", name=re.compile("^Fire")).tap()  # 1
    phone.get_by_label("Where").fill("Halle 3")
    photograph(phone, "crisis-send-phone-390.png")
    phone.get_by_role("button", name="Continue").tap()  # 2
    expect(phone.get_by_role("heading", level=1)).to_have_text("Send to 3 recipients now?")
    send = phone.get_by_role("button", name="Send now")
    # Where a thumb reaches it: in the lower half of the screen, without scrolling.
    box = send.bounding_box()
    assert 844 / 2 < box["y"] and box["y"] + box["height"] <= 844
    photograph(phone, "crisis-confirm-phone-390.png")
    send.tap()  # 3
    expect(phone.get_by_role("heading", level=1)).to_have_text("Fire at Halle 3")
    expect(phone.locator("#crisis-live")).to_have_attribute("data-listening", "yes")
    phone.evaluate("window.stayed = true")

    # The relative answers through the link in their e-mail, signed in nowhere.
    link = re.search(r"https?://\S+/crisis/\d+\.[A-Za-z0-9_-]+",
                     text_of(sink.wait_for("ada@example.net"))).group(0)
    relative = browser_contexts().new_page()
    relative.goto(link)
    relative.get_by_role("button", name="I need help").click()
    expect(relative.get_by_role("status")).to_contain_text("I need help")
    help_box = phone.locator(".crisis-help")
    expect(help_box).to_contain_text("1 person needs help", timeout=LIVE)
    expect(help_box).to_contain_text("Ada Angehörige")
    expect(phone.locator("#crisis-announcer")).to_have_text("People who need help: 1")

    # The colleague sees the banner on every page, and answers through it.
    colleague = browser_contexts("mara").new_page()
    for path in ("/web/home", "/web/notifications"):
        colleague.goto(path)
        expect(colleague.locator(".crisis-banner")).to_contain_text("Fire at Halle 3")
    colleague.locator(".crisis-banner").get_by_role("link", name="Open and answer").click()
    expect(colleague.locator(".crisis-banner")).to_have_count(0)  # its own page says more
    colleague.get_by_role("button", name="I am safe").click()
    expect(colleague.get_by_role("status")).to_contain_text("I am safe")
    safe = phone.locator(".crisis-tiles li", has_text="safe").locator(".crisis-number")
    expect(safe).to_have_text("1", timeout=LIVE)
    answered = phone.locator(".crisis-tiles li", has_text="answered").locator(".crisis-number")
    expect(answered).to_have_text("2")
    photograph(phone, "crisis-dashboard-phone-390.png", full_page=True)
    assert phone.evaluate("window.stayed === true")


@pytest.mark.engine_independent
def test_the_crisis_desk_pages_pass_axe_and_are_photographed(browser_contexts, people):
    desk = people["desk"]
    crisis = desk.http.post("/api/zwitscher/v1/crises", json={
        "template_id": people["template"]["id"], "values": {"place": "Lager 2"}})
    assert crisis.status_code == 200, crisis.text
    context = browser_contexts("leitung")
    template_id, list_id = people["template"]["id"], people["list"]["id"]
    page = context.new_page()
    page.goto(f"/web/crisis/send?template={template_id}")
    page.get_by_label("Where").fill("Lager 2")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Send now")).to_be_visible()
    assert violations(page) == []
    page.close()
    for path, name in (("/web/crisis", "crisis-desk"),
                       (f"/web/crisis/send?template={template_id}", "crisis-send"),
                       (f"/web/crisis/{crisis.json()['id']}", "crisis-dashboard"),
                       ("/web/crisis/templates", "crisis-templates"),
                       (f"/web/crisis/templates/{template_id}/edit", "crisis-template-form"),
                       ("/web/crisis/contacts", "crisis-contacts"),
                       (f"/web/crisis/contacts/{list_id}", "crisis-contact-list")):
        check_and_photograph(context, path, name)
