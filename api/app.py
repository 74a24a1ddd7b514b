"""``create_app(settings)``: the FastAPI application behind ``docintake serve``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.db.migrate import upgrade
from api.errors import install_handlers
from api.housekeeping import Housekeeper, dispatch_stale_jobs
from api.jobs.base import JobQueue
from api.jobs.inprocess import InProcessQueue
from api.jobs.work import run_job
from api.routes import applications, documents, evidence, meta, webhooks
from api.review import install as install_review
from api.services import Services
from api.settings import Settings
from api.webhooks import WebhookSender
from intake.ocr.base import OcrEngine

log = logging.getLogger(__name__)


def make_queue(services: Services) -> JobQueue:
    if services.settings.distributed:
        from api.jobs.celery_app import CeleryQueue

        return CeleryQueue(services.settings)
    return InProcessQueue(lambda job_id: run_job(services, job_id))


def create_app(settings: Settings | None = None, *, engine: str | OcrEngine = "",
               services: Services | None = None, background: bool = True) -> FastAPI:
    """``background=False`` leaves the job thread and the housekeeper off (tests drive them)."""
    settings = settings or Settings()
    services = services or Services.from_settings(settings, engine=engine)
    queue = make_queue(services)
    sender = WebhookSender(services.db, timeout_s=settings.webhook_timeout_s,
                           max_attempts=settings.webhook_max_attempts, backoff_s=settings.webhook_backoff_s)
    housekeeper = Housekeeper(services, queue, sender)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            upgrade(settings.sqlalchemy_url)
        if background:
            queue.start()
            # Embedded: whatever a previous server left unfinished runs now.
            dispatch_stale_jobs(services, queue, startup=not settings.distributed)
            housekeeper.start()
        try:
            yield
        finally:
            if background:
                housekeeper.stop()
                queue.stop()
            sender.close()
            services.close()

    app = FastAPI(
        title="docintake",
        version="1",
        summary="Intake checks for cloud-subsidy applications (企业上云补贴申报材料初审)",
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.queue = queue
    app.state.sender = sender
    app.state.housekeeper = housekeeper
    install_handlers(app)
    for module in (meta, applications, documents, evidence, webhooks):
        app.include_router(module.router)
    install_review(app, services)  # the clerks' pages under /review
    return app
