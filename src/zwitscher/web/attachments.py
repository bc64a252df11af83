"""Files chosen on a web form (`media_1` … `media_4`, each with `description_N`): images and
PDF documents, read as `POST /api/v2/media` reads them, before any unit of work is opened."""

from __future__ import annotations

from fastapi import Request

from zwitscher.domain.errors import DomainError, TooLarge, ValidationFailed
from zwitscher.services.attach_media import MAX_ATTACHMENTS
from zwitscher.services.read_attachment import Attachment, read_attachment
from zwitscher.services.upload_media import MediaDetails, media_details


async def form_attachments(request: Request, raw_form,
                           form: dict) -> list[tuple[Attachment, MediaDetails]]:
    """The chosen images and PDF documents, read as `POST /api/v2/media` reads them, with
    their descriptions; slots without a file are skipped."""
    settings = request.app.state.settings
    attachments = []
    for number in range(1, MAX_ATTACHMENTS + 1):
        upload = raw_form.get(f"media_{number}")
        if isinstance(upload, str) or upload is None or not (upload.filename or upload.size):
            continue
        data = await upload.read(settings.max_media_bytes + 1)
        try:
            if len(data) > settings.max_media_bytes:
                raise TooLarge("The file is larger than %(limit)s bytes",
                               limit=settings.max_media_bytes)
            details = media_details(form.get(f"description_{number}") or None, None)
            attachment = await read_attachment(settings, data, file_name=upload.filename,
                                               content_type=upload.content_type)
        except DomainError as exc:
            raise about_attachment(number, exc) from exc
        attachments.append((attachment, details))
    return attachments


def about_attachment(number: int, problem: DomainError) -> DomainError:
    """The problem, saying which attachment it is about (translated as a whole on the
    page)."""
    about = ValidationFailed("Attachment %(number)s: %(reason)s", number=number,
                             reason=problem)
    about.status_code = problem.status_code
    return about
