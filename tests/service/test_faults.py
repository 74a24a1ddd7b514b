"""Faults during work: the broker or the database restarts, the OCR engine crashes or
hangs. Every accepted application still reaches a verdict, exactly once.

The servers restarted here are the tests' own (tests.service.infra.PrivatePostgres,
PrivateRedis), never the machine's shared ones.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from api.db import CheckRun, Job
from api.db.migrate import upgrade
from api.jobs.work import run_job
from api.services import Services
from api.settings import Settings
from intake.ocr.fakes import CrashingEngine, HangingEngine
from tests.service.conftest import YICHUN_CLEAN, declared_bytes, make_portal, text_layer_files
from tests.service.infra import PrivatePostgres, PrivateRedis
from tests.service.test_celery import start_worker, stop, wait_status

pytestmark = pytest.mark.heavy  # minutes of real servers and OCR: CI runs them (scripts/test.sh)


def _apply(client: TestClient, headers: dict, files=None) -> str:  # type: ignore[no-untyped-def]
    created = client.post("/v1/applications", content=declared_bytes(), headers=headers).json()
    r = client.post(f"/v1/applications/{created['id']}/documents", files=files or text_layer_files(), headers=headers)
    assert r.status_code == 201, r.text
    assert client.post(f"/v1/applications/{created['id']}/submit", headers=headers).status_code == 202
    return created["id"]


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    pg = PrivatePostgres()
    pg.start()
    yield pg
    pg.destroy()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    r = PrivateRedis()
    r.start()
    yield r
    r.stop()


def test_redis_restarting_empty_loses_no_application(private_pg: PrivatePostgres, private_redis: PrivateRedis,
                                                      tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "var", database_url=private_pg.url,
                        broker_url=private_redis.url, job_lease_s=3.0, job_redispatch_s=2.0,
                        housekeeping_interval_s=0.1)
    app = create_app(settings)
    with TestClient(app) as client:
        portal = make_portal(app.state.services, "redis-fault")
        # submitted while no worker runs: the jobs wait in Redis, which then restarts empty
        ids = [_apply(client, portal.headers) for _ in range(3)]
        private_redis.stop()
        private_redis.start()
        worker = start_worker(settings, tmp_path / "worker.log")
        try:
            statuses = [wait_status(client, portal.headers, i, "checked", 180) for i in ids]
        finally:
            stop(worker)
        assert statuses == ["checked"] * 3, (tmp_path / "worker.log").read_text()[-3000:]
        with app.state.services.db.session() as s:
            assert s.scalar(select(func.count()).select_from(CheckRun)) == 3


def test_postgresql_restarting_mid_job_loses_no_application(private_pg: PrivatePostgres, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "var", database_url=private_pg.url,
                        job_lease_s=3.0, job_redispatch_s=2.0, housekeeping_interval_s=0.1)
    app = create_app(settings)
    with TestClient(app) as client:
        portal = make_portal(app.state.services, "pg-fault")
        files = text_layer_files() + [("files", ("licence.jpg", (YICHUN_CLEAN / "licence.jpg").read_bytes(),
                                                 "image/jpeg"))]
        app_id = _apply(client, portal.headers, files)
        assert wait_status(client, portal.headers, app_id, "processing", 60) == "processing"
        private_pg.stop("immediate")  # a crash, not a polite shutdown
        time.sleep(2)
        private_pg.start()
        status = wait_status(client, portal.headers, app_id, "checked", 240)
        assert status == "checked"
        with app.state.services.db.session() as s:
            assert s.scalar(select(func.count()).select_from(CheckRun)) == 1
            (job,) = s.scalars(select(Job)).all()
            assert job.status == "done"


@pytest.mark.parametrize("engine", [CrashingEngine(), HangingEngine()], ids=["crashing", "hanging"])
def test_ocr_engine_crashing_or_hanging_still_gives_a_verdict(tmp_path: Path, engine) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(_env_file=None, data_dir=tmp_path / "var", page_timeout_s=3.0, ocr_workers=1)
    upgrade(settings.sqlalchemy_url)
    services = Services.from_settings(settings, engine=engine)
    with TestClient(create_app(settings, services=services, background=False)) as client:
        portal = make_portal(services)
        files = text_layer_files() + [("files", ("licence.jpg", (YICHUN_CLEAN / "licence.jpg").read_bytes(),
                                                 "image/jpeg"))]
        app_id = _apply(client, portal.headers, files)
        with services.db.session() as s:
            job_id = s.scalars(select(Job.id)).one()
        assert run_job(services, job_id) == "done"
        result = client.get(f"/v1/applications/{app_id}/result", headers=portal.headers).json()
    # the page the engine could not read is reported by name; the text-layer files were checked
    codes = {e["file"]: e["error"] for e in result["errors"]}
    assert codes.get("licence.jpg") in ("ocr_failed", "ocr_timeout"), result["errors"]
    assert {d["type"] for d in result["documents"]} >= {"contract", "vat_invoice"}
    assert any(f["rule"] == "bundle.file_readable" for f in result["findings"])
