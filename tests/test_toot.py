"""toot, the Mastodon command-line client, as a second independent client of Zwitscher.

toot runs as a subprocess with its own temporary home, so it never reads or writes a real
configuration, and with no stdin, so a prompt fails instead of hanging. Whatever toot does is
checked through the API, and what the API holds is checked through toot.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import PASSWORD, wait_until

TOOT = str(Path(sys.executable).with_name("toot"))


class Toot:
    def __init__(self, home: Path, base_url: str) -> None:
        self.base_url = base_url
        self.env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
                    "XDG_CACHE_HOME": str(home / "cache")}

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([TOOT, "--no-color", "--max-width", "200", *args],
                                env=self.env, stdin=subprocess.DEVNULL, capture_output=True,
                                text=True, timeout=60)
        if ok:
            assert result.returncode == 0, f"toot {args}: {result.stdout}{result.stderr}"
        return result

    def login(self, user) -> None:
        self.run("login_cli", "-i", self.base_url, "-e", user.email, "-p", PASSWORD)

    def post(self, text: str, *options: str) -> dict:
        return json.loads(self.run("post", "--json", *options, text).stdout)


@pytest.fixture
def toot(tmp_path, server) -> Toot:
    return Toot(tmp_path, server.base_url)


def test_toot_logs_in_with_email_and_password_and_posts(toot, new_user):
    alice = new_user()
    result = toot.run("login_cli", "-i", toot.base_url, "-e", alice.email, "-p", PASSWORD)
    assert "Successfully logged in" in result.stdout
    toot.run("post", "Hello from toot")
    statuses = alice.http.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    assert [s["content"] for s in statuses] == ["<p>Hello from toot</p>"]
    assert statuses[0]["application"]["name"].startswith("toot")
    assert statuses[0]["visibility"] == "public"


def test_toot_login_with_wrong_password_fails_without_a_prompt(toot, new_user):
    alice = new_user()
    result = toot.run("login_cli", "-i", toot.base_url, "-e", alice.email, "-p", "wrong",
                      ok=False)
    assert result.returncode != 0
    assert "Login failed" in result.stdout + result.stderr
    assert "requires you to be logged in" in toot.run("whoami", ok=False).stderr


def test_toot_whoami_and_timeline_show_the_user_and_the_post(toot, new_user):
    alice = new_user(display_name="Alice Toot")
    toot.login(alice)
    status = toot.post("Visible in my timeline")
    whoami = toot.run("whoami").stdout
    assert f"@{alice.username}" in whoami
    assert "Alice Toot" in whoami
    assert "Statuses: 1" in whoami
    assert json.loads(toot.run("whoami", "--json").stdout)["id"] == alice.id
    timeline = toot.run("timeline").stdout
    assert "Visible in my timeline" in timeline
    assert status["id"] in timeline


def test_toot_post_options_reach_the_status(toot, new_user):
    alice = new_user()
    toot.login(alice)
    posted = toot.post("Behind a warning", "--visibility", "unlisted", "--spoiler-text",
                       "careful", "--language", "de")
    stored = alice.http.get(f"/api/v1/statuses/{posted['id']}").json()
    assert stored["visibility"] == "unlisted"
    assert stored["spoiler_text"] == "careful"
    assert stored["sensitive"] is True
    assert stored["language"] == "de"
    reply = toot.post("A reply", "--reply-to", posted["id"])
    assert alice.http.get(f"/api/v1/statuses/{reply['id']}").json()["in_reply_to_id"] \
        == posted["id"]
    thread = toot.run("thread", posted["id"]).stdout
    assert "Behind a warning" in thread
    assert "A reply" in thread


def test_toot_follows_another_user_found_by_name(toot, new_user):
    alice, bob = new_user(), new_user()
    toot.login(alice)
    assert f"@{bob.username}" in toot.run("whois", bob.username).stdout
    toot.run("follow", bob.username)
    relationship = alice.http.get("/api/v1/accounts/relationships",
                                  params={"id[]": bob.id}).json()[0]
    assert relationship["following"] is True
    assert f"@{bob.username}" in toot.run("following", alice.username).stdout
    bob_status = bob.http.post("/api/v1/statuses", data={"status": "for my followers"}).json()
    assert wait_until(lambda: bob_status["id"] in toot.run("timelines", "home").stdout)
    toot.run("unfollow", bob.username)
    relationship = alice.http.get("/api/v1/accounts/relationships",
                                  params={"id[]": bob.id}).json()[0]
    assert relationship["following"] is False


def test_toot_search_finds_accounts_and_hashtags(toot, new_user):
    alice, bob = new_user(), new_user()
    toot.login(alice)
    tag = f"toot{bob.id[-6:]}"
    bob.http.post("/api/v1/statuses", data={"status": f"tagged #{tag}"}).raise_for_status()
    assert f"@{bob.username}" in toot.run("search", bob.username).stdout
    assert f"#{tag}" in toot.run("search", f"#{tag}").stdout
    assert "tagged" in toot.run("timelines", "tag", tag).stdout


def test_toot_interactions_show_up_in_the_api(toot, new_user):
    alice, bob = new_user(), new_user()
    status = bob.http.post("/api/v1/statuses", data={"status": "interact with me"}).json()
    toot.login(alice)
    for command in ("favourite", "reblog", "bookmark"):
        toot.run(command, status["id"])
    seen = alice.http.get(f"/api/v1/statuses/{status['id']}").json()
    assert (seen["favourited"], seen["reblogged"], seen["bookmarked"]) == (True, True, True)
    assert alice.username in toot.run("reblogged-by", status["id"]).stdout
    notifications = bob.http.get("/api/v1/notifications").json()
    assert {(n["type"], n["account"]["id"]) for n in notifications} \
        >= {("favourite", alice.id), ("reblog", alice.id)}


def test_toot_deletes_its_own_post(toot, new_user):
    alice = new_user()
    toot.login(alice)
    status = toot.post("Short-lived")
    assert "Status deleted" in toot.run("delete", status["id"]).stdout
    assert alice.http.get(f"/api/v1/statuses/{status['id']}").status_code == 404
    assert toot.run("status", status["id"], ok=False).returncode != 0
