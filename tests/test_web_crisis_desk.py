"""The crisis desk in the web interface, through a browser without JavaScript: only the desk
finds its pages; a template saved and a crisis sent through the forms, with the confirmation's
count; the dashboard's actions; bad input shown again with the reason, changing nothing.

Crises here go out in the app and by e-mail only (the shared server has no SMS gateway)."""

from __future__ import annotations

import io
import re

import pytest

from web_support import WebClient, csrf_of

CRISES = "/api/zwitscher/v1/crises"
TEMPLATES = "/api/zwitscher/v1/crisis/templates"
LISTS = "/api/zwitscher/v1/crisis/contact_lists"

pytestmark = pytest.mark.usefixtures("quiet_server_log")


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


@pytest.fixture(scope="module")
def desk(users):
    return users.create(role="communicator", display_name="Leitstelle")


def group_of(admin, slug: str, members) -> str:
    made = admin.http.post("/api/zwitscher/v1/groups", data={"slug": slug, "name": slug.title()})
    assert made.status_code == 200, made.text
    added = admin.http.post(f"/api/zwitscher/v1/groups/{made.json()['id']}/members",
                            data={"account_ids[]": [member.id for member in members]})
    assert added.status_code == 200, added.text
    return made.json()["id"]


def send_form(web: WebClient, page_path: str, action: str, fields: dict, files=None):
    """Send the form on `page_path` as the browser would (its CSRF token and `fields`)."""
    return web.http.post(action, data={"csrf": csrf_of(web.get(page_path)), **fields},
                         files=files)


def heading(page) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page.text, re.S).group(1))


def banner_of(page) -> str:
    """The crisis banner's text on a page ("" without one)."""
    found = re.search(r'<section class="crisis-banner".*?</section>', page.text, re.S)
    return found.group(0) if found else ""


def error_of(page) -> str:
    return re.search(r'<p class="error" role="alert">(.*?)</p>', page.text, re.S).group(1)


def test_people_who_do_not_work_the_crisis_desk_find_none_of_its_pages(
        users, admin, desk, browser_of):
    member = users.create()
    group_id = group_of(admin, "lobby", [member])
    crisis = desk.http.post(CRISES, json={"title": "Smoke in the lobby", "text": "Stay out.",
                                          "group_ids": [group_id], "channels": ["stream"]})
    assert crisis.status_code == 200, crisis.text
    crisis_id = crisis.json()["id"]
    web = browser_of(member)
    for path in ("/web/crisis", "/web/crisis/send", "/web/crisis/templates",
                 "/web/crisis/templates/new", "/web/crisis/contacts", f"/web/crisis/{crisis_id}",
                 f"/web/crisis/{crisis_id}/live", f"/web/crisis/{crisis_id}/close"):
        assert web.get(path).status_code == 404, path
    for action in ("/web/crisis/send", f"/web/crisis/{crisis_id}/close",
                   f"/web/crisis/{crisis_id}/resend", "/web/crisis/contacts"):
        refused = send_form(web, "/web/home", action, {"title": "Fire", "text": "x",
                                                        "public": "on", "confirmed": "yes",
                                                        "name": "Mine"})
        assert refused.status_code == 404, action
    home = web.get("/web/home")
    assert 'href="/web/crisis"' not in home.text
    # They are in the crisis's audience: the banner, not the desk.
    assert "Smoke in the lobby" in banner_of(home)
    assert desk.http.get(f"{CRISES}/{crisis_id}").json()["closed_at"] is None
    assert all(row["name"] != "Mine" for row in desk.http.get(LISTS).json())
    assert 'href="/web/crisis"' in browser_of(desk).get("/web/home").text


def test_a_template_saved_through_the_forms_is_sent_after_confirming_its_count(
        users, admin, desk, browser_of, mailbox):
    staff = [users.create(display_name=f"Werk {n}") for n in range(3)]
    group_id = group_of(admin, "werk-sued", staff)
    web = browser_of(desk)

    made = send_form(web, "/web/crisis/contacts", "/web/crisis/contacts",
                     {"name": "Angehörige Süd", "description": "Next of kin"})
    assert made.status_code == 200 and "Angehörige Süd" in heading(made)
    list_path = str(made.url.path)
    list_id = list_path.rsplit("/", 1)[1]
    added = send_form(web, list_path, f"{list_path}/contacts",
                      {"name": "Ada Muster", "phone": "0176 1234 5678", "language": "de"})
    assert added.status_code == 200 and "+4917612345678" in added.text
    upload = "name,email,phone,language\nBo Beispiel,bo@example.net,,en\nCe Test,,030 1234567,de\n"
    imported = send_form(web, list_path, "/web/crisis/contacts/import",
                         {"list_id": list_id, "mode": "add"},
                         files={"file": ("relatives.csv", io.BytesIO(upload.encode()),
                                         "text/csv")})
    assert imported.status_code == 200 and "3 contacts" in imported.text
    assert "+49301234567" in imported.text and "bo@example.net" in imported.text

    saved = send_form(web, "/web/crisis/templates/new", "/web/crisis/templates", {
        "name": "Brand Süd", "title": "Fire at {place}",
        "text": "There is a fire at {place}. {advice} Answer here: {link}",
        "group_ids": group_id, "contact_list_ids": list_id,
        "channels": ["stream", "email"], "escalation_1": "push", "escalate_after": "7.5"})
    assert saved.status_code == 200 and "The template was saved." in saved.text
    template = next(t for t in desk.http.get(TEMPLATES).json() if t["name"] == "Brand Süd")
    assert template["escalation"] == ["push"] and template["escalate_after_seconds"] == 450
    assert template["contact_list_ids"] == [list_id] and template["group_ids"] == [group_id]

    # The desk: one tap on the template opens the form, filled in, asking for its values.
    desk_page = web.get("/web/crisis")
    assert f'href="/web/crisis/send?template={template["id"]}"' in desk_page.text
    form = web.get(f"/web/crisis/send?template={template['id']}")
    assert 'name="value_place"' in form.text and 'name="value_advice"' in form.text
    assert 'name="value_link"' not in form.text
    fields = {"template_id": template["id"], "title": template["title"],
              "text": template["text"], "group_ids": group_id, "contact_list_ids": list_id,
              "channels": ["stream", "email"], "escalation_1": "push", "escalate_after": "7.5",
              "value_place": "Halle 3", "value_advice": "Leave by the north exit."}
    before = len(desk.http.get(CRISES).json())
    confirm = send_form(web, "/web/crisis", "/web/crisis/send", fields)
    assert confirm.status_code == 200
    assert heading(confirm) == "Send to 6 recipients now?"  # 3 staff, 3 contacts
    assert "Fire at Halle 3" in confirm.text and "Leave by the north exit." in confirm.text
    assert len(desk.http.get(CRISES).json()) == before  # nothing sent yet
    back = send_form(web, "/web/crisis", "/web/crisis/send", {**fields, "change": "yes"})
    assert heading(back) == "Send a crisis alert" and 'value="Halle 3"' in back.text

    sent = send_form(web, "/web/crisis", "/web/crisis/send", {**fields, "confirmed": "yes"})
    assert sent.status_code == 200 and "The crisis alert is on its way to 6 recipients" in sent.text
    crisis_id = str(sent.url.path).rsplit("/", 1)[1]
    crisis = desk.http.get(f"{CRISES}/{crisis_id}").json()
    assert crisis["title"] == "Fire at Halle 3" and crisis["total"]["recipients"] == 6
    assert crisis["escalation"] == ["push"] and crisis["escalate_after_seconds"] == 450
    assert len(desk.http.get(CRISES).json()) == before + 1
    assert mailbox.wait_for(staff[0].email)

    # An answer shows on the dashboard; the actions answer back on it.
    assert staff[0].http.post(f"{CRISES}/{crisis_id}/acknowledge",
                              json={"answer": "help"}).status_code == 200
    live = web.get(f"/web/crisis/{crisis_id}/live")
    assert "1 person needs help" in live.text and "Werk 0" in live.text
    page = f"/web/crisis/{crisis_id}"
    updated = send_form(web, page, f"{page}/updates", {"text": "The fire brigade is here.",
                                                       "public": "on"})
    assert "The update was posted." in updated.text
    dark = send_form(web, page, f"{page}/dark-site", {"on": "yes"})
    assert "The dark site shows this crisis now." in dark.text
    assert "The fire brigade is here." in WebClient(web.http.base_url).get("/").text
    closed = send_form(web, f"{page}/close", f"{page}/close", {})
    assert "The crisis is closed" in closed.text
    assert desk.http.get(f"{CRISES}/{crisis_id}").json()["closed_at"] is not None
    assert "Fire at Halle 3" not in banner_of(browser_of(staff[1]).get("/web/home"))


def test_bad_input_is_shown_again_with_the_reason_and_changes_nothing(
        users, admin, desk, browser_of):
    web = browser_of(desk)
    templates_before = desk.http.get(TEMPLATES).json()
    crises_before = desk.http.get(CRISES).json()

    refused = send_form(web, "/web/crisis/templates/new", "/web/crisis/templates", {
        "name": "Sturm", "title": "Storm at {plase}", "text": "Stay inside. {link}",
        "public": "on", "channels": ["stream"], "escalate_after": "10"})
    assert refused.status_code == 422
    assert error_of(refused).startswith("Unknown placeholder {plase}")
    assert 'value="Storm at {plase}"' in refused.text and 'value="Sturm"' in refused.text
    too_soon = send_form(web, "/web/crisis/templates/new", "/web/crisis/templates", {
        "name": "Sturm", "title": "Storm", "text": "Stay inside.", "public": "on",
        "channels": ["stream"], "escalate_after": "soon"})
    assert too_soon.status_code == 422
    assert error_of(too_soon) == "Escalation comes after a number of minutes"
    assert desk.http.get(TEMPLATES).json() == templates_before

    fields = {"title": "Gas leak in {place}", "text": "Leave {place}.", "public": "on",
              "channels": ["stream"], "escalate_after": "10", "value_place": " "}
    for confirmed in ("", "yes"):
        missing = send_form(web, "/web/crisis/send", "/web/crisis/send",
                            {**fields, "confirmed": confirmed})
        assert missing.status_code == 422
        assert error_of(missing) == "Fill in {place}"
        assert 'value="Gas leak in {place}"' in missing.text
    no_audience = send_form(web, "/web/crisis/send", "/web/crisis/send", {
        "title": "Gas leak", "text": "Leave the lab.", "channels": ["stream"],
        "escalate_after": "10", "confirmed": "yes"})
    assert no_audience.status_code == 422 and "needs an audience" in error_of(no_audience)

    # Someone of the desk who reads German gets the same refusals in German.
    desk_de = browser_of(users.create(role="communicator"))
    send_form(desk_de, "/web/crisis", "/web/language", {"language": "de", "back": "/web/crisis"})
    german = send_form(desk_de, "/web/crisis/send", "/web/crisis/send", fields)
    assert german.status_code == 422 and error_of(german) == "Bitte ausfüllen: {place}"
    assert heading(german) == "Krisenmeldung senden"
    list_id = desk.http.post(LISTS, json={"name": "Behörden"}).json()["id"]
    bad_phone = send_form(desk_de, f"/web/crisis/contacts/{list_id}",
                          f"/web/crisis/contacts/{list_id}/contacts",
                          {"name": "Feuerwehr", "phone": "0176 12", "language": "de"})
    assert bad_phone.status_code == 422
    assert error_of(bad_phone) == "Kontakt 1: „0176 12“ ist keine gültige Telefonnummer"
    assert 'value="Feuerwehr"' in bad_phone.text
    bad_file = send_form(desk_de, f"/web/crisis/contacts/{list_id}",
                         "/web/crisis/contacts/import", {"list_id": list_id, "mode": "replace"},
                         files={"file": ("x.csv", io.BytesIO(b"name,email\nA,a@example.org\n"
                                                              b"B,not-an-address\n"),
                                         "text/csv")})
    assert bad_file.status_code == 422
    assert error_of(bad_file) == "Kontakt 2: &#39;not-an-address&#39; ist keine E-Mail-Adresse"
    assert desk.http.get(f"{LISTS}/{list_id}").json()["contacts"] == []
    assert desk.http.get(CRISES).json() == crises_before

    # Nothing a browser could be made to send is a server error (the module checks the log).
    for segment in ("abc", "9223372036854775808", "%C2%B2", "0"):
        for path in (f"/web/crisis/{segment}", f"/web/crisis/{segment}/live",
                     f"/web/crisis/{segment}/stream", f"/web/crisis/templates/{segment}/edit",
                     f"/web/crisis/contacts/{segment}", f"/web/crisis/send?template={segment}"):
            assert web.get(path).status_code == 404, path
    for query in ("?page=%C2%B2", "?page=" + "9" * 5000, "?done=x&count=%C2%B2"):
        assert web.get(f"/web/crisis/contacts/{list_id}{query}").status_code == 200
    garbage = {"group_ids": ["abc", "-1"], "escalate_after": "1e999", "channels": ["pigeon"],
               "escalation_1": "pigeon", "title": "{place:>99999}", "text": "x",
               "template_id": "²", "value_place": "x" * 400}
    for fields in (garbage, {**garbage, "group_ids": []}, {**garbage, "group_ids": [],
                                                           "escalate_after": "nan"}):
        for confirmed in ("", "yes"):
            answer = send_form(web, "/web/crisis/send", "/web/crisis/send",
                               {**fields, "confirmed": confirmed})
            assert answer.status_code == 422, answer.text
    assert desk.http.get(CRISES).json() == crises_before
