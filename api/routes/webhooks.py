"""/v1/webhooks: the delivery log of the calling portal, and a manual redelivery."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from api.db import WebhookDelivery, utcnow
from api.deps import IdempotencyKey, PortalDep, ServicesDep
from api.errors import not_found
from api.idempotency import fingerprint, remember, replay
from api.schemas import DeliveryOut, ErrorBody

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses={401: {"model": ErrorBody}})


@router.get("/deliveries", response_model=list[DeliveryOut], summary="Webhook deliveries, newest first")
def deliveries(services: ServicesDep, portal: PortalDep, application_id: str | None = None,
               status: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> Any:
    with services.db.session() as s:
        q = select(WebhookDelivery).where(WebhookDelivery.portal_id == portal.id)
        if application_id:
            q = q.where(WebhookDelivery.application_id == application_id)
        if status:
            q = q.where(WebhookDelivery.status == status)
        rows = s.scalars(q.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id).limit(limit)).all()
        return [DeliveryOut.of(d) for d in rows]


@router.post("/deliveries/{delivery_id}/redeliver", response_model=DeliveryOut, status_code=202,
             summary="Send a delivery again (e.g. after the portal's endpoint was fixed)")
def redeliver(delivery_id: str, services: ServicesDep, portal: PortalDep,
              idempotency_key: IdempotencyKey = None) -> Any:
    fp = fingerprint("POST", f"/v1/webhooks/deliveries/{delivery_id}/redeliver")
    with services.db.session() as s:
        if (cached := replay(s, portal.id, idempotency_key, fp)) is not None:
            return cached
        d = s.get(WebhookDelivery, delivery_id) if len(delivery_id) <= 36 else None
        if d is None or d.portal_id != portal.id:
            raise not_found("推送记录", "delivery")
        d.status, d.next_attempt_at, d.attempts = "pending", utcnow(), 0
        s.flush()
        return remember(s, portal.id, idempotency_key, fp, 202, DeliveryOut.of(d))
