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
