"""Running one check job: claim it, extract, check against the program and the
history, store the result exactly once, tell the portal.

Exactly once: the job is claimed by a conditional update that sets a fresh lease
token; a heartbeat renews the lease while the job runs; the result is written in
one transaction that first moves the job from ``running`` with *our* token to
``done`` — if another worker took the job over meanwhile, that update matches no
row and our result is thrown away — and ``check_runs.job_id`` is unique besides.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import threading
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select, update

from api.db import Application, AppStatus, CheckRun, Job, JobStatus, utcnow
from api.history import load_history, save_keys
from api.operations import active_uploads, set_status
from api.review.carry import reapply_corrections
from api.services import Services
from intake.check_cli import program_list_for
from intake.pipeline import extract_files
from validators import default_table, load_policy, run_checks
from validators.declared import parse_declared
from validators.history import keys_of

log = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker owns the job now; this one must not write a result."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(services: Services, job_id: str) -> str | None:
    """Take the job if it is queued, or running with a lapsed lease; the lease token, or None."""
    now = utcnow()
    token = str(uuid.uuid4())
    lease = timedelta(seconds=services.settings.job_lease_s)
    with services.db.session() as s:
        res = s.execute(
            update(Job).where(Job.id == job_id)
            .where(or_(Job.status == JobStatus.QUEUED,
                       (Job.status == JobStatus.RUNNING) & (Job.lease_until < now)))
            .values(status=JobStatus.RUNNING, lease_token=token, lease_until=now + lease,
                    attempts=Job.attempts + 1, started_at=now, worker=worker_name())
        )
        if res.rowcount != 1:
            return None
        job = s.get(Job, job_id)
        app = s.get(Application, job.application_id)
        if app.status in (AppStatus.QUEUED, AppStatus.FAILED):
            set_status(s, app, AppStatus.PROCESSING, {"job_id": job_id})
    return token


class Heartbeat:
    """Renews the lease every third of its length while the job runs."""

    def __init__(self, services: Services, job_id: str, token: str):
        self.services, self.job_id, self.token = services, job_id, token
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{job_id[:8]}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        lease = self.services.settings.job_lease_s
        while not self._stop.wait(lease / 3):
            try:
                with self.services.db.session() as s:
                    res = s.execute(update(Job).where(Job.id == self.job_id, Job.lease_token == self.token,
                                                      Job.status == JobStatus.RUNNING)
                                    .values(lease_until=utcnow() + timedelta(seconds=lease)))
                    if res.rowcount != 1:
                        self.lost.set()
                        return
            except Exception:  # the database may be restarting: try again next beat
                log.warning("job %s: lease renewal failed", self.job_id, exc_info=True)


def run_job(services: Services, job_id: str) -> str:
    """Run one job if it can be claimed. Returns what happened (for logs and tests)."""
    token = claim(services, job_id)
    if token is None:
        return "not claimed"
    try:
        with Heartbeat(services, job_id, token) as beat:
            outcome = _check(services, job_id)
            if beat.lost.is_set():
                raise LeaseLost(job_id)
        _finish(services, job_id, token, outcome)
        return "done"
    except LeaseLost:
        log.warning("job %s: lease lost to another worker; result dropped", job_id)
        return "lease lost"
    except Exception as exc:
        log.exception("job %s failed", job_id)
        _fail(services, job_id, token, exc)
        return "failed"


def _check(services: Services, job_id: str) -> dict[str, Any]:
    with services.db.session() as s:
        job = s.get(Job, job_id)
        app = s.get(Application, job.application_id)
        uploads = active_uploads(s, app.id)
        declared_data = dict(app.declared)
        program_id, app_id = app.program, app.id
        upload_rows = [(u.id, u.filename, u.sha256) for u in uploads]
    declared = parse_declared(declared_data, source="declared")  # amounts are stored as text: exact
    table = default_table()
    program = load_policy(program_id, table)
    program_list, unavailable = program_list_for(services.settings.lists_dir, program)

    work = Path(tempfile.mkdtemp(prefix="job-", dir=services.store.tmp_dir))
    try:
        names = _unique_names([name for _, name, _ in upload_rows])
        paths: list[Path] = []
        display: dict[Path, str] = {}
        files: dict[str, dict[str, Any]] = {}
        hashes: dict[str, str] = {}
        for (upload_id, _, sha), name in zip(upload_rows, names):
            # Each file under its own number: display names never touch the file system.
            link = work / f"{len(paths):04d}"
            os.symlink(services.store.path(sha), link)
            paths.append(link)
            display[link] = name
            files[name] = {"upload_id": upload_id, "pages": {}}
            hashes[name] = sha
        extracted = extract_files(paths, options=services.extract_options(), display_names=display)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    keys = keys_of(extracted.documents, declared, hashes)  # compared now, stored with the result
    with services.db.session() as s:
        history = load_history(s, app_id, keys, hashes)
    result = run_checks(extracted.documents, declared, program, table, today=date.today(),
                        program_list=program_list, list_unavailable=unavailable,
                        file_errors=extracted.errors, history=history)
    for doc in extracted.documents:  # the frame of every box, for crops on the review pages
        for page in doc.pages:
            if doc.file in files:
                files[doc.file]["pages"][str(page.number)] = [page.width, page.height]
    return {"result": result.to_json(), "files": files, "keys": keys, "program": program_id,
            "eligible": result.eligible_subsidy, "verdict": str(result.verdict)}


def _finish(services: Services, job_id: str, token: str, outcome: dict[str, Any]) -> None:
    result = outcome["result"]
    counts = {"error": 0, "warning": 0}
    for f in result.get("findings", []):
        if f.get("severity") in counts:
            counts[f["severity"]] += 1
    with services.db.session() as s:
        res = s.execute(update(Job).where(Job.id == job_id, Job.lease_token == token,
                                          Job.status == JobStatus.RUNNING)
                        .values(status=JobStatus.DONE, finished_at=utcnow(), lease_until=None, error=None))
        if res.rowcount != 1:
            raise LeaseLost(job_id)
        job = s.get(Job, job_id)
        app = s.get(Application, job.application_id)
        run = CheckRun(application_id=app.id, job_id=job_id, verdict=outcome["verdict"], result=result,
                       files=outcome["files"])
        s.add(run)
        s.flush()
        app.current_run_id = run.id
        app.verdict = outcome["verdict"]
        app.errors, app.warnings = counts["error"], counts["warning"]
        app.eligible_subsidy = outcome["eligible"]
        app.checked_at = utcnow()
        save_keys(s, app.id, outcome["program"], outcome["keys"])
        # a clerk's corrections of files that did not change still hold (may make a further
        # run). A bonus on top of the verdict: if it fails, its writes are rolled back to
        # the savepoint and the pipeline's reading stands, instead of the job failing.
        try:
            with s.begin_nested():
                reapply_corrections(services, s, app, run)
        except Exception:
            log.exception("re-applying corrections failed on application %s; the new reading stands", app.id)
            app.current_run_id = run.id
        newer = s.scalar(select(Job.id).where(Job.application_id == app.id, Job.status == JobStatus.QUEUED).limit(1))
        if newer is None:  # a newer submission waits: its own run will set the status
            set_status(s, app, AppStatus.CHECKED, {"job_id": job_id, "errors": app.errors,
                                                   "warnings": app.warnings})


def _fail(services: Services, job_id: str, token: str, exc: Exception) -> None:
    message = f"{type(exc).__name__}: {exc}"[:2000]
    with services.db.session() as s:
        job = s.get(Job, job_id)
        if job is None or job.lease_token != token or job.status != JobStatus.RUNNING:
            return
        app = s.get(Application, job.application_id)
        if job.attempts < services.settings.job_max_attempts:
            # Back to the queue: the housekeeper dispatches it again.
            job.status, job.lease_until, job.error, job.dispatched_at = JobStatus.QUEUED, None, message, None
            return
        job.status, job.finished_at, job.error, job.lease_until = JobStatus.FAILED, utcnow(), message, None
        set_status(s, app, AppStatus.FAILED, {"job_id": job_id, "error": "check_failed"})


def _unique_names(names: list[str]) -> list[str]:
    """Names as uploaded, made unique (two scans both called 'scan.jpg')."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0)
        seen[name] = n + 1
        if n:
            stem, dot, ext = name.rpartition(".")
            name = f"{stem} ({n + 1}).{ext}" if dot else f"{name} ({n + 1})"
        out.append(name)
    return out
