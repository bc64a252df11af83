"""Why an upload is refused, for the person who sent it."""

from __future__ import annotations


class MediaRejected(ValueError):
    """The file is nothing we accept; the message says why. Like a `DomainError`'s, it is a
    template with its values apart, so it can be translated (`services.read_image` and
    `services.read_attachment` pass it on as `ValidationFailed`)."""

    def __init__(self, message: str, **variables: object) -> None:
        self.text = message
        self.variables = variables
        super().__init__(message % variables if variables else message)
