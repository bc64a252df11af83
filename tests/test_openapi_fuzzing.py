"""The API is what its OpenAPI document (`/openapi.json`) says: Schemathesis sends each
operation requests made from the document, and no answer is a server error (5xx) or other than
documented (status, content type, headers, body schema).

Each operation is tried a few times with generated parameters, then with the ids of things
that exist (a post, a list, a filter, a report, ...), so the requests reach past "not found".
Generation is seeded: CI sends the same requests every run. The fuzzer writes things every
person sees (announcements, groups, custom emojis, trends), so it runs on an instance of its
own rather than the shared server.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zwitscher.api.openapi import undeclared_routes
from zwitscher.app import create_app
from zwitscher.settings import Settings

from media_support import image_bytes, upload
from support import UserFactory, fresh_instance, wait_until

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
# Per operation and pass: enough to vary every parameter a few times, few enough that both
# engines fuzz the whole API within two minutes each on CI's two cores.
EXAMPLES = 5
FAILURES_SHOWN_PER_OPERATION = 3
# Server-sent event streams never end: a request would wait for ever (the streaming tests
# cover them).
NEVER_ENDING = "text/event-stream"


@pytest.mark.engine_independent
def test_every_api_route_is_declared(tmp_path):
    """A route without a declaration would be missing from the document (see
    `zwitscher.api.operations`)."""
    app = create_app(Settings(data_dir=tmp_path), migrate=False)
    undeclared = undeclared_routes(app)
    assert not undeclared, f"declare what these take and answer (@declare): {undeclared}"


@dataclass
class Callers:
    """Who fuzzes what: the person most operations, the admin the admin API, the directory
    token SCIM; `ids` the path parameters that name something real."""

    person: dict[str, str]
    admin: dict[str, str]
    directory: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("fuzzing")) as server:
        yield server


@pytest.fixture(scope="module")
def callers(instance) -> Callers:
    with ThreadPoolExecutor(1) as background:  # the command takes seconds: meanwhile, people
        token = background.submit(instance.cli, "scim", "token", "--name", "fuzzing")
        users = UserFactory(instance)
        person = users.create("fuzzing_person")
        bob = users.create("fuzzing_bob")
        admin = users.create("fuzzing_admin", role="admin")
        directory = token.result().strip()
    callers = Callers({"Authorization": f"Bearer {person.token}"},
                      {"Authorization": f"Bearer {admin.token}"},
                      {"Authorization": f"Bearer {directory}"})
    callers.ids = _things(person, bob, admin, callers.directory, instance.base_url)
    return callers


def _things(person, bob, admin, directory: dict[str, str], base_url: str) -> dict[str, str]:
    """Something real for each path parameter: the person's post, list, filter, ...; bob is
    the other account (the person's own would let the fuzzer lock itself out)."""

    def made(response) -> dict:
        assert response.status_code in (200, 201), response.text
        return response.json()

    person.http.post(f"/api/v1/accounts/{bob.id}/follow").raise_for_status()
    status = made(person.http.post("/api/v1/statuses", json={
        "status": f"Fuzzing #fuzz with @{bob.username}",
        "poll": {"options": ["yes", "no"], "expires_in": 3600}}))
    made(bob.http.post("/api/v1/statuses", json={
        "status": f"@{person.username} hello", "visibility": "direct"}))
    wait_until(lambda: person.http.get("/api/v1/notifications").json())
    notification = person.http.get("/api/v1/notifications").json()[0]
    listed = made(person.http.post("/api/v1/lists", json={"title": "Fuzzed"}))
    made(person.http.post(f"/api/v1/lists/{listed['id']}/accounts",
                          json={"account_ids": [bob.id]}))
    rule = made(person.http.post("/api/v2/filters", json={
        "title": "Fuzzed", "context": ["home"], "keywords_attributes": [{"keyword": "x"}]}))
    entry = made(person.http.post(f"/api/v2/filters/{rule['id']}/statuses",
                                  json={"status_id": status["id"]}))
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    scheduled = made(person.http.post("/api/v1/statuses",
                                      json={"status": "Later", "scheduled_at": later}))
    media = made(upload(person, image_bytes("PNG")))
    featured = made(person.http.post("/api/v1/featured_tags", json={"name": "fuzz"}))
    made(person.http.post("/api/v1/reports", json={"account_id": bob.id}))
    report = admin.http.get("/api/v1/admin/reports").json()[0]
    group = made(admin.http.post("/api/zwitscher/v1/groups",
                                 json={"slug": "fuzzed", "name": "Fuzzed"}))
    brand = made(admin.http.post("/api/zwitscher/v1/brands",
                                 json={"username": "fuzzed_brand", "display_name": "Fuzzed"}))
    announcement = made(admin.http.post("/api/zwitscher/v1/admin/announcements",
                                        json={"text": "Fuzzing"}))
    emoji = made(admin.http.post("/api/zwitscher/v1/admin/custom_emojis",
                                 files={"image": ("e.png", image_bytes("PNG", (32, 32)),
                                                  "image/png")},
                                 data={"shortcode": "fuzzed"}))
    scim_user = made(requests.post(f"{base_url}/scim/v2/Users", headers=directory, json={
        "userName": "fuzzed@example.org", "active": True}, timeout=30))
    return {"status_id": status["id"], "poll_id": status["poll"]["id"], "account_id": bob.id,
            "notification_id": notification["id"], "group_key": notification["group_key"],
            "list_id": listed["id"], "filter_id": rule["id"],
            "keyword_id": rule["keywords"][0]["id"], "entry_id": entry["id"],
            "scheduled_id": scheduled["id"], "media_id": media["id"],
            "featured_id": featured["id"], "report_id": report["id"], "group_id": group["id"],
            "brand_id": brand["id"], "announcement_id": announcement["id"],
            "emoji_id": emoji["id"], "user_id": scim_user["id"], "name": "fuzz",
            "hashtag": "fuzz", "urn": "urn:ietf:params:scim:schemas:core:2.0:User",
            "conversation_id": person.http.get("/api/v1/conversations").json()[0]["id"]}


def _headers(operation, callers: Callers) -> dict[str, str]:
    requirements = operation.definition.raw.get("security", [])
    schemes = {scheme: scopes for requirement in requirements
               for scheme, scopes in requirement.items()}
    if "DirectoryToken" in schemes:
        return callers.directory
    if any(scope.startswith("admin:") for scope in schemes.get("OAuth2", ())):
        return callers.admin
    return callers.person


def _never_ends(operation) -> bool:
    responses = operation.definition.raw["responses"]
    return any(NEVER_ENDING in answer.get("content", {}) for answer in responses.values())


class Fuzzer:
    """Sends each operation's requests and keeps what went wrong: a check that failed, or
    the request itself (a dropped connection is a finding too)."""

    def __init__(self, schema, *, base_url: str, callers: Callers,
                 session: requests.Session) -> None:
        self.schema = schema
        self.base_url = base_url
        self.callers = callers
        self.session = session
        self.operations = 0
        self.requests = 0
        self.findings: list[str] = []

    def fuzz(self, operation) -> None:
        self.operations += 1
        headers = _headers(operation, self.callers)
        names = [parameter.name for parameter in operation.path_parameters]
        real = {name: self.callers.ids[name] for name in names if name in self.callers.ids}
        found: list[str] = []
        # The document's examples (a post, a list, a filter: what succeeds), generated
        # requests, and again on real things where there are any.
        for example in self.schema.get_strategies_from_examples(operation):
            self._generated(example, headers, found, limit=1)
        self._generated(operation.as_strategy(), headers, found)
        if real:
            self._generated(operation.as_strategy(path_parameters=real), headers, found)
        # Schemathesis' boundary values (empty, shortest, longest, each optional part left
        # out), on real things where there are any.
        config = self.schema.config.generation_for(operation=operation)
        for case in self.schema.iter_coverage_cases(
                operation, generation_modes=[GenerationMode.POSITIVE],
                generation_config=config):
            case.path_parameters = {**(case.path_parameters or {}), **real}
            self._send(case, headers, found)
        self.findings += [f"{operation.label}: {finding}"
                          for finding in found[:FAILURES_SHOWN_PER_OPERATION]]

    def _generated(self, strategy, headers: dict[str, str], found: list[str], *,
                   limit: int = EXAMPLES) -> None:
        @settings(max_examples=limit, derandomize=True, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def send(case) -> None:
            self._send(case, headers, found)

        send()

    def _send(self, case, headers: dict[str, str], found: list[str]) -> None:
        self.requests += 1
        try:
            case.call_and_validate(base_url=self.base_url, session=self.session,
                                   headers=headers, checks=CHECKS, timeout=30)
        except (Exception, FailureGroup) as exc:  # each is reported with its request
            found.append(f"{exc}\n  {case.as_curl_command()}")


def test_api_answers_as_documented(instance, callers, capsys):
    document = requests.get(f"{instance.base_url}/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()  # against OpenAPI 3.1's own schema
    operations = [result.ok() for result in schema.get_all_operations()]
    # Deleting last: the things other operations are tried on are still there for them.
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
    started = time.monotonic()
    with requests.Session() as session:
        fuzzer = Fuzzer(schema, base_url=instance.base_url, callers=callers, session=session)
        for operation in operations:
            if not _never_ends(operation):
                fuzzer.fuzz(operation)
    with capsys.disabled():
        print(f"\nOpenAPI fuzzing: {fuzzer.operations} operations, {fuzzer.requests} requests, "
              f"{len(fuzzer.findings)} findings, {time.monotonic() - started:.0f} s")
    assert fuzzer.operations >= 200 and fuzzer.requests >= 5 * fuzzer.operations
    assert not fuzzer.findings, "\n\n".join(fuzzer.findings)
    assert "Traceback" not in instance.log_text()
