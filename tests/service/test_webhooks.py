"""Webhooks: signed, retried with backoff, logged; an end-to-end run in the embedded mode."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from api.app import create_app
from api.db import Job
from api.services import Services
from api.settings import Settings
from api.webhooks import SIGNATURE_HEADER, WebhookSender, sign, verify
from tests.service.conftest import declared_bytes, make_portal, text_layer_files
from tests.service.infra import WebhookReceiver


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


def test_embedded_end_to_end_over_http_with_webhooks(settings: Settings, receiver: WebhookReceiver) -> None:
    """Upload a sample bundle, submit, and receive the verdict by webhook — background threads on."""
    app = create_app(settings)
    with TestClient(app) as client:
        portal = make_portal(app.state.services, "e2e", receiver.url)
        created = client.post("/v1/applications", content=declared_bytes(), headers=portal.headers).json()
        client.post(f"/v1/applications/{created['id']}/documents", files=text_layer_files(), headers=portal.headers)
        client.post(f"/v1/applications/{created['id']}/submit", headers=portal.headers)
        got = receiver.wait_for(lambda rs: any(r.json.get("status") == "checked" for r in rs), timeout=120)
    statuses = [r.json["status"] for r in got if r.json["event"] == "application.status_changed"]
    assert statuses[:3] == ["queued", "processing", "checked"]
    checked = next(r.json for r in got if r.json.get("status") == "checked")
    assert checked["verdict"] in ("pass", "flagged", "fail") and "errors" in checked
    assert all(verify(portal.secret, r.body, r.headers[SIGNATURE_HEADER]) for r in got)


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
