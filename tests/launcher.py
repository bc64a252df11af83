"""Start `zwitscher` commands for the tests from a Python that has imported Zwitscher already.

Every server, worker and command line the tests start is `python -m zwitscher.cli ARGS`, and
importing the application costs about 4 s of CPU each time: hundreds of starts made that a
third of the suite's time. The launcher is one process that imports it once and forks a child
per command, which then runs `zwitscher.cli` as `__main__` with the test's arguments,
environment and standard streams, exactly as `python -m zwitscher.cli` would from there on.

`Launched` and `run` stand in for `subprocess.Popen` and `subprocess.run`. The child's exit
status comes back over the connection that asked for it; signals go straight to its pid.

Run as a script, this module is the launcher itself (`python tests/launcher.py SOCKET`).
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Modules uvicorn imports only when it runs: the children should find them loaded too.
WARM_IMPORTS = ("zwitscher.cli", "zwitscher.app", "uvicorn.protocols.http.auto",
                "uvicorn.protocols.websockets.auto", "uvicorn.lifespan.on", "uvicorn.loops.auto",
                "uvicorn.logging")


class Launched:
    """A running `zwitscher` command: the parts of `subprocess.Popen` the tests use."""

    def __init__(self, connection: socket.socket, pid: int) -> None:
        self._connection = connection
        self.pid = pid
        self.returncode: int | None = None
        self.args = []

    def poll(self) -> int | None:
        if self.returncode is None:
            self._connection.setblocking(False)
            try:
                self._receive()
            except BlockingIOError:
                self._connection.setblocking(True)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self._connection.settimeout(timeout)
            try:
                self._receive()
            except TimeoutError:
                self._connection.settimeout(None)
                raise subprocess.TimeoutExpired(["zwitscher"], timeout) from None
        return self.returncode

    def _receive(self) -> None:
        answer = self._connection.recv(4096)
        self.returncode = json.loads(answer)["returncode"] if answer else -9
        self._connection.close()

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Launcher:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._path = ""

    def _ensure_started(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            self._path = os.path.join(tempfile.mkdtemp(prefix="zwitscher-launcher-"), "socket")
            log = open(self._path + ".log", "wb")
            self._process = subprocess.Popen([sys.executable, __file__, self._path],
                                             stdout=log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + 120
            while not os.path.exists(self._path + ".ready"):
                if self._process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the launcher did not start; see {log.name}")
                time.sleep(0.05)
            atexit.register(self._process.kill)

    def launch(self, args: list[str], *, env: dict[str, str], stdin: int, stdout: int,
               stderr: int, cwd: str | None = None) -> Launched:
        """Start `zwitscher ARGS` with these standard streams (file descriptors)."""
        self._ensure_started()
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        connection.connect(self._path)
        request = json.dumps({"args": args, "env": env, "cwd": cwd or os.getcwd()}).encode()
        socket.send_fds(connection, [request], [stdin, stdout, stderr])
        started = json.loads(connection.recv(4096))
        return Launched(connection, started["pid"])


_launcher = Launcher()


def popen(args: list[str], *, env: dict[str, str], stdout=None, stderr=None) -> Launched:
    """`subprocess.Popen([python, -m, zwitscher.cli, *args], ...)`, with stdout and stderr
    each a file object (or `subprocess.STDOUT` for stderr) and no stdin."""
    with open(os.devnull, "rb") as nothing:
        out = stdout.fileno() if stdout is not None else sys.stdout.fileno()
        err = out if stderr == subprocess.STDOUT else (
            stderr.fileno() if stderr is not None else sys.stderr.fileno())
        return _launcher.launch(list(args), env=env, stdin=nothing.fileno(), stdout=out,
                                stderr=err)


def run(args: list[str], *, env: dict[str, str], input: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """`subprocess.run([python, -m, zwitscher.cli, *args], capture_output=True, text=True)`."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryFile() as given:
        given.write((input or "").encode())
        given.seek(0)
        child = _launcher.launch(list(args), env=env, stdin=given.fileno(),
                                 stdout=out.fileno(), stderr=err.fileno())
        try:
            returncode = child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)
            raise
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(args, returncode, out.read().decode(errors="replace"),
                                           err.read().decode(errors="replace"))


# The launcher process ---------------------------------------------------------------------

def _serve(path: str) -> None:
    import importlib

    for name in WARM_IMPORTS:
        importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(64)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    waiting: dict[int, socket.socket] = {}
    Path(path + ".ready").touch()
    while True:
        for key, _ in selector.select():
            if key.fileobj is listener:
                connection, _ = listener.accept()
                pid = _fork(connection, closing=[listener, selector, wake_read, wake_write,
                                                 *waiting.values()])
                if pid:
                    waiting[pid] = connection
            else:
                os.read(wake_read, 4096)
                _report_ended(waiting)


def _report_ended(waiting: dict[int, socket.socket]) -> None:
    while waiting:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            return
        connection = waiting.pop(pid, None)
        if connection is not None:
            try:
                connection.send(json.dumps(
                    {"returncode": os.waitstatus_to_exitcode(status)}).encode())
            except OSError:
                pass
            connection.close()


def _fork(connection: socket.socket, *, closing: list) -> int | None:
    message, fds, _flags, _address = socket.recv_fds(connection, 1 << 20, 3)
    request = json.loads(message)
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        connection.send(json.dumps({"pid": pid}).encode())
        return pid
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for thing in closing:
            thing.close() if hasattr(thing, "close") else os.close(thing)
        connection.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        code = _run_cli(request)
    finally:
        os._exit(code)


def _run_cli(request: dict) -> int:
    import runpy
    import traceback

    os.chdir(request["cwd"])
    sys.path[0] = request["cwd"]  # where `python -m` looks first
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["zwitscher", *request["args"]]
    if os.environ.get("PYTHONUNBUFFERED"):
        sys.stdout.reconfigure(write_through=True)
        sys.stderr.reconfigure(write_through=True)
    code = 0
    try:
        runpy.run_module("zwitscher.cli", run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        if not isinstance(exit_.code, int | None):
            print(exit_.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:
            pass
    return code


if __name__ == "__main__":
    _serve(sys.argv[1])
