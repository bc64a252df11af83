"""The people of bench/crisis.py, made as an operator and the people themselves would: an
owner and a communicator on the command line, a managed group whose people sign up and
subscribe a device to Web Push; and a contact list stored straight into the database (for
setup speed)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx

from zwitscher.db.schema import contact_lists, contacts
from zwitscher.domain.ids import new_id
from zwitscher.settings import Settings

from crisis_sinks import PushService, device_keys
from harness import PASSWORD, App, api_client, async_api_client, create_account, engine_of
from servers import Server

SCOPES = "read write follow push admin:read admin:write"


class Desk:
    """The owner, the communicator who sends the crisis, and the group's people with a token
    each and a subscribed device; made as an operator and the people themselves would."""

    def __init__(self, server: Server, env: dict[str, str], *, people: int,
                 push: PushService) -> None:
        self.base = server.base_url
        for name, role in (("owner", "owner"), ("jana", "communicator")):
            create_account(env, name, role)
        app = App(self.base, SCOPES)
        self.tokens = {name: app.token(name) for name in ("owner", "jana")}
        owner = self.http("owner")
        self.group_id = owner.post("/api/zwitscher/v1/groups", data={
            "slug": "plant", "name": "Plant staff"}).json()["id"]
        signing_up = httpx.post(f"{self.base}/oauth/token", data={
            "grant_type": "client_credentials", "client_id": app.client_id,
            "client_secret": app.client_secret, "scope": "read write push"}).json()
        self.people: list[str] = []
        account_ids = []
        for n in range(people):
            made = httpx.post(f"{self.base}/api/v1/accounts", headers={
                "Authorization": f"Bearer {signing_up['access_token']}"}, data={
                "username": f"worker{n}", "email": f"worker{n}@example.org",
                "password": PASSWORD, "agreement": "true", "locale": "de" if n % 2 else "en"})
            made.raise_for_status()
            token = made.json()["access_token"]
            # An admin vouches for the address (the e-mailed link would cost a mail job each).
            me = owner.get("/api/v1/accounts/lookup", params={"acct": f"worker{n}"}).json()
            owner.post(f"/api/zwitscher/v1/admin/accounts/{me['id']}/confirm").raise_for_status()
            httpx.post(f"{self.base}/api/v1/push/subscription",
                       headers={"Authorization": f"Bearer {token}"},
                       json={"subscription": {"endpoint": push.endpoint(),
                                              "keys": device_keys()},
                             "data": {"alerts": {}}}).raise_for_status()
            self.people.append(token)
            account_ids.append(me["id"])
        owner.post(f"/api/zwitscher/v1/groups/{self.group_id}/members",
                   data={"account_ids[]": account_ids}).raise_for_status()

    def http(self, name: str) -> httpx.Client:
        return api_client(self.base, self.tokens[name])

    def ahttp(self, name: str) -> httpx.AsyncClient:
        return async_api_client(self.base, self.tokens[name])


async def add_contacts(settings: Settings, count: int) -> tuple[int, float]:
    """A contact list stored as an import would leave it (for setup speed): each contact with
    an e-mail address and a phone number in E.164."""
    started = time.perf_counter()
    engine = engine_of(settings)
    now = datetime.now(UTC)
    list_id = new_id()
    rows = [{"id": new_id(), "list_id": list_id, "name": f"Relative {n}",
             "email": f"relative{n}@example.net", "phone": f"+49176{5000000 + n:07d}",
             "language": "de" if n % 2 else "en", "created_at": now} for n in range(count)]
    async with engine.begin() as conn:
        await conn.execute(contact_lists.insert(), {
            "id": list_id, "name": "Relatives and authorities", "description": "",
            "created_by_id": None, "created_at": now})
        for start in range(0, count, 1000):
            await conn.execute(contacts.insert(), rows[start:start + 1000])
    await engine.dispose()
    return list_id, time.perf_counter() - started
