"""Status text as people type it becomes the HTML Mastodon clients expect."""

import pytest

from zwitscher.domain.text import character_count, hashtags, mentioned_usernames, render_html

pytestmark = pytest.mark.engine_independent


def render(text: str) -> str:
    return render_html(text, resolve_mention=lambda u, d: None if d else f"/@{u}",
                       tag_url=lambda t: f"/tags/{t.lower()}")


def test_plain_text_becomes_paragraphs_and_line_breaks():
    assert render("Erste Zeile\nzweite Zeile\n\nNeuer Absatz") == (
        "<p>Erste Zeile<br />zweite Zeile</p><p>Neuer Absatz</p>")


def test_html_typed_by_a_person_is_shown_as_text_not_run():
    html = render('<script>alert("x")</script> & <b>fett</b>')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html


def test_links_are_shortened_like_mastodon_with_invisible_parts():
    html = render("Lage: https://www.example.com/a/very/long/path/that/goes/on/and/on.")
    assert 'href="https://www.example.com/a/very/long/path/that/goes/on/and/on"' in html
    assert '<span class="invisible">https://www.</span>' in html
    assert '<span class="ellipsis">example.com/a/very/long/path/t</span>' in html
    assert html.endswith("</a>.</p>")


def test_local_mentions_link_to_the_profile_as_an_h_card():
    html = render("Danke @jana!")
    assert ('<span class="h-card" translate="no"><a href="/@jana" class="u-url mention">'
            '@<span>jana</span></a></span>!') in html


def test_remote_mentions_stay_plain_text_and_are_not_local_mentions():
    assert "h-card" not in render("cc @press@example.org")
    assert mentioned_usernames("cc @press@example.org and @jana") == ["jana"]


def test_hashtags_link_to_the_tag_page_and_numbers_alone_are_no_tag():
    html = render("#Krisenstab tagt um #1400, siehe #über_uns")
    assert ('<a href="/tags/krisenstab" class="mention hashtag" rel="tag">'
            '#<span>Krisenstab</span>') in html
    assert "#1400" in html and "/tags/1400" not in html
    assert hashtags("#Krisenstab #krisenstab #über_uns") == ["Krisenstab", "über_uns"]


def test_email_addresses_and_urls_with_fragments_are_not_mentions_or_tags():
    assert mentioned_usernames("Mail an presse@example.org") == []
    assert hashtags("https://example.com/page#section") == []


def test_every_link_counts_as_23_characters():
    url = "https://example.com/" + "x" * 100
    assert character_count(f"Siehe {url}") == len("Siehe ") + 23
    assert character_count("@jana@example.org hallo") == len("@jana hallo")
