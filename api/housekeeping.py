"""The server's background loop: send due webhooks, hand stale jobs on again.

Stale jobs are queued ones nobody took (the broker was down when they were
submitted, or the server stopped before its thread ran them) and running ones whose
lease ran out (their worker died). Dispatching a job twice is harmless: only one
claim succeeds.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import or_, select, update

from api.db import Job, JobStatus, utcnow
from api.jobs.base import JobQueue
from api.services import Services
from api.webhooks import WebhookSender

log = logging.getLogger(__name__)

def dispatch_stale_jobs(services: Services, queue: JobQueue, *, startup: bool = False) -> int:
    """Dispatch queued jobs not dispatched lately and running jobs with a lapsed lease.

    ``startup`` (embedded mode): every job left queued by a previous server process is
    dispatched at once, whatever its age.
    """
    now = utcnow()
    redispatch_after = timedelta(seconds=services.settings.job_redispatch_s)
    with services.db.session() as s:
        stale_queued = Job.status == JobStatus.QUEUED
        if not startup:
            stale_queued = stale_queued & or_(Job.dispatched_at.is_(None), Job.dispatched_at < now - redispatch_after)
        lapsed = (Job.status == JobStatus.RUNNING) & (Job.lease_until < now)
        ids = s.scalars(select(Job.id).where(or_(stale_queued, lapsed)).order_by(Job.created_at).limit(100)).all()
    for job_id in ids:
        mark_dispatched(services, job_id)
        try:
            queue.dispatch(job_id)
        except Exception:
            log.warning("job %s: dispatch failed; will retry", job_id, exc_info=True)
    return len(ids)


def mark_dispatched(services: Services, job_id: str) -> None:
    with services.db.session() as s:
        s.execute(update(Job).where(Job.id == job_id).values(dispatched_at=utcnow()))


class Housekeeper:
    def __init__(self, services: Services, queue: JobQueue, sender: WebhookSender):
        self.services, self.queue, self.sender = services, queue, sender
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="docintake-housekeeping", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        interval = self.services.settings.housekeeping_interval_s
        ticks = 0
        while not self._stop.wait(interval):
            ticks += 1
            try:
                self.sender.send_due()
                if ticks % 10 == 0:
                    dispatch_stale_jobs(self.services, self.queue)
            except Exception:  # the database may be restarting: next tick tries again
                log.warning("housekeeping failed", exc_info=True)
