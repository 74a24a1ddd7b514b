"""The distributed mode with the real parts: PostgreSQL, Redis, `docintake worker` processes.

One test runs a bundle through a worker; one kills the worker in the middle of a job
and checks that a second worker finishes it, once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from api.db import CheckRun, Job
from api.settings import Settings
from tests.service.conftest import YICHUN_CLEAN, declared_bytes, make_portal, text_layer_files
from tests.service.infra import REDIS_URL, create_pg_database, drop_pg_database

pytestmark = pytest.mark.heavy  # minutes of real servers and OCR: CI runs them (scripts/test.sh)


@pytest.fixture
def celery_settings(tmp_path: Path) -> Iterator[Settings]:
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = create_pg_database()
    try:
        yield Settings(_env_file=None, data_dir=tmp_path / "var", database_url=url, broker_url=REDIS_URL,
                       job_lease_s=3.0, housekeeping_interval_s=0.1, webhook_backoff_s=0.2)
    finally:
        drop_pg_database(url)


def start_worker(settings: Settings, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DOCINTAKE_DATA_DIR": str(settings.data_dir), "DOCINTAKE_DATABASE_URL": settings.database_url,
           "DOCINTAKE_BROKER_URL": settings.broker_url, "DOCINTAKE_JOB_LEASE_S": str(settings.job_lease_s),
           "OMP_THREAD_LIMIT": "1"}
    return subprocess.Popen([sys.executable, "-m", "intake.cli", "worker", "--loglevel", "INFO"], env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def wait_status(client: TestClient, headers: dict, app_id: str, want: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        status = client.get(f"/v1/applications/{app_id}", headers=headers).json()["status"]
        if status == want:
            return status
        time.sleep(0.3)
    return status


def test_a_worker_process_checks_an_application(celery_settings: Settings, tmp_path: Path) -> None:
    worker = start_worker(celery_settings, tmp_path / "worker.log")
    try:
        app = create_app(celery_settings)
        with TestClient(app) as client:
            portal = make_portal(app.state.services, "celery")
            created = client.post("/v1/applications", content=declared_bytes(), headers=portal.headers).json()
            client.post(f"/v1/applications/{created['id']}/documents", files=text_layer_files(),
                        headers=portal.headers)
            client.post(f"/v1/applications/{created['id']}/submit", headers=portal.headers)
            status = wait_status(client, portal.headers, created["id"], "checked", 120)
            assert status == "checked", (tmp_path / "worker.log").read_text()[-3000:]
            with app.state.services.db.session() as s:
                assert s.scalar(select(func.count()).select_from(CheckRun)) == 1
    finally:
        stop(worker)


def test_a_job_whose_worker_is_killed_is_finished_once_by_another(celery_settings: Settings, tmp_path: Path) -> None:
    first = start_worker(celery_settings, tmp_path / "first.log")
    second = None
    try:
        app = create_app(celery_settings)
        with TestClient(app) as client:
            services = app.state.services
            portal = make_portal(services, "fault")
            created = client.post("/v1/applications", content=declared_bytes(), headers=portal.headers).json()
            # the licence photo needs OCR: the job runs long enough to be killed in the middle
            files = text_layer_files() + [("files", ("licence.jpg", (YICHUN_CLEAN / "licence.jpg").read_bytes(),
                                                     "image/jpeg"))]
            client.post(f"/v1/applications/{created['id']}/documents", files=files, headers=portal.headers)
            client.post(f"/v1/applications/{created['id']}/submit", headers=portal.headers)
            assert wait_status(client, portal.headers, created["id"], "processing", 60) == "processing", \
                (tmp_path / "first.log").read_text()[-3000:]
            stop(first, signal.SIGKILL)
            second = start_worker(celery_settings, tmp_path / "second.log")
            status = wait_status(client, portal.headers, created["id"], "checked", 240)
            assert status == "checked", (tmp_path / "second.log").read_text()[-3000:]
            with services.db.session() as s:
                (job,) = s.scalars(select(Job)).all()
                assert job.status == "done" and job.attempts == 2
                assert s.scalar(select(func.count()).select_from(CheckRun)) == 1
    finally:
        stop(first, signal.SIGKILL)
        if second is not None:
            stop(second)
