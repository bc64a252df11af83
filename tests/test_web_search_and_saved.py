"""Search, bookmarks and favourites pages: what they find and list, with visibility applied,
paging, and answers to empty, over-long and hostile queries (a message, never a 500)."""

from __future__ import annotations

import re
import secrets

import pytest

from web_support import WebClient

HOSTILE = "<script>alert(1)</script>"


def search(web: WebClient, q: str, **params: str):
    return web.get("/web/search", params={"q": q, **params})


def test_signed_out_visitors_are_sent_to_sign_in(web):
    for path in ("/web/search?q=x", "/web/bookmarks", "/web/favourites"):
        assert web.get(path).url.path == "/web/sign-in"


def test_search_finds_people_hashtags_and_posts(web, new_user):
    word = f"zebra{secrets.token_hex(3)}"
    author = new_user(f"{word}_author", display_name="Zoe Zebra")
    author.api.status_post(f"All about #{word} and the {word} herd")
    reader = new_user()
    web.sign_in(reader.username)
    page = search(web, word)
    assert page.status_code == 200
    text = page.text
    people = text.index('id="people-heading"')
    tags = text.index('id="hashtags-heading"')
    posts = text.index('id="posts-heading"')
    assert people < tags < posts
    assert f'href="/@{author.username}"' in text and "Zoe Zebra" in text
    assert f'href="/tags/{word}"' in text and f"#{word}" in text
    assert "the " + word + " herd" in text
    assert f'value="{word}"' in text and 'role="search"' in text


def test_the_type_filter_shows_one_section(web, new_user):
    word = f"otter{secrets.token_hex(3)}"
    author = new_user(f"{word}_x")
    author.api.status_post(f"An {word} swims")
    web.sign_in(new_user().username)
    text = search(web, word, type="statuses").text
    assert 'id="posts-heading"' in text and 'id="people-heading"' not in text
    assert 'id="type-statuses" name="type" value="statuses" checked' in text
    text = search(web, word, type="accounts").text
    assert 'id="people-heading"' in text and 'id="posts-heading"' not in text
    # An unknown type searches everything.
    text = search(web, word, type="<nonsense>").text
    assert 'id="people-heading"' in text and 'id="posts-heading"' in text


def test_a_followers_only_post_of_someone_not_followed_is_never_found(web, new_user):
    word = f"secret{secrets.token_hex(3)}"
    author, follower, stranger = new_user(), new_user(), new_user()
    follower.api.account_follow(author.id)
    author.api.status_post(f"Just for followers {word}", visibility="private")
    author.api.status_post(f"For mentioned only {word}", visibility="direct")
    web.sign_in(stranger.username)
    for q in (word, f"from:{author.username} {word}", f'"{word}"'):
        text = search(web, q).text
        assert "Just for followers" not in text and "For mentioned only" not in text
        assert "Nothing found" in text
    followers = WebClient(str(web.http.base_url))
    followers.sign_in(follower.username)
    text = search(followers, word).text
    assert "Just for followers" in text and "For mentioned only" not in text
    followers.close()


def test_empty_and_hostile_queries_answer_with_a_message_never_a_500(web, new_user):
    web.sign_in(new_user().username)
    empty = search(web, "   ")
    assert empty.status_code == 200 and "Nothing found" not in empty.text
    for q in (HOSTILE, '"', '"unclosed', "*", "a*", "NEAR(a b)", "from:", "from:@",
              "from:nobody_here word", "-only -exclusions", "AND OR NOT", "#", "@", "@@",
              "https://elsewhere.example/@x", "'; DROP TABLE statuses; --", "\\", "%_%",
              "\u202e\u0000".replace("\u0000", ""), "ü" * 100):
        page = search(web, q)
        assert page.status_code == 200, (q, page.status_code)
        assert HOSTILE not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in search(web, HOSTILE).text


def test_over_long_and_wordy_queries_are_explained(web, new_user):
    web.sign_in(new_user().username)
    page = search(web, "x" * 501)
    assert page.status_code == 422
    assert "too long: at most 500 characters" in page.text and 'role="alert"' in page.text
    page = search(web, " ".join(f"w{n}" for n in range(17)))
    assert page.status_code == 422 and "too many words: at most 16" in page.text
    page = search(web, HOSTILE * 30)
    assert page.status_code == 422 and HOSTILE not in page.text


def test_search_results_page_on_within_one_type(web, new_user):
    word = f"heron{secrets.token_hex(3)}"
    author = new_user()
    for number in range(23):
        author.api.status_post(f"{word} sighting number {number}")
    web.sign_in(new_user().username)
    everything = search(web, word).text
    assert everything.count('<article class="status ') == 5
    more = re.search(r'href="(/web/search\?[^"]*type=statuses[^"]*)"', everything).group(1)
    first = web.get(more.replace("&amp;", "&")).text
    assert first.count('<article class="status ') == 20
    further = re.search(r'href="(/web/search\?[^"]*offset=20[^"]*)"', first).group(1)
    second = web.get(further.replace("&amp;", "&")).text
    assert second.count('<article class="status ') == 3 and "More results" not in second
    for bad in ("-5", "abc", "99999999999"):
        assert search(web, word, type="statuses", offset=bad).status_code == 200


def _marked_page(web: WebClient, path: str) -> str:
    page = web.get(path)
    assert page.status_code == 200
    return page.text


@pytest.mark.parametrize("mark,path", [("bookmark", "/web/bookmarks"),
                                       ("favourite", "/web/favourites")])
def test_marked_posts_are_listed_newest_mark_first_and_page(web, new_user, mark, path):
    reader, author = new_user(), new_user()
    posts = [author.api.status_post(f"{mark} candidate {number}") for number in range(23)]
    for post in posts:  # marked in posting order: the newest mark is the last post
        reader.http.post(f"/api/v1/statuses/{post['id']}/{mark}").raise_for_status()
    web.sign_in(reader.username)
    first = _marked_page(web, path)
    assert first.count('<article class="status ') == 20
    assert first.index("candidate 22") < first.index("candidate 21")
    assert "candidate 2<" not in first
    older = re.search(rf'href="({path}\?max_id=\d+)"', first).group(1)
    second = _marked_page(web, older)
    assert second.count('<article class="status ') == 3 and "candidate 0<" in second
    newer = re.search(rf'href="({path}\?min_id=\d+)"', second).group(1)
    assert "candidate 3<" in _marked_page(web, newer)
    assert web.get(f"{path}?max_id=nonsense").status_code == 422


@pytest.mark.parametrize("mark,path", [("bookmark", "/web/bookmarks"),
                                       ("favourite", "/web/favourites")])
def test_a_marked_post_that_became_invisible_is_not_listed(web, new_user, mark, path):
    reader, author = new_user(), new_user()
    reader.api.account_follow(author.id)
    hidden = author.api.status_post(f"Followers see this {mark}", visibility="private")
    shown = author.api.status_post(f"{HOSTILE} public {mark}")
    for post in (hidden, shown):
        reader.http.post(f"/api/v1/statuses/{post['id']}/{mark}").raise_for_status()
    web.sign_in(reader.username)
    assert f"Followers see this {mark}" in _marked_page(web, path)
    reader.api.account_unfollow(author.id)
    text = _marked_page(web, path)
    assert f"Followers see this {mark}" not in text
    assert HOSTILE not in text and f"&lt;script&gt;alert(1)&lt;/script&gt; public {mark}" in text


@pytest.mark.parametrize("path,words", [("/web/bookmarks", "not bookmarked any posts"),
                                        ("/web/favourites", "not favourited any posts")])
def test_empty_lists_say_so(web, new_user, path, words):
    web.sign_in(new_user().username)
    text = _marked_page(web, path)
    assert words in text and 'aria-current="page"' in text
