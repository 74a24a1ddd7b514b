"""The distributed mode: Celery over Redis, with the same job code as the embedded mode.

Late acknowledgement and ``reject_on_worker_lost``: a job whose worker dies is
delivered again; the lease in the database decides who may write its result.
"""

from __future__ import annotations

import logging

from celery import Celery

from api.settings import Settings

log = logging.getLogger(__name__)

TASK = "docintake.run_job"


def make_celery(settings: Settings) -> Celery:
    app = Celery("docintake", broker=settings.broker_url, backend=None)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a job takes minutes: never hoard them
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},
        worker_hijack_root_logger=False,
        task_default_queue="docintake",
    )
    return app


class CeleryQueue:
    def __init__(self, settings: Settings):
        self.celery = make_celery(settings)

    def dispatch(self, job_id: str) -> None:
        self.celery.send_task(TASK, args=[job_id])

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


def register_task(app: Celery, run) -> None:  # type: ignore[no-untyped-def]
    """The worker's task: ``run(job_id)`` (``api.jobs.work.run_job`` bound to the worker's services)."""

    @app.task(name=TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
    def run_job_task(self, job_id: str) -> str:  # type: ignore[no-untyped-def]
        outcome = run(job_id)
        log.info("job %s: %s", job_id, outcome)
        return str(outcome)


def run_worker(settings: Settings, run, *, concurrency: int = 1, loglevel: str = "INFO") -> None:  # type: ignore[no-untyped-def]
    """Start a worker in this process. The thread pool, not prefork: a job starts its own
    OCR processes, which Celery's daemonic pool children may not."""
    app = make_celery(settings)
    register_task(app, run)
    app.worker_main(["worker", f"--loglevel={loglevel}", "--pool=threads", f"--concurrency={concurrency}",
                     "-Q", "docintake", "--without-gossip", "--without-mingle", "--without-heartbeat"])
