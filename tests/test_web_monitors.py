"""Monitors in the web interface, through a browser without JavaScript: made and changed
through the form (a team's too), the list with each monitor's matches of the last day, its
timeline with what each post matched, refusals shown in the form in the reader's language
(changing nothing), a webhook's secret shown once, deletion after a confirmation, and
someone else's monitor not found."""

from __future__ import annotations

import re
import secrets

import pytest

from support import wait_until
from web_support import WebClient, csrf_of

API = "/api/zwitscher/v1/monitors"
pytestmark = pytest.mark.usefixtures("quiet_server_log")


def word() -> str:
    return "Marke" + secrets.token_hex(4)


def send(web: WebClient, page_path: str, action: str, fields: dict):
    return web.http.post(action, data={"csrf": csrf_of(web.get(page_path)), **fields})


def error_of(page) -> str:
    return re.search(r'<p class="error" role="alert">(.*?)</p>', page.text, re.S).group(1)


def monitor_id_of(page) -> str:
    return re.search(r"/web/monitors/(\d+)", str(page.url)).group(1)


def api_monitors(user) -> list[dict]:
    return user.http.get(API).json()


def test_a_monitor_made_in_the_form_collects_matching_posts_with_what_they_matched(
        new_user, browser_of):
    watcher, author = new_user(), new_user(display_name="Pia Presse")
    brand = word()
    web = browser_of(watcher)
    assert 'href="/web/monitors"' in web.get("/web/home").text  # in the navigation
    made = send(web, "/web/monitors/new", "/web/monitors", {
        "name": "Our brand", "keywords": f"{brand}\n  \nLaunch day", "exclusions": "job offer",
        "hashtags": "#Zwitscher", "languages": "", "whole_word": "on", "alert_email": "on"})
    assert made.status_code == 200
    assert "<h1 class=\"monitor-title\">Our brand</h1>" in made.text
    assert "No matching posts yet" in made.text
    monitor_id = monitor_id_of(made)
    stored = next(m for m in api_monitors(watcher) if m["id"] == monitor_id)
    assert stored["keywords"] == [{"term": brand, "whole_word": True},
                                  {"term": "Launch day", "whole_word": True}]
    assert stored["exclusions"] == [{"term": "job offer", "whole_word": True}]
    assert stored["alerts"]["email"] is True and stored["hashtags"] == ["zwitscher"]

    hit = author.api.status_post(f"Everyone talks about {brand.upper()} today")
    author.api.status_post(f"{brand} job offer: apply now")
    author.api.status_post(f"{brand}s are not a whole word")
    assert wait_until(lambda: f"status-{hit['id']}" in web.get(f"/web/monitors/{monitor_id}").text)
    page = web.get(f"/web/monitors/{monitor_id}")
    assert page.text.count('<article class="status') == 1
    assert f"Matched:</span> <mark>{brand}</mark>" in page.text
    assert f'data-live="/web/monitors/{monitor_id}/stream"' in page.text
    assert f'href="/web/monitors/{monitor_id}/insights"' in page.text
    assert "1 match in the last 24 hours" in page.text
    listed = web.get("/web/monitors")
    assert re.search(rf'href="/web/monitors/{monitor_id}".*?1 match in 24 hours', listed.text,
                     re.S)
    card = web.get(f"/web/monitors/{monitor_id}/cards/{hit['id']}")
    assert card.status_code == 200 and f"<mark>{brand}</mark>" in card.text


def test_the_form_shows_a_monitor_again_and_saves_changes(new_user, browser_of):
    watcher, other = new_user(), new_user()
    web = browser_of(watcher)
    made = send(web, "/web/monitors/new", "/web/monitors",
                {"name": "Rivals", "keywords": "Konkurrenz", "accounts": f"@{other.username}"})
    monitor_id = monitor_id_of(made)
    form = web.get(f"/web/monitors/{monitor_id}/edit")
    assert 'value="Rivals"' in form.text and f"@{other.username}" in form.text
    changed = send(web, f"/web/monitors/{monitor_id}/edit", f"/web/monitors/{monitor_id}/edit",
                   {"name": "Rivals and friends", "keywords": "Konkurrenz\nPartner",
                    "accounts": "", "languages": "de, en"})
    assert changed.status_code == 200 and monitor_id_of(changed) == monitor_id
    stored = next(m for m in api_monitors(watcher) if m["id"] == monitor_id)
    assert stored["name"] == "Rivals and friends" and stored["languages"] == ["de", "en"]
    assert [t["term"] for t in stored["keywords"]] == ["Konkurrenz", "Partner"]
    assert stored["account_ids"] == []


@pytest.mark.parametrize(("fields", "english", "german"), [
    ({"name": "", "keywords": "x"}, "A monitor needs a name", "Ein Monitor braucht einen Namen"),
    ({"name": "Nothing", "keywords": "  \n "},
     "A monitor needs at least one keyword, hashtag, account or group",
     "Ein Monitor braucht mindestens ein Stichwort, einen Hashtag, ein Konto oder eine Gruppe"),
    ({"name": "Hostile", "keywords": "x", "webhook_url": "http://127.0.0.1:8080/hook"},
     "The webhook must be on the public internet",
     "Der Webhook muss im öffentlichen Internet liegen"),
    ({"name": "Who?", "keywords": "x", "accounts": "@nobody_here_at_all"},
     "No one here has the username nobody_here_at_all",
     "Hier hat niemand den Benutzernamen nobody_here_at_all"),
])
def test_refusals_are_shown_in_the_form_in_the_readers_language_and_change_nothing(
        new_user, browser_of, fields, english, german):
    watcher = new_user()
    web = browser_of(watcher)
    for language, expected in (("en", english), ("de", german)):
        web.submit("/web/home", "/web/language", {"language": language, "back": "/web/home"})
        refused = send(web, "/web/monitors/new", "/web/monitors", fields)
        assert refused.status_code == 422, refused.text
        assert error_of(refused) == expected.replace("'", "&#39;")
        # What was typed is shown again.
        assert f'value="{fields["name"]}"' in refused.text
    assert api_monitors(watcher) == []


def test_a_webhook_secret_is_shown_once_after_saving(new_user, browser_of):
    watcher = new_user()
    web = browser_of(watcher)
    made = send(web, "/web/monitors/new", "/web/monitors", {
        "name": "Hooked", "keywords": "Zwitscher", "webhook_url": "https://hooks.example.com/z"})
    assert made.status_code == 200 and "shown only this once" in made.text
    secret = re.search(r'id="secret" class="secret" readonly value="([^"]+)"', made.text).group(1)
    monitor_id = re.search(r'href="/web/monitors/(\d+)"', made.text).group(1)
    assert next(m for m in api_monitors(watcher)
                if m["id"] == monitor_id)["webhook_secret"] == secret
    form = web.get(f"/web/monitors/{monitor_id}/edit")
    assert secret not in form.text and "Empty keeps the current secret." in form.text
    kept = send(web, f"/web/monitors/{monitor_id}/edit", f"/web/monitors/{monitor_id}/edit", {
        "name": "Hooked", "keywords": "Zwitscher", "webhook_url": "https://hooks.example.com/z"})
    assert secret not in kept.text and monitor_id_of(kept) == monitor_id


def test_deleting_a_monitor_asks_first(new_user, browser_of):
    watcher = new_user()
    web = browser_of(watcher)
    monitor_id = monitor_id_of(send(web, "/web/monitors/new", "/web/monitors",
                                    {"name": "Short-lived", "keywords": "x"}))
    confirm = web.get(f"/web/monitors/{monitor_id}/delete")
    assert "Delete the monitor “Short-lived”?" in confirm.text
    assert api_monitors(watcher) != []
    gone = send(web, f"/web/monitors/{monitor_id}/delete", f"/web/monitors/{monitor_id}/delete",
                {})
    assert gone.status_code == 200 and str(gone.url).endswith("/web/monitors")
    assert "You have no monitors yet." in gone.text and api_monitors(watcher) == []


def test_someone_elses_monitor_is_not_found(new_user, browser_of):
    owner, stranger = new_user(), new_user()
    made = owner.http.post(API, json={"name": "Private watch", "keywords": ["secret plan"]})
    monitor_id = made.json()["id"]
    web = browser_of(stranger)
    for path in ("", "/edit", "/delete", "/stream", "/cards/1"):
        assert web.get(f"/web/monitors/{monitor_id}{path}").status_code == 404, path
    for action in ("/edit", "/delete"):
        refused = send(web, "/web/monitors", f"/web/monitors/{monitor_id}{action}",
                       {"name": "Mine now", "keywords": "x"})
        assert refused.status_code == 404, action
    assert "Private watch" not in web.get("/web/monitors").text
    assert owner.http.get(f"{API}/{monitor_id}").json()["name"] == "Private watch"


def test_a_team_monitor_is_made_for_a_group_and_read_by_its_members(users, browser_of):
    admin, lead, member = users.create(role="admin"), users.create(), users.create()
    group = admin.http.post("/api/zwitscher/v1/groups",
                            data={"slug": "team" + secrets.token_hex(3), "name": "Presseteam"})
    group_id = group.json()["id"]
    admin.http.post(f"/api/zwitscher/v1/groups/{group_id}/members",
                    data={"account_ids[]": [lead.id, member.id]}).raise_for_status()
    web = browser_of(lead)
    assert "Team: Presseteam" in web.get("/web/monitors/new").text
    made = send(web, "/web/monitors/new", "/web/monitors",
                {"name": "Press echo", "keywords": "Pressemitteilung", "owner": group_id})
    monitor_id = monitor_id_of(made)
    assert "Team monitor of Presseteam" in made.text
    colleague = browser_of(member)
    listed = colleague.get("/web/monitors")
    assert "Press echo" in listed.text and "Presseteam" in listed.text
    page = colleague.get(f"/web/monitors/{monitor_id}")
    assert page.status_code == 200 and f"/web/monitors/{monitor_id}/edit" not in page.text
    assert colleague.get(f"/web/monitors/{monitor_id}/edit").status_code == 403
