"""What a clerk can do, without HTTP: the queue, the state of one application, decisions.

Every change writes an ``AuditEvent`` in the same transaction (who, when, what,
before, after, why). Status changes go through ``api.operations.set_status`` so the
portal gets its webhook event in that transaction too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB, JSONPATH
from sqlalchemy.orm import Session

from api import operations as ops
from api.db import Application, AppStatus, CheckRun, HistoryKey, Upload
from api.db.review_models import (AuditEvent, CarriedCorrection, ChecklistTick, FieldCorrection, FindingDecision,
                                  Role)
from api.review.auth import CurrentUser
from api.review.carry import REAPPLIED, WHY, Carried, carried
from api.review.deadlines import (CHINA, day_number, due_date, due_day_sql, from_day_number, period_for,
                                  received_day_sql, today_china)
from api.review.recheck import CLERK_METHOD, apply_correction, documents_from_json, finding_key, recheck
from api.review.rules_text import program_info, rule_text
from api.review.values import BadValue, correctable, normalise
from api.services import Services

QUEUE_STATUSES = (AppStatus.CHECKED, AppStatus.REUPLOAD_REQUESTED)
DECIDABLE = (AppStatus.CHECKED, AppStatus.REUPLOAD_REQUESTED)
MASKED_FIELDS = frozenset({"id_number"})
PAGE_SIZE = 50


class ReviewError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def audit(s: Session, user: CurrentUser | None, app_id: str | None, action: str, *, target: str = "",
          before: dict | None = None, after: dict | None = None, reason: str = "") -> AuditEvent:
    ev = AuditEvent(application_id=app_id, actor=user.name if user else "system", role=user.role if user else "",
                    action=action, target=target[:300], before=before, after=after, reason=reason or "")
    s.add(ev)
    return ev


MAX_FAILED_SIGN_INS = 5  # per user name within FAILED_WINDOW; then refused until the window passes
FAILED_WINDOW = timedelta(minutes=15)


def recent_failures(s: Session, name: str) -> int:
    """Failed sign-ins for this name lately (from the audit trail: the same for every server process)."""
    since = datetime.now(CHINA) - FAILED_WINDOW
    return s.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "sign_in_failed", AuditEvent.target == name[:300], AuditEvent.at >= since)) or 0


def load_app(s: Session, user: CurrentUser, app_id: str, *, lock: bool = False) -> Application:
    """The application, if the user's regions include it; otherwise "not found" (ids are not confirmed)."""
    if len(app_id) > 36:
        raise ReviewError("申请不存在 / application not found", 404)
    if lock and s.get_bind().dialect.name == "postgresql":
        app = s.get(Application, app_id, with_for_update=True)
    else:
        app = s.get(Application, app_id)
    if app is None or not user.may_see(app.region):
        raise ReviewError("申请不存在 / application not found", 404)
    return app


def current_run(s: Session, app: Application) -> CheckRun | None:
    return s.get(CheckRun, app.current_run_id) if app.current_run_id else None


# --- the queue -------------------------------------------------------------------------


@dataclass
class QueueFilter:
    program: str = ""
    region: str = ""
    verdict: str = ""
    status: str = ""  # "" = needing a decision (checked, reupload_requested)
    q: str = ""
    overdue: bool = False
    page: int = 1


@dataclass
class QueueRow:
    app: Application
    due: date
    received: date
    overdue: bool
    days_left: int


@dataclass
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    overdue_total: int


def _regions(user: CurrentUser) -> list[Any]:
    """The condition limiting a clerk to their regions (none for a supervisor)."""
    return [] if user.all_regions else [Application.region.in_(user.regions or ["\x00"])]


def _visible(q: Any, user: CurrentUser) -> Any:
    return q.where(*_regions(user))


def _queue_conditions(user: CurrentUser, flt: QueueFilter) -> list[Any]:
    statuses = [flt.status] if flt.status else [str(x) for x in QUEUE_STATUSES]
    where: list[Any] = [Application.status.in_(statuses), *_regions(user)]
    for column, value in ((Application.program, flt.program), (Application.region, flt.region),
                          (Application.verdict, flt.verdict)):
        if value:
            where.append(column == value)
    term = flt.q.strip()
    if term:
        code = term.replace(" ", "").upper()
        invoice_apps = select(HistoryKey.application_id).where(
            HistoryKey.kind == "invoice", or_(HistoryKey.key == code, HistoryKey.key.like(f"%-{code}")))
        where.append(or_(Application.applicant_name.contains(term, autoescape=True),
                         Application.credit_code == code, Application.id.in_(invoice_apps)))
    return where


def queue(s: Session, user: CurrentUser, flt: QueueFilter, *, page_size: int = PAGE_SIZE) -> QueuePage:
    """Oldest deadline first, then earliest received, then id. The database computes the
    deadlines (``due_day_sql``, the rule of ``due_date``), counts, sorts and pages in one
    query: only one page of applications leaves it, however many are open."""
    today, page = day_number(today_china()), max(1, flt.page)
    rows, total, overdue_total = _queue_page(s, user, flt, today, page, page_size)
    if not rows and page > 1:  # past the end: count, then show the last page
        total, overdue_total = _queue_counts(s, user, flt, today)
        page = max(1, -(-total // page_size))
        rows, _, _ = _queue_page(s, user, flt, today, page, page_size)
    return QueuePage(rows, total, page, max(1, -(-total // page_size)), overdue_total)


def _by_code_point(s: Session, column: Any) -> Any:
    """Python compares ids by code point; PostgreSQL's default collation may not."""
    return column.collate("C") if s.get_bind().dialect.name == "postgresql" else column


def _queue_keys(s: Session, user: CurrentUser, flt: QueueFilter) -> Any:
    """The candidates' id, deadline and day of receipt (day numbers), computed once per row."""
    dialect = s.get_bind().dialect.name
    received = received_day_sql(func.coalesce(Application.submitted_at, Application.created_at), dialect)
    return (select(Application.id.label("id"), due_day_sql(Application.program, received).label("due"),
                   received.label("received")).where(*_queue_conditions(user, flt)).subquery())


def _queue_counts(s: Session, user: CurrentUser, flt: QueueFilter, today: int) -> tuple[int, int]:
    keys = _queue_keys(s, user, flt)
    overdue = keys.c.due < today
    q = select(func.count(), func.coalesce(func.sum(case((overdue, 1), else_=0)), 0)).select_from(keys)
    total, overdue_total = s.execute(q.where(overdue) if flt.overdue else q).one()
    return int(total), int(overdue_total)


def _queue_page(s: Session, user: CurrentUser, flt: QueueFilter, today: int, page: int,
                page_size: int) -> tuple[list[QueueRow], int, int]:
    """One page, with the totals of the whole candidate set (zero when the page is past the end)."""
    keys = _queue_keys(s, user, flt)
    overdue = keys.c.due < today
    chosen = (select(keys.c.id, keys.c.due, keys.c.received, func.count().over().label("total"),
                     func.sum(case((overdue, 1), else_=0)).over().label("overdue"))
              .where(*([overdue] if flt.overdue else []))
              .order_by(keys.c.due, keys.c.received, _by_code_point(s, keys.c.id))
              .limit(page_size).offset((page - 1) * page_size).subquery())
    q = (select(Application, chosen.c.due, chosen.c.received, chosen.c.total, chosen.c.overdue)
         .join(chosen, chosen.c.id == Application.id)
         .order_by(chosen.c.due, chosen.c.received, _by_code_point(s, chosen.c.id)))
    rows, total, overdue_total = [], 0, 0
    for app, due, received, total, overdue_total in s.execute(q):
        rows.append(QueueRow(app, from_day_number(due), from_day_number(received), due < today, due - today))
    return rows, int(total), int(overdue_total)


def facets(s: Session, user: CurrentUser) -> dict[str, list[str]]:
    programs = [p for (p,) in s.execute(_visible(select(Application.program).distinct(), user).order_by(Application.program))]
    if user.all_regions:
        regions = [r for (r,) in s.execute(select(Application.region).distinct().order_by(Application.region))]
    else:
        regions = sorted(user.regions)
    return {"programs": programs, "regions": regions}


# --- one application -------------------------------------------------------------------


@dataclass
class ReviewState:
    app: Application
    run: CheckRun | None
    findings: list[dict[str, Any]] = field(default_factory=list)
    checklist: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[FieldCorrection] = field(default_factory=list)
    audit: list[AuditEvent] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    due: date | None = None
    period_clause: tuple[str, str] = ("", "")
    program: dict[str, Any] = field(default_factory=dict)
    reupload_choices: list[str] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)
    carried: Carried | None = None  # what the latest re-submission did with earlier corrections
    notice: tuple[str, str] | None = None  # (zh, en), shown at the top of the page


def latest_decisions(s: Session, app_id: str) -> dict[str, FindingDecision]:
    out: dict[str, FindingDecision] = {}
    for d in s.scalars(select(FindingDecision).where(FindingDecision.application_id == app_id)
                       .order_by(FindingDecision.id)):
        out[d.finding_key] = d
    return out


def latest_ticks(s: Session, app_id: str) -> dict[str, ChecklistTick]:
    out: dict[str, ChecklistTick] = {}
    for t in s.scalars(select(ChecklistTick).where(ChecklistTick.application_id == app_id).order_by(ChecklistTick.id)):
        out[t.rule] = t
    return out


def _mask(name: str, value: Any) -> Any:
    if name in MASKED_FIELDS and isinstance(value, str) and len(value) > 4:
        return value[:2] + "*" * (len(value) - 4) + value[-2:]
    return value


def review_state(s: Session, app: Application, *, with_audit: bool = True) -> ReviewState:
    run = current_run(s, app)
    st = ReviewState(app, run)
    st.program = program_info(app.program)
    st.due = due_date(app.program, app.submitted_at, app.created_at)
    p = period_for(app.program)
    st.period_clause = (p.clause_zh, p.clause_en)
    st.uploads = ops.active_uploads(s, app.id)
    st.corrections = list(s.scalars(select(FieldCorrection).where(FieldCorrection.application_id == app.id)
                                    .order_by(FieldCorrection.id)))
    st.carried = carried(s, app.id, st.corrections)
    st.notice = _carried_notice(st.carried)
    dropped = {(r.file, r.field): r for r, _ in st.carried.dropped}
    if run is not None:
        decisions = latest_decisions(s, app.id)
        for i, f in enumerate(run.result.get("findings", [])):
            key = finding_key(f)
            d = decisions.get(key)
            evidence = []
            for k, ev in enumerate(f.get("evidence", [])):
                info = (run.files or {}).get(ev.get("file"), {})
                evidence.append({**ev, "k": k, "value": _mask(ev.get("field") or "", ev.get("value")),
                                 "upload_id": info.get("upload_id"),
                                 "has_crop": bool(info.get("upload_id") and ev.get("page") and ev.get("bbox")),
                                 "correctable": bool(ev.get("field")) and correctable(ev.get("value"))
                                 and ev.get("field") not in MASKED_FIELDS})
            lost = next((dropped[k] for k in ((e.get("file"), e.get("field")) for e in f.get("evidence", []))
                         if k in dropped), None)
            message = _with_note(f.get("message", ""), *_dropped_note(lost)) if lost else f.get("message")
            st.findings.append({**f, "message": message, "index": i, "key": key, "evidence": evidence,
                                "text": rule_text(app.program, f.get("rule", "")),
                                "decision": d})
        ticks = latest_ticks(s, app.id)
        for item in run.result.get("checklist", []):
            t = ticks.get(item["rule"])
            st.checklist.append({**item, "text": rule_text(app.program, item["rule"]), "done": bool(t and t.done),
                                 "tick": t})
        for d in run.result.get("documents", []):
            info = (run.files or {}).get(d["file"], {})
            fields = [{"name": n, "value": _mask(n, f.get("value")), "confidence": f.get("confidence"),
                       "method": _method_label(f.get("method"), (d["file"], n) in st.carried.reapplied),
                       "page": f.get("page"),
                       "correctable": correctable(f.get("value")) and n not in MASKED_FIELDS}
                      for n, f in (d.get("fields") or {}).items()]
            st.documents.append({"file": d["file"], "type": d.get("type"), "pages": d.get("pages", []),
                                 "legible": (d.get("quality") or {}).get("legible", True), "fields": fields,
                                 "upload_id": info.get("upload_id")})
            for n in d.get("pages", []):
                if info.get("upload_id"):
                    st.pages.append({"file": d["file"], "type": d.get("type"), "page": n,
                                     "upload_id": info["upload_id"]})
    if with_audit:
        st.audit = list(s.scalars(select(AuditEvent).where(AuditEvent.application_id == app.id)
                                  .order_by(AuditEvent.id)))
    labels = [r["label"] for r in st.program.get("required", [])]
    st.reupload_choices = [u.filename for u in st.uploads] + [x for x in labels if x not in {u.filename for u in st.uploads}]
    st.blockers = approval_blockers(st)
    return st


def _method_label(method: str | None, reapplied: bool) -> str | None:
    return f"{method} · 沿用 re-applied" if reapplied and method == CLERK_METHOD else method


def _with_note(message: str, zh: str, en: str) -> str:
    """A note added to each half of a "中文 / English" message."""
    halves = message.split(" / ")
    if len(halves) == 2:
        return f"{halves[0]}{zh} / {halves[1]}{en}"
    return f"{message}{zh} / {en}"


def _dropped_note(row: CarriedCorrection) -> tuple[str, str]:
    zh, en = WHY.get(row.why, (row.why, row.why))
    return (f"（{row.field} 的人工更正未沿用：{zh}）",
            f" (a clerk's correction of {row.field} was not carried over: {en})")


def _carried_notice(c: Carried) -> tuple[str, str] | None:
    """What the page says while the latest re-submission's dropped corrections stand."""
    if not c.dropped:
        return None
    zh = "；".join(f"{r.file} 的 {r.field}（{WHY.get(r.why, (r.why, r.why))[0]}）" for r, _ in c.dropped)
    en = "; ".join(f"{r.field} of {r.file} ({WHY.get(r.why, (r.why, r.why))[1]})" for r, _ in c.dropped)
    kept = len({(r.file, r.field) for r in c.rows if r.outcome == REAPPLIED})
    return (f"申请重新提交后，{len(c.dropped)} 项更正未沿用：{zh}，请按新文件核对。"
            + (f"{kept} 项更正已沿用（文件未变）。" if kept else ""),
            f"After the re-submission {len(c.dropped)} correction(s) were not carried over: {en}; check them on "
            f"the new files." + (f" {kept} were re-applied (file unchanged)." if kept else ""))


def approval_blockers(st: ReviewState) -> list[str]:
    """Why the application cannot be approved yet (empty: it can)."""
    out = []
    if st.app.status != AppStatus.CHECKED:
        out.append(f"状态为 {st.app.status}，只有待审核的申请可以批准 / only a checked application can be approved "
                   f"(it is {st.app.status})")
    if st.run is None:
        out.append("尚无检查结果 / no check result")
    for f in st.findings:
        if f.get("severity") not in ("error", "warning"):
            continue
        d = f["decision"]
        if d is None:
            out.append(f"未处理的发现：{f['rule']} / finding not decided: {f['rule']}")
        elif d.decision == "accept" and f.get("severity") == "error":
            out.append(f"已确认的错误：{f['rule']} / confirmed error: {f['rule']}")
    for c in st.checklist:
        if not c["done"]:
            out.append(f"人工核查未完成：{c['rule']} / manual check not done: {c['rule']}")
    return out


def _decidable(app: Application) -> None:
    if app.status not in DECIDABLE:
        raise ReviewError(f"申请状态为 {app.status}，现在不能处理 / the application is {app.status}: "
                          f"no decisions now", 409)


def correct_field(services: Services, s: Session, user: CurrentUser, app: Application, file: str, field_name: str,
                  text: str, reason: str) -> CheckRun:
    _decidable(app)
    run = current_run(s, app)
    if run is None:
        raise ReviewError("尚无检查结果 / no check result", 409)
    docs = documents_from_json(run.result, run.files or {})
    old_json = next((d.get("fields", {}).get(field_name) for d in run.result.get("documents", [])
                     if d.get("file") == file), None)
    if old_json is None or field_name in MASKED_FIELDS or not correctable(old_json.get("value")):
        raise ReviewError("该字段不能更正 / this field cannot be corrected here", 400)
    try:
        value = normalise(field_name, text, old_json.get("value"))
    except BadValue as exc:
        raise ReviewError(str(exc), 400) from exc
    if value == old_json.get("value"):
        raise ReviewError("新值与原值相同 / the value is unchanged", 400)
    apply_correction(docs, file, field_name, value)
    before = {"value": old_json.get("value"), "confidence": old_json.get("confidence"), "verdict": app.verdict,
              "errors": app.errors, "warnings": app.warnings, "run": run.id}
    new = recheck(services, s, app, run, docs, {(file, field_name)})
    s.add(FieldCorrection(application_id=app.id, file=file, field=field_name, old_value=old_json.get("value"),
                          new_value=value, run_before=run.id, run_after=new.id, actor=user.name, reason=reason))
    audit(s, user, app.id, "correct_field", target=f"{file}#{field_name}", before=before,
          after={"value": value, "verdict": app.verdict, "errors": app.errors, "warnings": app.warnings,
                 "run": new.id}, reason=reason)
    return new


def decide_finding(s: Session, user: CurrentUser, app: Application, key: str, decision: str, reason: str) -> None:
    _decidable(app)
    if decision not in ("accept", "override"):
        raise ReviewError("未知的处理 / unknown decision", 400)
    if not reason.strip():
        raise ReviewError("必须填写理由 / a reason is required", 400)
    run = current_run(s, app)
    finding = next((f for f in (run.result.get("findings", []) if run else []) if finding_key(f) == key), None)
    if finding is None:
        raise ReviewError("发现不存在（检查已重新运行？）/ no such finding (the checks ran again?)", 404)
    if decision == "override" and finding.get("severity") == "error" and user.role == Role.CLERK:
        raise ReviewError("推翻错误级发现需要主管 / overriding an error needs a supervisor", 403)
    prev = latest_decisions(s, app.id).get(key)
    s.add(FindingDecision(application_id=app.id, finding_key=key, rule=finding.get("rule", ""),
                          severity=finding.get("severity", ""), decision=decision, reason=reason.strip(),
                          actor=user.name))
    audit(s, user, app.id, f"{decision}_finding", target=finding.get("rule", ""),
          before={"decision": prev.decision, "reason": prev.reason} if prev else None,
          after={"decision": decision, "severity": finding.get("severity")},
          reason=reason.strip())


def tick_checklist(s: Session, user: CurrentUser, app: Application, done: set[str], notes: dict[str, str]) -> int:
    _decidable(app)
    run = current_run(s, app)
    rules = [c["rule"] for c in (run.result.get("checklist", []) if run else [])]
    ticks = latest_ticks(s, app.id)
    changed = 0
    for rule in rules:
        now = rule in done
        was = bool(ticks.get(rule) and ticks[rule].done)
        if now != was:
            note = notes.get(rule, "").strip()
            s.add(ChecklistTick(application_id=app.id, rule=rule, done=now, note=note, actor=user.name))
            audit(s, user, app.id, "tick_checklist" if now else "untick_checklist", target=rule,
                  before={"done": was}, after={"done": now}, reason=note)
            changed += 1
    return changed


def request_reupload(s: Session, user: CurrentUser, app: Application, document: str, reason: str) -> None:
    _decidable(app)
    if not document.strip() or not reason.strip():
        raise ReviewError("请选择文件并填写理由 / name the document and give a reason", 400)
    before = {"status": app.status}
    # a second document asked for while re-upload is requested: set_status tells the portal too
    ops.set_status(s, app, AppStatus.REUPLOAD_REQUESTED, {"document": document.strip(), "reason": reason.strip()})
    audit(s, user, app.id, "request_reupload", target=document.strip(), before=before,
          after={"status": app.status, "document": document.strip()}, reason=reason.strip())


def approve(s: Session, user: CurrentUser, app: Application, reason: str) -> None:
    st = review_state(s, app, with_audit=False)
    if st.blockers:
        raise ReviewError("还不能批准 / cannot approve yet: " + "；".join(st.blockers[:5]), 409)
    before = {"status": app.status, "verdict": app.verdict}
    ops.set_status(s, app, AppStatus.APPROVED, {"eligible_subsidy": ops.money(app.eligible_subsidy)})
    audit(s, user, app.id, "approve", before=before,
          after={"status": app.status, "eligible_subsidy": ops.money(app.eligible_subsidy)}, reason=reason.strip())


def reject(s: Session, user: CurrentUser, app: Application, reason: str) -> None:
    _decidable(app)
    if not reason.strip():
        raise ReviewError("驳回必须填写理由 / a rejection needs a reason", 400)
    before = {"status": app.status, "verdict": app.verdict}
    ops.set_status(s, app, AppStatus.REJECTED, {"reason": reason.strip()})
    audit(s, user, app.id, "reject", before=before, after={"status": app.status}, reason=reason.strip())


# --- settlement -------------------------------------------------------------------------


SETTLEMENT_COLUMNS = [
    ("company", "企业名称", "company"),
    ("credit_code", "统一社会信用代码", "credit code"),
    ("region", "地区", "region"),
    ("supplier", "云服务商", "provider"),
    ("services", "上云产品及服务", "cloud products and services"),
    ("contract_term", "合同期限", "contract term"),
    ("contract_amount", "合同金额（元）", "contract amount (CNY)"),
    ("payout", "兑付金额（元）", "payout (CNY)"),
    ("approved_on", "批准日期", "approved on"),
    ("approved_by", "批准人", "approved by"),
    ("evaluation", "评价", "evaluation"),
]


def _contract_doc(result: dict[str, Any]) -> dict[str, Any]:
    for d in result.get("documents", []):
        if d.get("type") == "contract":
            return {k: v.get("value") for k, v in (d.get("fields") or {}).items()}
    return {}


def settlement_rows(s: Session, user: CurrentUser, program: str, start: date, end: date) -> list[dict[str, Any]]:
    """Applications of ``program`` approved from ``start`` to ``end`` (China dates, inclusive)."""
    lo = datetime.combine(start, datetime.min.time(), CHINA)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), CHINA)
    last = (select(AuditEvent.application_id, func.max(AuditEvent.id).label("eid"))
            .where(AuditEvent.action == "approve", AuditEvent.at >= lo, AuditEvent.at < hi)
            .group_by(AuditEvent.application_id).subquery())
    # one query: the application, its approval and its current run's result (no query per row)
    if s.get_bind().dialect.name == "postgresql":  # only the contract's fields leave the database
        contract_col: Any = func.jsonb_path_query_first(
            cast(CheckRun.result, JSONB), cast(literal('$.documents[*] ? (@.type == "contract").fields'), JSONPATH),
            type_=JSONB)
    else:
        contract_col = CheckRun.result
    q = _visible(select(Application, AuditEvent.at, AuditEvent.actor, contract_col)
                 .join(last, last.c.application_id == Application.id)
                 .join(AuditEvent, AuditEvent.id == last.c.eid)
                 .outerjoin(CheckRun, CheckRun.id == Application.current_run_id)
                 .where(Application.program == program, Application.status == AppStatus.APPROVED), user)
    rows = []
    for app, approved_at, approver, found in s.execute(q.order_by(AuditEvent.at)):
        if contract_col is CheckRun.result:
            contract = _contract_doc(found) if found else {}
        else:
            contract = {k: v.get("value") for k, v in (found or {}).items() if isinstance(v, dict)}
        declared = app.declared or {}
        dc = (declared.get("contracts") or [{}])[0] or {}
        start_s = dc.get("service_start") or contract.get("service_start") or ""
        end_s = dc.get("service_end") or contract.get("service_end") or ""
        services = contract.get("services") or []
        amount = dc.get("amount") or contract.get("total_amount") or ""
        payout = app.eligible_subsidy
        if payout is not None and app.requested_subsidy is not None:
            payout = min(payout, app.requested_subsidy)
        rows.append({
            "company": app.applicant_name, "credit_code": app.credit_code, "region": app.region,
            "supplier": (declared.get("supplier") or {}).get("name", ""),
            "services": "、".join(str(x) for x in services) if isinstance(services, list) else str(services),
            "contract_term": f"{start_s} 至 {end_s}" if start_s or end_s else "",
            "contract_amount": Decimal(str(amount)) if amount else None,
            "payout": payout, "approved_on": approved_at.astimezone(CHINA).date().isoformat(),
            "approved_by": approver, "evaluation": "", "application_id": app.id,
        })
    return rows
