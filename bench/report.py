"""The results: a JSON file, and a table of the figures side by side for both modes, with the
issue's targets and whether each was met."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

Getter = Callable[[dict], object]


def write(results: dict, path: Path) -> Path:
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return path


def _get(mode: dict, *keys: str) -> object:
    value: object = mode
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _num(value: object, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _lag(key: str) -> Getter:
    def get(m: dict) -> str:
        lag = _get(m, "fan_out_lag", key)
        if not lag:
            return "-"
        text = f"{_num(lag['median_ms'])} / {_num(lag['max_ms'])} ms"
        if lag["timed_out"] or lag["sample_missing"]:
            text += f" ({lag['timed_out']} timed out, {lag['sample_missing']} missing)"
        return text
    return get


def _live(key: str) -> Getter:
    def get(m: dict) -> str:
        d = _get(m, "live", key)
        if not d:
            return "-"
        text = f"{_num(d['p50_ms'])} / {_num(d['p99_ms'])} / {_num(d['max_ms'])} ms"
        if d["missing"]:
            text += f" ({d['missing']} missed)"
        return text
    return get


def _pair(a: tuple[str, ...], b: tuple[str, ...], unit: str = "ms") -> Getter:
    return lambda m: f"{_num(_get(m, *a))} / {_num(_get(m, *b))} {unit}"


def _read(key: str) -> Getter:
    def get(m: dict) -> str:
        found = _get(m, "reads", key)
        if not found:
            return "-"
        return (f"{_num(found['rps'])} ({_num(found['ratio_to_floor'], 3)}), "
                f"p99 {_num(found['p99_ms'])} ms")
    return get


def _read_met(key: str) -> Callable[[dict], bool | None]:
    return lambda m: None if not _get(m, "reads", key) else (
        _get(m, "reads", key, "ratio_to_floor") >= 0.20)


# (label, getter, target text, check: mode -> bool | None)
ROWS: list[tuple[str, Getter, str, Callable[[dict], bool | None] | None]] = [
    ("Data set build, total", lambda m: f"{_num(_get(m, 'build', 'total_s'))} s", "", None),
    ("  of which home feeds", lambda m: f"{_num(_get(m, 'build', 'home_feed_s'))} s", "", None),
    ("Database size (per 1M statuses)",
     lambda m: (f"{_num(_get(m, 'storage', 'mb'), 0)} MB "
                f"({_num(_get(m, 'storage', 'mb_per_million_statuses'), 0)} MB)"), "", None),
    ("Housekeeping due at start, waited s",
     lambda m: _num(_get(m, "housekeeping_at_start_s"), 1), "", None),
    ("Framework floor (GET peers) req/s",
     lambda m: _num(_get(m, "framework_floor", "rps")), "", None),
    ("Home timeline req/s", lambda m: _num(_get(m, "home", "rps")), "", None),
    ("  ratio to framework floor", lambda m: _num(_get(m, "home", "ratio_to_floor"), 3),
     ">= 0.30", lambda m: (_get(m, "home", "ratio_to_floor") or 0) >= 0.30),
    ("  p50 / p99", _pair(("home", "p50_ms"), ("home", "p99_ms")), "p99 <= 15 ms",
     lambda m: (_get(m, "home", "p99_ms") or 1e9) <= 15),
    ("  a viewer's first page req/s", lambda m: _num(_get(m, "home_first_page", "rps")), "",
     None),
    ("    ratio / p50 / p99", lambda m: (
        f"{_num(_get(m, 'home_first_page', 'ratio_to_floor'), 3)} / "
        f"{_num(_get(m, 'home_first_page', 'p50_ms'))} / "
        f"{_num(_get(m, 'home_first_page', 'p99_ms'))} ms"), "", None),
    ("  every entity rendered req/s", lambda m: _num(_get(m, "rendered_every_time", "home",
                                                         "rps")), "", None),
    ("    ratio / p99", lambda m: (
        f"{_num(_get(m, 'rendered_every_time', 'home', 'ratio_to_floor'), 3)} / "
        f"{_num(_get(m, 'rendered_every_time', 'home', 'p99_ms'))} ms"), "", None),
    ("  cached pages identical to rendered", lambda m: (
        f"{_num(_get(m, 'rendered_every_time', 'comparison', 'identical'))} of "
        f"{_num(_get(m, 'rendered_every_time', 'comparison', 'pages'))}"), "all",
     lambda m: None if _get(m, "rendered_every_time") is None else
     _get(m, "rendered_every_time", "comparison", "identical")
     == _get(m, "rendered_every_time", "comparison", "pages")),
    *[(f"{label} req/s (ratio)", _read(key), ">= 0.20", _read_met(key))
      for label, key in (("Account timeline", "account_timeline"),
                         ("Public timeline", "public_timeline"),
                         ("Thread context", "thread_context"),
                         ("Notifications", "notifications"))],
    ("Server RSS, caches warm", lambda m: f"{_num(_get(m, 'rss_mb_caches_warm'))} MB", "",
     None),
    ("Storage floor (query alone) q/s",
     lambda m: _num(_get(m, "storage_floor", "qps")), "", None),
    ("  p50 / p99", _pair(("storage_floor", "p50_ms"), ("storage_floor", "p99_ms")), "", None),
    ("  home req/s as ratio of it",
     lambda m: _num(_get(m, "home", "ratio_to_storage_floor"), 3), "", None),
    ("Posting req/s (8 connections)", lambda m: _num(_get(m, "posting", "rps")), "", None),
    ("  ratio to framework floor", lambda m: _num(_get(m, "posting", "ratio_to_floor"), 3),
     "", None),
    ("  p50 / p99", _pair(("posting", "p50_ms"), ("posting", "p99_ms")), "", None),
    ("  fan-out done: posts/s (drain)", lambda m: (
        f"{_num(_get(m, 'posting', 'fanned_out_per_s'))} "
        f"({_num(_get(m, 'posting', 'drain_s'))} s)"), "", None),
    ("Burst: 2,000 posts to ~50 followers each", lambda m: (
        f"{_num(_get(m, 'burst', 'posts_per_s'))} posts/s, drained "
        f"{_num(_get(m, 'burst', 'drain_after_last_post_s'))} s after the last"),
     "<= 5 s", lambda m: (_get(m, "burst", "drain_after_last_post_s") or 1e9) <= 5),
    ("Post in last follower's home, median / max", None, "", None),
    ("  ~100 followers, written", _lag("small_written"), "", None),
    ("  ~10k followers, written (thr. 12,000)", _lag("big_written"), "< 1000 ms",
     lambda m: (_get(m, "fan_out_lag", "big_written", "max_ms") or 1e9) < 1000),
    ("  ~10k followers, read-time (thr. 2,000)", _lag("big_read_time"), "", None),
    ("  all-staff, read-time", _lag("all_staff_read_time"), "at once (1 poll)",
     lambda m: (_get(m, "fan_out_lag", "all_staff_read_time", "max_ms") or 1e9)
     <= 2 * max(20.0, _get(m, "fan_out_lag", "all_staff_read_time", "poll_ms") or 0)),
    ("Live delivery p50 / p99 / max", None, "", None),
    ("  all-staff post (broadcast)", _live("all_staff_broadcast"), "p99 < 250 ms",
     lambda m: (_get(m, "live", "all_staff_broadcast", "p99_ms") or 1e9) < 250
     and not _get(m, "live", "all_staff_broadcast", "missing")),
    ("  ~10k-follower post (written)", _live("big_written"), "", None),
    ("  streams open / time to open", lambda m: (
        f"{_num(_get(m, 'live', 'connections'))} / {_num(_get(m, 'live', 'open_s'))} s"),
     "", None),
    ("Server RSS per idle stream",
     lambda m: f"{_num(_get(m, 'live', 'rss_per_connection_kib'))} KiB", "", None),
    ("Home req/s, 1 web process", lambda m: _num(_get(m, "one_web_process", "rps")), "", None),
    ("  2 web processes vs 1", lambda m: _num(_get(m, "workers_2_vs_1"), 2), ">= 1.6x",
     lambda m: None if _get(m, "workers_2_vs_1") is None
     else _get(m, "workers_2_vs_1") >= 1.6),
]


def table(results: dict) -> str:
    modes = results["modes"]
    names = list(modes)
    width = max(len(label) for label, *_ in ROWS) + 2
    col = 30
    lines = [f"{'':<{width}}" + "".join(f"{n:<{col}}" for n in names) + "target",
             f"{'':<{width}}" + "".join(f"{modes[n]['label'][:col - 2]:<{col}}" for n in names)]
    lines.append("-" * (width + col * len(names) + 20))
    for label, getter, target, check in ROWS:
        if getter is None:
            lines.append(label)
            continue
        cells = []
        verdicts = []
        for n in names:
            cells.append(f"{str(getter(modes[n])):<{col}}")
            if check is not None:
                verdict = check(modes[n])
                if verdict is not None:
                    verdicts.append(f"{n}: {'met' if verdict else 'NOT met'}")
        tail = f"{target}  {'; '.join(verdicts)}" if target else ""
        lines.append(f"{label:<{width}}" + "".join(cells) + tail)
    org = results["org"]
    lines.append("")
    lines.append(f"Organisation: {org['accounts']:,} accounts, {org['statuses']:,} statuses, "
                 f"{org['follows']:,} follows (median {org['median_following']} followed), "
                 f"{org['accounts_followed_by_5000_plus']} followed by 5,000+, "
                 f"{org['fan_out_on_read_accounts']} merged at read time (threshold "
                 f"{org['threshold']:,}); built in memory in {org['build_in_memory_s']} s.")
    lines.append(f"Load: {results['settings']['duration_s']:g} s per measurement; the "
                 f"machine had {results['machine']['cpus']} CPUs, load average "
                 f"{results['machine']['load_average_at_start'][0]:.2f} at the start.")
    return "\n".join(lines)
