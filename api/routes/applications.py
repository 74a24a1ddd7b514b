"""/v1/applications: create, list, read, change the declared values, submit, results."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from sqlalchemy import select

from api import operations as ops
from api.db import CheckRun, Job
from api.deps import IdempotencyKey, PortalDep, ServicesDep
from api.errors import ApiCode, ApiError
from api.housekeeping import mark_dispatched
from api.idempotency import fingerprint, remember, replay
from api.privacy import mask_result
from api.schemas import DECLARED_SCHEMA, ApplicationList, ApplicationOut, ErrorBody, JobOut

router = APIRouter(prefix="/v1/applications", tags=["applications"],
                   responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}})

MAX_DECLARED_BYTES = 1024 * 1024
log = logging.getLogger(__name__)
_DECLARED_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": DECLARED_SCHEMA}}}}


async def _declared_body(request: Request) -> bytes:
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_DECLARED_BYTES:
            raise ApiError(413, ApiCode.PAYLOAD_TOO_LARGE, "申报数据过大 / declared data too large (limit 1 MiB)")
    return bytes(raw)


@router.post("", status_code=201, response_model=ApplicationOut, openapi_extra=_DECLARED_BODY,
             summary="Create an application from its declared values (declared.json)")
async def create_application(request: Request, services: ServicesDep, portal: PortalDep,
                             idempotency_key: IdempotencyKey = None,
                             external_ref: Annotated[str | None, Query(max_length=200)] = None) -> Any:
    raw = await _declared_body(request)
    fp = fingerprint("POST", "/v1/applications", raw, external_ref or "")
    with services.db.session() as s:
        if (cached := replay(s, portal.id, idempotency_key, fp)) is not None:
            return cached
        app = ops.create_application(s, portal.id, raw, external_ref)
        return remember(s, portal.id, idempotency_key, fp, 201, ApplicationOut.of(app, with_declared=True))


@router.get("", response_model=ApplicationList, summary="List this portal's applications, newest first")
def list_applications(
    services: ServicesDep, portal: PortalDep,
    program: str | None = None, region: str | None = None, verdict: str | None = None, status: str | None = None,
    created_from: Annotated[datetime | None, Query(description="ISO time, inclusive")] = None,
    created_to: Annotated[datetime | None, Query(description="ISO time, exclusive")] = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    flt = ops.ListFilter(program, region, verdict, status, _aware(created_from), _aware(created_to))
    with services.db.session() as s:
        rows, nxt = ops.list_applications(s, portal.id, flt, cursor=cursor, limit=limit)
        return ApplicationList(items=[ApplicationOut.of(a) for a in rows], next_cursor=nxt)


@router.get("/{app_id}", response_model=ApplicationOut, summary="Status, verdict and declared values")
def get_application(app_id: str, services: ServicesDep, portal: PortalDep) -> Any:
    with services.db.session() as s:
        return ApplicationOut.of(ops.get_application(s, app_id, portal.id), with_declared=True)


@router.put("/{app_id}/declared", response_model=ApplicationOut, openapi_extra=_DECLARED_BODY,
            summary="Replace the declared values (before a check, or to correct them after one)")
async def put_declared(app_id: str, request: Request, services: ServicesDep, portal: PortalDep) -> Any:
    raw = await _declared_body(request)
    with services.db.session() as s:
        app = ops.replace_declared(s, ops.get_application(s, app_id, portal.id), raw)
        return ApplicationOut.of(app, with_declared=True)


@router.post("/{app_id}/submit", status_code=202, response_model=JobOut,
             summary="Queue the application for checking; the verdict comes by webhook")
def submit(app_id: str, request: Request, services: ServicesDep, portal: PortalDep,
           idempotency_key: IdempotencyKey = None) -> Any:
    fp = fingerprint("POST", f"/v1/applications/{app_id}/submit")
    with services.db.session() as s:
        if (cached := replay(s, portal.id, idempotency_key, fp)) is not None:
            return cached
        job = ops.submit(s, ops.get_application(s, app_id, portal.id))
        response = remember(s, portal.id, idempotency_key, fp, 202, JobOut.of(job))
        job_id = job.id
    dispatch(request, services, job_id)
    return response


def dispatch(request: Request, services: ServicesDep, job_id: str) -> None:
    """Hand a committed job to the queue; if the broker is down the housekeeper retries."""
    mark_dispatched(services, job_id)
    try:
        request.app.state.queue.dispatch(job_id)
    except Exception:
        log.warning("job %s: dispatch failed; the housekeeper retries", job_id, exc_info=True)


@router.get("/{app_id}/jobs", response_model=list[JobOut], summary="Every check job of the application")
def jobs(app_id: str, services: ServicesDep, portal: PortalDep) -> Any:
    with services.db.session() as s:
        ops.get_application(s, app_id, portal.id)
        rows = s.scalars(select(Job).where(Job.application_id == app_id).order_by(Job.created_at)).all()
        return [JobOut.of(j) for j in rows]


@router.get("/{app_id}/result", summary="The latest check: documents, findings, checklist, verdict, subsidy "
                                        "(the JSON of `docintake check --json`)")
def result(app_id: str, services: ServicesDep, portal: PortalDep) -> Any:
    with services.db.session() as s:
        app = ops.get_application(s, app_id, portal.id)
        run = s.get(CheckRun, app.current_run_id) if app.current_run_id else None
        if run is None:
            raise ApiError(409, ApiCode.NOT_READY, f"尚无检查结果（状态 {app.status}）/ no result yet "
                                                   f"(status {app.status})", {"status": app.status})
        return jsonable_encoder({"application_id": app.id, "status": app.status, "run_id": run.id,
                                 "checked_at": run.created_at, **mask_result(run.result)})


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
