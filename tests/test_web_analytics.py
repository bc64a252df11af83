"""The analytics pages of the web interface: each chart beside its table, the period form,
downloads, both languages, and nothing of anyone else's."""

import re

from support import make_brand


def test_a_person_sees_their_numbers_with_charts_tables_and_downloads(new_user, browser_of):
    alice, bob = new_user(), new_user()
    bob.api.account_follow(alice.id)
    alice.api.status_post("Hallo")
    web = browser_of(alice)
    home = web.get("/web/analytics")
    assert home.status_code == 200
    assert f'href="/web/analytics/accounts/{alice.id}"' in home.text
    page = web.get(f"/web/analytics/accounts/{alice.id}", params={"interval": "week"})
    assert page.status_code == 200
    charts = re.findall(r'<img class="chart" src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"',
                        page.text)
    assert charts[0].startswith("Posts and deliveries: ")
    assert len(charts) == 4
    assert page.text.count('class="analytics-table"') >= 5  # a table beside every chart
    assert "<script" not in page.text.split("<main", 1)[1]
    download = web.get(f"/web/analytics/accounts/{alice.id}.csv?interval=week")
    assert download.headers["content-type"].startswith("text/csv")
    assert download.text.splitlines()[-2].split(",")[1] == "1"
    as_json = web.get(f"/web/analytics/accounts/{alice.id}.json").json()
    assert as_json["totals"]["posts"] == 1 and as_json["followers"]["total"] == 1


def test_the_pages_speak_german_too(new_user, browser_of):
    alice = new_user()
    alice.api.status_post("Hallo")
    web = browser_of(alice)
    web.submit("/web/analytics", "/web/language", {"language": "de", "back": "/web/analytics"})
    assert "Dein Konto" in web.get("/web/analytics").text
    page = web.get(f"/web/analytics/accounts/{alice.id}").text
    for german in ("Beiträge und Zustellungen", "Vorheriger Zeitraum", "Wer jetzt folgt",
                   "Antwortzeit auf Erwähnungen", "Herunterladen:"):
        assert german in page
    assert 'alt="Beiträge und Zustellungen: Geschriebene Beiträge' in page


def test_others_analytics_are_not_found_and_a_bad_period_says_why(new_user, browser_of):
    alice, bob = new_user(), new_user()
    web = browser_of(alice)
    assert web.get(f"/web/analytics/accounts/{bob.id}").status_code == 404
    assert web.get(f"/web/analytics/accounts/{bob.id}.csv").status_code == 404
    assert web.get("/web/analytics/instance").status_code == 404
    reversed_ = web.get(f"/web/analytics/accounts/{alice.id}",
                        params={"from": "2026-03-01", "to": "2026-01-01"})
    assert reversed_.status_code == 422
    assert "The period ends before it begins" in reversed_.text


def test_authors_find_their_brand_accounts_and_admins_the_organisation(users, new_user,
                                                                       browser_of):
    admin = new_user(role="admin")
    brand, jana, _ = make_brand(admin, users)
    page = browser_of(jana).get("/web/analytics")
    assert f'href="/web/analytics/accounts/{brand["id"]}"' in page.text
    assert browser_of(jana).get(f"/web/analytics/accounts/{brand['id']}").status_code == 200
    assert 'href="/web/analytics/instance"' in browser_of(admin).get("/web/analytics").text
    assert browser_of(admin).get("/web/analytics/instance").status_code == 200
