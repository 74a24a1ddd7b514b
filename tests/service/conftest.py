"""Fixtures for the service: an app per test on SQLite or PostgreSQL, a portal with a key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.db.migrate import upgrade
from api.keys import create_portal
from api.services import Services
from api.settings import Settings
from tests.service.infra import WebhookReceiver, create_pg_database, drop_pg_database

ROOT = Path(__file__).resolve().parents[2]
YICHUN_CLEAN = ROOT / "samples" / "bundles" / "yichun-2023" / "clean"


@dataclass
class Portal:
    id: str
    key: str
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'docintake.db'}"
        return
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "var", database_url=database_url, broker_url="",
                    webhook_backoff_s=0.2, housekeeping_interval_s=0.1, job_lease_s=3.0)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    upgrade(settings.sqlalchemy_url)
    svc = Services.from_settings(settings)
    yield svc
    svc.close()


@pytest.fixture
def client(settings: Settings, services: Services) -> Iterator[TestClient]:
    """The app with no background threads: tests run jobs and webhooks themselves."""
    app = create_app(settings, services=services, background=False)
    with TestClient(app) as c:
        yield c


def make_portal(services: Services, name: str = "portal-a", webhook_url: str | None = None) -> Portal:
    with services.db.session() as s:
        portal, key = create_portal(s, name, webhook_url)
        return Portal(portal.id, key.key, portal.webhook_secret)


@pytest.fixture
def portal(services: Services) -> Portal:
    return make_portal(services)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver().start()
    yield r
    r.stop()


def declared_bytes(bundle: Path = YICHUN_CLEAN) -> bytes:
    return (bundle / "declared.json").read_bytes()


def text_layer_files(bundle: Path = YICHUN_CLEAN) -> list[tuple[str, tuple[str, bytes, str]]]:
    """The bundle's PDFs (text layer: no OCR, so a job takes seconds)."""
    return [("files", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(bundle.glob("*.pdf"))]
