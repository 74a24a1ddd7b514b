"""A flagged sample application for tests, screenshots and the benchmark.

Built from the golden bundles in ``samples/bundles/yichun-2023``: the clean
application's files, but the receipt of ``payee_near_miss`` (it prints the payee
伊春林都云信息枝术 for 技术). The stored documents are the goldens' extraction output,
so no OCR runs, with one misread simulated: the invoice's total is stored as
¥8,000.00 at confidence 0.62 (a dropped leading digit), while the page prints
¥18,000.00. The check runs on them through ``api.review.recheck`` (as after a
correction): four warnings — amount + tax ≠ total, 大写 ≠ 小写, the total differs from
the declared ¥18,000.00 (each lowered from error to warning by the low confidence),
and the payee is a near miss of the supplier. Correcting the total clears the first
three; the payee is for the clerk to judge (override with a reason).
"""

from __future__ import annotations

import json
from functools import cache
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api import operations as ops
from api.db import Application, AppStatus, CheckRun, utcnow
from api.review.recheck import documents_from_json, recheck
from api.services import Services
from intake.loaders import Limits, load_file

SAMPLE_TODAY = date(2024, 9, 11)  # the goldens' "today"
# file name -> the case whose file (and extraction) is used
FILES = {"contract.pdf": "clean", "form.pdf": "clean", "licence.jpg": "clean", "invoice.pdf": "clean",
         "receipt.pdf": "payee_near_miss"}
MISREAD = ("invoice.pdf", "total", "8000.00", "¥8000.00", 0.62)  # file, field, value, raw, confidence


@cache
def _frames(path: str, limits: Limits) -> tuple[int, dict[str, list[int]]]:
    """Pages and their frames (the pixel size every box refers to) of a sample file."""
    pages = load_file(Path(path), limits=limits)
    return len(pages), {str(p.number): [p.width, p.height] for p in pages}


def _documents(bundles: Path) -> list[dict[str, Any]]:
    by_case = {c: json.loads((bundles / c / "expected.json").read_text(encoding="utf-8"))
               for c in set(FILES.values())}
    docs = []
    for d in by_case["clean"]["documents"]:
        doc = json.loads(json.dumps(next(x for x in by_case[FILES[d["file"]]]["documents"] if x["file"] == d["file"])))
        file, name, value, raw, confidence = MISREAD
        if doc["file"] == file:
            doc["fields"][name].update(value=value, raw=raw, confidence=confidence)
        docs.append(doc)
    return docs


def make_flagged_application(services: Services, s: Session, portal_id: str, samples: Path, *,
                             region: str = "伊春市", applicant: str | None = None, received_days_ago: int = 3,
                             today: date = SAMPLE_TODAY) -> Application:
    bundles = samples / "bundles" / "yichun-2023"
    raw = (bundles / "clean" / "declared.json").read_bytes()
    declared = json.loads(raw.decode("utf-8"), parse_float=str, parse_int=str)
    declared["applicant"]["region"] = region
    if applicant:
        declared["applicant"]["name"] = applicant
    app = ops.create_application(s, portal_id, json.dumps(declared, ensure_ascii=False).encode(), None)
    files: dict[str, Any] = {}
    for name, case in FILES.items():
        path = (bundles / case / name).resolve()
        blob = services.store.put_bytes(path.read_bytes())
        count, frames = _frames(str(path), services.limits)
        upload = ops.add_upload(s, app, filename=name, sha256=blob.sha256, size=blob.size,
                                kind=path.suffix.lstrip(".").replace("jpg", "jpeg"), pages=count)
        files[name] = {"upload_id": upload.id, "pages": dict(frames)}
    result = {"version": 1, "program": app.program, "verdict": "pass", "eligible_subsidy": None,
              "documents": _documents(bundles), "findings": [], "checklist": [], "errors": []}
    base = CheckRun(application_id=app.id, job_id=None, verdict="pass", result=result, files=files)
    s.add(base)
    s.flush()
    received = utcnow() - timedelta(days=received_days_ago)
    app.submitted_at = received
    app.created_at = received
    ops.set_status(s, app, AppStatus.CHECKED)
    recheck(services, s, app, base, documents_from_json(result, files), today=today)
    return app
