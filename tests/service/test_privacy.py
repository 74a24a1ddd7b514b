"""ID numbers: masked in every API answer and never in the logs."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, strategies as st
from sqlalchemy import select

from api.app import create_app
from api.db import Job
from api.db.migrate import upgrade
from api.jobs.work import run_job
from api.privacy import mask_text
from api.services import Services
from api.settings import Settings
from intake.model import Segment
from intake.ocr.fakes import ReplayEngine
from tests.service.conftest import declared_bytes, make_portal, text_layer_files

ID = "11010519491231002X"
CARD = [Segment("居民身份证", (100, 40, 400, 80), 0.99), Segment("姓名 王芳", (100, 120, 400, 160), 0.99),
        Segment("性别 女 民族 汉", (100, 180, 400, 220), 0.99),
        Segment(f"公民身份号码 {ID}", (100, 400, 900, 440), 0.99)]


def test_mask_text_hides_id_numbers_in_prose() -> None:
    assert mask_text(f"号码{ID}。") == "号码11**************2X。"
    assert mask_text("发票号码 24232000000413666084") == "发票号码 24232000000413666084"  # 20 digits: not an ID


@given(st.text())
def test_mask_text_never_grows_a_number_back(text: str) -> None:
    masked = mask_text(text)
    assert mask_text(masked) == masked
    assert ID not in mask_text(text + " " + ID + " ")  # standing alone (inside a longer number it is not an ID)


def test_id_number_is_masked_in_results_and_absent_from_logs(tmp_path, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    settings = Settings(_env_file=None, data_dir=tmp_path / "var", ocr_workers=1)
    upgrade(settings.sqlalchemy_url)
    services = Services.from_settings(settings, engine=ReplayEngine({}, default=CARD))
    with TestClient(create_app(settings, services=services, background=False)) as client:
        portal = make_portal(services)
        h = portal.headers
        app_id = client.post("/v1/applications", content=declared_bytes(), headers=h).json()["id"]
        files = text_layer_files()[:1] + [("files", ("idcard.png", _png(), "image/png"))]
        assert client.post(f"/v1/applications/{app_id}/documents", files=files, headers=h).status_code == 201
        client.post(f"/v1/applications/{app_id}/submit", headers=h)
        with services.db.session() as s:
            assert run_job(services, s.scalars(select(Job.id)).one()) == "done"
        answers = [client.get(f"/v1/applications/{app_id}{p}", headers=h).text
                   for p in ("/result", "/documents", "/findings", "")]
    result = json.loads(answers[0])
    cards = [d for d in result["documents"] if d["type"] == "id_card"]
    assert cards and cards[0]["fields"]["id_number"]["value"] == "11**************2X"
    for text in answers:
        assert ID not in text
    assert ID not in caplog.text


def _png() -> bytes:
    import cv2
    import numpy as np

    img = np.full((640, 1000, 3), 255, np.uint8)
    cv2.putText(img, "ID", (100, 300), cv2.FONT_HERSHEY_SIMPLEX, 3, (0, 0, 0), 6)
    return cv2.imencode(".png", img)[1].tobytes()
