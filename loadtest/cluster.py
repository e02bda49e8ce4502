"""A private PostgreSQL 15 cluster for the fault runs: its own data directory and port, so crashing or
stopping it never touches the shared server on 5432.

    cluster = PrivateCluster(Path("var/pg-load"), port=5420)
    cluster.ensure()          # initdb once, then start
    cluster.crash()           # immediate stop: no checkpoint, WAL replay on the next start
    cluster.kill_postmaster() # SIGKILL to the postmaster (its backends exit; WAL replay on start)
    cluster.freeze(); cluster.thaw()   # SIGSTOP / SIGCONT every process of the cluster (a hang)
    cluster.destroy()         # stop and remove the directory

Run as root, the server programs run as the `postgres` user (initdb refuses root).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import time
from pathlib import Path

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateCluster:
    def __init__(self, directory: Path, *, port: int, settings: dict[str, str] | None = None):
        self.directory = Path(directory).resolve()
        self.port = port
        if self.port == 5432:
            raise ValueError("the shared cluster's port is not for faults")
        self.settings = {
            "listen_addresses": "127.0.0.1",
            "max_connections": "150",
            "shared_buffers": "128MB",
            "fsync": "on",
            "jit": "off",
            **(settings or {}),
        }

    # --- plumbing --------------------------------------------------------------------------------
    def _as_owner(self, *command: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *command], check=check, capture_output=True, text=True, **kwargs)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def database_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    def ready(self) -> bool:
        return (
            subprocess.run(
                [str(BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-t", "2"]
            ).returncode
            == 0
        )

    def postmaster_pid(self) -> int | None:
        pidfile = self.directory / "postmaster.pid"
        try:
            return int(pidfile.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def pids(self) -> list[int]:
        """The postmaster and all its children (backends, checkpointer, WAL writer...)."""
        main = self.postmaster_pid()
        if main is None:
            return []
        children = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True).stdout.split()
        return [main, *(int(p) for p in children)]

    # --- life --------------------------------------------------------------------------------------
    def ensure(self) -> PrivateCluster:
        if not (self.directory / "PG_VERSION").exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.directory, "postgres", "postgres")
                # The server runs as postgres: it must be able to pass through every folder above its own
                # (a fresh checkout's var/ may be private to its owner). Passing, not listing: o+x only.
                for parent in self.directory.parents:
                    mode = parent.stat().st_mode
                    if not mode & stat.S_IXOTH:
                        parent.chmod(mode | stat.S_IXOTH)
            self.directory.chmod(0o700)
            self._as_owner(
                str(BIN / "initdb"), "-D", str(self.directory), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
        self.start()
        return self

    def start(self, timeout: float = 120) -> float:
        """Start (after a crash this replays the WAL); the seconds until it accepts connections."""
        began = time.monotonic()
        if not self.ready():
            options = " ".join(f"-c {k}={v}" for k, v in self.settings.items())
            self._as_owner(
                str(BIN / "pg_ctl"), "-D", str(self.directory), "-l", str(self.directory / "server.log"),
                "-w", "-t", str(int(timeout)), "-o", f"-p {self.port} -k {self.directory} {options}", "start",
                check=False,
            )  # fmt: skip
        while not self.ready():
            if time.monotonic() - began > timeout:
                raise RuntimeError(f"private PostgreSQL on {self.port} did not start; see server.log")
            time.sleep(0.2)
        return time.monotonic() - began

    def stop(self, mode: str = "fast") -> None:
        self.thaw()  # a stopped process cannot be told to stop
        self._as_owner(str(BIN / "pg_ctl"), "-D", str(self.directory), "-m", mode, "-w", "stop", check=False)

    def crash(self) -> None:
        """`pg_ctl stop -m immediate`: every process quits at once, no checkpoint (a crash, for recovery)."""
        self.stop("immediate")

    def kill_postmaster(self) -> None:
        """SIGKILL the postmaster, then its orphaned backends (as the kernel's OOM killer or a power cut)."""
        pids = self.pids()
        for pid in pids:
            _signal(pid, signal.SIGKILL)
        for _ in range(100):
            if not any(_alive(p) for p in pids):
                break
            time.sleep(0.05)
        (self.directory / "postmaster.pid").unlink(missing_ok=True)

    def freeze(self) -> list[int]:
        pids = self.pids()
        for pid in pids:
            _signal(pid, signal.SIGSTOP)
        return pids

    def thaw(self) -> None:
        for pid in self.pids():
            _signal(pid, signal.SIGCONT)

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        finally:
            for pid in self.pids():
                _signal(pid, signal.SIGKILL)
            shutil.rmtree(self.directory, ignore_errors=True)

    def psql(self, database: str, sql: str) -> str:
        return subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-Atc", sql],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
