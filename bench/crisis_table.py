"""The table bench/crisis.py prints: each mode's figures for the crisis beside its floors and
the ratio to them, and where the delivering process spent its time (with --profile)."""

from __future__ import annotations

import harness
from stats import ratio

FLOORS = {"email": "mail_floor_s", "sms": "sms_floor_s"}
CHANNELS = ("push", "email", "sms")


def _times(m: dict, channel: str) -> str:
    figures = m[channel]
    return f"{figures['first_s']} / {figures['last_s']} s"


def _floor(m: dict, channel: str) -> str:
    floor = m[FLOORS[channel]]
    count = m[channel]["expected"]
    return f"{floor} s ({round(count / floor, 1) if floor else '-'}/s)"


def _batches(m: dict, channel: str) -> str:
    return f"{m[channel]['within_batch_ms']} / {m[channel]['between_batches_ms']} ms"


def _waits(probe: dict) -> str:
    return f"{probe['p50_ms']} / {probe['p99_ms']} ms (max {probe['max_ms']})"


def _ratio(m: dict, channel: str) -> str:
    return f"x{ratio(m[channel]['last_s'], m[FLOORS[channel]])}"


def _matches(m: dict) -> str:
    """Whether the dashboard counts everyone reached and, per channel, as many sent as the
    sinks took."""
    sent = [m["dashboard"]["deliveries"].get(c, {}).get("sent", 0) for c in CHANNELS]
    same = (m["dashboard"]["total"]["reached"] == m["recipients"]
            and sent == [m[c]["handed"] for c in CHANNELS])
    return ("yes" if same else "NO") + " (sent " + " / ".join(f"{n:,}" for n in sent) + ")"


ROWS = [
    ("Recipients: people + contacts", lambda m: f"{m['people']} + {m['contacts']:,} = "
     f"{m['recipients']:,}"),
    ("POST /crises answered", lambda m: f"{m['post_ms']} ms"),
    ("Streams with the notification", lambda m: f"{m['streams']} of {m['people']}"),
    ("  time to it, p50 / max", lambda m: f"{m['stream_p50_ms']} / {m['stream_max_ms']} ms"),
    ("  floor: a group post's update", lambda m: f"{m['floor_p50_ms']} / {m['floor_max_ms']} ms"
     f" ({m['floor_streams']} of {m['people']})"),
    ("  ratio p50 / max", lambda m: f"x{ratio(m['stream_p50_ms'], m['floor_p50_ms'])} / "
     f"x{ratio(m['stream_max_ms'], m['floor_max_ms'])}"),
    ("Pushes handed to the push service", lambda m: f"{m['push']['handed']} of "
     f"{m['push']['expected']}"),
    ("  first / last after the POST", lambda m: _times(m, "push")),
    ("E-mails handed to the SMTP server", lambda m: f"{m['email']['handed']:,} of "
     f"{m['email']['expected']:,}"),
    ("  first / last after the POST", lambda m: _times(m, "email")),
    ("  rate over the whole broadcast", lambda m: f"{m['email']['per_s']} e-mails/s"),
    ("  a batch of 25: sending / gap, p50", lambda m: _batches(m, "email")),
    ("  floor: aiosmtplib, 25 a connection", lambda m: _floor(m, "email")),
    ("  ratio last / floor", lambda m: _ratio(m, "email")),
    ("Texts handed to the SMS gateway", lambda m: f"{m['sms']['handed']:,} of "
     f"{m['sms']['expected']:,}"),
    ("  first / last after the POST", lambda m: _times(m, "sms")),
    ("  rate over the whole broadcast", lambda m: f"{m['sms']['per_s']} texts/s"),
    ("  a batch of 100: gap between, p50", lambda m: f"{m['sms']['between_batches_ms']} ms"),
    ("  floor: signed batches of 100", lambda m: _floor(m, "sms")),
    ("  ratio last / floor", lambda m: _ratio(m, "sms")),
    ("A trivial request idle: p50 / p99", lambda m: _waits(m["idle_probe"])),
    ("  while the crisis goes out", lambda m: _waits(m["busy_probe"])),
    ("CPU used until all was handed over", lambda m: ", ".join(
        f"{name} {seconds} s" for name, seconds in m["cpu_s"].items())),
    ("Dashboard: reached", lambda m: f"{m['dashboard']['total']['reached']:,} of "
     f"{m['dashboard']['total']['recipients']:,}, after {m['dashboard_settled_s']} s"),
    ("  counts match the sinks", _matches),
    ("Repeats / bad signatures", lambda m: f"{sum(m[c]['repeats'] for c in CHANNELS)} / "
     f"{m['bad_signatures']}"),
    ("Setup: contacts stored in", lambda m: f"{m['setup_contacts_s']} s"),
]


def table(results: dict[str, dict]) -> str:
    return harness.table(results, ROWS, label_width=38, column_width=42)


def hottest(results: dict[str, dict]) -> str:
    """Per process, our functions by the share of its samples they were on the stack for, and
    the functions the samples were in."""
    lines = []
    for mode, m in results.items():
        for label, profile in (m.get("profile") or {}).items():
            if not profile["samples"]:
                continue  # uvicorn's supervisor
            lines.append(f"\n{mode}, {label}: {profile['samples']} samples")
            lines += [f"  {row['percent']:5.1f} %  {row['function']}"
                      for row in profile["inclusive"] if "zwitscher/" in row["function"]
                      and "zwitscher/cli.py" not in row["function"]]
            lines.append("  in (own samples):")
            lines += [f"  {row['percent']:5.1f} %  {row['function']}"
                      for row in profile["self"][:12]]
    return "\n".join(lines)
