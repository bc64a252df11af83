"""Errors that services raise and the API turns into Mastodon's `{"error": ...}` bodies.

A message is an English text, optionally a template with `%(name)s` placeholders and the values
as keyword arguments (never an f-string): the API sends `message`, the filled-in English text;
the web interface translates `text` (the template, a msgid of its catalog) and fills in
`variables` itself, so a German page explains the same error in German.
"""

from __future__ import annotations


class DomainError(Exception):
    status_code = 422

    def __init__(self, message: str, *, description: str | None = None,
                 **variables: object) -> None:
        self.text = message
        self.variables = variables
        self.message = message % variables if variables else message
        super().__init__(self.message)
        self.description = description


class NotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "Record not found", **variables: object) -> None:
        super().__init__(message, **variables)


class Forbidden(DomainError):
    status_code = 403

    def __init__(self, message: str = "This action is not allowed", **variables: object) -> None:
        super().__init__(message, **variables)


class Unauthorized(DomainError):
    status_code = 401

    def __init__(self, message: str = "The access token is invalid", **variables: object) -> None:
        super().__init__(message, **variables)


class ValidationFailed(DomainError):
    status_code = 422

    def __init__(self, message: str, **variables: object) -> None:
        super().__init__(message, **variables)
        # Mastodon's wording for the API; `text` stays the reason alone, for translation.
        self.message = f"Validation failed: {self.message}"
        self.args = (self.message,)


class BadRequest(DomainError):
    status_code = 400


class TooLarge(DomainError):
    status_code = 413


class TemporaryFailure(Exception):
    """Another server did not do its part this time (no answer, 5xx, rate limited): expected
    now and then, so the job system retries later and logs it without a traceback."""


class PasswordsTurnedOff(DomainError):
    """The organisation signs people in through its single sign-on only."""

    status_code = 403

    def __init__(self) -> None:
        super().__init__("Passwords are turned off here: sign in with your organisation's "
                         "account")


class Conflict(DomainError):
    """Something unique is taken already (SCIM answers 409 `uniqueness`)."""

    status_code = 409


class TooManyAttempts(DomainError):
    """Sign-in, password resets and the like tried too often from one place or for one
    person (`zwitscher.throttle`)."""

    status_code = 429

    def __init__(self, message: str = "Too many attempts: please wait a while and try again",
                 **variables: object) -> None:
        super().__init__(message, **variables)
