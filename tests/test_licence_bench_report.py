"""The accuracy report tells a lost page from a misread one, and which code it ran.

Why: licence 0555 was "wrong once in the batch run, right alone". OCR output is
deterministic for fixed code (the licences read bit-identically alone and in
batches), so a run that differs either ran other code (intake/ changed under it)
or lost the page to the OCR time limit; the report now shows both.
"""

from __future__ import annotations

from bench import accuracy
from intake.model import ExtractResult, FileError


def test_failed_pages_and_code_fingerprint_are_reported(monkeypatch, tmp_path) -> None:
    realdata = tmp_path / "realdata"
    images = realdata / "business_licences" / "images"
    images.mkdir(parents=True)
    truth = accuracy.scoring.load_truth_file(accuracy.TRUTH_DIR / "licences.json")
    for name in truth:
        (images / name).write_bytes(b"x")

    def fake_extract(paths, *, engine="rapidocr", workers=None, progress=False, display_names=None):
        res = ExtractResult()
        res.errors.append(FileError("0555.jpg", "ocr_timeout", "第1页识别超时 / page 1: OCR ran over its time limit"))
        return res

    monkeypatch.setattr(accuracy, "_load_pipeline", lambda: fake_extract)
    out = tmp_path / "t.md"
    assert accuracy.main(["--sets", "licences", "--realdata", str(realdata), "--out", str(out), "--misses"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "## Files and pages that failed" in text
    assert "| licences | 0555.jpg | ocr_timeout |" in text
    assert "- code: intake " in text and "extractors " in text
