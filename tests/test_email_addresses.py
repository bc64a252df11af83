"""E-mail addresses are accepted as Mastodon accepts them: at sign-up (`POST /api/v1/accounts`)
and in invitations, with one rule (`zwitscher.domain.email_addresses`)."""

from __future__ import annotations

import secrets

import httpx
import pytest

from zwitscher.domain.email_addresses import is_valid_email

ACCEPTED = [
    "anna@example.org",
    "anna.berg@example.org",
    "anna+newsletter@example.org",  # plus addressing
    "ANNA.Berg@Example.ORG",  # any case
    "anna@mail.eu.example.org",  # subdomains
    "anna_berg-1@example-shop.co.uk",
    "o'brien@example.ie",
    "x!#$&'*+-/=?^_`{|}~@example.org",  # every atom character but %
    "anna..berg@example.org",  # runs of dots, as Mastodon's mail library takes them
    "jörg@bücher.de",  # international local part and domain
    "anna@xn--bcher-kva.de",  # the same domain as DNS writes it
    "用户@例子.广告",
    "a@b.c",
    "a@123.example",
    "anna@my_host.example.org",
]

REFUSED = [
    "",
    "anna",
    "anna.example.org",  # no @
    "@example.org",
    "anna@",
    "anna@@example.org",
    "anna@berg@example.org",
    "anna berg@example.org",  # white space inside
    "anna@exam ple.org",
    " anna@example.org",  # callers strip first
    "anna@example.org\n",
    "anna\t@example.org",
    "foo@example.com%foo.example.com",  # Mastodon's own example
    "anna,berg@example.org",
    '"anna berg"@example.org',
    '"anna"@example.org',
    "Anna <anna@example.org>",
    "<anna@example.org>",
    "anna(work)@example.org",
    "anna@[192.0.2.1]",
    ".anna@example.org",
    "anna.@example.org",
    "anna@localhost",  # no mail reaches a domain without a dot
    "anna@example..org",
    "anna@.example.org",
    "anna@example.org.",
    "anna@-example.org",
    "anna@example-.org",
    "anna@exa!mple.org",
    "anna@exa%mple.org",
    "anna\\berg@example.org",
    "anna;berg@example.org",
    "anna:berg@example.org",
    "anna@" + "a" * 64 + ".org",  # a label longer than DNS allows
    "a" * 310 + "@example.org",  # over 320 characters
    "anna\x00@example.org",
]


@pytest.mark.parametrize("address", ACCEPTED)
def test_accepted_addresses(address):
    assert is_valid_email(address)


@pytest.mark.parametrize("address", REFUSED)
def test_refused_addresses(address):
    assert not is_valid_email(address)


def sign_up(server, users, email: str) -> httpx.Response:
    return httpx.post(f"{server.base_url}/api/v1/accounts", headers={
        "Authorization": f"Bearer {users.app_token()}"}, data={
        "username": f"m{secrets.token_hex(5)}", "email": email, "password": "long enough pass",
        "agreement": "true"})


def test_sign_up_takes_the_addresses_mastodon_takes(server, users):
    tag = secrets.token_hex(4)
    for email in (f"Anna.Berg+{tag}@Mail.Example.ORG", f"jörg{tag}@bücher.de",
                  f"  padded{tag}@example.org  "):
        response = sign_up(server, users, email)
        assert response.status_code == 200, (email, response.text)
    for email in ("anna berg@example.org", "foo@example.com%foo.example.com",
                  "Anna <anna@example.org>", f"anna{tag}@localhost", "anna@example..org"):
        response = sign_up(server, users, email)
        assert (response.status_code, response.json()) == (
            422, {"error": "Validation failed: Email is invalid"}), email
    # The padded address was stored without its spaces: the same one is taken now.
    taken = sign_up(server, users, f"padded{tag}@example.org")
    assert taken.json() == {"error": "Validation failed: Email has already been taken"}


def test_invitations_take_the_same_addresses(users):
    admin = users.create(role="admin")
    tag = secrets.token_hex(4)
    invited = admin.http.post("/api/zwitscher/v1/invitations",
                              data={"email": f"Neu.Kollege+{tag}@Firma.Example.DE"})
    assert invited.status_code == 200, invited.text
    refused = admin.http.post("/api/zwitscher/v1/invitations",
                              data={"email": "neu,kollege@example.de"})
    assert refused.json() == {"error": "Validation failed: Email is invalid"}
