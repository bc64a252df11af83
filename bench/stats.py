"""Small helpers for figures: percentiles, milliseconds, ratios."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank percentile (p in 0..100) of `values`, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def ratio(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return round(value / base, 3)


def summary_ms(seconds: Sequence[float]) -> dict[str, float | None]:
    return {"p50_ms": ms(percentile(seconds, 50)), "p99_ms": ms(percentile(seconds, 99)),
            "max_ms": ms(max(seconds) if seconds else None), "count": len(seconds)}
