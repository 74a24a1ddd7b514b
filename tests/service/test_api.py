"""The HTTP API on SQLite and PostgreSQL: applications, uploads, jobs, results, evidence."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.db import CheckRun, Job
from api.jobs.work import run_job
from api.services import Services
from tests.service.conftest import Portal, declared_bytes, make_portal, text_layer_files

PNG = b"\x89PNG\r\n\x1a\n"


def create(client: TestClient, portal: Portal, body: bytes | None = None, **kw) -> dict:  # type: ignore[no-untyped-def]
    r = client.post("/v1/applications", content=body or declared_bytes(), headers=portal.headers, **kw)
    assert r.status_code == 201, r.text
    return r.json()


def upload(client: TestClient, portal: Portal, app_id: str, files=None) -> dict:  # type: ignore[no-untyped-def]
    r = client.post(f"/v1/applications/{app_id}/documents", files=files or text_layer_files(), headers=portal.headers)
    assert r.status_code in (201, 207), r.text
    return r.json()


def submit_and_run(client: TestClient, services: Services, portal: Portal, app_id: str) -> dict:
    r = client.post(f"/v1/applications/{app_id}/submit", headers=portal.headers)
    assert r.status_code == 202, r.text
    assert run_job(services, r.json()["id"]) == "done"
    return client.get(f"/v1/applications/{app_id}", headers=portal.headers).json()


def test_without_a_key_the_answer_is_401_in_the_error_shape(client: TestClient) -> None:
    r = client.get("/v1/applications")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    r = client.get("/v1/applications", headers={"Authorization": "Bearer dik_000000000000_nope"})
    assert r.status_code == 401


def test_create_reads_declared_json(client: TestClient, portal: Portal) -> None:
    app = create(client, portal, params={"external_ref": "P-1"})
    assert app["program"] == "yichun-2023" and app["status"] == "draft"
    assert app["region"] == "伊春市" and app["external_ref"] == "P-1"
    assert app["requested_subsidy"] == "18000.00"
    assert app["declared"]["contracts"][0]["amount"] == "36000.00"


@pytest.mark.parametrize(("body", "code"), [
    (b"{", "bad_declared"),
    (b'{"program": "no-such-program", "applicant": {"name": "x"}}', "unknown_program"),
    (b'{"program": "yichun-2023"}', "bad_declared"),
    (b"[" * 100000, "bad_declared"),
])
def test_bad_declared_is_a_422_with_a_stable_code(client: TestClient, portal: Portal, body: bytes, code: str) -> None:
    r = client.post("/v1/applications", content=body, headers=portal.headers)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == code
    assert " / " in r.json()["error"]["message"]  # Chinese / English


def test_another_portals_application_is_not_found(client: TestClient, services: Services, portal: Portal) -> None:
    app = create(client, portal)
    other = make_portal(services, "portal-b")
    for method, path in (("get", ""), ("get", "/result"), ("get", "/documents"), ("post", "/submit"),
                         ("get", "/findings"), ("get", "/jobs")):
        r = getattr(client, method)(f"/v1/applications/{app['id']}{path}", headers=other.headers)
        assert r.status_code == 404, (path, r.text)
        assert r.json()["error"]["code"] == "not_found"
    assert client.get("/v1/applications", headers=other.headers).json()["items"] == []
    # nor change it
    r = client.put(f"/v1/applications/{app['id']}/declared", content=declared_bytes(), headers=other.headers)
    assert r.status_code == 404
    r = client.post(f"/v1/applications/{app['id']}/documents", files=text_layer_files()[:1], headers=other.headers)
    assert r.status_code == 404
    mine = upload(client, portal, app["id"], text_layer_files()[:1])["documents"][0]
    r = client.post(f"/v1/applications/{app['id']}/documents/{mine['id']}/replace", files=text_layer_files()[:1],
                    headers=other.headers)
    assert r.status_code == 404
    r = client.get(f"/v1/applications/{app['id']}/uploads/{mine['id']}/pages/1.png", headers=other.headers)
    assert r.status_code == 404
    # nor learn of it through the webhook log or a duplicate-file notice
    assert client.get("/v1/webhooks/deliveries", params={"application_id": app["id"]},
                      headers=other.headers).json() == []
    mine_delivery = client.get("/v1/webhooks/deliveries", headers=portal.headers).json()[0]["id"]
    assert client.post(f"/v1/webhooks/deliveries/{mine_delivery}/redeliver", headers=other.headers).status_code == 404
    theirs = client.post("/v1/applications", content=declared_bytes(), headers=other.headers).json()
    dup = client.post(f"/v1/applications/{theirs['id']}/documents", files=text_layer_files()[:1],
                      headers=other.headers).json()
    assert dup["duplicates"] == []  # the same bytes in another portal's application are not mentioned


def test_upload_submit_check_result_and_evidence(client: TestClient, services: Services, portal: Portal) -> None:
    app = create(client, portal)
    up = upload(client, portal, app["id"])
    assert sorted(d["filename"] for d in up["documents"]) == ["contract.pdf", "form.pdf", "invoice.pdf",
                                                              "receipt.pdf"]
    assert all(d["kind"] == "pdf" and d["pages"] >= 1 for d in up["documents"])
    done = submit_and_run(client, services, portal, app["id"])
    assert done["status"] == "checked" and done["verdict"] in ("pass", "flagged", "fail")
    result = client.get(f"/v1/applications/{app['id']}/result", headers=portal.headers).json()
    assert result["program"] == "yichun-2023"
    assert {d["type"] for d in result["documents"]} >= {"contract", "vat_invoice", "payment_receipt"}
    # the licence was not uploaded: the required-documents rule says so
    assert any(f["rule"] == "program.required_documents" for f in result["findings"])
    docs = client.get(f"/v1/applications/{app['id']}/documents", headers=portal.headers).json()
    assert all(d["upload_id"] for d in docs["documents"])
    findings = client.get(f"/v1/applications/{app['id']}/findings", headers=portal.headers).json()["findings"]
    crops = [e["crop_url"] for f in findings for e in f["evidence"] if "crop_url" in e]
    pages = [e["page_url"] for f in findings for e in f["evidence"] if "page_url" in e]
    assert pages, findings
    r = client.get(pages[0] + "?boxes=true", headers=portal.headers)
    assert r.status_code == 200 and r.content.startswith(PNG)
    if crops:
        r = client.get(crops[0], headers=portal.headers)
        assert r.status_code == 200 and r.content.startswith(PNG)


def test_bad_files_are_refused_by_name_and_the_good_ones_kept(client: TestClient, portal: Portal) -> None:
    app = create(client, portal)
    files = text_layer_files()[:1] + [
        ("files", ("broken.pdf", b"%PDF-1.7\n garbage", "application/pdf")),
        ("files", ("notes.txt", b"hello", "text/plain")),
        ("files", ("../../etc/pass\u202ewd.pdf", b"", "application/pdf")),  # path and bidi override
    ]
    r = client.post(f"/v1/applications/{app['id']}/documents", files=files, headers=portal.headers)
    assert r.status_code == 207, r.text
    body = r.json()
    assert [d["filename"] for d in body["documents"]] == ["contract.pdf"]
    codes = {x["filename"]: x["code"] for x in body["rejected"]}
    assert codes == {"broken.pdf": "pdf_unreadable", "notes.txt": "unsupported_type", "passwd.pdf": "file_empty"}


def test_oversize_file_is_refused_while_streaming(client: TestClient, portal: Portal, services: Services) -> None:
    services.settings.max_upload_bytes = 1000
    app = create(client, portal)
    r = client.post(f"/v1/applications/{app['id']}/documents", files=text_layer_files()[:1], headers=portal.headers)
    assert r.status_code == 422
    assert r.json()["rejected"][0]["code"] == "file_too_large"
    assert not list((services.store.tmp_dir).iterdir())  # nothing half-written left behind


def test_idempotency_key_replays_and_refuses_a_different_body(client: TestClient, portal: Portal) -> None:
    h = {**portal.headers, "Idempotency-Key": "k-1"}
    a = client.post("/v1/applications", content=declared_bytes(), headers=h)
    b = client.post("/v1/applications", content=declared_bytes(), headers=h)
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"] and b.headers.get("Idempotent-Replayed") == "true"
    other = json.loads(declared_bytes())
    other["requested_subsidy"] = "1.00"
    c = client.post("/v1/applications", content=json.dumps(other).encode(), headers=h)
    assert c.status_code == 409 and c.json()["error"]["code"] == "idempotency_conflict"
    assert len(client.get("/v1/applications", headers=portal.headers).json()["items"]) == 1


def test_submit_twice_with_a_key_queues_one_job(client: TestClient, services: Services, portal: Portal) -> None:
    app = create(client, portal)
    upload(client, portal, app["id"])
    h = {**portal.headers, "Idempotency-Key": "submit-1"}
    a = client.post(f"/v1/applications/{app['id']}/submit", headers=h)
    b = client.post(f"/v1/applications/{app['id']}/submit", headers=h)
    assert a.json()["id"] == b.json()["id"]
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Job)) == 1


def test_submit_without_documents_is_refused(client: TestClient, portal: Portal) -> None:
    app = create(client, portal)
    r = client.post(f"/v1/applications/{app['id']}/submit", headers=portal.headers)
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_files"


def test_list_filters_and_cursor_pagination(client: TestClient, portal: Portal) -> None:
    ids = [create(client, portal)["id"] for _ in range(5)]
    hebei = json.loads((declared_bytes()))
    hebei["program"] = "hebei-2018-benchmark"
    create(client, portal, json.dumps(hebei).encode())
    seen, cursor = [], None
    while True:
        params = {"program": "yichun-2023", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/applications", params=params, headers=portal.headers).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    assert client.get("/v1/applications", params={"status": "checked"}, headers=portal.headers).json()["items"] == []
    r = client.get("/v1/applications", params={"cursor": "!!"}, headers=portal.headers)
    assert r.status_code == 422


def test_a_job_gives_exactly_one_result(client: TestClient, services: Services, portal: Portal) -> None:
    app = create(client, portal)
    upload(client, portal, app["id"])
    job_id = client.post(f"/v1/applications/{app['id']}/submit", headers=portal.headers).json()["id"]
    assert run_job(services, job_id) == "done"
    assert run_job(services, job_id) == "not claimed"  # a redelivered message
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(CheckRun).where(CheckRun.job_id == job_id)) == 1


def test_history_catches_the_same_company_applying_twice(client: TestClient, services: Services,
                                                         portal: Portal) -> None:
    first = create(client, portal)
    upload(client, portal, first["id"])
    submit_and_run(client, services, portal, first["id"])
    second = create(client, portal)
    up = upload(client, portal, second["id"])
    assert {d["filename"] for d in up["duplicates"]} == {"contract.pdf", "form.pdf", "invoice.pdf", "receipt.pdf"}
    submit_and_run(client, services, portal, second["id"])
    rules = lambda a: {f["rule"] for f in client.get(f"/v1/applications/{a}/result",  # noqa: E731
                                                      headers=portal.headers).json()["findings"]}
    assert "application.one_per_company" in rules(second["id"])
    # re-checking the first application does not accuse it of the second's reuse
    client.post(f"/v1/applications/{first['id']}/submit", headers=portal.headers)
    with services.db.session() as s:
        job = s.scalars(select(Job).where(Job.application_id == first["id"], Job.status == "queued")).one()
    run_job(services, job.id)
    assert "application.one_per_company" not in rules(first["id"])


def test_reupload_supersedes_and_queues_a_new_check(client: TestClient, services: Services, portal: Portal) -> None:
    app = create(client, portal)
    up = upload(client, portal, app["id"])
    submit_and_run(client, services, portal, app["id"])
    old = next(d for d in up["documents"] if d["filename"] == "receipt.pdf")
    files = [f for f in text_layer_files() if f[1][0] == "receipt.pdf"]
    r = client.post(f"/v1/applications/{app['id']}/documents/{old['id']}/replace", files=files,
                    headers=portal.headers)
    assert r.status_code == 201, r.text
    assert r.json()["documents"][0]["replaces_id"] == old["id"]
    listing = client.get(f"/v1/applications/{app['id']}/documents", headers=portal.headers).json()
    assert {u["id"]: u["status"] for u in listing["uploads"]}[old["id"]] == "superseded"
    assert client.get(f"/v1/applications/{app['id']}", headers=portal.headers).json()["status"] == "queued"


def test_rate_limit_per_key(client: TestClient, services: Services, portal: Portal) -> None:
    services.limiter.per_minute = 3
    codes = [client.get("/v1/applications", headers=portal.headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = client.get("/v1/applications", headers=portal.headers)
    assert r.json()["error"]["code"] == "rate_limited" and int(r.headers["Retry-After"]) >= 1


def test_openapi_is_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/v1/applications/{app_id}/submit" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_history_across_portals_names_no_foreign_application(client: TestClient, services: Services,
                                                              portal: Portal) -> None:
    first = create(client, portal)
    upload(client, portal, first["id"])
    submit_and_run(client, services, portal, first["id"])
    other = make_portal(services, "portal-b")
    second = create(client, other)
    upload(client, other, second["id"])
    submit_and_run(client, services, other, second["id"])
    result = client.get(f"/v1/applications/{second['id']}/result", headers=other.headers).json()
    (hit,) = [f for f in result["findings"] if f["rule"] == "application.one_per_company"]
    assert "another portal" in hit["message"] and first["id"][:8] not in hit["message"]
