"""For the tests of monitors: making one over the API, and reading its timeline as its reader."""

from __future__ import annotations

import secrets

PATH = "/api/zwitscher/v1/monitors"


def word() -> str:
    """A made-up brand name no other test posts."""
    return "Brand" + secrets.token_hex(4)


def make_monitor(user, **body) -> dict:
    """A monitor of `user`'s, named "watch" unless `body` names it."""
    response = user.http.post(PATH, json={"name": "watch", **body})
    assert response.status_code == 200, response.text
    return response.json()


def timeline_ids(user, monitor: dict, **params) -> list[str]:
    """The ids on the first page of the monitor's timeline, as `user` reads it."""
    response = user.http.get(f"{PATH}/{monitor['id']}/statuses", params=params)
    assert response.status_code == 200, response.text
    return [status["id"] for status in response.json()]
