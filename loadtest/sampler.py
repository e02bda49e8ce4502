"""Samples, every few seconds, the resident memory (RSS) of every process of the run and the database
connections, for the soak (memory growth, connection leaks) and for every run's summary."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg2


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Sampler(threading.Thread):
    """`groups()` names the processes to sample: {"gunicorn": [pids], "postgres": [pids], ...}."""

    def __init__(self, groups: Callable[[], dict[str, list[int]]], dsn: str, every: float = 5.0):
        super().__init__(daemon=True, name="sampler")
        self.groups, self.dsn, self.every = groups, dsn, every
        self.samples: list[dict] = []
        self._halt = threading.Event()

    def connections(self) -> int:
        try:
            connection = psycopg2.connect(self.dsn, connect_timeout=2)
        except psycopg2.Error:
            return -1
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                return cursor.fetchone()[0]
        finally:
            connection.close()

    def run(self) -> None:
        while not self._halt.is_set():
            sample = {"t": time.time(), "connections": self.connections()}
            for name, pids in self.groups().items():
                sample[name] = sum(rss_kib(p) for p in pids)
            self.samples.append(sample)
            self._halt.wait(self.every)

    def stop(self) -> list[dict]:
        self._halt.set()
        self.join(timeout=10)
        return self.samples


def growth(samples: list[dict], name: str, *, warmup: float = 0.2) -> tuple[float, float, float]:
    """(RSS after warm-up, RSS at the end, growth in %): the means of the first and last tenth after the
    first `warmup` share of the run (imports, caches and the first national export fill memory once)."""
    values = [s[name] for s in samples if s.get(name)]
    values = values[int(len(values) * warmup) :]
    if len(values) < 4:
        return 0.0, 0.0, 0.0
    tenth = max(1, len(values) // 10)
    start = sum(values[:tenth]) / tenth
    end = sum(values[-tenth:]) / tenth
    return start, end, (end - start) * 100 / start if start else 0.0


def curve(samples: list[dict], name: str, points: int = 11) -> list[float]:
    """The group's RSS in MiB at the start, every tenth of the run and the end: a leak climbs to the end, a
    warm-up climbs in steps (a worker's first PDF, import or export) and then stays flat."""
    values = [s[name] for s in samples if s.get(name)]
    if not values:
        return []
    return [
        values[min(len(values) - 1, round(i * (len(values) - 1) / (points - 1)))] / 1024
        for i in range(points)
    ]
