"""Monitor insights (docs/monitoring.md, "Insights"): each matched post's sentiment and the
words that decided it, share of voice between monitors, trending terms, and what they refuse."""

from __future__ import annotations

import pytest

from monitor_support import PATH, make_monitor, timeline_ids, word
from support import wait_until

pytestmark = pytest.mark.usefixtures("quiet_server_log")


def all_matched(user, monitor: dict, statuses: list[dict]) -> None:
    wanted = {str(status["id"]) for status in statuses}
    assert wait_until(lambda: wanted <= set(timeline_ids(user, monitor, limit=40)), 15)


def sentiment(user, monitor: dict, status: dict):
    return user.http.get(f"{PATH}/{monitor['id']}/statuses/{status['id']}/sentiment")


def voices(user, *monitors, **params) -> dict:
    response = user.http.get(f"{PATH}/share_of_voice",
                             params={"ids[]": [m["id"] for m in monitors], **params})
    assert response.status_code == 200, response.text
    return {voice["id"]: voice for voice in response.json()["monitors"]}


def test_each_matched_post_has_its_sentiment_and_the_words_that_decided_it(users):
    watcher, author = users.create(), users.create()
    brand = word()
    monitor = make_monitor(watcher, keywords=[brand])
    happy = author.api.status_post(f"I love {brand}, it is wonderful", language="en")
    sad = author.api.status_post(f"{brand} ist leider total schlecht", language="de")
    french = author.api.status_post(f"{brand} est magnifique", language="fr")
    all_matched(watcher, monitor, [happy, sad, french])

    explained = sentiment(watcher, monitor, happy).json()
    assert explained["label"] == "positive" and explained["scored"]
    assert {"love", "wonderful"} <= {reason["term"] for reason in explained["reasons"]}
    explained = sentiment(watcher, monitor, sad).json()
    assert explained["label"] == "negative" and explained["language"] == "de"
    assert "schlecht" in {reason["term"] for reason in explained["reasons"]}
    explained = sentiment(watcher, monitor, french).json()
    assert not explained["scored"] and explained["reasons"] == []

    counted = voices(watcher, monitor)[monitor["id"]]
    assert (counted["matches"], counted["positive"], counted["negative"],
            counted["unscored"]) == (3, 1, 1, 1)


def test_an_edit_scores_the_post_again(users):
    watcher, author = users.create(), users.create()
    brand = word()
    monitor = make_monitor(watcher, keywords=[brand])
    status = author.api.status_post(f"{brand} is terrible and broken", language="en")
    all_matched(watcher, monitor, [status])
    assert voices(watcher, monitor)[monitor["id"]]["negative"] == 1
    author.api.status_update(status["id"], f"{brand} is great, I love it")
    assert wait_until(lambda: voices(watcher, monitor)[monitor["id"]]["positive"] == 1, 15)
    assert sentiment(watcher, monitor, status).json()["label"] == "positive"


def test_share_of_voice_splits_the_matches_between_the_monitors(users):
    watcher, author = users.create(), users.create()
    ours, theirs = word(), word()
    us = make_monitor(watcher, name="us", keywords=[ours])
    them = make_monitor(watcher, name="them", keywords=[theirs])
    posted = [author.api.status_post(f"{ours} is great", language="en"),
              author.api.status_post(f"{ours} is awful", language="en"),
              author.api.status_post(f"{ours} and {theirs} today", language="en"),
              author.api.status_post(f"{ours} again", language="en")]
    all_matched(watcher, us, posted)
    all_matched(watcher, them, posted[2:3])
    response = watcher.http.get(f"{PATH}/share_of_voice",
                                params={"ids[]": [us["id"], them["id"]]})
    answer = response.json()
    assert answer["matches"] == 5
    found = {voice["name"]: voice for voice in answer["monitors"]}
    assert found["us"]["matches"] == 4 and found["us"]["share"] == 0.8
    assert found["them"]["matches"] == 1 and found["them"]["share"] == 0.2
    assert (found["us"]["positive"], found["us"]["negative"], found["us"]["neutral"]) \
        == (1, 1, 2)
    assert len(found["us"]["days"]) == 30
    assert found["us"]["days"][-1]["matches"] == 4  # today
    assert sum(day["matches"] for day in found["us"]["days"][:-1]) == 0


def test_trending_terms_are_those_of_the_matched_posts_mentioned_often_enough(users):
    watcher, author = users.create(), users.create()
    brand = word()
    monitor = make_monitor(watcher, keywords=[brand])
    posted = [author.api.status_post(f"{brand} Streik am Bahnhof #verdi", language="de")
              for _ in range(3)]
    posted.append(author.api.status_post(f"{brand} Wetter", language="de"))
    all_matched(watcher, monitor, posted)
    response = watcher.http.get(f"{PATH}/{monitor['id']}/trends")
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["matches"] == 4 and answer["previous_matches"] == 0
    terms = {term["term"]: term["count"] for term in answer["terms"]}
    assert terms[brand.lower()] == 4
    assert terms["streik"] == 3 and terms["#verdi"] == 3 and terms["bahnhof"] == 3
    assert "wetter" not in terms  # once is not a trend


def test_others_monitors_are_not_found_and_left_out_of_share_of_voice(users):
    owner, stranger = users.create(), users.create()
    theirs = make_monitor(owner, keywords=[word()])
    mine = make_monitor(stranger, keywords=[word()])
    status = stranger.api.status_post("hello")
    assert stranger.http.get(f"{PATH}/{theirs['id']}/trends").status_code == 404
    assert sentiment(stranger, theirs, status).status_code == 404
    assert list(voices(stranger, theirs, mine)) == [mine["id"]]
    # A post that is not in the monitor is not found either.
    assert sentiment(stranger, mine, status).status_code == 404


@pytest.mark.parametrize("params", [
    {"from": "2026-03-02", "to": "2026-03-01"},
    {"from": "1900-01-01", "to": "2100-01-01"},
    {"from": "yesterday"},
])
def test_reversed_centuries_long_or_unreadable_ranges_are_refused(users, params):
    new_user = users.create()
    monitor = make_monitor(new_user, keywords=[word()])
    for path, extra in ((f"{PATH}/{monitor['id']}/trends", {}),
                        (f"{PATH}/share_of_voice", {"ids[]": [monitor["id"]]})):
        response = new_user.http.get(path, params={**params, **extra})
        assert response.status_code == 422, response.text
        assert "error" in response.json()


def test_share_of_voice_between_too_many_monitors_or_none_is_refused(users):
    new_user = users.create()
    monitor = make_monitor(new_user, keywords=[word()])
    response = new_user.http.get(f"{PATH}/share_of_voice",
                                 params={"ids[]": [monitor["id"]] * 11})
    assert response.status_code == 422
    assert new_user.http.get(f"{PATH}/share_of_voice").status_code == 422


def test_the_insights_page_shows_charts_tables_and_why_a_post_is_negative(users, browser_of):
    watcher, author = users.create(), users.create()
    brand, rival = word(), word()
    monitor = make_monitor(watcher, name="Ours", keywords=[brand])
    other = make_monitor(watcher, name="Theirs", keywords=[rival])
    status = author.api.status_post(f"{brand} ist leider total schlecht", language="de")
    all_matched(watcher, monitor, [status])
    page = browser_of(watcher).http.get(f"/web/monitors/{monitor['id']}/insights",
                                        params={"compare": other["id"]})
    assert page.status_code == 200, page.text
    assert page.text.count('<img class="chart" src="data:image/svg+xml;base64,') >= 2
    assert "Share of voice" in page.text and "Theirs" in page.text
    assert "Negative" in page.text and "<th scope=\"row\">schlecht</th>" in page.text


def test_the_insights_page_is_in_german_and_not_found_for_others(users, server):
    from web_support import WebClient

    owner, stranger = users.create(), users.create()
    monitor = make_monitor(owner, keywords=[word()])
    german = WebClient(server.base_url, language="de")
    german.sign_in(owner.username)
    german.submit("/web/home", "/web/language", {"language": "de", "back": "/web/home"})
    page = german.http.get(f"/web/monitors/{monitor['id']}/insights")
    assert page.status_code == 200 and "Stimmung" in page.text
    outsider = WebClient(server.base_url)
    outsider.sign_in(stranger.username)
    assert outsider.http.get(f"/web/monitors/{monitor['id']}/insights").status_code == 404
