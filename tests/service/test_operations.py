"""``api.operations.set_status``: the portal hears every change, and news without a change, once."""

from __future__ import annotations

from sqlalchemy import select

from api import operations as ops
from api.db import Application, AppStatus, WebhookDelivery
from api.services import Services
from tests.service.conftest import Portal, declared_bytes


def _status_events(services: Services, app_id: str) -> list[dict]:
    with services.db.session() as s:
        return [d.payload for d in s.scalars(select(WebhookDelivery).where(
            WebhookDelivery.application_id == app_id, WebhookDelivery.event == "application.status_changed")
            .order_by(WebhookDelivery.created_at))]


def _set(services: Services, app_id: str, status: AppStatus, data: dict | None = None) -> None:
    with services.db.session() as s:
        ops.set_status(s, s.get(Application, app_id), status, data)


def test_an_unchanged_status_is_told_when_it_brings_news_and_not_when_it_repeats(services: Services,
                                                                                  portal: Portal) -> None:
    with services.db.session() as s:
        app_id = ops.create_application(s, portal.id, declared_bytes(), "ref-1").id
    _set(services, app_id, AppStatus.CHECKED, {"job_id": "j1", "errors": 1, "warnings": 0})
    _set(services, app_id, AppStatus.REUPLOAD_REQUESTED, {"document": "receipt.pdf", "reason": "不清晰"})
    # a second document asked for: the status stays, the portal must still hear which one
    _set(services, app_id, AppStatus.REUPLOAD_REQUESTED, {"document": "licence.jpg", "reason": "反光"})
    # genuine no-ops: the same news again, or nothing to say
    _set(services, app_id, AppStatus.REUPLOAD_REQUESTED, {"document": "licence.jpg", "reason": "反光"})
    _set(services, app_id, AppStatus.REUPLOAD_REQUESTED)
    with services.db.session() as s:  # within one transaction too
        app = s.get(Application, app_id)
        ops.set_status(s, app, AppStatus.REUPLOAD_REQUESTED, {"document": "form.pdf", "reason": "缺页"})
        ops.set_status(s, app, AppStatus.REUPLOAD_REQUESTED, {"document": "form.pdf", "reason": "缺页"})
    events = _status_events(services, app_id)
    assert [(e["previous_status"], e["status"], e.get("document")) for e in events] == [
        ("draft", "checked", None),
        ("checked", "reupload_requested", "receipt.pdf"),
        ("reupload_requested", "reupload_requested", "licence.jpg"),
        ("reupload_requested", "reupload_requested", "form.pdf"),
    ]
    assert events[2]["reason"] == "反光" and events[2]["external_ref"] == "ref-1"


def test_a_changed_status_is_told_even_with_the_same_data(services: Services, portal: Portal) -> None:
    with services.db.session() as s:
        app_id = ops.create_application(s, portal.id, declared_bytes(), None).id
    _set(services, app_id, AppStatus.PROCESSING, {"job_id": "j1"})
    _set(services, app_id, AppStatus.PROCESSING, {"job_id": "j1"})  # a lapsed lease taken over: nothing new
    _set(services, app_id, AppStatus.FAILED, {"job_id": "j1"})
    _set(services, app_id, AppStatus.PROCESSING, {"job_id": "j1"})
    assert [e["status"] for e in _status_events(services, app_id)] == ["processing", "failed", "processing"]
