"""Everything the read side caches shows a change on the very next read.

Statuses and accounts are served from rendered copies, home feed ids from memory, tokens and
filters from per-process caches (`zwitscher.caches`). Each test warms what a reader's next
read would use, changes one thing, and reads again at once: no waiting, except for what a
background job does (the fan-out) or the clock (expiries). On PostgreSQL + Redis the change
goes through web process A and every read through web process B, so what B cached must
learn of what A did; on SQLite both are the one embedded process.
"""

from __future__ import annotations

import time

import httpx
import pytest

from conftest import TEST_DATABASE_URL, TEST_REDIS_URL
from media_support import image_bytes
from support import (
    CHEAP_PASSWORDS,
    UNLIMITED,
    ServerProcess,
    UserFactory,
    create_postgres_database,
    drop_postgres_database,
    wait_until,
)

SCALE_OUT = bool(TEST_DATABASE_URL and TEST_REDIS_URL)


@pytest.fixture(scope="module")
def processes(server, tmp_path_factory):
    """(A, B): where changes are made and where they are read."""
    if not SCALE_OUT:
        yield server, server
        return
    url = create_postgres_database(TEST_DATABASE_URL)
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path_factory.mktemp("caches")),
           "ZWITSCHER_DATABASE_URL": url, "ZWITSCHER_REDIS_URL": TEST_REDIS_URL,
           **UNLIMITED, **CHEAP_PASSWORDS}
    a, b = ServerProcess(env), ServerProcess(env)
    a.start()
    b.start()
    yield a, b
    a.stop()
    b.stop()
    drop_postgres_database(url)


@pytest.fixture(scope="module")
def people(processes):
    return UserFactory(processes[0])


@pytest.fixture(scope="module")
def on_b(processes):
    """A person's client on process B."""
    clients: list[httpx.Client] = []

    def client(person) -> httpx.Client:
        opened = httpx.Client(base_url=processes[1].base_url, headers=person.headers(),
                              timeout=30)
        clients.append(opened)
        return opened

    yield client
    for opened in clients:
        opened.close()


def home(reader: httpx.Client) -> dict[str, dict]:
    response = reader.get("/api/v1/timelines/home", params={"limit": 40})
    assert response.status_code == 200, response.text
    return {status["id"]: status for status in response.json()}


def post(person, text: str, **fields) -> dict:
    response = person.http.post("/api/v1/statuses", data={"status": text, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def following(people, *, posting: str = "Neuigkeiten", **fields):
    """Alice follows bob, who posted; alice's home on B has read it (so it is cached)."""
    alice, bob = people.create(), people.create()
    alice.http.post(f"/api/v1/accounts/{bob.id}/follow").raise_for_status()
    status = post(bob, posting, **fields)
    return alice, bob, status


def read_once(reader: httpx.Client, status: dict) -> dict:
    assert wait_until(lambda: status["id"] in home(reader)), "the fan-out never delivered"
    return home(reader)[status["id"]]


def test_an_edit_shows_on_the_next_read(people, on_b):
    alice, bob, status = following(people, posting="Erste Fassung")
    reader = on_b(alice)
    assert "Erste Fassung" in read_once(reader, status)["content"]
    bob.http.put(f"/api/v1/statuses/{status['id']}",
                 data={"status": "Zweite Fassung"}).raise_for_status()
    seen = home(reader)[status["id"]]
    assert "Zweite Fassung" in seen["content"] and seen["edited_at"] is not None


def test_a_deleted_status_is_gone_on_the_next_read(people, on_b):
    alice, bob, status = following(people)
    reader = on_b(alice)
    read_once(reader, status)
    bob.http.delete(f"/api/v1/statuses/{status['id']}").raise_for_status()
    assert status["id"] not in home(reader)
    assert reader.get(f"/api/v1/statuses/{status['id']}").status_code == 404


def test_favourites_and_boosts_count_on_the_next_read(people, on_b):
    alice, bob, status = following(people)
    carol = people.create()
    reader = on_b(alice)
    before = read_once(reader, status)
    assert (before["favourites_count"], before["reblogs_count"]) == (0, 0)
    carol.http.post(f"/api/v1/statuses/{status['id']}/favourite").raise_for_status()
    carol.http.post(f"/api/v1/statuses/{status['id']}/reblog").raise_for_status()
    after = home(reader)[status["id"]]
    assert (after["favourites_count"], after["reblogs_count"]) == (1, 1)
    assert after["favourited"] is False
    # The reader's own marks are theirs alone, and as fresh.
    alice.http.post(f"/api/v1/statuses/{status['id']}/favourite").raise_for_status()
    alice.http.post(f"/api/v1/statuses/{status['id']}/bookmark").raise_for_status()
    mine = home(reader)[status["id"]]
    assert mine["favourited"] is True and mine["bookmarked"] is True
    assert mine["favourites_count"] == 2
    assert home(on_b(carol)).get(status["id"]) is None  # carol does not follow bob


def test_a_vote_counts_on_the_next_read(people, on_b):
    alice, bob, status = following(people, posting="Tee oder Kaffee?", **{
        "poll[options][]": ["Tee", "Kaffee"], "poll[expires_in]": "3600"})
    carol = people.create()
    reader = on_b(alice)
    assert read_once(reader, status)["poll"]["votes_count"] == 0
    carol.http.post(f"/api/v1/polls/{status['poll']['id']}/votes",
                    data={"choices[]": ["1"]}).raise_for_status()
    poll = home(reader)[status["id"]]["poll"]
    assert poll["votes_count"] == 1 and poll["voted"] is False
    alice.http.post(f"/api/v1/polls/{status['poll']['id']}/votes",
                    data={"choices[]": ["0"]}).raise_for_status()
    poll = home(reader)[status["id"]]["poll"]
    assert poll["votes_count"] == 2 and poll["voted"] is True and poll["own_votes"] == [0]


def test_a_new_image_description_shows_on_the_next_read(people, on_b):
    alice, bob = people.create(), people.create()
    alice.http.post(f"/api/v1/accounts/{bob.id}/follow").raise_for_status()
    media = bob.api.media_post(image_bytes("PNG"), mime_type="image/png",
                               description="Ein Hund")
    status = post(bob, "Bild", **{"media_ids[]": [media["id"]]})
    reader = on_b(alice)
    assert read_once(reader, status)["media_attachments"][0]["description"] == "Ein Hund"
    bob.http.put(f"/api/v1/statuses/{status['id']}", json={
        "status": "Bild", "media_attributes": [{"id": media["id"],
                                                "description": "Zwei Katzen"}]}
                 ).raise_for_status()
    seen = home(reader)[status["id"]]["media_attachments"][0]
    assert seen["description"] == "Zwei Katzen"


def test_a_new_name_and_avatar_show_on_the_next_read(people, on_b):
    alice, bob, status = following(people)
    reader = on_b(alice)
    before = read_once(reader, status)["account"]
    bob.http.patch("/api/v1/accounts/update_credentials", data={
        "display_name": "Bob von der Presse"}, files={
        "avatar": ("me.png", image_bytes("PNG", (64, 64)), "image/png")}).raise_for_status()
    after = home(reader)[status["id"]]["account"]
    assert after["display_name"] == "Bob von der Presse"
    assert after["avatar"] != before["avatar"]


def test_a_custom_emoji_added_later_shows_on_the_next_read(people, on_b, processes, tmp_path):
    alice, bob, status = following(people, posting="Gut gemacht :applaus_cache:")
    reader = on_b(alice)
    assert read_once(reader, status)["emojis"] == []
    picture = tmp_path / "applaus.png"
    picture.write_bytes(image_bytes("PNG", (32, 32)))
    processes[0].cli("emojis", "add", "applaus_cache", str(picture))
    emojis = home(reader)[status["id"]]["emojis"]
    assert [e["shortcode"] for e in emojis] == ["applaus_cache"]


@pytest.mark.parametrize("hide", ["block", "mute", "unfollow"])
def test_blocking_muting_or_unfollowing_hides_the_account_on_the_next_read(people, on_b, hide):
    alice, bob, status = following(people)
    reader = on_b(alice)
    read_once(reader, status)
    alice.http.post(f"/api/v1/accounts/{bob.id}/{hide}").raise_for_status()
    assert status["id"] not in home(reader)


@pytest.mark.parametrize("hide", ["block", "mute"])
def test_blocking_or_muting_an_author_hides_their_posts_boosted_by_others(people, on_b, hide):
    alice, bob, carol = people.create(), people.create(), people.create()
    alice.http.post(f"/api/v1/accounts/{bob.id}/follow").raise_for_status()
    original = post(carol, "Bitte teilen")
    boost = bob.http.post(f"/api/v1/statuses/{original['id']}/reblog").json()
    reader = on_b(alice)
    read_once(reader, boost)
    alice.http.post(f"/api/v1/accounts/{carol.id}/{hide}").raise_for_status()
    assert boost["id"] not in home(reader)


def test_a_mute_that_runs_out_lets_the_account_back_in(people, on_b):
    alice, bob, status = following(people)
    reader = on_b(alice)
    read_once(reader, status)
    alice.http.post(f"/api/v1/accounts/{bob.id}/mute", data={"duration": "3"}
                    ).raise_for_status()
    assert status["id"] not in home(reader)
    assert wait_until(lambda: status["id"] in home(reader), timeout=20)


def test_an_exclusive_list_takes_its_members_out_of_home_on_the_next_read(people, on_b):
    alice, bob, status = following(people)
    reader = on_b(alice)
    read_once(reader, status)
    listed = alice.http.post("/api/v1/lists", data={"title": "Presse"}).json()
    alice.http.post(f"/api/v1/lists/{listed['id']}/accounts",
                    data={"account_ids[]": [bob.id]}).raise_for_status()
    assert status["id"] in home(reader)
    alice.http.put(f"/api/v1/lists/{listed['id']}",
                   data={"title": "Presse", "exclusive": "true"}).raise_for_status()
    assert status["id"] not in home(reader)


def test_turning_boosts_off_hides_them_on_the_next_read(people, on_b):
    alice, bob = people.create(), people.create()
    carol = people.create()
    alice.http.post(f"/api/v1/accounts/{bob.id}/follow").raise_for_status()
    original = post(carol, "Weitersagen")
    boost = bob.http.post(f"/api/v1/statuses/{original['id']}/reblog").json()
    reader = on_b(alice)
    read_once(reader, boost)
    alice.http.post(f"/api/v1/accounts/{bob.id}/follow",
                    data={"reblogs": "false"}).raise_for_status()
    assert boost["id"] not in home(reader)


def test_a_filter_applies_on_the_next_read_and_stops_when_it_expires(people, on_b):
    alice, bob, status = following(people, posting="Spoiler zum Finale")
    reader = on_b(alice)
    read_once(reader, status)
    made = alice.http.post("/api/v2/filters", json={
        "title": "Finale", "context": ["home"], "filter_action": "hide",
        "expires_in": 4, "keywords_attributes": [{"keyword": "Finale"}]})
    assert made.status_code == 200, made.text
    assert status["id"] not in home(reader)
    assert wait_until(lambda: status["id"] in home(reader), timeout=20)
    warned = alice.http.post("/api/v2/filters", json={
        "title": "Spoiler", "context": ["home"], "filter_action": "warn",
        "keywords_attributes": [{"keyword": "Spoiler"}]}).json()
    seen = home(reader)[status["id"]]
    assert [f["filter"]["id"] for f in seen["filtered"]] == [warned["id"]]


def test_an_accepted_follow_request_opens_the_home_on_the_next_read(people, on_b):
    alice, dave = people.create(), people.create(locked=True)
    private = post(dave, "Nur für Leute, die mir folgen", visibility="private")
    alice.http.post(f"/api/v1/accounts/{dave.id}/follow").raise_for_status()
    reader = on_b(alice)
    assert private["id"] not in home(reader)
    assert reader.get(f"/api/v1/statuses/{private['id']}").status_code == 404
    dave.http.post(f"/api/v1/follow_requests/{alice.id}/authorize").raise_for_status()
    assert private["id"] in home(reader)
    assert reader.get(f"/api/v1/statuses/{private['id']}").status_code == 200


def test_a_revoked_token_is_refused_on_the_next_request(people, on_b):
    alice = people.create()
    reader = on_b(alice)
    assert reader.get("/api/v1/accounts/verify_credentials").status_code == 200
    httpx.post(f"{people.server.base_url}/oauth/revoke", data={
        "client_id": people.client_id, "client_secret": people.client_secret,
        "token": alice.token}).raise_for_status()
    assert reader.get("/api/v1/accounts/verify_credentials").status_code == 401
    assert reader.get("/api/v1/timelines/home").status_code == 401


def test_a_deactivated_person_is_refused_on_the_next_request(people, on_b, processes):
    alice = people.create()
    reader = on_b(alice)
    assert reader.get("/api/v1/timelines/home").status_code == 200
    token = processes[0].cli("scim", "token", "--name", f"caches-{time.time_ns()}").strip()
    deactivated = httpx.patch(f"{processes[0].base_url}/scim/v2/Users/{alice.id}", json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": False}]}, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"})
    assert deactivated.status_code == 200, deactivated.text
    assert reader.get("/api/v1/timelines/home").status_code == 401


def test_a_role_change_takes_effect_on_the_next_request(people, on_b):
    alice = people.create(role="admin")
    reader = on_b(alice)
    assert reader.get("/api/v1/admin/reports").status_code == 200
    owner = people._owner_http()
    owner.put(f"/api/zwitscher/v1/admin/accounts/{alice.id}/role",
              data={"role": "member"}).raise_for_status()
    assert reader.get("/api/v1/admin/reports").status_code == 403


def test_a_page_served_from_the_caches_is_the_page_rendered_anew(people, on_b, processes):
    """A reader without filters is served cached renders without the views behind them; what
    they get is byte for byte what a server that keeps nothing renders: boosts, a brand-like
    mix of marks, a poll (never served from the cache alone), the reader's own pinned post."""
    alice, bob, status = following(people, posting="Aus dem Cache")
    carol = people.create()
    by_carol = post(carol, "Weitergeteilt")
    bob.http.post(f"/api/v1/statuses/{by_carol['id']}/reblog").raise_for_status()
    poll = post(bob, "Welcher Tag?", **{"poll[options][]": ["Montag", "Dienstag"],
                                         "poll[expires_in]": "3600"})
    own = post(alice, "Meins, angeheftet")
    alice.http.post(f"/api/v1/statuses/{own['id']}/pin").raise_for_status()
    alice.http.post(f"/api/v1/statuses/{status['id']}/favourite").raise_for_status()
    alice.http.post(f"/api/v1/statuses/{poll['id']}/bookmark").raise_for_status()
    reader = on_b(alice)
    assert wait_until(lambda: len(home(reader)) == 4), "the fan-out never delivered"

    host = {"Host": "zwitscher.test"}
    cached = [reader.get("/api/v1/timelines/home", headers=host).content for _ in range(2)]
    renders_everything = ServerProcess(processes[1].env | {"ZWITSCHER_STATUS_CACHE_SIZE": "0",
                                                            "ZWITSCHER_ACCOUNT_CACHE_SIZE": "0"})
    renders_everything.start()
    try:
        anew = httpx.get(f"{renders_everything.base_url}/api/v1/timelines/home",
                         headers={**alice.headers(), **host}, timeout=30).content
    finally:
        renders_everything.stop()
    assert cached[0] == cached[1] == anew
    page = {entity["id"]: entity for entity in httpx.Response(200, content=anew).json()}
    assert page[status["id"]]["favourited"] is True
    assert page[poll["id"]]["bookmarked"] is True and page[poll["id"]]["poll"] is not None
    assert page[own["id"]]["pinned"] is True
    boost = next(entity for entity in page.values() if entity["reblog"])
    assert boost["reblog"]["id"] == by_carol["id"]
