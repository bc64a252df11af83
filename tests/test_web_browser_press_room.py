"""The press room in a real browser: a journalist's view of a release under embargo and a
communicator's form pass axe in both languages at both widths (screenshots outside CI)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_press_releases import press_group, write

from browser_support import check_and_photograph, launch, new_context, require_playwright
from support import make_brand

require_playwright()
pytestmark = pytest.mark.engine_independent


def test_the_press_room_its_releases_and_the_form_are_accessible(server, users):
    from playwright.sync_api import sync_playwright

    admin = users.create(role="admin")
    brand, jana, _ = make_brand(admin, users, username="trams", display_name="City Trams")
    journalist = users.create(role="guest", display_name="Petra Press")
    group = press_group(admin, journalist)
    contact = users.create(display_name="Maria Sprecherin")
    later = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    release = write(jana, brand, group_ids=[group["id"]], publish_at=later,
                    contact_id=contact.id, contact_details="+49 30 1234-567",
                    headline="Neue Straßenbahnlinie 12 ab Juni",
                    body="Die Linie 12 fährt ab 1. Juni zwischen Hauptbahnhof und Messe.\n\n"
                         "Der Bau kostete 48 Millionen Euro.")
    write(jana, brand, headline="Record year for the tram network",
          body="Passenger numbers rose by 12 per cent in 2026.")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        reader = new_context(chromium, server, journalist.username)
        check_and_photograph(reader, "/web/press", "press-room")
        check_and_photograph(reader, f"/web/press/{release['id']}", "press-release")
        reader.close()
        writer = new_context(chromium, server, jana.username)
        check_and_photograph(writer, "/web/press/new", "press-release-form")
        writer.close()
        chromium.close()
