"""What the crisis desk's pages share (`web/pages/crisis_desk.py`, `crisis_setup.py`): who may
open them, and the form that holds a crisis's plan (a template's, or one about to be sent).

Only the crisis desk (`policies/crises.py`) finds these pages; anyone else signed in gets the
404 page, as for a page that does not exist. The form keeps what was typed as text, so a
refused one is shown again exactly as it was sent; turning it into a `CrisisPlan` is where ids
and minutes are read, and the services check the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends
from starlette.datastructures import FormData

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.crisis_texts import CHANNELS, FILLED_BY_THE_SYSTEM, placeholders_in
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.brands import brands_to_post_as
from zwitscher.policies.crises import works_crisis_desk
from zwitscher.services.save_crisis_template import MAX_AUDIENCE_PARTS, CrisisPlan
from zwitscher.web.browser import Browser
from zwitscher.web.guards import EarlyAnswer, SignedIn, SignedInFetch

DESK_PATH = "/web/crisis"
MAX_FIELD = 5000


async def _crisis_desk(browser: SignedIn) -> Browser:
    if not works_crisis_desk(browser.user.role):
        raise EarlyAnswer(browser.not_found())
    return browser


async def _crisis_desk_fetch(browser: SignedInFetch) -> Browser:
    if not works_crisis_desk(browser.user.role):
        raise EarlyAnswer(browser.not_found())
    return browser


CrisisDesk = Annotated[Browser, Depends(_crisis_desk)]
CrisisDeskFetch = Annotated[Browser, Depends(_crisis_desk_fetch)]


@dataclass(frozen=True, slots=True)
class PlanChoices:
    """What the form offers: groups, contact lists (with their sizes) and the accounts the
    person may post a crisis as (their own first)."""

    groups: list[sa.Row]
    contact_lists: list[sa.Row]
    brands: list[sa.Row]


async def plan_choices(uow: UnitOfWork, browser: Browser) -> PlanChoices:
    brands = await brands_to_post_as(uow, person_id=browser.session.viewer.account_id,
                                     role=browser.user.role)
    return PlanChoices(groups=await uow.groups.all_groups(),
                       contact_lists=await uow.contact_lists.every(),
                       brands=[brand for brand in brands if not brand.needs_approval])


def read_form(raw: FormData) -> dict:
    """The plan's fields as typed (`values` holds the placeholders' `value_<name>` fields)."""
    def text(name: str) -> str:
        value = raw.get(name, "")
        return value[:MAX_FIELD] if isinstance(value, str) else ""

    def texts(name: str) -> list[str]:
        return [value for value in raw.getlist(name)[:MAX_AUDIENCE_PARTS + 1]
                if isinstance(value, str)]

    escalation = [text(f"escalation_{step}") for step in range(1, len(CHANNELS) + 1)]
    return {"name": text("name"), "title": text("title"), "text": text("text"),
            "account_id": text("account_id"), "group_ids": texts("group_ids"),
            "contact_list_ids": texts("contact_list_ids"), "public": bool(raw.get("public")),
            "channels": texts("channels"), "escalation": [e for e in escalation if e],
            "escalate_after": text("escalate_after"),
            "values": {key.removeprefix("value_"): value[:MAX_FIELD]
                       for key, value in raw.items()
                       if key.startswith("value_") and isinstance(value, str)}}


def form_of_template(template: sa.Row) -> dict:
    return {"name": template.name, "title": template.title, "text": template.text,
            "account_id": str(template.account_id or ""),
            "group_ids": [str(i) for i in template.group_ids],
            "contact_list_ids": [str(i) for i in template.contact_list_ids],
            "public": template.public, "channels": list(template.channels),
            "escalation": list(template.escalation),
            "escalate_after": minutes(template.escalate_after_seconds), "values": {}}


def blank_form() -> dict:
    plan = CrisisPlan(title="", text="")
    return {"name": "", "title": "", "text": "", "account_id": "", "group_ids": [],
            "contact_list_ids": [], "public": False, "channels": list(plan.channels),
            "escalation": [], "escalate_after": minutes(plan.escalate_after_seconds),
            "values": {}}


def plan_of(form: dict) -> CrisisPlan:
    return CrisisPlan(
        title=form["title"], text=form["text"], account_id=_id(form["account_id"]),
        group_ids=_ids(form["group_ids"]), contact_list_ids=_ids(form["contact_list_ids"]),
        channels=tuple(form["channels"]), escalation=tuple(form["escalation"]),
        escalate_after_seconds=_seconds(form["escalate_after"]), public=form["public"])


def placeholders_of(form: dict) -> list[str]:
    """The placeholders the sender fills in, in the order the title and text use them (none
    for a text whose braces are wrong: the service says what is wrong with it)."""
    try:
        names = placeholders_in(form["title"]) + placeholders_in(form["text"])
    except ValidationFailed:
        return []
    return [name for name in dict.fromkeys(names) if name not in FILLED_BY_THE_SYSTEM]


def small_number(raw: str) -> int:
    """A count from a query string (a page, how many were re-sent); 0 for anything else."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0


def minutes(seconds: int) -> str:
    """Seconds as the form's minutes: "10", "0.25"."""
    return f"{seconds / 60:g}"


def _seconds(typed: str) -> int:
    try:
        seconds = float(typed.strip().replace(",", ".")) * 60
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        raise ValidationFailed("Escalation comes after a number of minutes")
    return round(seconds)


def _id(raw: str) -> int | None:
    if not raw:
        return None
    if (value := parse_id(raw)) is None:
        raise ValidationFailed("Choose an account from the list")
    return value


def _ids(raw: list[str]) -> tuple[int, ...]:
    ids = tuple(parse_id(value) for value in raw)
    if None in ids:
        raise ValidationFailed("Choose groups and contact lists from the list")
    return ids
