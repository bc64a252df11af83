"""Errors that services raise and the API turns into Mastodon's `{"error": ...}` bodies."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 422

    def __init__(self, message: str, *, description: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.description = description


class NotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "Record not found") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    status_code = 403

    def __init__(self, message: str = "This action is not allowed") -> None:
        super().__init__(message)


class Unauthorized(DomainError):
    status_code = 401

    def __init__(self, message: str = "The access token is invalid") -> None:
        super().__init__(message)


class ValidationFailed(DomainError):
    status_code = 422

    def __init__(self, message: str) -> None:
        super().__init__(f"Validation failed: {message}")


class BadRequest(DomainError):
    status_code = 400


class TooLarge(DomainError):
    status_code = 413


class RateLimited(DomainError):
    status_code = 429

    def __init__(self) -> None:
        super().__init__("Too many requests")


class TemporaryFailure(Exception):
    """Another server did not do its part this time (no answer, 5xx, rate limited): expected
    now and then, so the job system retries later and logs it without a traceback."""


class Conflict(DomainError):
    """Something unique is taken already (SCIM answers 409 `uniqueness`)."""

    status_code = 409
