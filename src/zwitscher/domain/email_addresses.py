"""Which e-mail addresses people may sign up, be invited or be provisioned with: Mastodon's rules.

Mastodon takes an address its mail library reads back unchanged (a bare `local@domain`: no
display name, comment, angle brackets or quotes) and refuses `%` and `,` in it. The local part
is RFC 5322's atoms (letters, digits and ``! # $ & ' * + - / = ? ^ _ ` { | } ~``, plus any
non-ASCII letter, RFC 6532) joined by dots, none at either end; runs of dots are accepted, as
that library accepts them. In production Mastodon also asks DNS for the domain's mail servers;
we ask nobody (the server may have no way out), and instead require a host name with at least
one dot: labels of letters (international ones too), digits, hyphens and underscores, no label
empty, none starting or ending with a hyphen. Case is kept (comparisons ignore it), and an
address is at most 320 characters. Callers strip surrounding white space first, as Mastodon
does; white space inside is refused.
"""

from __future__ import annotations

import re

MAX_LENGTH = 320

_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$&'*+\-/=?^_`{|}~\u0080-\U0010ffff]+"
                         r"(?:\.+[A-Za-z0-9!#$&'*+\-/=?^_`{|}~\u0080-\U0010ffff]+)*")
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")


def is_valid_email(address: str) -> bool:
    if not address or len(address) > MAX_LENGTH or not address.isprintable() \
            or any(character.isspace() for character in address):
        return False
    local, at, domain = address.rpartition("@")
    return bool(at) and _LOCAL_PART.fullmatch(local) is not None and _is_host_name(domain)


def _is_host_name(domain: str) -> bool:
    if "." not in domain or len(domain) > 253:
        return False
    try:
        # International names as DNS sees them (IDNA); an empty or overlong label fails here.
        ascii_name = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return all(_LABEL.fullmatch(label) for label in ascii_name.split("."))
