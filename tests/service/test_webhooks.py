"""Webhooks: signed, retried with backoff, logged; an end-to-end run in the embedded mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import Job
from api.services import Services
from api.settings import Settings
from api.webhooks import SIGNATURE_HEADER, WebhookSender, sign, verify
from tests.service.conftest import declared_bytes, make_portal, text_layer_files
from tests.service.infra import WebhookReceiver, free_port


def _sender(services: Services) -> WebhookSender:
    s = services.settings
    return WebhookSender(services.db, timeout_s=5, max_attempts=s.webhook_max_attempts, backoff_s=s.webhook_backoff_s)


def test_signature_round_trip_and_replay_window() -> None:
    body = b'{"event": "x"}'
    header = sign("secret", body, 1_700_000_000)
    assert verify("secret", body, header, now=1_700_000_010)
    assert not verify("secret", body + b" ", header, now=1_700_000_010)
    assert not verify("other", body, header, now=1_700_000_010)
    assert not verify("secret", body, header, now=1_700_000_000 + 3600)  # too old: a replay


def test_delivery_is_retried_with_backoff_and_logged(client: TestClient, services: Services,
                                                    receiver: WebhookReceiver) -> None:
    receiver.fail_first = 2
    portal = make_portal(services, "hooked", receiver.url)
    created = client.post("/v1/applications", content=declared_bytes(), headers=portal.headers).json()
    sender = _sender(services)
    try:
        deadline = time.monotonic() + 30
        while not receiver.received and time.monotonic() < deadline:
            sender.send_due()
            time.sleep(0.1)
    finally:
        sender.close()
    (got,) = receiver.received
    assert receiver.attempts == 3
    assert got.json["event"] == "application.created" and got.json["application_id"] == created["id"]
    assert verify(portal.secret, got.body, got.headers[SIGNATURE_HEADER])
    log = client.get("/v1/webhooks/deliveries", headers=portal.headers).json()
    assert log[0]["status"] == "delivered" and log[0]["attempts"] == 3 and log[0]["last_status_code"] == 204


def test_delivery_gives_up_after_max_attempts(client: TestClient, services: Services,
                                              receiver: WebhookReceiver) -> None:
    receiver.fail_first = 10**6
    services.settings.webhook_max_attempts = 2
    portal = make_portal(services, "down", receiver.url)
    client.post("/v1/applications", content=declared_bytes(), headers=portal.headers)
    sender = _sender(services)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            sender.send_due()
            log = client.get("/v1/webhooks/deliveries", headers=portal.headers).json()
            if log[0]["status"] == "failed":
                break
            time.sleep(0.1)
    finally:
        sender.close()
    assert log[0]["status"] == "failed" and log[0]["attempts"] == 2 and log[0]["last_error"] == "HTTP 500"


def test_end_to_end_over_http_with_webhooks(tmp_path: Path, receiver: WebhookReceiver) -> None:
    """`docintake serve` in its own process, a sample bundle uploaded over real HTTP, the
    verdict received by webhook — as a portal sees it."""
    env = {**os.environ, "DOCINTAKE_DATA_DIR": str(tmp_path / "var"), "DOCINTAKE_HOUSEKEEPING_INTERVAL_S": "0.2"}
    env.pop("DOCINTAKE_DATABASE_URL", None)
    env.pop("DOCINTAKE_BROKER_URL", None)
    portal = json.loads(subprocess.run(
        [sys.executable, "-m", "intake.cli", "admin", "create-portal", "e2e", "--webhook-url", receiver.url],
        env=env, check=True, capture_output=True, text=True).stdout)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "intake.cli", "serve", "--port", str(port)], env=env,
                              stdout=(tmp_path / "serve.log").open("wb"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {portal['api_key']}"}
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            created = http.post("/v1/applications", content=declared_bytes()).json()
            r = http.post(f"/v1/applications/{created['id']}/documents", files=text_layer_files())
            assert r.status_code == 201, r.text
            assert http.post(f"/v1/applications/{created['id']}/submit").status_code == 202
            got = receiver.wait_for(lambda rs: any(x.json.get("status") == "checked" for x in rs), timeout=120)
            result = http.get(f"/v1/applications/{created['id']}/result").json()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    statuses = [r.json["status"] for r in got if r.json["event"] == "application.status_changed"]
    assert statuses[:3] == ["queued", "processing", "checked"]
    checked = next(r.json for r in got if r.json.get("status") == "checked")
    assert checked["verdict"] == result["verdict"] and checked["errors"] == sum(
        f["severity"] == "error" for f in result["findings"])
    assert all(verify(portal["webhook_secret"], r.body, r.headers[SIGNATURE_HEADER]) for r in got)


def test_embedded_server_resumes_unfinished_jobs_at_start(settings: Settings, services: Services) -> None:
    """A server that died left a job queued: the next start runs it."""
    app = create_app(settings, services=services, background=False)
    with TestClient(app) as client:
        portal = make_portal(services, "resume")
        created = client.post("/v1/applications", content=declared_bytes(), headers=portal.headers).json()
        client.post(f"/v1/applications/{created['id']}/documents", files=text_layer_files(), headers=portal.headers)
        client.post(f"/v1/applications/{created['id']}/submit", headers=portal.headers)
    # nothing ran: background was off. Now a normal start.
    fresh = Services.from_settings(settings)
    with TestClient(create_app(settings, services=fresh)) as client:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = client.get(f"/v1/applications/{created['id']}", headers=portal.headers).json()["status"]
            if status == "checked":
                break
            time.sleep(0.3)
    assert status == "checked"
    with fresh.db.session() as s:
        assert [j.status for j in s.query(Job).all()] == ["done"]


def test_redeliver_sends_a_delivery_again_once_per_key(client: TestClient, services: Services,
                                                        receiver: WebhookReceiver) -> None:
    portal = make_portal(services, "again", receiver.url)
    client.post("/v1/applications", content=declared_bytes(), headers=portal.headers)
    sender = _sender(services)
    try:
        sender.send_due()
        receiver.wait_for(lambda rs: len(rs) == 1)
        delivery = client.get("/v1/webhooks/deliveries", headers=portal.headers).json()[0]
        h = {**portal.headers, "Idempotency-Key": "again-1"}
        for _ in range(2):
            r = client.post(f"/v1/webhooks/deliveries/{delivery['id']}/redeliver", headers=h)
            assert r.status_code == 202 and r.json()["status"] == "pending"
            sender.send_due()
        got = receiver.wait_for(lambda rs: len(rs) == 2)
    finally:
        sender.close()
    assert len(got) == 2 and got[0].json["id"] == got[1].json["id"] == delivery["id"]  # the same delivery id
