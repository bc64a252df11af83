"""The console's brand accounts and approval queue, without JavaScript: admins create brands
and grant, change and revoke authors; reviewers approve or reject drafts and the author is
told; everyone else gets the 403 page and nothing changes."""

from __future__ import annotations

import secrets

import pytest
from mail_support import text_of

from support import BRANDS, make_brand, wait_until
from web_support import csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")



@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


@pytest.fixture
def press(admin, users):
    return make_brand(admin, users)


def _draft(author, brand: dict, text: str) -> dict:
    response = author.http.post(f"{BRANDS}/{brand['id']}/statuses", data={"status": text})
    assert response.status_code == 202, response.text
    return response.json()


def _drafts(admin, brand: dict, state: str) -> list[dict]:
    return admin.http.get(f"{BRANDS}/{brand['id']}/drafts", params={"state": state}).json()


def _authors(admin, brand: dict) -> dict[str, bool]:
    listed = admin.http.get(f"{BRANDS}/{brand['id']}/authors").json()
    return {a["id"]: a.get("needs_approval") for a in listed}


def test_an_admin_creates_a_brand_and_adds_changes_and_removes_its_authors(server, admin,
                                                                           users):
    web = signed_in(server, admin)
    username = f"sales_{secrets.token_hex(3)}"
    created = web.submit("/web/admin/brands", "/web/admin/brands",
                         {"username": username, "display_name": "Sales South"})
    assert created.status_code == 200 and "The brand account was created" in created.text
    brand_path = created.url.path
    brand = admin.http.get("/api/v1/accounts/lookup", params={"acct": username}).json()
    assert brand_path == f"/web/admin/brands/{brand['id']}"
    assert "Sales South" in web.get("/web/admin/brands").text

    ida = users.create(role="communicator", display_name="Ida Weber")
    granted = web.submit(brand_path, f"{brand_path}/authors",
                         {"username": ida.username, "needs_approval": "on"})
    assert "The person may now post as the brand." in granted.text
    assert "Ida Weber" in granted.text and "wait for approval" in granted.text
    assert _authors(admin, brand) == {ida.id: True}

    changed = web.submit(brand_path, f"{brand_path}/authors/{ida.id}",
                         {"needs_approval": "false"})
    assert "Saved." in changed.text
    assert _authors(admin, brand) == {ida.id: False}

    confirm = web.get(f"{brand_path}/authors/{ida.id}/revoke")
    assert confirm.status_code == 200 and "Stop Ida Weber posting as Sales South?" in confirm.text
    assert _authors(admin, brand) == {ida.id: False}  # asking changed nothing
    revoked = web.submit(f"{brand_path}/authors/{ida.id}/revoke",
                         f"{brand_path}/authors/{ida.id}/revoke", {})
    assert "The person may no longer post as the brand." in revoked.text
    assert _authors(admin, brand) == {}


def test_bad_brand_input_is_explained_and_changes_nothing(server, admin, new_user, press):
    brand, _, _ = press
    web = signed_in(server, admin)
    before = web.get("/web/admin/brands").text.count("<tr>")
    for fields, message in (({"username": ""}, "only letters, numbers and underscores"),
                            ({"username": "no spaces here"}, "only letters, numbers"),
                            ({"username": brand["username"]}, "already been taken"),
                            ({"username": "x" * 200}, "at most 30")):
        refused = web.submit("/web/admin/brands", "/web/admin/brands", fields)
        assert refused.status_code == 422, fields
        assert 'role="alert"' in refused.text and message in refused.text
    assert web.get("/web/admin/brands").text.count("<tr>") == before

    path = f"/web/admin/brands/{brand['id']}"
    authors = _authors(admin, brand)
    unknown = web.submit(path, f"{path}/authors", {"username": "nobody_" + secrets.token_hex(4)})
    assert unknown.status_code == 422 and "No one here has the username" in unknown.text
    member = new_user()
    not_speaker = web.submit(path, f"{path}/authors", {"username": member.username})
    assert not_speaker.status_code == 422
    assert "Only communicators, admins and owners may post for a brand" in not_speaker.text
    assert _authors(admin, brand) == authors
    assert web.get("/web/admin/brands/123").status_code == 404
    assert web.get("/web/admin/brands/not-a-number").status_code == 404
    assert web.get(f"/web/admin/brands/{member.id}").status_code == 404  # not a brand


def test_a_reviewer_approves_a_draft_from_the_queue_and_the_author_is_told(server, press,
                                                                           mailbox):
    brand, jana, tom = press
    draft = _draft(tom, brand, "Neue Öffnungszeiten ab Montag")
    web = signed_in(server, jana)
    queue = web.get("/web/admin/drafts")
    assert queue.status_code == 200
    assert "Neue Öffnungszeiten ab Montag" in queue.text and "Tom Berger" in queue.text
    approved = web.submit("/web/admin/drafts",
                          f"/web/admin/drafts/{brand['id']}/{draft['id']}/approve", {})
    assert approved.status_code == 200 and "Approved: the post is published." in approved.text
    assert "Neue Öffnungszeiten ab Montag" not in approved.text
    published = _drafts(jana, brand, "published")
    assert [d["id"] for d in published] == [draft["id"]]
    status = jana.http.get(f"/api/v1/statuses/{published[0]['status_id']}").json()
    assert status["account"]["id"] == brand["id"]

    told = wait_until(lambda: [n for n in tom.http.get("/api/v1/notifications").json()
                               if n["type"] == "brand.draft_approved"])
    assert told[0]["account"]["id"] == brand["id"]
    tom_web = signed_in(server, tom)
    assert "Your post for Press office was approved" in tom_web.get("/web/notifications").text
    assert "was approved and is published now" in text_of(mailbox.wait_for(tom.email))


def test_a_rejected_draft_is_not_published_and_the_comment_reaches_the_author(server, press,
                                                                              admin, mailbox):
    brand, _, tom = press
    draft = _draft(tom, brand, "Ein Entwurf, der nicht passt")
    web = signed_in(server, admin)
    rejected = web.submit("/web/admin/drafts",
                          f"/web/admin/drafts/{brand['id']}/{draft['id']}/reject",
                          {"note": "Bitte ohne <b>Superlative</b>."})
    assert "Rejected: the post was not published." in rejected.text
    assert [d["review_note"] for d in _drafts(admin, brand, "rejected")] == [
        "Bitte ohne <b>Superlative</b>."]
    assert _drafts(admin, brand, "published") == []
    message = text_of(mailbox.wait_for(tom.email))
    assert "was not approved" in message and "Bitte ohne <b>Superlative</b>." in message
    page = signed_in(server, tom).get("/web/notifications").text
    assert "Your post for Press office was not approved" in page


def test_nobody_approves_their_own_draft(server, press, admin):
    brand, _, _ = press
    # An admin whose own posts for the brand need approval: the queue shows the draft, and
    # approving it is refused with a reason.
    admin.http.post(f"{BRANDS}/{brand['id']}/authors", data={
        "account_id": admin.id, "needs_approval": "true"}).raise_for_status()
    draft = _draft(admin, brand, "Mein eigener Entwurf")
    web = signed_in(server, admin)
    refused = web.submit("/web/admin/drafts",
                         f"/web/admin/drafts/{brand['id']}/{draft['id']}/approve", {})
    assert refused.status_code == 403
    assert "Someone else must approve your draft" in refused.text
    assert [d["id"] for d in _drafts(admin, brand, "pending")] == [draft["id"]]


def test_a_reviewer_of_one_brand_cannot_decide_another_brands_drafts(server, press, admin,
                                                                      users):
    brand, jana, tom = press
    other = admin.http.post(BRANDS, data={"username": f"hr_{secrets.token_hex(3)}"}).json()
    writer = users.create(role="communicator")
    admin.http.post(f"{BRANDS}/{other['id']}/authors", data={
        "account_id": writer.id, "needs_approval": "true"}).raise_for_status()
    foreign = _draft(writer, other, "Nur für HR")
    web = signed_in(server, jana)
    assert "Nur für HR" not in web.get("/web/admin/drafts").text
    token = csrf_of(web.get("/web/admin/drafts"))
    for path in (f"/web/admin/drafts/{other['id']}/{foreign['id']}/approve",
                 f"/web/admin/drafts/{other['id']}/{foreign['id']}/reject",
                 f"/web/admin/drafts/{brand['id']}/{foreign['id']}/approve"):
        refused = web.http.post(path, data={"csrf": token, "note": "nein"})
        assert refused.status_code in (403, 404), path
    assert [d["id"] for d in _drafts(admin, other, "pending")] == [foreign["id"]]


def test_an_over_long_comment_is_refused_and_kept(server, press, admin):
    brand, _, tom = press
    draft = _draft(tom, brand, "Noch ein Entwurf")
    web = signed_in(server, admin)
    refused = web.submit("/web/admin/drafts",
                         f"/web/admin/drafts/{brand['id']}/{draft['id']}/reject",
                         {"note": "zu lang " * 200})
    assert refused.status_code == 422 and "Note is too long" in refused.text
    assert "zu lang zu lang" in refused.text
    assert draft["id"] in [d["id"] for d in _drafts(admin, brand, "pending")]
    gone = web.submit("/web/admin/drafts", f"/web/admin/drafts/{brand['id']}/999/approve", {})
    assert gone.status_code == 404


def test_who_may_not_use_the_brand_pages_gets_403_and_nothing_changes(server, press, admin,
                                                                       users, new_user):
    brand, jana, tom = press
    draft = _draft(tom, brand, "Bitte freigeben")
    path = f"/web/admin/brands/{brand['id']}"
    outsiders = {"member": new_user(), "guest": users.create(role="guest"),
                 "moderator": users.create(role="moderator"),
                 "communicator without a brand": users.create(role="communicator"),
                 "author who needs approval": tom}
    before = _authors(admin, brand)
    for role, person in outsiders.items():
        web = signed_in(server, person)
        token = csrf_of(web.get("/web/home"))
        for page in ("/web/admin/brands", path, f"{path}/authors/{tom.id}/revoke",
                     "/web/admin/drafts"):
            assert web.get(page).status_code == 403, (role, page)
        for action, fields in (
                ("/web/admin/brands", {"username": f"x_{secrets.token_hex(3)}"}),
                (f"{path}/authors", {"username": person.username}),
                (f"{path}/authors/{tom.id}", {"needs_approval": "false"}),
                (f"{path}/authors/{tom.id}/revoke", {}),
                (f"/web/admin/drafts/{brand['id']}/{draft['id']}/approve", {}),
                (f"/web/admin/drafts/{brand['id']}/{draft['id']}/reject", {"note": "nein"})):
            refused = web.http.post(action, data={"csrf": token, **fields})
            assert refused.status_code == 403, (role, action)
            assert "Nothing was changed." in refused.text
    # A reviewer sees the queue but not the brands part.
    jana_web = signed_in(server, jana)
    assert jana_web.get("/web/admin/brands").status_code == 403
    assert jana_web.get("/web/admin/drafts").status_code == 200
    assert _authors(admin, brand) == before
    assert [d["id"] for d in _drafts(admin, brand, "pending")] == [draft["id"]]


def test_forms_without_their_token_change_nothing(server, press, admin):
    brand, _, tom = press
    draft = _draft(tom, brand, "Ohne Token")
    web = signed_in(server, admin)
    path = f"/web/admin/brands/{brand['id']}"
    before = _authors(admin, brand)
    for action in ("/web/admin/brands", f"{path}/authors", f"{path}/authors/{tom.id}",
                   f"{path}/authors/{tom.id}/revoke",
                   f"/web/admin/drafts/{brand['id']}/{draft['id']}/approve",
                   f"/web/admin/drafts/{brand['id']}/{draft['id']}/reject"):
        for csrf in ({}, {"csrf": "0" * 64}):
            refused = web.http.post(action, data={**csrf, "username": "nobody",
                                                  "needs_approval": "false"})
            assert refused.status_code == 403, action
    assert _authors(admin, brand) == before
    assert [d["id"] for d in _drafts(admin, brand, "pending")] == [draft["id"]]
