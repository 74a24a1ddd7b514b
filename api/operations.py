"""What can be done to an application, for the API routes and the review pages alike.

Each function takes an open session and leaves committing to the caller, so a
status change and the webhook event it causes are written in one transaction.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from api.db import Application, AppStatus, Job, JobStatus, Upload, UploadStatus, WebhookDelivery, utcnow
from api.errors import ApiCode, ApiError, not_found
from api.webhooks import record_event
from validators import Declared, DeclaredError, PolicyError, default_table, load_policy
from validators.declared import parse_declared_bytes

# Where a submission is allowed from: a draft, a finished check (resubmitted after a
# correction or re-upload), a failed one.
SUBMITTABLE = {AppStatus.DRAFT, AppStatus.CHECKED, AppStatus.REUPLOAD_REQUESTED, AppStatus.FAILED}
UPLOADABLE = {AppStatus.DRAFT, AppStatus.CHECKED, AppStatus.REUPLOAD_REQUESTED, AppStatus.FAILED}


def parse_declared_body(raw: bytes) -> tuple[Declared, dict[str, Any]]:
    """The declared values as the checks read them, and as JSON to store (amounts kept exact)."""
    declared = parse_declared_bytes(raw, source="declared")
    try:
        load_policy(declared.program, default_table())
    except PolicyError as exc:
        raise ApiError(422, ApiCode.UNKNOWN_PROGRAM,
                       f"未知的项目 / unknown program {declared.program!r}", {"program": declared.program}) from exc
    data = json.loads(raw.decode("utf-8-sig"), parse_float=str, parse_int=str)
    return declared, data


def create_application(s: Session, portal_id: str, raw_declared: bytes, external_ref: str | None) -> Application:
    try:
        declared, data = parse_declared_body(raw_declared)
    except DeclaredError as exc:
        raise ApiError(422, ApiCode.BAD_DECLARED, exc.message) from exc
    app = Application(
        portal_id=portal_id, external_ref=external_ref, program=declared.program,
        region=(declared.applicant.region or "")[:100], applicant_name=declared.applicant.name[:300],
        credit_code=(declared.applicant.credit_code or "")[:32], declared=data,
        requested_subsidy=declared.requested_subsidy,
    )
    s.add(app)
    s.flush()
    record_event(s, app, "application.created")
    return app


def replace_declared(s: Session, app: Application, raw_declared: bytes) -> Application:
    if app.status not in UPLOADABLE:
        raise wrong_state(app, "修改申报数据", "change the declared values")
    try:
        declared, data = parse_declared_body(raw_declared)
    except DeclaredError as exc:
        raise ApiError(422, ApiCode.BAD_DECLARED, exc.message) from exc
    if declared.program != app.program:
        raise ApiError(422, ApiCode.BAD_DECLARED, "不能更改申请的项目 / the program of an application cannot change")
    app.declared = data
    app.region = (declared.applicant.region or "")[:100]
    app.applicant_name = declared.applicant.name[:300]
    app.credit_code = (declared.applicant.credit_code or "")[:32]
    app.requested_subsidy = declared.requested_subsidy
    return app


def get_application(s: Session, app_id: str, portal_id: str | None) -> Application:
    """The application, if this portal may see it (None: any portal — the clerks' pages).

    Another portal's application is "not found", exactly as a missing one: a portal
    cannot learn that an id exists.
    """
    app = s.get(Application, app_id) if len(app_id) <= 36 else None
    if app is None or (portal_id is not None and app.portal_id != portal_id):
        raise not_found("申请", "application")
    return app


def wrong_state(app: Application, zh: str, en: str) -> ApiError:
    return ApiError(409, ApiCode.WRONG_STATE,
                    f"申请状态为 {app.status}，不能{zh} / cannot {en} while the application is {app.status}",
                    {"status": app.status})


def set_status(s: Session, app: Application, status: AppStatus, event_data: dict[str, Any] | None = None) -> None:
    """Change the status and tell the portal (``application.status_changed``, in this transaction).

    An unchanged status is told too when ``event_data`` says something the portal has not
    heard with it (a second document asked for while re-upload is already requested: the
    event's ``previous_status`` is then the status itself); a repeat of the last event is not.
    """
    previous = app.status
    data = _as_stored(event_data or {})
    if previous == status and (not data or _already_told(s, app, status, data)):
        return
    if previous != status:
        app.status = status
        app.updated_at = utcnow()
    record_event(s, app, "application.status_changed", {"previous_status": previous, **data})


def _as_stored(data: dict[str, Any]) -> dict[str, Any]:
    """The data as the delivery's JSON payload will hold it, so it compares with earlier payloads."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def _already_told(s: Session, app: Application, status: str, data: dict[str, Any]) -> bool:
    """Whether the application's last status event announced ``status`` with this data."""
    last = s.scalars(select(WebhookDelivery.payload).where(
        WebhookDelivery.application_id == app.id, WebhookDelivery.event == "application.status_changed")
        .order_by(WebhookDelivery.created_at.desc()).limit(1)).first()
    return last is not None and last.get("status") == status and all(last.get(k) == v for k, v in data.items())


def active_uploads(s: Session, app_id: str) -> list[Upload]:
    return list(s.scalars(
        select(Upload).where(Upload.application_id == app_id, Upload.status == UploadStatus.ACTIVE)
        .order_by(Upload.created_at, Upload.id)
    ))


def count_active_uploads(s: Session, app_id: str) -> int:
    return s.scalar(select(func.count()).select_from(Upload).where(
        Upload.application_id == app_id, Upload.status == UploadStatus.ACTIVE)) or 0


def add_upload(s: Session, app: Application, *, filename: str, sha256: str, size: int, kind: str,
               pages: int | None, replaces: Upload | None = None) -> Upload:
    upload = Upload(application_id=app.id, filename=filename, sha256=sha256, size=size, kind=kind,
                    pages=pages, replaces_id=replaces.id if replaces else None)
    if replaces is not None:
        replaces.status = UploadStatus.SUPERSEDED
    s.add(upload)
    s.flush()
    return upload


def submit(s: Session, app: Application) -> Job:
    """Queue a check; earlier queued jobs of the application are superseded (newest data wins)."""
    if app.status not in SUBMITTABLE:
        raise wrong_state(app, "提交检查", "submit")
    if count_active_uploads(s, app.id) == 0:
        raise ApiError(409, ApiCode.NO_FILES, "申请还没有上传任何文件 / the application has no documents yet")
    s.execute(update(Job).where(Job.application_id == app.id, Job.status == JobStatus.QUEUED)
              .values(status=JobStatus.SUPERSEDED, finished_at=utcnow()))
    job = Job(application_id=app.id)
    s.add(job)
    s.flush()
    app.submitted_at = utcnow()
    set_status(s, app, AppStatus.QUEUED, {"job_id": job.id})
    return job


# --- listing --------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilter:
    program: str | None = None
    region: str | None = None
    verdict: str | None = None
    status: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


def _encode_cursor(created: datetime, app_id: str) -> str:
    return base64.urlsafe_b64encode(f"{created.isoformat()}|{app_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, app_id = raw.split("|", 1)
        return datetime.fromisoformat(stamp), app_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(422, ApiCode.VALIDATION, "无效的分页游标 / invalid cursor") from exc


def list_applications(s: Session, portal_id: str | None, flt: ListFilter, *, cursor: str | None,
                      limit: int) -> tuple[list[Application], str | None]:
    """Newest first; ``cursor`` continues after the last item of the previous page."""
    q = select(Application)
    if portal_id is not None:
        q = q.where(Application.portal_id == portal_id)
    for column, value in ((Application.program, flt.program), (Application.region, flt.region),
                          (Application.verdict, flt.verdict), (Application.status, flt.status)):
        if value:
            q = q.where(column == value)
    if flt.created_from:
        q = q.where(Application.created_at >= flt.created_from)
    if flt.created_to:
        q = q.where(Application.created_at < flt.created_to)
    if cursor:
        created, last_id = _decode_cursor(cursor)
        q = q.where(or_(Application.created_at < created,
                        and_(Application.created_at == created, Application.id < last_id)))
    rows = list(s.scalars(q.order_by(Application.created_at.desc(), Application.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_encode_cursor(rows[-1].created_at, rows[-1].id) if more and rows else None)


def money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None
