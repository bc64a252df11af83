from __future__ import annotations

import sqlalchemy as sa

from zwitscher.api.entities import MediaAttachment, media_attachment
from zwitscher.api.presenters.urls import media_url as media_url  # where presenters look
from zwitscher.views.statuses import media_view


def present_media(row: sa.Row, origin: str) -> MediaAttachment:
    """An upload's row, shown as a status's attachments are (`entities.media_attachment`)."""
    return media_attachment(media_view(row), origin)
