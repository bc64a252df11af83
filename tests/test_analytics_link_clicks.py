"""Links in posts shown by the web interface go through our own redirect, which counts the
click for the author and sends the reader on; nothing else can be made to redirect."""

import re

from analytics_support import counted

from support import wait_until

LINKS = re.compile(r'href="(/l/[^"]+)"')


def _post_with_links(author):
    return author.api.status_post(
        "Mehr dazu: https://example.org/a?x=1&y=2 und https://example.com/b")


def test_a_click_on_a_link_in_a_post_is_counted_and_leads_to_the_link(server, new_user,
                                                                        browser_of):
    alice, bob = new_user(), new_user()
    status = _post_with_links(alice)
    page = browser_of(bob).get(f"/@{alice.username}/{status.id}")
    paths = LINKS.findall(page.text)
    assert len(paths) == 2
    assert 'title="https://example.org/a?x=1&amp;y=2"' in page.text
    reader = browser_of(bob).http
    first = reader.get(paths[0], follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "https://example.org/a?x=1&y=2"
    assert first.headers["referrer-policy"] == "no-referrer"
    second = reader.get(paths[1], follow_redirects=False)
    assert second.headers["location"] == "https://example.com/b"
    reader.get(paths[0], follow_redirects=False)
    key = ("account", int(alice.id), "link_clicks")
    assert wait_until(lambda: counted(server, key) == 3)


def test_a_forged_or_altered_link_is_not_found_and_redirects_nowhere(server, new_user, web):
    alice = new_user()
    status = _post_with_links(alice)
    other = _post_with_links(alice)
    path = LINKS.findall(web.get(f"/@{alice.username}/{status.id}").text)[0]
    _, _, status_id, token = path.split("/")
    n, signature = token.split(".")
    altered = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for forged in (f"/l/{status_id}/{n}.{altered}", f"/l/{other.id}/{token}",
                   f"/l/{status_id}/1.{signature}", f"/l/{status_id}/{n}",
                   f"/l/{status_id}/{n}.", f"/l/x{status_id}/{token}",
                   f"/l/{status_id}/9999.{signature}"):
        response = web.http.get(forged, follow_redirects=False)
        assert response.status_code == 404, forged
        assert "location" not in response.headers
    assert counted(server, ("account", int(alice.id), "link_clicks")) == 0


def test_a_link_in_a_post_the_reader_may_not_see_is_not_followed(server, new_user,
                                                                  browser_of, web):
    alice, bob = new_user(), new_user()
    bob.api.account_follow(alice.id)
    private = alice.api.status_post("Nur für euch: https://example.org/intern",
                                    visibility="private")
    assert wait_until(lambda: LINKS.findall(
        browser_of(bob).get(f"/@{alice.username}/{private.id}").text))
    path = LINKS.findall(browser_of(bob).get(f"/@{alice.username}/{private.id}").text)[0]
    assert web.http.get(path, follow_redirects=False).status_code == 404
    assert browser_of(bob).http.get(path, follow_redirects=False).status_code == 303


def test_the_api_keeps_the_original_links_for_mastodon_clients(new_user):
    alice = new_user()
    status = _post_with_links(alice)
    content = alice.api.status(status.id).content
    assert 'href="https://example.org/a?x=1&amp;y=2"' in content
    assert "/l/" not in content
