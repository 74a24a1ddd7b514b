"""The real parts the service tests run against: PostgreSQL, Redis, a webhook receiver.

PostgreSQL and Redis are found on loopback (``scripts/services.sh`` installs and
starts them); URLs can be overridden with DOCINTAKE_TEST_POSTGRES_URL (a server URL
whose role may create databases) and DOCINTAKE_TEST_REDIS_URL. They are required:
a missing server fails the tests that need it, it never skips them.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
from sqlalchemy.engine import make_url

PG_SERVER = os.environ.get("DOCINTAKE_TEST_POSTGRES_URL",
                           "postgresql://docintake:docintake@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("DOCINTAKE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _psycopg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_pg_database() -> str:
    """A new empty database; its SQLAlchemy URL."""
    name = f"docintake_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_psycopg_dsn(PG_SERVER), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(PG_SERVER).set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(_psycopg_dsn(PG_SERVER), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """A portal's webhook endpoint on loopback. ``fail_first`` answers 500 that many times."""

    fail_first: int = 0
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    _server: ThreadingHTTPServer | None = None
    _cond: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._cond:
                    receiver.attempts += 1
                    fail = receiver.attempts <= receiver.fail_first
                    if not fail:
                        receiver.received.append(Received(dict(self.headers), body))
                    receiver._cond.notify_all()
                self.send_response(500 if fail else 204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def wait_for(self, predicate, timeout: float = 60.0) -> list[Received]:  # type: ignore[no-untyped-def]
        with self._cond:
            if not self._cond.wait_for(lambda: predicate(self.received), timeout):
                raise AssertionError(f"webhook not received in {timeout}s; got "
                                     f"{[r.json.get('event') for r in self.received]}")
            return list(self.received)


class PrivatePostgres:
    """A PostgreSQL server of the test's own, on a free port, that the test may stop and
    restart without disturbing anyone else (the fault tests)."""

    def __init__(self) -> None:
        import glob
        import pwd
        import tempfile

        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not bins:
            raise RuntimeError("PostgreSQL server binaries not found (scripts/services.sh installs them)")
        self.bin = bins[-1]
        self.dir = tempfile.mkdtemp(prefix="docintake-pg-", dir="/tmp")
        self.port = free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", self.dir, "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        import subprocess

        subprocess.run([*self._as, f"{self.bin}/{tool}", *args], check=True, capture_output=True, timeout=120)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.dir, "-l", f"{self.dir}/log", "-w", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self, mode: str = "fast") -> None:
        import subprocess

        try:
            self._run("pg_ctl", "-D", self.dir, "-m", mode, "-w", "-t", "60", "stop")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            # Seen once in a CI run on a machine loaded by other work: the server had
            # not exited after 120 s. For the tests a stop is a crash anyway: kill it.
            self._kill()

    def _kill(self) -> None:
        """SIGKILL the server and its backends, and wait for them to be gone."""
        import signal
        import time
        from pathlib import Path

        try:
            pid = int(Path(self.dir, "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return  # not running
        children = Path(f"/proc/{pid}/task/{pid}/children")
        kids = children.read_text().split() if children.exists() else []
        for p in [*kids, str(pid)]:
            try:
                os.kill(int(p), signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{p}").exists() for p in [*kids, str(pid)]) and time.monotonic() < deadline:
            time.sleep(0.1)

    def destroy(self) -> None:
        import shutil

        try:
            self.stop("immediate")
        except Exception:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A Redis server of the test's own (nothing kept on disk: a restart empties it)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import subprocess
        import time

        import redis

        self.proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("private redis did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
