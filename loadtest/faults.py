"""The faults injected under load (loadtest/run.py): each returns when the fault has ended, with what it did.

- crash:  PostgreSQL immediate stop (no checkpoint), restarted after a few seconds: WAL replay.
- kill:   SIGKILL to the postmaster and its backends, restarted: WAL replay.
- hang:   every PostgreSQL process stopped (SIGSTOP) for HANG_SECONDS, then continued.
- disk:   the file system of uploads and the task queue's files filled to the last byte, then freed.
- worker: web workers (gunicorn) and a task worker killed with SIGKILL while people save.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from loadtest.cluster import PrivateCluster

DOWN_SECONDS = float(os.environ.get("LOADTEST_DOWN_SECONDS", "8"))
HANG_SECONDS = float(os.environ.get("LOADTEST_HANG_SECONDS", "30"))
DISK_SECONDS = float(os.environ.get("LOADTEST_DISK_SECONDS", "20"))
WORKER_KILLS = int(os.environ.get("LOADTEST_WORKER_KILLS", "4"))


def _down_then_restart(pg: PrivateCluster, stop, what: str) -> dict:
    """Stop the server the way `stop` does, leave it down DOWN_SECONDS, start it again (WAL replay)."""
    began = time.time()
    try:
        stop()
        time.sleep(DOWN_SECONDS)
    finally:
        replay = pg.start()
    return {
        "began": began,
        "ended": time.time(),
        "detail": f"{what}; khởi động lại, phát lại WAL {replay:.1f} s",
    }


def crash(pg: PrivateCluster, **_) -> dict:
    return _down_then_restart(pg, pg.crash, "dừng ngay (immediate)")


def kill(pg: PrivateCluster, **_) -> dict:
    return _down_then_restart(pg, pg.kill_postmaster, "SIGKILL postmaster")


def hang(pg: PrivateCluster, **_) -> dict:
    began = time.time()
    try:
        stopped = pg.freeze()
        time.sleep(HANG_SECONDS)
    finally:
        pg.thaw()
    return {
        "began": began,
        "ended": time.time(),
        "detail": f"SIGSTOP {len(stopped)} tiến trình trong {HANG_SECONDS:.0f} s",
    }


def disk(pg: PrivateCluster, *, media: Path, probe=None, **_) -> dict:
    """Fill the (small, dedicated) file system under MEDIA_ROOT and the jobs' files; free it afterwards.
    `probe()` uploads a workbook through the real page while the disk is full (whatever the users do)."""
    filler = media / "_loadtest_filler"
    began = time.time()
    before = _files(media)
    probed = None
    try:
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M"], capture_output=True, check=False)
        free = os.statvfs(media).f_bavail
        probed = probe() if probe else None
        time.sleep(DISK_SECONDS)
    finally:
        filler.unlink(missing_ok=True)
    # Files written while the disk was full and left behind (cut short: empty, or an upload that failed).
    left = sorted(p.name for p in _files(media) - before if p.stat().st_size == 0 or "imports" in p.parts)
    return {"began": began, "ended": time.time(), "probe": probed, "new_files": left[:5],
            "detail": f"ổ đầy ({free} khối trống) trong {DISK_SECONDS:.0f} s"}  # fmt: skip


def _files(media: Path) -> set[Path]:
    return {p for p in media.rglob("*") if p.is_file() and p.name != "_loadtest_filler"}


def worker(
    pg: PrivateCluster, *, web_workers: Callable[[], list[int]], task_workers: list, restart_task_worker, **_
) -> dict:
    """SIGKILL a random web worker every few seconds (gunicorn starts another), and a task worker once
    (started again: its reaper gives the job back to the queue)."""
    began = time.time()
    killed = 0
    for i in range(WORKER_KILLS):
        pids = web_workers()
        if pids:
            os.kill(random.choice(pids), signal.SIGKILL)
            killed += 1
        if i == 0 and task_workers:
            victim = task_workers.pop(0)
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait()
            task_workers.append(restart_task_worker())
        time.sleep(4)
    return {
        "began": began,
        "ended": time.time(),
        "detail": f"{killed} tiến trình web và 1 tiến trình nền bị SIGKILL",
    }


FAULTS = {"crash": crash, "kill": kill, "hang": hang, "disk": disk, "worker": worker}
