"""The real stack for ``bench/run.py``: a bench database on PostgreSQL, gunicorn with production
settings, a Celery worker on Redis. Started and stopped here; the database is dropped at the end.

Environment: DATABASE_URL names the PostgreSQL server (its database name is not used; the bench
creates BENCH_DATABASE_NAME, default ``csa_bench``), REDIS_URL the Redis database (default
redis://127.0.0.1:6379/15). Both default to 127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env() -> dict[str, str]:
    """Production settings, pointed at the bench database and Redis, with the floor view on."""
    server = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    if not server.startswith("postgres"):
        raise SystemExit("bench: DATABASE_URL must be a PostgreSQL URL (the bench runs the real stack)")
    name = os.environ.get("BENCH_DATABASE_NAME", "csa_bench")
    if name in {"test", "postgres"} or name.startswith("test_"):
        raise SystemExit(f"bench: refusing to use database {name!r}; set BENCH_DATABASE_NAME")
    parts = urlsplit(server)
    database_url = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
    var = Path(tempfile.mkdtemp(prefix="csa-bench-"))
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "BENCH": "true",
        "EMAIL_BACKEND": "bench",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15",
        "VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _admin_connection(database_url: str):
    import psycopg

    parts = urlsplit(database_url)
    return psycopg.connect(urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, "")), autocommit=True)


def create_database(env: dict[str, str]) -> None:
    name = urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    with _admin_connection(env["DATABASE_URL"]) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")


def drop_database(env: dict[str, str]) -> None:
    name = urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    with _admin_connection(env["DATABASE_URL"]) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def flush_redis(env: dict[str, str]) -> None:
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


class Processes:
    """gunicorn and a Celery worker, each in its own process group, stopped by their own ids."""

    def __init__(self, env: dict[str, str], *, web_workers: int, celery_concurrency: int) -> None:
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.web_workers = web_workers
        self.celery_concurrency = celery_concurrency
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> Processes:
        log = open(Path(self.env["VAR_DIR"]) / "stack.log", "ab")
        self.procs.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.web_workers), "--timeout", "120", "--backlog", "2048"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
        ))
        self.procs.append(subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "worker", "--loglevel=WARNING",
             f"--concurrency={self.celery_concurrency}", "--hostname=bench@%h", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True,
        ))
        self._wait_for_web()
        return self

    def _wait_for_web(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"bench: gunicorn did not answer /healthz; see {self.env['VAR_DIR']}/stack.log")

    def worker_pids(self) -> list[int]:
        """The Celery worker's main process and its pool children (for memory figures)."""
        return _with_children(self.procs[1].pid)

    def web_pids(self) -> list[int]:
        """gunicorn's master and its workers."""
        return _with_children(self.procs[0].pid)

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _with_children(main: int) -> list[int]:
    children = Path(f"/proc/{main}/task/{main}/children")
    kids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return [main, *kids]


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time these processes have used: unlike wall time, it does not grow
    when other people's work shares the cores."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024
