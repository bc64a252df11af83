"""Sample a running server with py-spy while it serves the home timeline; summarise where the
time goes (functions by their own samples, and by samples they were on the stack for)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

PY_SPY = Path(sys.executable).parent / "py-spy"


def ensure_py_spy() -> str:
    found = shutil.which("py-spy") or (str(PY_SPY) if PY_SPY.exists() else None)
    if not found:
        raise SystemExit("py-spy is not installed: pip install -e '.[bench]' (bench/README.md)")
    return found


def record(pid: int, output: Path, *, duration: float, fmt: str = "raw") -> Path:
    """`py-spy record` for `duration` seconds; `fmt` raw (collapsed stacks) or flamegraph."""
    subprocess.run([ensure_py_spy(), "record", "--pid", str(pid), "--duration",
                    str(max(1, round(duration))), "--rate", "200", "--nonblocking",
                    "--format", fmt, "--output", str(output)],
                   check=True, capture_output=True, timeout=duration + 60)
    return output


def _short(frame: str) -> str:
    """`handler (zwitscher/api/v1/x.py:12)` -> `handler (zwitscher/api/v1/x.py)`."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path})"


def summarise(collapsed: Path, top: int = 20) -> dict:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [_short(f) for f in stack.split(";")]
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n

    def share(counter: Counter[str]) -> list[dict]:
        return [{"function": f, "percent": round(100 * n / total, 1)}
                for f, n in counter.most_common(top)]

    return {"samples": total, "self": share(own), "inclusive": share(inclusive)}
