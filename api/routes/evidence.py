"""Findings with their evidence, page images and crops (PNG)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session

from api import operations as ops
from api.db import Application, CheckRun, Upload
from api.deps import PortalDep, ServicesDep
from api.errors import ApiCode, ApiError, not_found
from api.privacy import mask_text
from api.evidence import crop_png, page_png, render_page, scale_box
from api.schemas import ErrorBody
from api.services import Services

router = APIRouter(prefix="/v1/applications/{app_id}", tags=["evidence"],
                   responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody}})

_PNG = {200: {"content": {"image/png": {}}, "description": "PNG image"}}


def current_run(s: Session, app: Application) -> CheckRun:
    run = s.get(CheckRun, app.current_run_id) if app.current_run_id else None
    if run is None:
        raise ApiError(409, ApiCode.NOT_READY, "尚无检查结果 / no result yet", {"status": app.status})
    return run


def findings_with_links(app: Application, run: CheckRun, base: str) -> list[dict[str, Any]]:
    out = []
    for i, finding in enumerate(run.result.get("findings", [])):
        evidence = []
        for k, ev in enumerate(finding.get("evidence", [])):
            info = run.files.get(ev.get("file"), {})
            item = {**ev, "upload_id": info.get("upload_id")}
            if info.get("upload_id") and ev.get("page"):
                item["page_url"] = f"{base}/uploads/{info['upload_id']}/pages/{ev['page']}.png"
                if ev.get("bbox"):
                    item["crop_url"] = f"{base}/findings/{i}/evidence/{k}.png"
            evidence.append(item)
        out.append({**finding, "message": mask_text(finding.get("message", "")), "index": i, "evidence": evidence})
    return out


@router.get("/findings", summary="The latest check's findings, each evidence item with links to its page and crop")
def findings(app_id: str, services: ServicesDep, portal: PortalDep) -> Any:
    with services.db.session() as s:
        app = ops.get_application(s, app_id, portal.id)
        run = current_run(s, app)
        return {"verdict": run.verdict, "findings": findings_with_links(app, run, f"/v1/applications/{app.id}")}


def _upload_path(services: Services, s: Session, app: Application, upload_id: str) -> tuple[Upload, Any]:
    upload = s.get(Upload, upload_id) if len(upload_id) <= 36 else None
    if upload is None or upload.application_id != app.id:
        raise not_found("文件", "document")
    return upload, services.store.path(upload.sha256)


def page_image(services: Services, s: Session, app: Application, upload_id: str, page: int,
               with_boxes: bool) -> tuple[Any, Any, list[Any]]:
    """(path, page frame, boxes of fields read on that page) for a page of an upload."""
    upload, path = _upload_path(services, s, app, upload_id)
    boxes: list[Any] = []
    frame = None
    run = s.get(CheckRun, app.current_run_id) if app.current_run_id else None
    if run is not None:
        info = run.files.get(upload.filename, {})
        if info.get("upload_id") == upload.id:
            frame = info.get("pages", {}).get(str(page))
            if with_boxes:
                for doc in run.result.get("documents", []):
                    if doc.get("file") != upload.filename:
                        continue
                    for fld in doc.get("fields", {}).values():
                        if fld.get("page") == page and fld.get("bbox"):
                            boxes.append(fld["bbox"])
    return path, frame, boxes


@router.get("/uploads/{upload_id}/pages/{page}.png", responses=_PNG, response_class=Response,
            summary="A page of an upload; boxes=true outlines every field read on it")
async def page_png_route(app_id: str, upload_id: str, page: int, services: ServicesDep, portal: PortalDep,
                         boxes: bool = False) -> Response:
    with services.db.session() as s:
        app = ops.get_application(s, app_id, portal.id)
        path, frame, field_boxes = page_image(services, s, app, upload_id, page, boxes)

    def render() -> bytes:
        image = render_page(path, page, services.limits)
        return page_png(image, [scale_box(b, frame, image) for b in field_boxes])

    return Response(await run_in_threadpool(render), media_type="image/png",
                    headers={"Cache-Control": "private, max-age=3600"})


@router.get("/findings/{index}/evidence/{k}.png", responses=_PNG, response_class=Response,
            summary="The crop of a finding's evidence with the field's box drawn")
async def evidence_crop(app_id: str, index: int, k: int, services: ServicesDep, portal: PortalDep) -> Response:
    with services.db.session() as s:
        app = ops.get_application(s, app_id, portal.id)
        run = current_run(s, app)
        path, frame, box, page = evidence_target(services, s, app, run, index, k)

    def render() -> bytes:
        image = render_page(path, page, services.limits)
        return crop_png(image, scale_box(box, frame, image))

    return Response(await run_in_threadpool(render), media_type="image/png",
                    headers={"Cache-Control": "private, max-age=3600"})


def evidence_target(services: Services, s: Session, app: Application, run: CheckRun, index: int,
                    k: int) -> tuple[Any, Any, list[float], int]:
    found = run.result.get("findings", [])
    if not 0 <= index < len(found):
        raise not_found("发现", "finding")
    evidence = found[index].get("evidence", [])
    if not 0 <= k < len(evidence) or not evidence[k].get("bbox") or not evidence[k].get("page"):
        raise not_found("证据", "evidence")
    ev = evidence[k]
    info = run.files.get(ev.get("file"), {})
    if not info.get("upload_id"):
        raise not_found("文件", "document")
    upload, path = _upload_path(services, s, app, info["upload_id"])
    return path, info.get("pages", {}).get(str(ev["page"])), ev["bbox"], int(ev["page"])
