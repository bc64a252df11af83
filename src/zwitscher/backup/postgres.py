"""PostgreSQL's own tools, driven: `pg_dump --format=custom` and `pg_restore`.

Both are found on PATH (Debian: the `postgresql-client` package). pg_dump refuses servers newer
than itself, and pg_restore archives made by a newer pg_dump: both are checked first, so the
operator reads which version to install instead of the tool's own error.

The password never appears on a command line (where `ps` shows it to everyone on the
machine): the tools get the URL without it and read it from PGPASSWORD in their environment.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from zwitscher.backup.archive import BackupError
from zwitscher.settings import Settings

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class Connection:
    """The arguments and environment that point a PostgreSQL tool at a database."""

    url: str  # libpq's URI, without the password
    env: dict[str, str]


def connection(settings: Settings) -> Connection:
    parts = urlsplit(settings.database_url or "")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = (f"{parts.username}@" if parts.username else "") + host + (
        f":{parts.port}" if parts.port else "")
    url = urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))
    env = dict(os.environ)
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
    return Connection(url, env)


@dataclass(frozen=True)
class Tool:
    path: str
    version: str  # "15.4"
    major: int


def find_tool(name: str) -> Tool:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH: install PostgreSQL's client programs "
                          "(Debian and Ubuntu: apt-get install postgresql-client), of the "
                          "server's major version or newer.")
    done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    found = _VERSION.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise BackupError(f"{path} --version did not say which version it is: "
                          f"{(done.stdout + done.stderr).strip()}")
    major, minor = found.groups()
    return Tool(path, f"{major}.{minor}" if minor else major, int(major))


def require_at_least(tool: Tool, major: int, *, why: str) -> None:
    if tool.major < major:
        raise BackupError(f"{Path(tool.path).name} {tool.version} is older than {why} "
                          f"({major}): install PostgreSQL {major}'s client programs (or newer) "
                          "and put them first on PATH.")


async def run(tool: Tool, *args: str, conn: Connection) -> None:
    process = await asyncio.create_subprocess_exec(
        tool.path, *args, env=conn.env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await process.communicate()
    if process.returncode != 0:
        said = (err or out).decode(errors="replace").strip()
        raise BackupError(f"{Path(tool.path).name} failed (exit status {process.returncode}):"
                          f"\n{said}")
