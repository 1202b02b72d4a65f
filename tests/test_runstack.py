"""End to end: `scripts/runstack.py` (what `make run` starts) brings the embedded stack up, the
worker runs what beat schedules, and Ctrl-C takes every process down again."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 300  # migrate + seed on an empty database, then uvicorn; generous for a loaded CI box
HEARTBEAT_TIMEOUT = 90  # beat schedules record_beat_heartbeat every 30 s
STOP_TIMEOUT = 20

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find orphans")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - local test server
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()
    except OSError:
        return 0, ""


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def _process_groups_alive(pgids: set[int]) -> list[str]:
    """Processes (zombies excluded) whose process group is one of `pgids`: children and their pools."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, pgid = fields[0], int(fields[2])
        if pgid in pgids and state != "Z":
            alive.append(f"pid {stat.parent.name} (pgid {pgid})")
    return alive


class Launcher:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.lines: list[str] = []
        self.log = log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "scripts/runstack.py"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self.log.write(line)
            self.log.flush()

    def tail(self, count: int = 60) -> str:
        return "\n".join(self.lines[-count:])

    def wait_for(self, what: str, condition: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.proc.poll() is not None:
                pytest.fail(f"runstack exited ({self.proc.returncode}) while waiting for {what}:\n{self.tail()}")
            time.sleep(0.5)
        pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}:\n{self.tail()}")

    def child_pids(self) -> dict[str, int]:
        found = (re.search(r"started (\w+) \(pid (\d+)\)", line) for line in self.lines)
        return {m.group(1): int(m.group(2)) for m in found if m}

    def redis_port(self) -> int | None:
        for line in self.lines:
            match = re.search(r"embedded Redis ready at redis://127\.0\.0\.1:(\d+)/", line)
            if match:
                return int(match.group(1))
        return None


def _heartbeat(database: Path) -> bool:
    if not database.exists():
        return False
    try:
        with sqlite3.connect(database, timeout=5) as connection:
            row = connection.execute("SELECT beat_at FROM core_heartbeat WHERE name = 'beat'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None


def test_runstack_starts_web_worker_beat_and_stops_them_all(tmp_path: Path) -> None:
    # given: an empty SQLite database, no REDIS_URL (so the embedded redis-server starts), a free port
    port = _free_port()
    database = tmp_path / "db.sqlite3"
    isolated = ("REDIS_URL", "DATABASE_URL", "CELERY_", "DJANGO_", "PYTEST_", "PORT", "HOST", "RUNSTACK_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(isolated)}
    env.update(
        PORT=str(port),
        HOST="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        RUNSTACK_STATE_DIR=str(tmp_path / "state"),
        RUNSTACK_STOP_TIMEOUT="8",
    )

    # when
    launcher = Launcher(env, tmp_path / "runstack.log")
    try:
        base = f"http://127.0.0.1:{port}"
        launcher.wait_for("/healthz", lambda: _get(f"{base}/healthz")[0] == 200, STARTUP_TIMEOUT)
        launcher.wait_for("/readyz", lambda: _get(f"{base}/readyz")[0] == 200, 30)
        status, body = _get(f"{base}/readyz")
        assert status == 200, body
        assert '"database": "ok"' in body and '"cache": "ok"' in body and '"broker": "ok"' in body

        with sqlite3.connect(database, timeout=5) as connection:
            demo_users = connection.execute(
                "SELECT count(*) FROM accounts_user WHERE email = 'demo@contentgenai.local'"
            ).fetchone()[0]
        assert demo_users == 1, launcher.tail()

        # then: beat schedules the heartbeat task and a separate worker process runs it
        launcher.wait_for("the beat heartbeat row", lambda: _heartbeat(database), HEARTBEAT_TIMEOUT)

        # start-up phases are timed, and the periodic ticks do not print a line each
        output = "\n".join(launcher.lines)
        for phase in ("redis", "migrate", "seed", "web"):
            assert re.search(rf"phase {phase} took \d+\.\d s", output), launcher.tail()
        assert re.search(r"Ready in \d+\.\d s \(redis", output), launcher.tail()
        assert "Traceback" not in output, output
        for chatter in ("Sending due task", "] received", "succeeded in"):
            assert chatter not in output, f"{chatter!r} in:\n{output}"

        long_running = ("redis", "web", "worker", "beat")
        children = {name: pid for name, pid in launcher.child_pids().items() if name in long_running}
        assert set(children) == set(long_running), launcher.tail()
        redis_port = launcher.redis_port()
        assert redis_port is not None, launcher.tail()

        # and Ctrl-C stops every child, then the launcher
        launcher.proc.send_signal(signal.SIGINT)
        try:
            code = launcher.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"runstack did not exit within {STOP_TIMEOUT} s of SIGINT:\n{launcher.tail()}")
        launcher.reader.join(timeout=5)
        assert code == 0, launcher.tail()
        assert "all processes stopped" in launcher.tail(), launcher.tail()
        assert _process_groups_alive(set(children.values())) == [], launcher.tail()
        assert not _listening(port), "the web port is still open"
        assert not _listening(redis_port), "the embedded redis-server is still listening"
    finally:
        if launcher.proc.poll() is None:
            # The children die with the launcher (PR_SET_PDEATHSIG), so killing it is enough.
            launcher.proc.kill()
            launcher.proc.wait(timeout=10)
        launcher.log.close()
