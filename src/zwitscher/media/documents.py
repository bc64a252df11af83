"""Check an uploaded PDF document: enough of it to know it is one, never all of it.

A document is served as it was sent, for download only (`media.store.download_name`): a press
release goes out as its author made it, and rewriting it could break its signature or forms.
So nothing is rendered or extracted here. pypdf opens the file, and we read its page tree and
the first page's size: no content stream, font or image is decoded. pypdf's limits (stream
lengths, the page tree's size and depth) are tightened below, so a crafted file costs little
before it is refused. Whatever pypdf raises on bad input means the same to its sender: the
file is not a PDF we can read.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from pypdf import Configuration, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError

from zwitscher.media.rejected import MediaRejected

# Mastodon's type for an attachment it shows no preview of.
MEDIA_TYPE = "unknown"
CONTENT_TYPE = "application/pdf"
EXTENSION = "pdf"
# The name a document is downloaded under: ASCII letters, digits, `-` and `_`, so it can stand
# in a URL's path and a header as it is.
MAX_NAME = 80
# A PDF's header may follow some bytes of junk (readers look in the first kilobyte), and its
# last part ends with `%%EOF` near the end: a file cut short lacks it.
HEADER = b"%PDF-"
END = b"%%EOF"
LOOK_WITHIN = 1024

_UNPACKED = 32 * 1024 * 1024
# Built on import: a limit this pypdf does not know stops the server from starting, rather than
# refusing every PDF as unreadable.
_LIMITS = Configuration().with_overwrites(
    maximum_declared_stream_length=_UNPACKED,
    zlib_maximum_output_length=_UNPACKED, lzw_maximum_output_length=_UNPACKED,
    run_length_maximum_output_length=_UNPACKED, brotli_maximum_output_length=_UNPACKED,
    jbig2_maximum_output_length=_UNPACKED, jbig2dec_binary=None,
    stream_decoding_work_maximum_length=2 * _UNPACKED,
    page_tree_maximum_entries=20_000, page_tree_maximum_depth=32,
    page_tree_maximum_page_entries=400_000)
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                         "ß": "ss"})


class DocumentRejected(MediaRejected):
    """The file is no PDF document we accept."""


@dataclass(frozen=True, slots=True)
class ProcessedDocument:
    data: bytes  # as sent
    pages: int
    # The first page's size, in points (1/72 inch): 595 x 842 is A4.
    width: int
    height: int
    file_name: str  # `safe_file_name`


def looks_like_pdf(data: bytes) -> bool:
    return HEADER in data[:LOOK_WITHIN]


def process_document(data: bytes, *, file_name: str | None) -> ProcessedDocument:
    """Open the upload with pypdf and read its page count and first page's size; refuse it
    when it is not a whole, unencrypted PDF with pages."""
    if not looks_like_pdf(data):
        raise DocumentRejected("The file is not a PDF document")
    if END not in data[-LOOK_WITHIN:]:
        raise DocumentRejected("The PDF document is incomplete")
    try:
        with apply_configuration(_LIMITS):
            reader = PdfReader(io.BytesIO(data), strict=False, root_object_recovery_limit=1000,
                               xref_stream_maximum_entries=200_000)
            if reader.is_encrypted:
                raise DocumentRejected("The PDF document is encrypted; please send it "
                                       "without a password")
            if len(reader.pages) == 0:  # also reads the whole page tree, within the limits
                raise DocumentRejected("The PDF document has no pages")
            pages, box = len(reader.pages), reader.pages[0].mediabox
            width, height = round(abs(float(box.width))), round(abs(float(box.height)))
    except MediaRejected:
        raise
    except LimitReachedError:
        raise DocumentRejected("The PDF document is too complex to accept") from None
    except Exception as exc:  # pypdf's errors on a damaged file are of many kinds
        raise DocumentRejected("The file is not a PDF document") from exc
    return ProcessedDocument(data=data, pages=pages, width=max(1, width),
                             height=max(1, height), file_name=safe_file_name(file_name))


def safe_file_name(sent: str | None) -> str:
    """The name the sender gave the file, without folders, as `MAX_NAME` ASCII characters at
    most, ending in `.pdf` ("Übernahme 2027.PDF" becomes "Uebernahme-2027.pdf")."""
    name = (sent or "").replace("\\", "/").rpartition("/")[2]
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem = extension
    plain = unicodedata.normalize("NFKD", stem.translate(_GERMAN))
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", plain.encode("ascii", "ignore").decode())
    slug = slug.strip("-_")[:MAX_NAME].strip("-_")
    return f"{slug or 'document'}.{EXTENSION}"
