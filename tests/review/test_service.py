"""The clerk's actions without HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from api.db import Application, CheckRun, WebhookDelivery
from api.db.review_models import AuditEvent, FieldCorrection
from api.review import service
from api.review.auth import CurrentUser
from api.review.deadlines import today_china
from api.review.exports import settlement_csv, settlement_xlsx
from api.review.packet import evidence_packet
from api.review.service import QueueFilter, ReviewError
from tests.review.conftest import Env

CLERK = CurrentUser("u1", "clerk", "clerk", "clerk", ["伊春市"], "t")
OTHER = CurrentUser("u2", "other", "other", "clerk", ["广州市"], "t")
BOSS = CurrentUser("u3", "boss", "boss", "supervisor", [], "t")


def _findings(env: Env, app_id: str) -> dict[str, dict]:
    with env.services.db.session() as s:
        app = s.get(Application, app_id)
        run = s.get(CheckRun, app.current_run_id)
        return {f["rule"]: f for f in run.result["findings"]}


def test_queue_shows_a_clerk_only_their_regions_oldest_deadline_first(sqlite_env: Env) -> None:
    with sqlite_env.services.db.session() as s:
        mine = service.queue(s, CLERK, QueueFilter())
        assert [r.app.id for r in mine.rows] == [sqlite_env.app_id]
        assert [r.app.id for r in service.queue(s, OTHER, QueueFilter()).rows] == [sqlite_env.other_region_id]
        everyone = service.queue(s, BOSS, QueueFilter())
        assert {r.app.id for r in everyone.rows} == set(sqlite_env.ids)
        assert [r.due for r in everyone.rows] == sorted(r.due for r in everyone.rows)
        # the sample received 3 days ago has 10 working days from then
        assert mine.rows[0].due > today_china()
        with pytest.raises(ReviewError):
            service.load_app(s, OTHER, sqlite_env.app_id)


def test_search_by_company_credit_code_and_invoice_number(sqlite_env: Env) -> None:
    with sqlite_env.services.db.session() as s:
        for term in ("翔达精密", "91230781124951756q", "24232000000413666084"):
            found = service.queue(s, BOSS, QueueFilter(q=term)).rows
            assert sqlite_env.app_id in {r.app.id for r in found}, term
        assert service.queue(s, BOSS, QueueFilter(q="不存在的公司")).rows == []
        assert service.queue(s, BOSS, QueueFilter(q="广州某某")).rows[0].app.id == sqlite_env.other_region_id
        assert service.queue(s, BOSS, QueueFilter(overdue=True)).rows == []
        # the 广州市 copy fails program.applicant_region (a Yichun program)
        assert [r.app.id for r in service.queue(s, BOSS, QueueFilter(verdict="fail")).rows] == [sqlite_env.other_region_id]
        assert [r.app.id for r in service.queue(s, BOSS, QueueFilter(verdict="flagged")).rows] == [sqlite_env.app_id]


def test_correction_reruns_the_checks_at_once_and_is_audited(env: Env) -> None:
    before = _findings(env, env.app_id)
    assert {"declared.invoices_match", "invoice.total_equals_amount_plus_tax",
            "payment.payee_matches_supplier"} <= set(before)
    with env.services.db.session() as s:
        app = service.load_app(s, CLERK, env.app_id, lock=True)  # SELECT … FOR UPDATE on PostgreSQL
        old_run = app.current_run_id
        service.correct_field(env.services, s, CLERK, app, "invoice.pdf", "total", "¥18,000.00", "票面为18000")
        assert app.current_run_id != old_run
        assert (app.verdict, app.errors, app.warnings) == ("flagged", 0, 1)
    after = _findings(env, env.app_id)
    assert set(after) == {"payment.payee_matches_supplier", "subsidy.eligible_computed"}
    with env.services.db.session() as s:
        corr = s.scalars(select(FieldCorrection)).one()
        assert (corr.old_value, corr.new_value, corr.run_before) == ("8000.00", "18000.00", old_run)
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "correct_field")).one()
        assert ev.before["value"] == "8000.00" and ev.after["value"] == "18000.00"
        assert ev.before["warnings"] == 4 and ev.after["warnings"] == 1
        assert ev.actor == "clerk" and ev.target == "invoice.pdf#total"
        for bad in ("", "not money", "18000"):
            with pytest.raises(ReviewError):
                service.correct_field(env.services, s, CLERK, s.get(Application, env.app_id), "invoice.pdf",
                                      "total", bad, "")


def test_overriding_an_error_needs_a_supervisor_and_every_decision_a_reason(sqlite_env: Env) -> None:
    with sqlite_env.services.db.session() as s:
        app = service.load_app(s, CLERK, sqlite_env.app_id)
        # a value typed by a clerk is certain: the mismatch with the declared total is now an error
        service.correct_field(sqlite_env.services, s, CLERK, app, "invoice.pdf", "total", "9000.00", "")
    err = _findings(sqlite_env, sqlite_env.app_id)["declared.invoices_match"]
    assert err["severity"] == "error"
    key = service.finding_key(err)
    with sqlite_env.services.db.session() as s:
        app = service.load_app(s, CLERK, sqlite_env.app_id)
        with pytest.raises(ReviewError, match="reason"):
            service.decide_finding(s, CLERK, app, key, "accept", "  ")
        with pytest.raises(ReviewError) as exc:
            service.decide_finding(s, CLERK, app, key, "override", "looks fine")
        assert exc.value.status == 403
        service.decide_finding(s, BOSS, app, key, "override", "开票方已确认金额")
    with sqlite_env.services.db.session() as s:
        st = service.review_state(s, s.get(Application, sqlite_env.app_id))
        f = next(f for f in st.findings if f["rule"] == "declared.invoices_match")
        assert f["decision"].decision == "override" and f["decision"].actor == "boss"


def test_approval_waits_for_every_finding_and_check_then_tells_the_portal(env: Env) -> None:
    with env.services.db.session() as s:
        app = service.load_app(s, CLERK, env.app_id)
        with pytest.raises(ReviewError, match="cannot approve"):
            service.approve(s, CLERK, app, "")
        st = service.review_state(s, app)
        for f in st.findings:
            if f["severity"] != "info":
                service.decide_finding(s, CLERK, app, f["key"], "override" if "payee" in f["rule"] else "accept",
                                       "已核对原件")
        with pytest.raises(ReviewError, match="manual check"):
            service.approve(s, CLERK, app, "")
        service.tick_checklist(s, CLERK, app, {c["rule"] for c in st.checklist}, {})
        service.approve(s, CLERK, app, "材料齐全")
        assert app.status == "approved"
    with env.services.db.session() as s:
        events = [d.payload for d in s.scalars(select(WebhookDelivery).where(
            WebhookDelivery.application_id == env.app_id).order_by(WebhookDelivery.created_at))]
        assert events[-1]["status"] == "approved" and events[-1]["previous_status"] == "checked"
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.application_id == env.app_id)
                                               .order_by(AuditEvent.id))]
        assert actions.count("tick_checklist") == len(st.checklist) > 3 and actions[-1] == "approve"
        with pytest.raises(ReviewError):  # decided: nothing more to do
            service.reject(s, CLERK, s.get(Application, env.app_id), "too late")
        # the settlement list of the period has the application, with its payout
        rows = service.settlement_rows(s, CLERK, "yichun-2023", today_china() - timedelta(days=1), today_china())
        assert [r["application_id"] for r in rows] == [env.app_id]
        assert rows[0]["payout"] == 18000 and rows[0]["contract_term"] == "2024-06-01 至 2026-05-31"
        assert service.settlement_rows(s, OTHER, "yichun-2023", today_china(), today_china()) == []
    csv_text = settlement_csv(rows, "伊春", today_china(), today_china()).decode("utf-8-sig")
    assert "黑龙江翔达精密仪器有限公司" in csv_text and "18000.00" in csv_text
    wb = load_workbook(io.BytesIO(settlement_xlsx(rows, "伊春", today_china(), today_china())))
    ws = wb.active
    assert ws.cell(4, 1).value == "黑龙江翔达精密仪器有限公司" and ws.cell(4, 8).value == 18000.0
    assert ws.cell(5, 8).value == "=SUM(H4:H4)"


def test_reupload_request_names_the_document_and_the_reason_in_the_webhook(sqlite_env: Env) -> None:
    with sqlite_env.services.db.session() as s:
        app = service.load_app(s, CLERK, sqlite_env.app_id)
        with pytest.raises(ReviewError):
            service.request_reupload(s, CLERK, app, "receipt.pdf", "")
        service.request_reupload(s, CLERK, app, "receipt.pdf", "回单收款人不清晰，请上传银行盖章原件")
        service.request_reupload(s, CLERK, app, "licence.jpg", "营业执照照片反光")
    with sqlite_env.services.db.session() as s:  # the same request again (a second click): nothing new to tell
        service.request_reupload(s, CLERK, service.load_app(s, CLERK, sqlite_env.app_id), "licence.jpg", "营业执照照片反光")
    with sqlite_env.services.db.session() as s:
        payloads = [d.payload for d in s.scalars(select(WebhookDelivery).where(
            WebhookDelivery.application_id == sqlite_env.app_id, WebhookDelivery.event == "application.status_changed")
            .order_by(WebhookDelivery.created_at))]
        asked = [(p.get("document"), p.get("reason"), p["previous_status"]) for p in payloads if p.get("document")]
        assert asked == [("receipt.pdf", "回单收款人不清晰，请上传银行盖章原件", "checked"),
                         ("licence.jpg", "营业执照照片反光", "reupload_requested")]
        assert s.get(Application, sqlite_env.app_id).status == "reupload_requested"


def test_evidence_packet_is_a_pdf_with_the_crops(sqlite_env: Env) -> None:
    with sqlite_env.services.db.session() as s:
        app = service.load_app(s, CLERK, sqlite_env.app_id)
        service.audit(s, CLERK, app.id, "export_packet")
        st = service.review_state(s, app)
        crops = []

        def crop_for(f: dict, ev: dict) -> bytes:
            crops.append((f["rule"], ev["field"]))
            return _tiny_png()

        pdf = evidence_packet(st, crop_for)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    assert ("payment.payee_matches_supplier", "payee_name") in crops
    assert b"STSong-Light" in pdf


def _tiny_png() -> bytes:
    import cv2
    import numpy as np

    ok, buf = cv2.imencode(".png", np.full((40, 120, 3), 255, np.uint8))
    return buf.tobytes()
