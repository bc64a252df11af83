"""Test harness: a real `zwitscher serve` on a free port, on SQLite or PostgreSQL + Redis.

The engine is chosen by the environment, so `.ci/run` runs the same suite twice:
  (nothing set)                         SQLite in a temporary data directory, in-process pub/sub
  ZWITSCHER_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1/postgres
  ZWITSCHER_TEST_REDIS_URL=redis://127.0.0.1:6379/0
For PostgreSQL each test session creates (and afterwards drops) a database of its own.
Tests share one server per session and keep out of each other's way by creating their own
accounts (`new_user`), never by resetting data.
"""

from __future__ import annotations

import os
import ssl
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


from mail_support import MailSink
from monitor_alert_support import receiver, sink  # noqa: F401 (fixtures)

from browser_support import launch, new_context
from preview_support import SHARED_PREVIEW_ADDRESS, Site
from push_support import push_people, push_server, push_service  # noqa: F401 (fixtures)
from sms_support import sms_gateway  # noqa: F401 (fixture)
from streams import open_sse, open_websocket
from support import (
    CHEAP_PASSWORDS,
    UNLIMITED,
    ServerProcess,
    UserFactory,
    create_postgres_database,
    drop_postgres_database,
    fresh_instance,
)
from web_support import WebClient


def _lazy_certificate_store() -> None:
    """httpx fills a new TLS context from a CA bundle file for every client (and httpx.get or
    .post make a client per call): 20 ms of certificate parsing each time, a fifth of the test
    process's time under py-spy. OpenSSL reads a hashed certificate directory only when a TLS
    connection needs it, and the suite's servers speak plain HTTP: the same trust, for free."""
    directory = ssl.get_default_verify_paths().capath
    if directory and any(Path(directory).glob("*.0")):
        os.environ.pop("SSL_CERT_FILE", None)
        os.environ["SSL_CERT_DIR"] = directory


_lazy_certificate_store()

TEST_DATABASE_URL = os.environ.get("ZWITSCHER_TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("ZWITSCHER_TEST_REDIS_URL")


def pytest_collection_modifyitems(config, items) -> None:
    """Tests that read no engine's behaviour (text parsing, catalogs, import rules, the
    accessibility of rendered pages) run in the SQLite run only: CI runs both engines side by
    side on two cores, and Chromium's axe scans alone were a sixth of each run."""
    if not TEST_DATABASE_URL:
        return
    once = pytest.mark.skip(reason="engine-independent: checked in the SQLite run")
    for item in items:
        if item.get_closest_marker("engine_independent"):
            item.add_marker(once)


@pytest.fixture(scope="session")
def engine_env(tmp_path_factory) -> dict[str, str]:
    """Environment for servers of this session: which database and pub/sub they use."""
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path_factory.mktemp("data")), **CHEAP_PASSWORDS}
    if TEST_DATABASE_URL:
        url = create_postgres_database(TEST_DATABASE_URL)
        env["ZWITSCHER_DATABASE_URL"] = url
        if TEST_REDIS_URL:
            env["ZWITSCHER_REDIS_URL"] = TEST_REDIS_URL
        yield env
        drop_postgres_database(url)
    else:
        yield env


@pytest.fixture(scope="session")
def mailbox() -> MailSink:
    """The SMTP server the shared server sends its e-mail to: everyone's mailbox."""
    mail = MailSink()
    mail.start()
    yield mail
    mail.stop()


@pytest.fixture(scope="session")
def server(engine_env, mailbox) -> ServerProcess:
    """The shared server: open registrations, generous rate limit, e-mail to `mailbox`, link
    previews from `preview_site` (and from no other address of its own network)."""
    process = ServerProcess(engine_env | UNLIMITED | {
        "ZWITSCHER_SMTP_URL": mailbox.url,
        "ZWITSCHER_PREVIEW_ALLOW_PRIVATE_ADDRESSES": SHARED_PREVIEW_ADDRESS})
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def preview_site() -> Site:
    """A web site the shared server may fetch link previews from: `preview_site.serve(path,
    html_page(title))` gives the URL to link to."""
    site = Site(SHARED_PREVIEW_ADDRESS)
    yield site
    site.close()


@pytest.fixture(scope="session")
def users(server) -> UserFactory:
    return UserFactory(server)


@pytest.fixture
def new_user(users):
    """Make a fresh signed-in person: `alice = new_user()`; returns a `User`."""
    return users.create


@pytest.fixture
def sse(server):
    """Open a server-sent events stream: `sse("/api/v1/streaming/public", alice)`."""
    opened: list = []
    yield open_sse(server, opened)
    for stream in opened:
        stream.close()


@pytest.fixture
def websocket(server):
    """Open a WebSocket: `websocket(token, via="query"|"header"|"protocol", stream="user")`."""
    opened: list = []
    yield open_websocket(server, opened)
    for connection in opened:
        connection.close()


@pytest.fixture
def web(server):
    """A browser without JavaScript on the shared server (`web_support.WebClient`)."""
    client = WebClient(server.base_url)
    yield client
    client.close()


@pytest.fixture
def browser_of(server):
    """`browser_of(user)`: a browser without JavaScript on the shared server, signed in as
    `user`; all are closed after the test."""
    opened: list[WebClient] = []

    def sign_in(user) -> WebClient:
        client = WebClient(server.base_url)
        client.sign_in(user.username)
        opened.append(client)
        return client

    yield sign_in
    for client in opened:
        client.close()


@pytest.fixture(scope="module")
def quiet_server_log(server):
    """Whatever a module's tests send, the shared server never fails on it (checked after the
    module); a module opts in with `pytestmark = pytest.mark.usefixtures("quiet_server_log")`."""
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


@pytest.fixture(scope="module")
def browser_instance(request, tmp_path_factory):
    """A fresh instance for one browser test module, with the module's `INSTANCE_SETTINGS`."""
    settings = getattr(request.module, "INSTANCE_SETTINGS", {})
    with fresh_instance(tmp_path_factory.mktemp(request.module.__name__), **settings) as server:
        yield server


@pytest.fixture(scope="module")
def people(browser_instance):
    """Who a browser module's instance holds before Chromium starts: a module that needs people
    (or other content) overrides this fixture and makes them from `browser_instance`."""
    return {}


@pytest.fixture(scope="module")
def chromium(browser_instance, people):
    """Debian's headless Chromium for one browser test module."""
    # After the instance and its people: Playwright's sync API runs an event loop, in which the
    # instance's PostgreSQL database could be neither created nor dropped.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser_contexts(chromium, browser_instance):
    """Open contexts on the module's instance (`browser_contexts("ada")` is signed in as Ada,
    see `browser_support.new_context`); all are closed when the module ends."""
    opened: list = []

    def open_context(login: str | None = None, **options):
        context = new_context(chromium, browser_instance, login, **options)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()
