"""A clerk's corrections across a re-submission: re-applied to an unchanged file, dropped
(and said so) for a replaced one. Real jobs on text-layer PDFs, SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db import Application, CheckRun, Job, JobStatus, WebhookDelivery
from api.db.review_models import AuditEvent, CarriedCorrection, ReviewUser
from api.jobs.work import run_job
from api.review import service
from api.review.auth import CurrentUser
from api.review.carry import _same_file
from api.services import Services
from tests.review.helpers import PASSWORD, _hash
from tests.review.test_http import sign_in
from tests.service.conftest import (  # noqa: F401  (fixtures)
    Portal, client, database_url, declared_bytes, portal, services, settings, text_layer_files)

BUNDLES = Path(__file__).resolve().parents[2] / "samples" / "bundles" / "yichun-2023"
BOSS = CurrentUser("u3", "boss", "boss", "supervisor", [], "t")
SUPPLIER = "伊春林都云信息技术有限公司"


def _pdf(case: str, name: str) -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, (BUNDLES / case / name).read_bytes(), "application/pdf"))


def _run_submitted(services: Services, app_id: str) -> None:
    with services.db.session() as s:
        job_id = s.scalar(select(Job.id).where(Job.application_id == app_id, Job.status == JobStatus.QUEUED))
    assert run_job(services, job_id) == "done"


def _field(services: Services, app_id: str, file: str, name: str, *, run_id: str | None = None) -> dict:
    with services.db.session() as s:
        run = s.get(CheckRun, run_id or s.get(Application, app_id).current_run_id)
        doc = next(d for d in run.result["documents"] if d["file"] == file)
        return doc["fields"][name]


def _correct(services: Services, app_id: str, file: str, name: str, value: str) -> None:
    with services.db.session() as s:
        app = service.load_app(s, BOSS, app_id, lock=True)
        service.correct_field(services, s, BOSS, app, file, name, value, "看原件")


def _rules(services: Services, app_id: str) -> set[str]:
    with services.db.session() as s:
        run = s.get(CheckRun, s.get(Application, app_id).current_run_id)
        return {f["rule"] for f in run.result["findings"]}


def test_corrections_survive_a_resubmission_of_unchanged_files_and_not_of_replaced_ones(
        client: TestClient, services: Services, portal: Portal) -> None:
    files = [f for f in text_layer_files() if f[1][0] != "receipt.pdf"] + [_pdf("payee_near_miss", "receipt.pdf")]
    app_id = client.post("/v1/applications", content=declared_bytes(), headers=portal.headers).json()["id"]
    uploads = client.post(f"/v1/applications/{app_id}/documents", files=files, headers=portal.headers).json()
    assert client.post(f"/v1/applications/{app_id}/submit", headers=portal.headers).status_code == 202
    _run_submitted(services, app_id)
    assert "payment.payee_matches_supplier" in _rules(services, app_id)  # 枝术 for 技术: a near miss
    misread = _field(services, app_id, "receipt.pdf", "payee_name")["value"]

    _correct(services, app_id, "receipt.pdf", "payee_name", SUPPLIER)
    _correct(services, app_id, "invoice.pdf", "issued_on", "2024-07-06")
    assert "payment.payee_matches_supplier" not in _rules(services, app_id)

    # the portal replaces the invoice (new bytes): the application is checked again from its files
    invoice = next(d for d in uploads["documents"] if d["filename"] == "invoice.pdf")
    r = client.post(f"/v1/applications/{app_id}/documents/{invoice['id']}/replace",
                    files=[_pdf("invoice_words_mismatch", "invoice.pdf")], headers=portal.headers)
    assert r.status_code == 201, r.text
    _run_submitted(services, app_id)

    # the receipt did not change: the clerk's reading holds, marked as the clerk's
    payee = _field(services, app_id, "receipt.pdf", "payee_name")
    assert (payee["value"], payee["method"], payee["confidence"]) == (SUPPLIER, "clerk", 1.0)
    assert "payment.payee_matches_supplier" not in _rules(services, app_id)
    # the invoice was replaced: its new reading stands
    assert _field(services, app_id, "invoice.pdf", "issued_on")["value"] == "2024-07-05"
    with services.db.session() as s:
        app = s.get(Application, app_id)
        job_run = s.scalar(select(CheckRun).where(CheckRun.application_id == app_id, CheckRun.job_id.is_not(None))
                           .order_by(CheckRun.created_at.desc()).limit(1))
        assert job_run.id != app.current_run_id  # the pipeline's own reading is kept as it was
        assert _field(services, app_id, "receipt.pdf", "payee_name", run_id=job_run.id)["value"] == misread
        carried = {(c.file, c.field): (c.outcome, c.why) for c in s.scalars(select(CarriedCorrection))}
        assert carried == {("receipt.pdf", "payee_name"): ("reapplied", "same_file"),
                           ("invoice.pdf", "issued_on"): ("dropped", "file_replaced")}
        actions = [(e.action, e.target) for e in s.scalars(select(AuditEvent).where(AuditEvent.actor == "system"))]
        assert sorted(actions) == [("drop_correction", "invoice.pdf#issued_on"),
                                   ("reapply_correction", "receipt.pdf#payee_name")]
        # the portal hears the counts of the run the clerk sees
        checked = [d.payload for d in s.scalars(select(WebhookDelivery).where(
            WebhookDelivery.application_id == app_id).order_by(WebhookDelivery.created_at))
            if d.payload.get("status") == "checked"][-1]
        assert (checked["errors"], checked["warnings"]) == (app.errors, app.warnings)
        # the review page says what was dropped and why
        st = service.review_state(s, app)
        zh, en = st.notice
        assert "invoice.pdf 的 issued_on" in zh and "文件已更换" in zh
        assert "issued_on of invoice.pdf" in en and "replaced" in en
        receipt = next(d for d in st.documents if d["file"] == "receipt.pdf")
        assert next(f for f in receipt["fields"] if f["name"] == "payee_name")["method"] == "clerk · 沿用 re-applied"
        s.add(ReviewUser(name="boss", display_name="boss", role="supervisor", regions=[], password_hash=_hash(PASSWORD),
                         active=True))
    sign_in(client, "boss")
    page = client.get(f"/review/applications/{app_id}").text
    assert zh in page and "更正未沿用（重新提交后）" in page and "沿用更正（重新提交后）" in page

    # once more, nothing changed: the receipt's correction holds again; the dropped one stays dropped
    assert client.post(f"/v1/applications/{app_id}/submit", headers=portal.headers).status_code == 202
    _run_submitted(services, app_id)
    assert _field(services, app_id, "receipt.pdf", "payee_name")["value"] == SUPPLIER
    with services.db.session() as s:
        outcomes = [(c.field, c.outcome) for c in s.scalars(select(CarriedCorrection).order_by(CarriedCorrection.id))]
        assert outcomes[2:] == [("payee_name", "reapplied")]
        assert service.review_state(s, s.get(Application, app_id)).notice is None


def test_a_renamed_file_with_the_same_content_keeps_its_corrections() -> None:
    hashes = {"invoice (2).pdf": "aa", "invoice.pdf": "bb", "receipt.pdf": "cc"}
    assert _same_file("invoice.pdf", "bb", hashes) == "invoice.pdf"
    assert _same_file("invoice.pdf", "aa", hashes) == "invoice (2).pdf"
    assert _same_file("invoice.pdf", "dd", hashes) is None
    assert _same_file("invoice.pdf", None, hashes) is None


def test_a_failure_while_re_applying_corrections_leaves_the_new_reading_and_the_verdict(
        client: TestClient, services: Services, portal: Portal, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    files = [f for f in text_layer_files() if f[1][0] != "receipt.pdf"] + [_pdf("payee_near_miss", "receipt.pdf")]
    app_id = client.post("/v1/applications", content=declared_bytes(), headers=portal.headers).json()["id"]
    client.post(f"/v1/applications/{app_id}/documents", files=files, headers=portal.headers)
    assert client.post(f"/v1/applications/{app_id}/submit", headers=portal.headers).status_code == 202
    _run_submitted(services, app_id)
    misread = _field(services, app_id, "receipt.pdf", "payee_name")["value"]
    _correct(services, app_id, "receipt.pdf", "payee_name", SUPPLIER)

    def broken(*_a, **_k):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug in re-checking")

    monkeypatch.setattr("api.review.carry.recheck", broken)
    assert client.post(f"/v1/applications/{app_id}/submit", headers=portal.headers).status_code == 202
    _run_submitted(services, app_id)  # the job is done, not failed or retried
    with services.db.session() as s:
        app = s.get(Application, app_id)
        run = s.get(CheckRun, app.current_run_id)
        assert app.status == "checked" and run.job_id is not None  # the job's own run is current
        assert app.verdict == run.verdict
        assert not list(s.scalars(select(CarriedCorrection)))  # nothing half-written
    assert _field(services, app_id, "receipt.pdf", "payee_name")["value"] == misread
