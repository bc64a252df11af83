"""Start and stop `zwitscher serve` and `zwitscher worker` as an operator would, on a free port,
with a raised open-file limit, and read their memory from /proc."""

from __future__ import annotations

import contextlib
import os
import resource
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

NOFILE = 65536


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raise_nofile(limit: int = NOFILE) -> int:
    """Raise this process's open-file limit (2,000 streams need 2,000 sockets here too)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for wanted in ((limit, max(hard, limit)), (min(limit, hard), hard)):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, wanted)
            break
        except (ValueError, OSError):
            continue
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def bench_env(*, data_dir: Path, database_url: str | None = None, redis_url: str | None = None,
              jobs_in_process: bool = True, threshold: int = 2000) -> dict[str, str]:
    env = {
        "ZWITSCHER_DATA_DIR": str(data_dir),
        "ZWITSCHER_RATE_LIMIT": "1000000000",  # the load comes from few tokens, very fast
        # The bench signs in hundreds of people from one address.
        "ZWITSCHER_SIGN_IN_LIMIT_PER_ADDRESS": "1000000000/minute",
        "ZWITSCHER_RUN_JOBS_IN_PROCESS": "true" if jobs_in_process else "false",
        "ZWITSCHER_FAN_OUT_THRESHOLD": str(threshold),
    }
    if database_url:
        env["ZWITSCHER_DATABASE_URL"] = database_url
    if redis_url:
        env["ZWITSCHER_REDIS_URL"] = redis_url
    return env


class _Process:
    name = "process"

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    def _spawn(self, args: list[str], label: str) -> None:
        command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "zwitscher.cli", *args])
        env = {**os.environ, **self.env}
        env.pop("ZWITSCHER_BASE_URL", None)
        self.log_path = self.log_dir / f"{label}.log"
        with open(self.log_path, "wb") as log:
            # `exec` keeps the pid: it is the server's own (for /proc and py-spy).
            self.process = subprocess.Popen(
                ["bash", "-c", f"ulimit -n {NOFILE} 2>/dev/null || ulimit -n hard; "
                               f"exec {command}"],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def pids(self) -> list[int]:
        """This process and all its descendants (uvicorn's worker processes)."""
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
                    todo.extend(int(c) for c in children)
            except OSError:
                pass
        return found

    def rss_bytes(self) -> int:
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                pass
        return total

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class Server(_Process):
    """`zwitscher serve --workers N` on a free port."""

    def __init__(self, env: dict[str, str], log_dir: Path, *, workers: int = 1,
                 label: str = "serve") -> None:
        super().__init__(env, log_dir)
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.label = label

    def start(self, timeout: float = 120) -> Server:
        self._spawn(["serve", "--port", str(self.port), "--workers", str(self.workers)],
                    f"{self.label}-{self.port}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early; see {self.log_path}")
            try:
                if httpx.get(f"{self.base_url}/api/v1/instance", timeout=2).status_code == 200:
                    # With several workers, wait until each has started (one by one).
                    started = self.log_path.read_bytes().count(b"Application startup complete")
                    if started >= self.workers:
                        return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server did not start within {timeout} s; see {self.log_path}")

    def web_pids(self) -> list[int]:
        """The processes that answer requests: the server itself, or uvicorn's workers."""
        pids = self.pids()
        return pids if self.workers == 1 else [p for p in pids if p != self.pid]


class Worker(_Process):
    """`zwitscher worker`: runs the jobs (fan-out) at scale."""

    def start(self) -> Worker:
        self._spawn(["worker"], "worker")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early; see {self.log_path}")
            if b"worker running" in self.log_path.read_bytes():
                return self
            time.sleep(0.2)
        raise RuntimeError(f"worker did not start within 60 s; see {self.log_path}")


@contextlib.contextmanager
def deployment(env: dict[str, str], log_dir: Path, *, scaled_out: bool,
               label: str = "serve") -> Iterator[tuple[Server, Worker | None]]:
    """The server as an operator runs it: one process that runs the jobs too, or scaled out,
    two web processes and a worker of its own (`bench_env(jobs_in_process=False)`)."""
    with Server(env, log_dir, workers=2 if scaled_out else 1, label=label).start() as server, \
            (Worker(env, log_dir).start() if scaled_out else contextlib.nullcontext()) as worker:
        yield server, worker
