"""The review pages under /review: sign-in, the queue, one application, decisions, exports.

Server-rendered (Jinja2); every form is a plain POST answered by a redirect (post /
redirect / get), so the back button and reloads never repeat an action. The only
script is none: forms, links and <details> do the work.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from api.db.review_models import ReviewUser, Role
from api.review import images, service
from api.review.auth import LANG_COOKIE, CurrentUser, SessionCodec, authenticate, csrf_ok, current_user
from api.review.deadlines import CHINA, today_china
from api.review.exports import settlement_csv, settlement_xlsx, total_payout
from api.review.packet import evidence_packet
from api.review.rules_text import program_info
from api.review.service import QueueFilter, ReviewError
from api.services import Services
from validators import builtin_programs

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters["compact"] = lambda v: "" if v is None else json.dumps(v, ensure_ascii=False)
templates.env.filters["cn_time"] = lambda v: v.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if v else ""
templates.env.filters["money"] = lambda v: "" if v is None else f"{v:,.2f}"
LOGIN_CSRF = "docintake_login_csrf"

router = APIRouter(prefix="/review", include_in_schema=False)

STATUS = {
    "draft": ("草稿", "draft"), "queued": ("排队中", "queued"), "processing": ("检查中", "processing"),
    "checked": ("待审核", "to review"), "reupload_requested": ("待补传", "re-upload requested"),
    "approved": ("已批准", "approved"), "rejected": ("已驳回", "rejected"), "failed": ("检查失败", "check failed"),
}
VERDICT = {"pass": ("通过", "pass"), "flagged": ("存疑", "flagged"), "fail": ("不通过", "fail")}
SEVERITY = {"error": ("错误", "error"), "warning": ("存疑", "warning"), "info": ("信息", "info")}
ACTIONS = {
    "sign_in": ("登录", "signed in"), "sign_in_failed": ("登录失败", "sign-in failed"),
    "sign_out": ("退出", "signed out"), "sign_in_locked": ("登录被暂停", "sign-in refused (too many failures)"), "correct_field": ("更正字段", "corrected a field"),
    "accept_finding": ("确认发现", "accepted a finding"), "override_finding": ("推翻发现", "overrode a finding"),
    "tick_checklist": ("完成人工核查", "ticked a manual check"),
    "untick_checklist": ("取消人工核查", "unticked a manual check"),
    "request_reupload": ("要求补传", "asked for a re-upload"), "approve": ("批准", "approved"),
    "reject": ("驳回", "rejected"), "export_packet": ("导出证据包", "exported the evidence packet"),
    "export_settlement": ("导出兑付清单", "exported a settlement list"), "create_user": ("创建用户", "created a user"),
    "reapply_correction": ("沿用更正（重新提交后）", "re-applied a correction (after a re-submission)"),
    "drop_correction": ("更正未沿用（重新提交后）", "did not carry a correction over (after a re-submission)"),
}
DOC_TYPES = {
    "business_licence": ("营业执照", "business licence"), "contract": ("合同", "contract"),
    "vat_invoice": ("发票", "VAT invoice"), "payment_receipt": ("付款凭证", "payment receipt"),
    "application_form": ("申报表", "application form"), "id_card": ("身份证", "ID card"), "other": ("其他", "other"),
}
MESSAGES = {
    "corrected": ("已更正，检查已重新运行", "corrected; the checks ran again"),
    "decided": ("已记录处理", "decision recorded"), "ticked": ("人工核查已保存", "checklist saved"),
    "reupload": ("已要求申请人补传", "the applicant was asked to re-upload"),
    "approved": ("已批准", "approved"), "rejected": ("已驳回", "rejected"),
}


class NotSignedIn(Exception):
    pass


def _services(request: Request) -> Services:
    return request.app.state.services


def _codec(request: Request) -> SessionCodec:
    return request.app.state.review_sessions


def _lang(request: Request) -> str:
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"


def _user(request: Request) -> CurrentUser:
    data = _codec(request).read(request)
    with _services(request).db.session() as s:
        user = current_user(s, data)
    if user is None:
        raise NotSignedIn()
    return user


def render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    lang = _lang(request)

    def t(zh: str, en: str) -> str:
        return en if lang == "en" else zh

    def bi(message: Any) -> str:
        """Messages are "中文 / English": the half in the page's language."""
        text = "" if message is None else str(message)
        parts = text.split(" / ")
        if len(parts) == 2:
            return parts[1] if lang == "en" else parts[0]
        return text

    def label(table: dict[str, tuple[str, str]], key: Any) -> str:
        pair = table.get(str(key))
        return t(*pair) if pair else str(key or "")

    base = {"lang": lang, "t": t, "label": label, "STATUS": STATUS, "VERDICT": VERDICT, "SEVERITY": SEVERITY,
            "ACTIONS": ACTIONS, "bi": bi, "DOC_TYPES": DOC_TYPES, "CHINA": CHINA, "path": request.url.path,
            "full_path": str(request.url.path) + (f"?{request.url.query}" if request.url.query else "")}
    response = templates.TemplateResponse(request, name, {**base, **ctx}, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


async def _form(request: Request, user: CurrentUser) -> Any:
    form = await request.form()
    if not csrf_ok(user, form.get("csrf")):
        raise ReviewError("表单已失效，请刷新页面后重试 / the form expired: reload the page and try again", 403)
    return form


def _back(app_id: str, msg: str = "", err: str = "", anchor: str = "") -> RedirectResponse:
    query = urlencode({k: v for k, v in (("msg", msg), ("err", err)) if v})
    return RedirectResponse(f"/review/applications/{app_id}{'?' + query if query else ''}"
                            f"{'#' + anchor if anchor else ''}", status_code=303)


# --- sign-in ---------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, next: str = "/review/", err: str = "") -> HTMLResponse:
    token = secrets.token_urlsafe(16)
    hours = round(_services(request).settings.session_max_age_s / 3600, 1)
    resp = render(request, "review/login.html", {"next": _safe_next(next), "err": err, "login_csrf": token,
                                                 "hours": f"{hours:g}"})
    resp.set_cookie(LOGIN_CSRF, token, max_age=3600, path="/review", httponly=True, samesite="lax")
    return resp


def _safe_next(nxt: str) -> str:
    return nxt if nxt.startswith("/review") and not nxt.startswith("//") else "/review/"


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    nxt = _safe_next(str(form.get("next", "/review/")))
    cookie = request.cookies.get(LOGIN_CSRF, "")
    if not cookie or not secrets.compare_digest(cookie, str(form.get("csrf", ""))):
        return RedirectResponse(f"/review/login?err=expired&next={quote(nxt)}", status_code=303)
    name, password = str(form.get("name", ""))[:100], str(form.get("password", ""))[:500]
    services = _services(request)

    def check() -> tuple[str, str] | None:
        with services.db.session() as s:
            if service.recent_failures(s, name) >= service.MAX_FAILED_SIGN_INS:
                service.audit(s, None, None, "sign_in_locked", target=name)
                return None
            user = authenticate(s, name, password)
            service.audit(s, None if user is None else CurrentUser(user.id, user.name, "", user.role, [], ""), None,
                          "sign_in" if user else "sign_in_failed", target=name)
            return (user.id, user.password_hash) if user else None

    found = await run_in_threadpool(check)  # argon2 takes a while: off the event loop
    if found is None:
        return RedirectResponse(f"/review/login?err=bad&next={quote(nxt)}", status_code=303)
    resp = RedirectResponse(nxt, status_code=303)
    _codec(request).issue(resp, *found)
    resp.delete_cookie(LOGIN_CSRF, path="/review")
    return resp


@router.post("/logout")
async def logout(request: Request) -> Response:
    user = _user(request)
    await _form(request, user)
    with _services(request).db.session() as s:
        service.audit(s, user, None, "sign_out")
    resp = RedirectResponse("/review/login", status_code=303)
    _codec(request).clear(resp)
    return resp


@router.get("/lang/{lang}")
def set_lang(lang: str, next: str = "/review/") -> Response:
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(LANG_COOKIE, "en" if lang == "en" else "zh", max_age=365 * 86400, path="/review",
                    samesite="lax")
    return resp


# --- the queue -------------------------------------------------------------------------


@router.get("/")
def queue_page(request: Request, program: str = "", region: str = "", verdict: str = "", status: str = "",
               q: str = "", overdue: str = "", page: int = 1) -> HTMLResponse:
    user = _user(request)
    if status and status not in STATUS:
        status = ""
    flt = QueueFilter(program[:100], region[:100], verdict[:20], status, q[:100], overdue == "1", page)
    with _services(request).db.session() as s:
        result = service.queue(s, user, flt)
        facets = service.facets(s, user)
    names = {p: program_info(p)["name"] for p in facets["programs"]}
    params = {k: v for k, v in (("program", flt.program), ("region", flt.region), ("verdict", flt.verdict),
                                ("status", flt.status), ("q", flt.q), ("overdue", "1" if flt.overdue else ""))
              if v}
    return render(request, "review/queue.html", {"user": user, "result": result, "flt": flt, "facets": facets,
                                                 "program_names": names, "params": params,
                                                 "today": today_china()})


# --- one application -------------------------------------------------------------------


@router.get("/applications/{app_id}")
def application_page(request: Request, app_id: str, msg: str = "", err: str = "") -> HTMLResponse:
    user = _user(request)
    with _services(request).db.session() as s:
        app = service.load_app(s, user, app_id)
        st = service.review_state(s, app)
    return render(request, "review/application.html", {
        "user": user, "st": st, "app": st.app, "msg": _with_notice(MESSAGES.get(msg), st.notice), "err": err[:500],
        "today": today_china(), "can_override_errors": user.role != Role.CLERK,
    })


def _with_notice(msg: tuple[str, str] | None, notice: tuple[str, str] | None) -> tuple[str, str] | None:
    """The page's message, and what it must keep saying (corrections not carried over)."""
    if msg is None or notice is None:
        return msg or notice
    return f"{msg[0]}。{notice[0]}", f"{msg[1]}. {notice[1]}"


def _png(data: bytes) -> Response:
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/applications/{app_id}/crops/{run_id}/{index}/{k}.png")
async def crop_png(request: Request, app_id: str, run_id: str, index: int, k: int) -> Response:
    """A finding's evidence crop; the run id in the path keeps the URL right after a re-run."""
    user = _user(request)
    services = _services(request)
    from api.db import CheckRun
    from api.routes.evidence import evidence_target

    with services.db.session() as s:
        app = service.load_app(s, user, app_id)
        run = s.get(CheckRun, run_id) if len(run_id) <= 36 else None
        if run is None or run.application_id != app.id:
            raise ReviewError("检查结果不存在 / no such check run", 404)
        try:
            path, frame, box, page = evidence_target(services, s, app, run, index, k)
        except Exception as exc:
            raise ReviewError("证据不存在 / no such evidence", 404) from exc
    data = await run_in_threadpool(images.crop, str(path), page, tuple(frame) if frame else None,
                                   tuple(box), services.limits)
    return _png(data)


@router.get("/applications/{app_id}/pages/{upload_id}/{page}.png")
async def page_png(request: Request, app_id: str, upload_id: str, page: int, boxes: int = 1) -> Response:
    user = _user(request)
    services = _services(request)
    from api.routes.evidence import page_image

    with services.db.session() as s:
        app = service.load_app(s, user, app_id)
        try:
            path, frame, field_boxes = page_image(services, s, app, upload_id, page, bool(boxes))
        except Exception as exc:
            raise ReviewError("文件不存在 / no such document", 404) from exc
    data = await run_in_threadpool(images.page_with_boxes, str(path), page, tuple(frame) if frame else None,
                                   tuple(tuple(b) for b in field_boxes), services.limits)
    return _png(data)


# --- decisions ---------------------------------------------------------------------------


def _decision(request: Request, app_id: str, form: Any, user: CurrentUser, action: str) -> tuple[str, str]:
    services = _services(request)
    with services.db.session() as s:
        app = service.load_app(s, user, app_id, lock=True)
        if action == "correct":
            service.correct_field(services, s, user, app, str(form.get("file", "")), str(form.get("field", "")),
                                  str(form.get("value", ""))[:1000], str(form.get("reason", ""))[:2000])
            return "corrected", "findings"
        if action == "decide":
            service.decide_finding(s, user, app, str(form.get("key", "")), str(form.get("decision", "")),
                                   str(form.get("reason", ""))[:2000])
            return "decided", "f-" + str(form.get("key", ""))
        if action == "checklist":
            done = {str(v) for v in form.getlist("done")}
            notes = {k[5:]: str(v)[:2000] for k, v in form.items() if k.startswith("note:")}
            service.tick_checklist(s, user, app, done, notes)
            return "ticked", "checklist"
        if action == "reupload":
            service.request_reupload(s, user, app, str(form.get("document", ""))[:300],
                                     str(form.get("reason", ""))[:2000])
            return "reupload", "decide"
        if action == "approve":
            service.approve(s, user, app, str(form.get("reason", ""))[:2000])
            return "approved", "decide"
        if action == "reject":
            service.reject(s, user, app, str(form.get("reason", ""))[:2000])
            return "rejected", "decide"
    raise ReviewError("未知操作 / unknown action", 404)


@router.post("/applications/{app_id}/{action}")
async def act(request: Request, app_id: str, action: str) -> Response:
    user = _user(request)
    form = await _form(request, user)
    try:
        msg, anchor = await run_in_threadpool(_decision, request, app_id, form, user, action)
    except ReviewError as exc:
        if exc.status == 404:
            raise
        return _back(app_id, err=exc.message)
    return _back(app_id, msg=msg, anchor=anchor)


# --- exports -----------------------------------------------------------------------------


@router.get("/applications/{app_id}/packet.pdf")
async def packet(request: Request, app_id: str) -> Response:
    user = _user(request)
    services = _services(request)
    from api.routes.evidence import evidence_target

    def build() -> bytes:
        with services.db.session() as s:
            app = service.load_app(s, user, app_id)
            service.audit(s, user, app.id, "export_packet")
            s.flush()
            st = service.review_state(s, app)
            run = st.run

            def crop_for(f: dict[str, Any], ev: dict[str, Any]) -> bytes | None:
                try:
                    path, frame, box, page = evidence_target(services, s, app, run, f["index"], ev["k"])
                    return images.crop(str(path), page, tuple(frame) if frame else None, tuple(box), services.limits)
                except Exception:
                    return None

            return evidence_packet(st, crop_for)

    data = await run_in_threadpool(build)
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=\"packet-{app_id[:8]}.pdf\"", "Cache-Control": "no-store"})


def _period(start: str, end: str) -> tuple[date, date]:
    today = today_china()
    try:
        lo = date.fromisoformat(start) if start else today.replace(day=1)
        hi = date.fromisoformat(end) if end else today
    except ValueError as exc:
        raise ReviewError("日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD", 400) from exc
    if hi < lo or hi - lo > timedelta(days=366 * 20):
        raise ReviewError("期间无效 / invalid period", 400)
    return lo, hi


@router.get("/exports")
def exports_page(request: Request, program: str = "", start: str = "", end: str = "") -> HTMLResponse:
    user = _user(request)
    programs = builtin_programs()
    lo, hi = _period(start, end)
    with _services(request).db.session() as s:
        if program not in programs:  # the first program the user has applications of
            mine = [p for p in service.facets(s, user)["programs"] if p in programs]
            program = mine[0] if mine else (programs[0] if programs else "")
        rows = service.settlement_rows(s, user, program, lo, hi) if program else []
    return render(request, "review/exports.html", {
        "user": user, "programs": programs, "program": program, "start": lo, "end": hi, "rows": rows,
        "total": total_payout(rows), "program_names": {p: program_info(p)["name"] for p in programs},
        "columns": service.SETTLEMENT_COLUMNS})


@router.get("/exports/settlement.{fmt}")
def settlement(request: Request, fmt: str, program: str, start: str = "", end: str = "") -> Response:
    user = _user(request)
    if fmt not in ("csv", "xlsx") or program not in builtin_programs():
        raise ReviewError("不支持的导出 / unsupported export", 404)
    lo, hi = _period(start, end)
    with _services(request).db.session() as s:
        rows = service.settlement_rows(s, user, program, lo, hi)
        service.audit(s, user, None, "export_settlement", target=f"{program} {lo}..{hi} {fmt}",
                      after={"rows": len(rows), "total": f"{total_payout(rows):.2f}"})
    name = program_info(program)["name"]
    if fmt == "csv":
        data, media = settlement_csv(rows, name, lo, hi), "text/csv; charset=utf-8"
    else:
        data = settlement_xlsx(rows, name, lo, hi)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = f"settlement-{program}-{lo}-{hi}.{fmt}"
    return Response(data, media_type=media, headers={"Content-Disposition": f"attachment; filename=\"{filename}\"",
                                                     "Cache-Control": "no-store"})


# --- users (admin) ---------------------------------------------------------------------


@router.get("/users")
def users_page(request: Request) -> HTMLResponse:
    user = _user(request)
    if user.role != Role.ADMIN:
        raise ReviewError("只有管理员可以查看 / admins only", 403)
    with _services(request).db.session() as s:
        users = list(s.scalars(select(ReviewUser).order_by(ReviewUser.name)))
    return render(request, "review/users.html", {"user": user, "users": users})


__all__ = ["router", "NotSignedIn", "render"]
