"""Who may read which analytics through the API, and what a bad period gets: a 422 that
says why, never a 500 (the numbers themselves: tests/test_analytics_counts.py)."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from support import PASSWORD, make_brand

ANALYTICS = "/api/zwitscher/v1/analytics"


def test_people_read_their_own_analytics_and_not_others(new_user):
    alice, bob = new_user(), new_user()
    assert alice.http.get(f"{ANALYTICS}/accounts/{alice.id}").status_code == 200
    refused = alice.http.get(f"{ANALYTICS}/accounts/{bob.id}")
    assert refused.status_code == 404
    assert "error" in refused.json()
    assert alice.http.get(f"{ANALYTICS}/accounts/12345").status_code == 404
    assert alice.http.get(f"{ANALYTICS}/accounts/nonsense").status_code == 404
    assert alice.http.get(f"{ANALYTICS}/instance").status_code == 404


def test_a_brand_accounts_analytics_are_read_by_its_authors_only(users, new_user):
    admin = new_user(role="admin")
    brand, jana, tom = make_brand(admin, users)
    outsider = new_user(role="communicator")
    assert jana.http.get(f"{ANALYTICS}/accounts/{brand['id']}").status_code == 200
    assert tom.http.get(f"{ANALYTICS}/accounts/{brand['id']}.csv").status_code == 200
    assert outsider.http.get(f"{ANALYTICS}/accounts/{brand['id']}").status_code == 404


def test_the_organisations_analytics_are_for_admins_and_moderators(new_user):
    for role, status in (("moderator", 200), ("admin", 200), ("communicator", 404)):
        person = new_user(role=role)
        assert person.http.get(f"{ANALYTICS}/instance").status_code == status, role


def test_the_export_comes_as_csv_or_json_by_suffix_or_format(new_user):
    alice = new_user()
    as_csv = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}", params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    by_suffix = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}.csv")
    assert by_suffix.text == as_csv.text
    as_json = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}.json").json()
    assert as_json["subject"] == {"kind": "account", "id": alice.id, "name": alice.username}
    assert len(as_json["series"]) == len(as_csv.text.splitlines()) - 3


@pytest.mark.parametrize("params", [
    {"from": "2026-02-01", "to": "2026-01-01"},          # reversed
    {"from": "1926-01-01", "to": "2026-01-01"},          # a century
    {"from": "2020-01-01", "to": "2023-06-01"},          # more than three years
    {"from": "0001-01-01"},                             # centuries long, and before 1900
    {"interval": "fortnight"},
    {"interval": "hour", "from": "2026-01-01", "to": "2026-02-01"},  # 32 days of hours
    {"from": "yesterday"},
    {"format": "xml"},
])
def test_a_bad_period_interval_or_format_is_refused_with_its_reason(new_user, params):
    alice = new_user()
    response = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]


def test_hours_over_31_days_and_months_over_three_years_are_answered(new_user):
    alice = new_user()
    today = datetime.now(UTC).date()  # hours are kept for 90 days
    hours = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}", params={
        "interval": "hour", "from": str(today - timedelta(days=30)), "to": str(today)})
    assert hours.status_code == 200, hours.text
    assert len(hours.json()["series"]) == 31 * 24
    months = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}", params={
        "interval": "month", "from": "2023-01-01", "to": "2025-12-31"})
    assert months.status_code == 200, months.text
    assert len(months.json()["series"]) == 36
    assert months.json()["previous"]["from"] == "2020-01-01"  # 1,096 days before (2024 leaps)


def test_a_token_without_the_analytics_scope_is_refused(users, new_user):
    alice = new_user()
    response = httpx.post(f"{users.server.base_url}/oauth/token", data={
        "grant_type": "password", "username": alice.email, "password": PASSWORD,
        "client_id": users.client_id, "client_secret": users.client_secret,
        "scope": "read:statuses"})
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    refused = httpx.get(f"{users.server.base_url}{ANALYTICS}/accounts/{alice.id}",
                        headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
