"""/v1/applications/{id}/documents: upload (many at once), re-upload, list with fields."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from sqlalchemy import select

from api import operations as ops
from api.db import Application, AppStatus, CheckRun, Upload, UploadStatus
from api.deps import IdempotencyKey, PortalDep, ServicesDep
from api.errors import ApiCode, ApiError, not_found
from api.idempotency import fingerprint, remember, replay
from api.privacy import mask_result
from api.routes.applications import dispatch
from api.schemas import ErrorBody, RejectedOut, UploadOut, UploadResult
from api.services import Services
from api.uploads import Received, Rejected, inspect_upload, receive_files

router = APIRouter(prefix="/v1/applications/{app_id}/documents", tags=["documents"],
                   responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody}, 409: {"model": ErrorBody}})

_MULTIPART = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}}


def _check_open(services: Services, app_id: str, portal_id: str) -> None:
    with services.db.session() as s:
        app = ops.get_application(s, app_id, portal_id)
        if app.status not in ops.UPLOADABLE:
            raise ops.wrong_state(app, "上传文件", "upload documents")


async def _receive(request: Request, services: Services, max_files: int) -> tuple[list[Received], list[Rejected]]:
    batch = await receive_files(request, services.store, max_bytes=services.settings.max_upload_bytes,
                                max_files=max_files)
    accepted: list[Received] = []
    rejected = list(batch.rejected)
    for item in batch.received:
        problem = await run_in_threadpool(inspect_upload, item, services.limits)
        if problem is None:
            accepted.append(item)
        else:
            rejected.append(problem)
    return accepted, rejected


def _duplicates(s: Any, portal_id: str, app_id: str, items: list[Received]) -> list[dict[str, str]]:
    out = []
    for item in items:
        other = s.execute(
            select(Upload.application_id, Upload.filename).join(Application, Application.id == Upload.application_id)
            .where(Upload.sha256 == item.blob.sha256, Application.portal_id == portal_id).limit(1)
        ).first()
        if other is not None:
            out.append({"filename": item.filename, "same_as_application": other[0], "same_as_file": other[1]})
    return out


@router.post("", status_code=201, response_model=UploadResult, openapi_extra=_MULTIPART,
             summary="Upload one or many files (field name: files); each is checked for type and limits at once",
             responses={207: {"model": UploadResult, "description": "some files refused"}})
async def upload(app_id: str, request: Request, services: ServicesDep, portal: PortalDep,
                 idempotency_key: IdempotencyKey = None) -> Any:
    _check_open(services, app_id, portal.id)
    accepted, rejected = await _receive(request, services, services.settings.max_files_per_request)
    fp = fingerprint("POST", request.url.path, *(f"{r.filename}:{r.blob.sha256}" for r in accepted),
                     *(r.filename for r in rejected))
    with services.db.session() as s:
        if (cached := replay(s, portal.id, idempotency_key, fp)) is not None:
            return cached
        app = ops.get_application(s, app_id, portal.id)
        if app.status not in ops.UPLOADABLE:
            raise ops.wrong_state(app, "上传文件", "upload documents")
        limit = services.settings.max_documents_per_application
        if ops.count_active_uploads(s, app.id) + len(accepted) > limit:
            raise ApiError(413, ApiCode.TOO_MANY_FILES, f"每份申请最多 {limit} 个文件 / at most {limit} files "
                                                        f"per application")
        duplicates = _duplicates(s, portal.id, app.id, accepted)
        uploads = [ops.add_upload(s, app, filename=r.filename, sha256=r.blob.sha256, size=r.blob.size, kind=r.kind,
                                  pages=r.pages) for r in accepted]
        body = UploadResult(documents=[UploadOut.of(u) for u in uploads],
                            rejected=[RejectedOut(**r.to_json()) for r in rejected], duplicates=duplicates)
        status = 201 if not rejected else (207 if uploads else 422)
        return remember(s, portal.id, idempotency_key, fp, status, body)


@router.post("/{upload_id}/replace", status_code=201, response_model=UploadResult, openapi_extra=_MULTIPART,
             summary="Re-upload a document (e.g. one a clerk asked for); the application is checked again")
async def replace(app_id: str, upload_id: str, request: Request, services: ServicesDep, portal: PortalDep,
                  idempotency_key: IdempotencyKey = None) -> Any:
    _check_open(services, app_id, portal.id)
    accepted, rejected = await _receive(request, services, 1)
    fp = fingerprint("POST", request.url.path, *(r.blob.sha256 for r in accepted), *(r.filename for r in rejected))
    with services.db.session() as s:
        if (cached := replay(s, portal.id, idempotency_key, fp)) is not None:
            return cached
        app = ops.get_application(s, app_id, portal.id)
        old = s.get(Upload, upload_id) if len(upload_id) <= 36 else None
        if old is None or old.application_id != app.id:
            raise not_found("文件", "document")
        if old.status != UploadStatus.ACTIVE:
            raise ApiError(409, ApiCode.WRONG_STATE, "该文件已被替换 / this document was already replaced")
        if rejected:
            body = UploadResult(documents=[], rejected=[RejectedOut(**r.to_json()) for r in rejected])
            return remember(s, portal.id, idempotency_key, fp, 422, body)
        (item,) = accepted
        new = ops.add_upload(s, app, filename=item.filename, sha256=item.blob.sha256, size=item.blob.size,
                             kind=item.kind, pages=item.pages, replaces=old)
        job_id = None
        if app.status != AppStatus.DRAFT:  # checked before: check again with the new document
            job_id = ops.submit(s, app).id
        body = UploadResult(documents=[UploadOut.of(new)], rejected=[])
        response = remember(s, portal.id, idempotency_key, fp, 201, body)
    if job_id:
        dispatch(request, services, job_id)
    return response


@router.get("", summary="Uploaded files and, after a check, the documents read from them with their fields")
def list_documents(app_id: str, services: ServicesDep, portal: PortalDep) -> Any:
    with services.db.session() as s:
        app = ops.get_application(s, app_id, portal.id)
        uploads = s.scalars(select(Upload).where(Upload.application_id == app.id)
                            .order_by(Upload.created_at, Upload.id)).all()
        run = s.get(CheckRun, app.current_run_id) if app.current_run_id else None
        extracted = []
        if run is not None:
            for doc in mask_result(run.result).get("documents", []):
                info = run.files.get(doc.get("file"), {})
                extracted.append({**doc, "upload_id": info.get("upload_id")})
        return jsonable_encoder({"uploads": [UploadOut.of(u) for u in uploads], "documents": extracted,
                                 "errors": run.result.get("errors", []) if run else []})
