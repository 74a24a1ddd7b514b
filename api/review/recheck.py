"""Corrections re-run the checks at once, without reading the files again.

A clerk's correction changes one extracted value. Re-running OCR would take minutes
on scanned bundles, so the checks run instead on the documents *as stored* in the
current check run (the ``documents`` of the check JSON: every field with its value,
page, box, confidence and method), with the corrected field replaced. The rules need
nothing else, with one exception: the invoice QR payloads are not in the check JSON,
so ``invoice.qr_matches_print`` cannot be re-run; its findings are carried over from
the run before (and, when the correction touched a field they rest on, turned into a
warning asking for a comparison by hand).

The result is a new ``CheckRun`` (no job), made the application's current run, exactly
as a job's result would be: verdict, counts, eligible subsidy, history keys.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from api.db import Application, CheckRun, Upload, utcnow
from api.history import load_history, save_keys
from api.services import Services
from intake.check_cli import program_list_for
from intake.model import Document, DocType, ExtractedField, FileError, Method, Page, Quality, Segment
from validators import default_table, load_policy, run_checks
from validators.declared import parse_declared
from validators.history import keys_of

CLERK_METHOD = "clerk"
# Rules that read what only the page image holds (not stored in the check JSON).
PAGE_ONLY_RULES = frozenset({"invoice.qr_matches_print"})


def finding_key(finding: dict[str, Any]) -> str:
    """Stable across re-runs: the rule, the fields it rests on, the declared value it contradicts."""
    parts = [finding.get("rule", "")]
    parts += sorted(f"{e.get('file')}#{e.get('field') or ''}" for e in finding.get("evidence", []))
    parts.append((finding.get("declared") or {}).get("path", ""))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _method(value: str | None) -> Method | str:
    try:
        return Method(value)
    except ValueError:
        return value or CLERK_METHOD


class StoredDocument(Document):
    """A document read back from the check JSON: its quality is the stored one (the page
    segments it was computed from are not stored, so it cannot be recomputed)."""

    def __init__(self, *args: Any, stored_quality: Quality, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._stored_quality = stored_quality

    @property
    def quality(self) -> Quality:
        return self._stored_quality


def documents_from_json(result: dict[str, Any], files: dict[str, Any]) -> list[Document]:
    """``intake.model.Document`` objects back from the check JSON (segments and QR payloads excepted)."""
    docs = []
    for d in result.get("documents", []):
        q = d.get("quality") or {}
        quality = Quality(legible=q.get("legible", True), dpi=int(q.get("dpi", 300)),
                          skew_deg=float(q.get("skew_deg", 0.0)), blur=float(q.get("blur", 0.0)),
                          legibility=float(q.get("legibility", 1.0)), rotation=int(q.get("rotation", 0)),
                          steps=list(q.get("steps", [])))
        frames = (files.get(d["file"]) or {}).get("pages", {})
        fields = {
            name: ExtractedField(value=f.get("value"), raw=f.get("raw"), confidence=float(f.get("confidence", 0.0)),
                                 page=f.get("page"), bbox=tuple(f["bbox"]) if f.get("bbox") else None,
                                 method=_method(f.get("method")))
            for name, f in (d.get("fields") or {}).items()
        }
        methods = [f.method for f in fields.values() if isinstance(f.method, Method)]
        page_method = methods[0] if methods else Method.TEXT_LAYER
        pages = []
        for n in d.get("pages", []):
            w, h = (frames.get(str(n)) or [0, 0])[:2]
            segments = [Segment(d["text"], (0, 0, int(w), int(h)), 1.0)] if d.get("text") and n == d["pages"][0] else []
            pages.append(Page(d["file"], int(n), int(w), int(h), quality.dpi, segments, page_method, quality))
        docs.append(StoredDocument(d["file"], pages, DocType(d.get("type", "other")),
                                   float(d.get("type_confidence", 0.0)), fields, stored_quality=quality))
    return docs


def apply_correction(docs: list[Document], file: str, field: str, value: Any) -> Any:
    """Replace one field's value; the old value is returned. The box and page stay (the crop still shows)."""
    for doc in docs:
        if doc.file == file and field in doc.fields:
            old = doc.fields[field]
            doc.fields[field] = ExtractedField(value=value, raw=old.raw, confidence=1.0, page=old.page,
                                               bbox=old.bbox, method=CLERK_METHOD)
            return old.value
    raise KeyError(f"{file}#{field}")


def verdict_of(findings: list[dict[str, Any]]) -> str:
    sev = {f.get("severity") for f in findings}
    return "fail" if "error" in sev else "flagged" if "warning" in sev else "pass"


def recheck(services: Services, s: Session, app: Application, run: CheckRun, docs: list[Document],
            touched: set[tuple[str, str]] = frozenset(), today: date | None = None) -> CheckRun:
    """Run the program's rules on ``docs``; store and return the new current run."""
    table = default_table()
    program = load_policy(app.program, table)
    program_list, unavailable = program_list_for(services.settings.lists_dir, program)
    declared = parse_declared(dict(app.declared), source="declared")
    hashes: dict[str, str] = {}
    for name, info in (run.files or {}).items():
        upload = s.get(Upload, info.get("upload_id")) if info.get("upload_id") else None
        if upload is not None:
            hashes[name] = upload.sha256
    errors = [FileError(e.get("file", ""), e.get("error", ""), e.get("message", "")) for e in run.result.get("errors", [])]
    keys = keys_of(docs, declared, hashes)
    history = load_history(s, app.id, keys, hashes)
    result = run_checks(docs, declared, program, table, today=today or date.today(), program_list=program_list,
                        list_unavailable=unavailable, file_errors=errors, history=history)
    out = result.to_json()
    carried = []
    for f in run.result.get("findings", []):
        if f.get("rule") not in PAGE_ONLY_RULES:
            continue
        rests_on = {(e.get("file"), e.get("field")) for e in f.get("evidence", [])}
        if rests_on & set(touched):
            f = {**f, "severity": "warning" if f.get("severity") == "error" else f.get("severity"),
                 "message": f"{f.get('message', '')}（已更正相关字段，请人工比对二维码与票面 / a field this rests on "
                            f"was corrected: compare the QR code with the print by hand）"}
        carried.append(f)
    if carried:
        rank = {"error": 2, "warning": 1, "info": 0}
        out["findings"] = sorted(out["findings"] + carried, key=lambda f: -rank.get(f.get("severity"), 0))
        out["verdict"] = verdict_of(out["findings"])
    new = CheckRun(application_id=app.id, job_id=None, verdict=out["verdict"], result=out, files=dict(run.files or {}))
    s.add(new)
    s.flush()
    counts = {"error": 0, "warning": 0}
    for f in out["findings"]:
        if f.get("severity") in counts:
            counts[f["severity"]] += 1
    app.current_run_id = new.id
    app.verdict = out["verdict"]
    app.errors, app.warnings = counts["error"], counts["warning"]
    app.eligible_subsidy = result.eligible_subsidy
    app.checked_at = utcnow()
    app.updated_at = utcnow()
    save_keys(s, app.id, app.program, keys)
    return new
