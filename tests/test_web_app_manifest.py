"""Installable: every page links an icon and the web app manifest, and Chromium reads the
manifest without a complaint."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from browser_support import launch, require_chromium

require_chromium()
sync_api = pytest.importorskip("playwright.sync_api")


def test_the_manifest_names_the_instance_and_its_icons_exist(server):
    page = httpx.get(f"{server.base_url}/web/sign-in")
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page.text
    manifest = httpx.get(f"{server.base_url}/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    body = manifest.json()
    assert body["name"] == "Zwitscher" and body["start_url"] == "/web/home"
    assert body["display"] == "standalone"
    for icon in body["icons"]:
        served = httpx.get(f"{server.base_url}{icon['src']}")
        assert served.status_code == 200
        if icon["type"] == "image/png":
            width, height = Image.open(io.BytesIO(served.content)).size
            assert f"{width}x{height}" == icon["sizes"]
    favicon = httpx.get(f"{server.base_url}/favicon.ico")
    assert favicon.status_code == 200 and favicon.headers["content-type"] == "image/x-icon"


def test_chromium_reads_the_manifest_without_errors(server):
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        page = chromium.new_page()
        page.goto(f"{server.base_url}/web/sign-in")
        devtools = page.context.new_cdp_session(page)
        read = devtools.send("Page.getAppManifest")
        chromium.close()
    assert read["url"].endswith("/manifest.webmanifest")
    assert read["errors"] == [], read["errors"]
