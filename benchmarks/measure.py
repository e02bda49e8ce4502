"""Small measuring tools: repeated timings with median and p95, query counts, and the result rows."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

MISSING = "chưa có"


@dataclass
class Timing:
    samples: list[float]  # milliseconds

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def timed(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> Timing:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(samples)


def interleaved(calls, *, repeat: int):
    """Timings of `calls` sampled in turns (one warm-up round first, not counted)."""
    for call in calls:
        call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for i, call in enumerate(calls):
            started = time.perf_counter()
            call()
            samples[i].append((time.perf_counter() - started) * 1000)
    return [Timing(s) for s in samples]


def query_count(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


@dataclass
class Row:
    """One line of the table: what was measured, against what, and whether the goal is met."""

    section: str
    what: str
    value: str
    floor: str = ""
    ratio: str = ""
    goal: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "—"
        return "đạt" if self.met else "chưa đạt"


def ms(value: float) -> str:
    return f"{value:,.0f} ms".replace(",", ".") if value >= 10 else f"{value:.1f} ms".replace(".", ",")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×".replace(".", ",") if b else "—"


def number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")
