"""Webhooks to portals: one delivery row per event, signed, retried with backoff.

Signature (header ``X-Docintake-Signature``): ``t=<unix seconds>,v1=<hex>`` where the
hex is HMAC-SHA256 with the portal's webhook secret over ``"<t>." + body``. A portal
recomputes it and refuses a timestamp more than five minutes old (replays).

Deliveries are rows first and HTTP second: an event is recorded in the same
transaction as the status change that caused it, so a crash between the two loses
nothing; whoever sends claims the row with a conditional update, so two senders
never post the same delivery at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from api.db import Application, Database, Portal, WebhookDelivery, utcnow

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Docintake-Signature"
EVENT_HEADER = "X-Docintake-Event"
DELIVERY_HEADER = "X-Docintake-Delivery"
SEND_LEASE = timedelta(minutes=2)


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify(secret: str, body: bytes, header: str, *, tolerance_s: int = 300, now: float | None = None) -> bool:
    """What a portal does with a delivery (also used by the tests)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        t = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, body, t), header)


def record_event(s: Session, app: Application, event: str, data: dict[str, Any] | None = None) -> None:
    """Queue an event for the application's portal (sent if the portal has a webhook URL)."""
    payload = {
        "event": event,
        "application_id": app.id,
        "external_ref": app.external_ref,
        "status": app.status,
        "verdict": app.verdict,
        "at": utcnow().isoformat(),
        **(data or {}),
    }
    s.add(WebhookDelivery(portal_id=app.portal_id, application_id=app.id, event=event, payload=payload))


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps({"id": delivery.id, **delivery.payload}, ensure_ascii=False, sort_keys=True).encode()


class WebhookSender:
    """Sends due deliveries. ``send_due`` is called by the housekeeper loop."""

    def __init__(self, db: Database, *, timeout_s: float, max_attempts: int, backoff_s: float,
                 client: httpx.Client | None = None):
        self.db = db
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.client = client or httpx.Client(timeout=timeout_s, follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    def send_due(self, limit: int = 20) -> int:
        now = utcnow()
        with self.db.session() as s:
            ids = s.scalars(
                select(WebhookDelivery.id)
                .where(or_(
                    (WebhookDelivery.status == "pending") & (WebhookDelivery.next_attempt_at <= now),
                    (WebhookDelivery.status == "sending") & (WebhookDelivery.lease_until < now),
                ))
                .order_by(WebhookDelivery.next_attempt_at).limit(limit)
            ).all()
        sent = 0
        for delivery_id in ids:
            if self._claim(delivery_id):
                self._send(delivery_id)
                sent += 1
        return sent

    def _claim(self, delivery_id: str) -> bool:
        now = utcnow()
        with self.db.session() as s:
            res = s.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id)
                .where(or_(
                    (WebhookDelivery.status == "pending") & (WebhookDelivery.next_attempt_at <= now),
                    (WebhookDelivery.status == "sending") & (WebhookDelivery.lease_until < now),
                ))
                .values(status="sending", lease_until=now + SEND_LEASE)
            )
            return res.rowcount == 1

    def _send(self, delivery_id: str) -> None:
        with self.db.session() as s:
            d = s.get(WebhookDelivery, delivery_id)
            portal = s.get(Portal, d.portal_id) if d else None
            if d is None or portal is None:
                return
            if not portal.webhook_url:
                d.status, d.last_error = "failed", "门户未配置 webhook 地址 / the portal has no webhook URL"
                return
            body = body_of(d)
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(portal.webhook_secret, body),
                EVENT_HEADER: d.event,
                DELIVERY_HEADER: d.id,
            }
            url = portal.webhook_url
            d.attempts += 1
            attempt = d.attempts
        status, error = None, None
        try:
            resp = self.client.post(url, content=body, headers=headers)
            status = resp.status_code
            ok = 200 <= status < 300
            if not ok:
                error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            ok, error = False, f"{type(exc).__name__}: {exc}"[:500]
        with self.db.session() as s:
            d = s.get(WebhookDelivery, delivery_id)
            d.last_status_code, d.last_error, d.lease_until = status, error, None
            if ok:
                d.status, d.delivered_at = "delivered", utcnow()
            elif attempt >= self.max_attempts:
                d.status = "failed"
                log.warning("webhook %s to %s failed for good after %d attempts: %s", d.id, url, attempt, error)
            else:
                d.status = "pending"
                d.next_attempt_at = utcnow() + timedelta(seconds=self.backoff_s * 2 ** (attempt - 1))
