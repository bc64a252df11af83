"""What a profile shows besides posts: featured hashtags (with counts of the account's public
posts) and endorsed accounts (accounts the person recommends)."""

from __future__ import annotations

import secrets

import httpx
import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError


def unique_tag(prefix: str = "feat") -> str:
    return f"{prefix}{secrets.token_hex(4)}"


# -- featured tags --------------------------------------------------------------------------

def test_a_featured_tag_counts_the_accounts_public_posts_only(new_user):
    alice, bob = new_user(), new_user()
    name = unique_tag("Weekly")
    alice.api.status_post(f"one #{name}")
    alice.api.status_post(f"two #{name.lower()}", visibility="unlisted")
    alice.api.status_post(f"three #{name}", visibility="private")
    bob.api.status_post(f"not mine #{name}")
    featured = alice.api.featured_tag_create(name)
    assert featured["name"].lower() == name.lower()
    assert featured["statuses_count"] == "2"
    assert featured["last_status_at"] is not None
    assert featured["url"].endswith(f"/@{alice.username}/tagged/{name.lower()}")
    seen_by_bob = bob.api.account_featured_tags(alice.id)
    assert [(tag["id"], tag["statuses_count"]) for tag in seen_by_bob] == [
        (featured["id"], "2")]
    anonymous = httpx.get(f"{alice.http.base_url}/api/v1/accounts/{alice.id}/featured_tags")
    assert anonymous.json()[0]["name"].lower() == name.lower()


def test_a_tag_never_used_can_be_featured_with_no_posts(new_user):
    alice = new_user()
    featured = alice.api.featured_tag_create(f"#{unique_tag()}")
    assert (featured["statuses_count"], featured["last_status_at"]) == ("0", None)
    assert [tag["id"] for tag in alice.api.featured_tags()] == [featured["id"]]


def test_featuring_twice_keeps_one_and_unfeaturing_removes_it(new_user):
    alice = new_user()
    name = unique_tag()
    first = alice.api.featured_tag_create(name)
    again = alice.api.featured_tag_create(name.upper())
    assert again["id"] == first["id"]
    alice.api.featured_tag_delete(first["id"])
    assert alice.api.featured_tags() == []


def test_at_most_ten_tags_can_be_featured(new_user):
    alice = new_user()
    for _ in range(10):
        alice.api.featured_tag_create(unique_tag())
    with pytest.raises(MastodonAPIError) as refused:
        alice.api.featured_tag_create(unique_tag())
    assert refused.value.args[1] == 422
    assert len(alice.api.featured_tags()) == 10


def test_nobody_can_unfeature_someone_elses_tag(new_user):
    alice, mallory = new_user(), new_user()
    featured = alice.api.featured_tag_create(unique_tag())
    with pytest.raises(MastodonNotFoundError):
        mallory.api.featured_tag_delete(featured["id"])
    assert len(alice.api.featured_tags()) == 1


@pytest.mark.parametrize("name", ["", "123", "two words", "../etc", "a" * 10_000, "tag\u202e"])
def test_invalid_featured_tag_names_are_refused(new_user, name):
    alice = new_user()
    response = alice.http.post("/api/v1/featured_tags", data={"name": name})
    assert response.status_code == 422, response.text
    assert "error" in response.json()
    assert alice.api.featured_tags() == []


def test_featured_tag_suggestions_are_your_most_used_tags(new_user):
    alice = new_user()
    often, sometimes, featured = unique_tag(), unique_tag(), unique_tag()
    for _ in range(3):
        alice.api.status_post(f"#{often} and #{featured}")
    alice.api.status_post(f"#{sometimes}")
    alice.api.featured_tag_create(featured)
    names = [tag["name"] for tag in alice.api.featured_tag_suggestions()]
    assert names == [often, sometimes]


# -- endorsements ---------------------------------------------------------------------------

def test_an_endorsed_account_shows_on_the_profile_and_in_the_relationship(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    alice.api.account_follow(bob.id)
    relationship = alice.api.account_pin(bob.id)
    assert relationship["endorsed"] is True
    assert [account["id"] for account in alice.api.endorsements()] == [bob.id]
    public = carol.http.get(f"/api/v1/accounts/{alice.id}/endorsements").json()
    assert [account["id"] for account in public] == [bob.id]
    assert alice.api.account_relationships(bob.id)[0]["endorsed"] is True
    assert carol.api.account_relationships(bob.id)[0]["endorsed"] is False
    assert alice.api.account_unpin(bob.id)["endorsed"] is False
    assert alice.api.endorsements() == []


def test_only_followed_accounts_can_be_endorsed(new_user):
    alice, bob = new_user(), new_user()
    with pytest.raises(MastodonAPIError) as refused:
        alice.api.account_pin(bob.id)
    assert refused.value.args[1] == 422
    assert alice.api.endorsements() == []


def test_unfollowing_ends_the_endorsement(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.account_pin(bob.id)
    alice.api.account_unfollow(bob.id)
    assert alice.api.endorsements() == []
    alice.api.account_follow(bob.id)
    assert alice.api.account_relationships(bob.id)[0]["endorsed"] is False


def test_a_block_ends_the_endorsement(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.account_pin(bob.id)
    bob.api.account_block(alice.id)
    assert alice.api.endorsements() == []


@pytest.mark.parametrize("account_id", ["0", "999999999999", "abc", "-1", "1" * 40])
def test_endorsing_no_account_is_not_found(new_user, account_id):
    alice = new_user()
    for path in ("pin", "unpin"):
        response = alice.http.post(f"/api/v1/accounts/{account_id}/{path}")
        assert response.status_code == 404, response.text
    response = alice.http.get(f"/api/v1/accounts/{account_id}/endorsements")
    assert response.status_code == 404
    assert alice.api.endorsements() == []
