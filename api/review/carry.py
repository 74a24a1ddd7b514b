"""Clerks' corrections across a re-submission.

A re-submission reads every file again (a job). A correction says what a clerk read on
a page; it still holds when the page is the same, so it is re-applied to the new reading
when its file is unchanged — the same SHA-256, whatever the file is called now. A
replaced or removed file may say something else: its corrections are dropped, and the
review page says which and why. The job's own run keeps the pipeline's reading; the
corrections make a further run (``recheck``, as a correction by hand would), which
becomes the current one. A dropped correction stays dropped at later re-submissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db import Application, CheckRun, Job, Upload
from api.db.review_models import AuditEvent, CarriedCorrection, FieldCorrection
from api.review.recheck import apply_correction, documents_from_json, recheck
from api.services import Services

REAPPLIED, DROPPED = "reapplied", "dropped"
WHY = {  # (zh, en)
    "same_file": ("文件未变（SHA-256 相同）", "the file is unchanged (same SHA-256)"),
    "file_replaced": ("文件已更换", "the file was replaced"),
    "file_removed": ("文件已不在申请中", "the file is no longer in the application"),
    "field_not_read": ("新的识别结果中没有该字段", "the new reading has no such field"),
}


def why_text(why: str, outcome: str) -> str:
    """The reason in the audit trail."""
    zh, en = WHY.get(why, (why, why))
    if outcome == REAPPLIED:
        return f"{zh}，更正已沿用 / {en}: the correction was re-applied"
    return f"{zh}，更正未沿用 / {en}: the correction was not carried over"


@dataclass
class Outcome:
    correction: FieldCorrection
    file: str
    outcome: str
    why: str
    read_value: Any = None


def _upload_hashes(s: Session, upload_ids: set[str]) -> dict[str, str]:
    if not upload_ids:
        return {}
    return {i: sha for i, sha in s.execute(select(Upload.id, Upload.sha256).where(Upload.id.in_(upload_ids)))}


def _file_hashes(s: Session, files: dict[str, Any]) -> dict[str, str]:
    """File name -> SHA-256 of the upload it was read from."""
    ids = {name: (info or {}).get("upload_id") for name, info in files.items()}
    hashes = _upload_hashes(s, {i for i in ids.values() if i})
    return {name: hashes[i] for name, i in ids.items() if i in hashes}


def standing(s: Session, app_id: str) -> list[tuple[FieldCorrection, str | None]]:
    """The corrections still in force, with the SHA-256 of the file each was made on: the
    latest per file content and field, none that a re-submission dropped."""
    corrections = list(s.scalars(select(FieldCorrection).where(FieldCorrection.application_id == app_id)
                                 .order_by(FieldCorrection.id)))
    if not corrections:
        return []
    dropped = set(s.scalars(select(CarriedCorrection.correction_id).where(
        CarriedCorrection.application_id == app_id, CarriedCorrection.outcome == DROPPED)))
    files_of = {i: files for i, files in s.execute(select(CheckRun.id, CheckRun.files).where(
        CheckRun.id.in_({c.run_before for c in corrections if c.run_before})))}
    upload_of = {c.id: ((files_of.get(c.run_before) or {}).get(c.file) or {}).get("upload_id") for c in corrections}
    hashes = _upload_hashes(s, {u for u in upload_of.values() if u})
    latest: dict[tuple[str | None, str, str], tuple[FieldCorrection, str | None]] = {}
    for c in corrections:
        if c.id in dropped:
            continue
        sha = hashes.get(upload_of[c.id])
        latest[(sha, c.field, c.file if sha is None else "")] = (c, sha)
    return list(latest.values())


def _same_file(name: str, sha: str | None, hashes: dict[str, str]) -> str | None:
    """The file of the new reading with this content: the same name first, then any."""
    if sha is None:
        return None
    if hashes.get(name) == sha:
        return name
    return next((n for n, h in hashes.items() if h == sha), None)


def _read_value(result: dict[str, Any], file: str, field: str) -> Any:
    for d in result.get("documents", []):
        if d.get("file") == file:
            return ((d.get("fields") or {}).get(field) or {}).get("value")
    return None


def reapply_corrections(services: Services, s: Session, app: Application, job_run: CheckRun) -> CheckRun:
    """After a job stored ``job_run``: re-apply the corrections still standing (the current
    run is then a new one, returned) and record what became of each."""
    corrections = standing(s, app.id)
    if not corrections:
        return job_run
    hashes = _file_hashes(s, job_run.files or {})
    docs = documents_from_json(job_run.result, job_run.files or {})
    outcomes = []
    for c, sha in corrections:
        target = _same_file(c.file, sha, hashes)
        if target is None:
            why = "file_replaced" if c.file in hashes else "file_removed"
            outcomes.append(Outcome(c, c.file, DROPPED, why, _read_value(job_run.result, c.file, c.field)))
            continue
        read = _read_value(job_run.result, target, c.field)
        try:
            apply_correction(docs, target, c.field, c.new_value)
        except KeyError:
            outcomes.append(Outcome(c, target, DROPPED, "field_not_read"))
            continue
        outcomes.append(Outcome(c, target, REAPPLIED, "same_file", read))
    touched = {(o.file, o.correction.field) for o in outcomes if o.outcome == REAPPLIED}
    current = recheck(services, s, app, job_run, docs, touched) if touched else job_run
    for o in outcomes:
        _record(s, app, job_run, current if o.outcome == REAPPLIED else None, o)
    return current


def _record(s: Session, app: Application, job_run: CheckRun, run_after: CheckRun | None, o: Outcome) -> None:
    c = o.correction
    s.add(CarriedCorrection(application_id=app.id, correction_id=c.id, job_run=job_run.id,
                            run_after=run_after.id if run_after else None, file=o.file, field=c.field,
                            read_value=o.read_value, outcome=o.outcome, why=o.why))
    read = {"value": o.read_value, "run": job_run.id}  # the pipeline's new reading
    clerk = {"value": c.new_value, "correction": c.id}
    if run_after is not None:
        before, after, action = read, {**clerk, "run": run_after.id}, "reapply_correction"
    else:
        before, after, action = clerk, read, "drop_correction"
    s.add(AuditEvent(application_id=app.id, actor="system", role="", action=action,
                     target=f"{o.file}#{c.field}"[:300], before=before, after=after, reason=why_text(o.why, o.outcome)))


# --- what the review page shows -----------------------------------------------------------


def latest_job_run(s: Session, app_id: str) -> str | None:
    """The run of the latest submission's job (jobs in the order they were submitted)."""
    return s.scalar(select(CheckRun.id).join(Job, Job.id == CheckRun.job_id)
                    .where(CheckRun.application_id == app_id).order_by(Job.created_at.desc()).limit(1))


@dataclass
class Carried:
    """What the latest re-submission did with the corrections before it."""

    rows: list[CarriedCorrection]
    reapplied: set[tuple[str, str]]  # (file, field) showing a re-applied value now
    dropped: list[tuple[CarriedCorrection, FieldCorrection]]


def carried(s: Session, app_id: str, corrections: list[FieldCorrection]) -> Carried:
    job_run = latest_job_run(s, app_id) if corrections else None  # nothing to carry without corrections
    if job_run is None:
        return Carried([], set(), [])
    rows = list(s.scalars(select(CarriedCorrection).where(CarriedCorrection.application_id == app_id,
                                                          CarriedCorrection.job_run == job_run)
                          .order_by(CarriedCorrection.id)))
    since = _corrected_since(corrections, {job_run} | {r.run_after for r in rows if r.run_after})
    by_id = {c.id: c for c in corrections}
    reapplied = {(r.file, r.field) for r in rows if r.outcome == REAPPLIED} - since
    dropped = [(r, by_id[r.correction_id]) for r in rows
               if r.outcome == DROPPED and (r.file, r.field) not in since and r.correction_id in by_id]
    return Carried(rows, reapplied, dropped)


def _corrected_since(corrections: list[FieldCorrection], runs: set[str]) -> set[tuple[str, str]]:
    """Fields corrected by hand after the re-submission: corrections made on its runs."""
    chain, out = set(runs), set()
    for c in corrections:  # in the order they were made
        if c.run_before in chain:
            out.add((c.file, c.field))
            if c.run_after:
                chain.add(c.run_after)
    return out
