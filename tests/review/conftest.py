"""Fixtures of the review-page tests: databases (SQLite in tmp_path, a throwaway
PostgreSQL database), a live server on a free port, Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.services import Services
from api.settings import Settings
from tests.review.helpers import seed, settings_for

PG_ADMIN = os.environ.get("DOCINTAKE_TEST_PG", "postgresql://docintake:docintake@127.0.0.1:5432/postgres")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(autouse=True, scope="session")
def _fast_argon2() -> Iterator[None]:
    """argon2id with the library's defaults takes ~0.1 s a hash on an idle core, and many times
    that on a busy test machine; the tests sign in dozens of times, so they use the same
    algorithm with small costs. (Production keeps argon2-cffi's defaults.)"""
    from argon2 import PasswordHasher

    import api.review.auth as auth

    saved = auth._hasher, auth._DUMMY_HASH
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    auth._DUMMY_HASH = auth._hasher.hash("not a password of anyone")
    yield
    auth._hasher, auth._DUMMY_HASH = saved


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if not _pg_available():
        pytest.skip("PostgreSQL not reachable at " + PG_ADMIN)
    import psycopg

    name = f"docintake_review_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Env:
    settings: Settings
    services: Services
    ids: list[str]  # flagged samples in 伊春市, then one in 广州市

    @property
    def app_id(self) -> str:
        return self.ids[0]

    @property
    def other_region_id(self) -> str:
        return self.ids[-1]


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Env]:
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else ""
    settings = settings_for(tmp_path, url)
    services, ids = seed(settings)
    yield Env(settings, services, ids)
    services.db.dispose()


@pytest.fixture
def sqlite_env(tmp_path: Path) -> Iterator[Env]:
    settings = settings_for(tmp_path)
    services, ids = seed(settings)
    yield Env(settings, services, ids)
    services.db.dispose()


@dataclass
class Live:
    env: Env
    base: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """``docintake serve``'s application in a thread (uvicorn), on 127.0.0.1 and a free port;
    four flagged applications in 伊春市 (the first is the one worked), one in 广州市."""
    import uvicorn

    from api.app import create_app

    settings = settings_for(tmp_path)
    services, ids = seed(settings, samples=4)
    sqlite_env = Env(settings, services, ids)
    app = create_app(sqlite_env.settings, services=sqlite_env.services, background=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="review-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield Live(sqlite_env, f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
