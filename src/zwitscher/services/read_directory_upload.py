"""Read a directory CSV uploaded in the browser, refusing whole files that are not what the
import expects with a message a person can act on (the row-by-row problems are the import
plan's). A spreadsheet saved in the wrong format is the usual mistake: Latin-1 or UTF-16
text, semicolons between the columns, or another file chosen by accident."""

from __future__ import annotations

from zwitscher.domain.directory_csv import COLUMNS, DirectoryFile, read_directory_csv
from zwitscher.domain.errors import ValidationFailed

# Planning 10,000 rows takes well under a second, applying them a second or two; the command
# line and the API take larger files (docs/directory.md).
MAX_ROWS = 10_000
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def read_directory_upload(data: bytes, *, max_rows: int = MAX_ROWS) -> DirectoryFile:
    if not data.strip():
        raise ValidationFailed("The file is empty")
    if data.startswith(_UTF16_MARKS) or _looks_like_utf16(data[:4096]):
        raise ValidationFailed("The file is UTF-16 text; save it as CSV in UTF-8 and upload it "
                               "again")
    if b"\x00" in data:
        raise ValidationFailed("This is not a CSV file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed("The file is not UTF-8 text (perhaps Latin-1 or Windows-1252); "
                               "save it as CSV in UTF-8 and upload it again") from exc
    header = text.split("\n", 1)[0].strip().lower()
    if "," not in header and (";" in header or "\t" in header):
        raise ValidationFailed("The columns are separated by semicolons or tabs; the file "
                               "needs commas between its columns")
    if not any(name.strip() in COLUMNS for name in header.split(",")):
        raise ValidationFailed("This is not the directory CSV: its first row must name the "
                               "columns, such as username and email")
    parsed = read_directory_csv(text)
    rows = len(parsed.rows) + len(parsed.errors)
    if rows > max_rows:
        raise ValidationFailed("The file has %(rows)s rows; at most %(limit)s are imported "
                               "here at once (the command line and the API take more)",
                               rows=rows, limit=max_rows)
    return parsed


def _looks_like_utf16(sample: bytes) -> bool:
    """Latin letters in UTF-16 without a byte order mark: every other byte is NUL."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return min(even, odd) == 0 and max(even, odd) > len(sample) // 4
