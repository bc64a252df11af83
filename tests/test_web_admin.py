"""The administration console's front door: who is offered it, which parts each role sees, and
the 403 page for everyone else (without JavaScript)."""

from __future__ import annotations

import pytest

from web_support import signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

SECTIONS = ("people", "groups", "directory", "brands", "drafts", "reports", "announcements",
            "emojis", "instance", "audit")


def _offered_sections(page) -> set[str]:
    return {section for section in SECTIONS if f'href="/web/admin/{section}"' in page.text}


def test_admins_are_offered_every_part_of_the_console(server, new_user):
    web = signed_in(server, new_user(role="admin"))
    home = web.get("/web/home")
    assert 'href="/web/admin"' in home.text
    overview = web.get("/web/admin")
    assert overview.status_code == 200
    assert _offered_sections(overview) == set(SECTIONS)


def test_moderators_see_reports_only_and_members_are_not_offered_the_console(server, new_user):
    moderator = signed_in(server, new_user(role="moderator"))
    assert _offered_sections(moderator.get("/web/admin")) == {"reports"}
    member = signed_in(server, new_user())
    assert 'href="/web/admin"' not in member.get("/web/home").text
    refused = member.get("/web/admin")
    assert refused.status_code == 403 and "Nothing was changed." in refused.text


def test_a_group_manager_is_offered_the_groups_they_manage(server, new_user):
    admin, manager = new_user(role="admin"), new_user()
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": "Press office", "slug": f"press-{manager.username}"}).json()
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members", data={
        "account_ids[]": [manager.id], "role": "manager"}).raise_for_status()
    web = signed_in(server, manager)
    assert 'href="/web/admin"' in web.get("/web/home").text
    assert _offered_sections(web.get("/web/admin")) == {"groups"}


def test_signed_out_visitors_are_sent_to_sign_in(web):
    assert web.get("/web/admin").url.path == "/web/sign-in"
