"""Issue 6 (speed): workers render their own pages, evidence is read while the image
is at hand, and files are extracted as their pages come back. Behaviour only; no
assertion here is about wall time."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from intake.errors import ErrorCode, InputError, OcrError
from intake.model import DocType, Document, Method, Page, Quality, Segment
from intake.ocr.fakes import ReplayEngine, blank_page
from intake.ocr.runner import PageJob, PageRead, read_page, read_pages
from intake import pipeline

INVOICE_WORDS = [
    Segment("增值税专用发票", (10, 10, 300, 40), 0.95),
    Segment("发票代码 4400154130 发票号码 12269563", (10, 50, 300, 80), 0.95),
    Segment("开票日期 2016年06月12日 价税合计", (10, 90, 300, 120), 0.95),
]
OTHER_WORDS = [Segment("今天天气很好，我们去公园散步", (10, 10, 300, 40), 0.95)] * 3
PAYLOAD = "01,04,4400154130,12269563,2987.18,20160612,12345678901234567890,ABCD"


def _failing_render() -> np.ndarray:
    raise InputError("页面无法读取 / the page cannot be read", code=ErrorCode.FILE_NOT_FOUND)


def _texts(image: np.ndarray, segments: list[Segment]) -> tuple[int, str]:
    return (int(image.shape[1]), "|".join(s.text for s in segments))


def _broken_evidence(image: np.ndarray, segments: list[Segment]) -> None:
    raise RuntimeError("evidence bug")


def _job(key: str, **kw) -> PageJob:  # type: ignore[no-untyped-def]
    return PageJob(key=key, image=None, dpi=200, kind="pdf_scan", **kw)


def test_a_job_may_carry_a_render_callable_instead_of_pixels() -> None:
    read = read_page(_job("r", render=functools.partial(blank_page, 420)), ReplayEngine({}, default=OTHER_WORDS))
    assert (read.width, read.height, read.dpi) == (420, 300, 200)
    assert [s.text for s in read.segments] == [s.text for s in OTHER_WORDS]
    with pytest.raises(ValueError):
        read_page(_job("nothing"), ReplayEngine({}, default=[]))


def test_workers_render_pages_and_a_failed_render_fails_that_page_only() -> None:
    jobs = [
        _job("ok", render=functools.partial(blank_page, 400), evidence=_texts),
        _job("gone", render=_failing_render),
        _job("bad-hook", render=functools.partial(blank_page, 410), evidence=_broken_evidence),
        PageJob("pixels", blank_page(430), 200, "pdf_scan"),
    ]
    seen: list[tuple[str, type]] = []
    out = read_pages(jobs, ReplayEngine({}, default=OTHER_WORDS), workers=2, page_timeout_s=60,
                     on_result=lambda key, outcome: seen.append((key, type(outcome))))
    assert list(out) == ["ok", "gone", "bad-hook", "pixels"]
    assert sorted(seen) == sorted((k, type(v)) for k, v in out.items())
    ok = out["ok"]
    assert isinstance(ok, PageRead) and ok.width == 400
    assert ok.evidence == (400, "|".join(s.text for s in OTHER_WORDS))  # run in the worker
    gone = out["gone"]
    assert isinstance(gone, InputError) and not isinstance(gone, OcrError)
    assert gone.code is ErrorCode.FILE_NOT_FOUND and "cannot be read" in gone.message
    hook = out["bad-hook"]
    assert isinstance(hook, PageRead) and hook.evidence is None  # the page is still read
    assert isinstance(out["pixels"], PageRead) and out["pixels"].evidence is None


def _qr_page() -> np.ndarray:
    segno = pytest.importorskip("segno")
    import cv2

    img = np.array(segno.make(PAYLOAD, error="m").matrix, dtype=np.uint8)
    img = np.pad(np.where(img > 0, 0, 255).astype(np.uint8), 4, constant_values=255)
    img = cv2.resize(img, None, fx=6, fy=6, interpolation=cv2.INTER_NEAREST)
    page = np.full((1200, 1600, 3), 255, np.uint8)
    page[50 : 50 + img.shape[0], 60 : 60 + img.shape[1]] = img[:, :, None]
    return page


def test_worker_evidence_reads_the_qr_of_a_page_that_reads_as_an_invoice() -> None:
    page = _qr_page()
    assert pipeline._worker_evidence(page, INVOICE_WORDS) == (DocType.VAT_INVOICE, [PAYLOAD])
    assert pipeline._worker_evidence(page, OTHER_WORDS) is None  # no type needing the image


def _page(number: int) -> Page:
    return Page(file="f", number=number, width=100, height=100, dpi=200, segments=[],
                method=Method.REPLAY, quality=Quality(dpi=200))


class _Source:
    """A SourcePage stand-in that counts renders."""

    def __init__(self, number: int, image: np.ndarray) -> None:
        self.number = number
        self.image = image
        self.renders = 0

    def render(self) -> np.ndarray:
        self.renders += 1
        return self.image


def test_evidence_from_the_worker_is_used_only_for_the_type_it_was_read_for() -> None:
    qr = _qr_page()
    sources = {1: _Source(1, qr), 2: _Source(2, qr), 3: _Source(3, qr)}
    early = {
        1: (DocType.VAT_INVOICE, ["from-the-worker"]),  # used as is, no render
        2: (DocType.CONTRACT, (True, 0.9, None)),  # another type: read again here
    }
    doc = Document("f", [_page(1), _page(2), _page(3)], DocType.VAT_INVOICE, 0.9)
    pipeline._attach_page_images_evidence(doc, sources, early)  # type: ignore[arg-type]
    assert doc.pages[0].qr_payloads == ["from-the-worker"] and sources[1].renders == 0
    assert doc.pages[1].qr_payloads == [PAYLOAD] and sources[2].renders == 1
    assert doc.pages[2].qr_payloads == [PAYLOAD] and sources[3].renders == 1
    other = Document("f", [_page(1)], DocType.PAYMENT_RECEIPT, 0.9)
    pipeline._attach_page_images_evidence(other, sources, early)  # type: ignore[arg-type]
    assert sources[1].renders == 0  # a type that needs no image is never rendered


def _png(path: Path, width: int) -> Path:
    import cv2

    cv2.imwrite(str(path), blank_page(width, 400))
    return path


def test_extract_files_keeps_file_order_and_reports_every_failure(tmp_path: Path) -> None:
    files = [_png(tmp_path / f"p{i}.png", 500 + 10 * i) for i in range(4)]
    missing = tmp_path / "missing.png"
    vanishing = _png(tmp_path / "vanishing.png", 620)
    engine = ReplayEngine({}, default=OTHER_WORDS)

    # the file is there when loaded and gone when its worker renders it
    real_load = pipeline.load_file

    def load_then_delete(path, **kw):  # type: ignore[no-untyped-def]
        pages = real_load(path, **kw)
        if path == vanishing:
            path.unlink()
        return pages

    paths = [files[0], missing, files[1], vanishing, files[2], files[3]]
    try:
        pipeline.load_file = load_then_delete  # type: ignore[assignment]
        result = pipeline.extract_files(paths, engine=engine, workers=2)
    finally:
        pipeline.load_file = real_load  # type: ignore[assignment]
    assert [d.file for d in result.documents] == ["p0.png", "p1.png", "p2.png", "p3.png"]
    assert all(d.type is DocType.OTHER for d in result.documents)
    # load errors first, as before; then page errors: the loader's own code, not OCR's
    assert [e.file for e in result.errors] == ["missing.png", "vanishing.png"]
    assert result.errors[0].error == str(ErrorCode.FILE_NOT_FOUND)
    assert result.errors[1].error not in (str(ErrorCode.OCR_FAILED), str(ErrorCode.OCR_TIMEOUT))
    assert result.errors[1].message.startswith("page 1: ")
