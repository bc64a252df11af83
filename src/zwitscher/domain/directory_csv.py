"""The directory CSV: people, their groups, and group definitions, one row each.

Columns (a header row names them; `username` and `email` are required, the rest optional, in
any order): `username, email, display_name, role, groups, external_id`.

- A row with a username is a person. `groups` lists the groups they belong to directly,
  separated by `;`, each as a slug or a path `parent/child` (the path fixes the parent of every
  group after the first).
- A row without a username defines a group: `groups` holds its one path (a one-element path
  puts it at the top level), `display_name` its name, `external_id` its directory id.

Reading checks the shape of the file only; what a row means is the import's business.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

COLUMNS = ("username", "email", "display_name", "role", "groups", "external_id")
REQUIRED = ("username", "email")


@dataclass(frozen=True, slots=True)
class LineError:
    """A problem of one line: `text` with `%(name)s` placeholders for `values`, so a page
    can word it in its reader's language (`message` is the English)."""

    line: int
    text: str
    values: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.text % self.values if self.values else self.text


@dataclass(frozen=True, slots=True)
class DirectoryRow:
    line: int
    username: str
    email: str
    display_name: str
    role: str
    groups: tuple[str, ...]
    external_id: str

    @property
    def defines_group(self) -> bool:
        return not self.username


@dataclass(slots=True)
class DirectoryFile:
    rows: list[DirectoryRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def read_directory_csv(data: bytes | str) -> DirectoryFile:
    parsed = DirectoryFile()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            parsed.errors.append(LineError(1, "The file is not UTF-8 text"))
            return parsed
    reader = csv.reader(io.StringIO(data, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        parsed.errors.append(LineError(1, "Unreadable header: %(problem)s", {"problem": str(exc)}))
        return parsed
    names = [name.strip().lower() for name in header or []]
    problem = _header_problem(names)
    if problem:
        parsed.errors.append(LineError(1, *problem))
        return parsed
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.errors.append(LineError(reader.line_num, "Unreadable row: %(problem)s",
                                           {"problem": str(exc)}))
            break
        if not any(cell.strip() for cell in cells):
            continue
        line = reader.line_num
        if len(cells) != len(names):
            parsed.errors.append(LineError(
                line, "Expected %(expected)s columns, found %(found)s",
                {"expected": len(names), "found": len(cells)}))
            continue
        if any("\x00" in cell for cell in cells):
            parsed.errors.append(LineError(line, "The row contains a NUL character"))
            continue
        values = {name: cell.strip() for name, cell in zip(names, cells, strict=True)}
        groups = tuple(path.strip() for path in values.get("groups", "").split(";")
                       if path.strip())
        parsed.rows.append(DirectoryRow(
            line=line, username=values["username"], email=values["email"],
            display_name=values.get("display_name", ""), role=values.get("role", ""),
            groups=groups, external_id=values.get("external_id", "")))
    return parsed


def _header_problem(names: list[str]) -> tuple[str, dict] | None:
    if not names:
        return "The file is empty; the first row must name the columns", {}
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        return ("Unknown column %(column)s; columns are %(columns)s",
                {"column": repr(unknown[0]), "columns": ", ".join(COLUMNS)})
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        return "Missing column %(column)s", {"column": repr(missing[0])}
    if len(set(names)) != len(names):
        return "A column is named twice", {}
    return None


def write_directory_csv(rows: Iterable[DirectoryRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.username, row.email, row.display_name, row.role,
                         ";".join(row.groups), row.external_id])
    return out.getvalue()
