"""RapidOCR (PP-OCR det + rec on onnxruntime, models shipped in the wheel)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from intake.errors import OcrError
from intake.model import Method, Segment
from intake.preprocess import CleanOptions

# rapidocr 3 takes dotted config keys (its config.yaml). One intra-op thread: the
# runner already runs one process per core, and extra threads only contend.
_PARAMS: dict[str, Any] = {
    "Global.log_level": "error",  # "no text found" is a warning there, normal here
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    # pages reach us upright (clean-up); the per-line 0/180 classifier is then an
    # extra pass over every line crop for nothing (measured on 4 invoice photos:
    # 68/80 fields with it and without it)
    "Global.use_cls": False,
    # rapidocr turns onnxruntime's memory arena off. Without it every page whose size
    # differs from the last one pays ~0.6 s more in detection (fresh buffers, page
    # faults): 1.45 s against 0.72 s on the first 2016 x 1408 page, and clean-up makes
    # most page sizes new. With it, no page pays that, and detection runs 10-20 %
    # faster; the arena keeps the largest page's buffers (bounded by max_side_len).
    "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
}

# Detection needs far fewer pixels than recognition: its input is scaled so glyphs
# are about DET_TEXT_PX tall (the detector's cost grows with the pixels), while the
# recogniser still crops every line from the full image. rapidocr's defaults run
# detection at up to 2000 px whatever the text size. Measured on 6 scans and 8
# invoice photos (text 27-40 px after clean-up): see docs/benchmarks.md.
DET_TEXT_PX = 20
MIN_DET_SIDE = 736  # rapidocr's own floor for the detector's input (limit_side_len)
MAX_SIDE = 2000  # rapidocr's Global.max_side_len: larger pages are shrunk to it first


def det_side(shape: tuple[int, ...], text_height: float | None) -> int | None:
    """Longest side to run detection at for a page of ``shape`` whose glyphs are
    ``text_height`` px, or None to leave rapidocr's default (no text measured, or
    the page is already small enough)."""
    if not text_height or text_height <= 0:
        return None
    longest = max(shape[0], shape[1])
    default = min(longest, MAX_SIDE)  # what detection would see without a hint
    side = max(MIN_DET_SIDE, round(longest * DET_TEXT_PX / text_height))
    return side if side < default else None


@dataclass
class RapidOcrEngine:
    """RapidOCR with its default PP-OCRv6 small models (any other model would be
    downloaded, which fails offline). The model loads on the first ``recognize``
    and is dropped when pickled, so the engine travels to worker processes cheaply."""

    params: dict[str, Any] = field(default_factory=dict)  # extra rapidocr config keys
    # Clean-up this engine wants (read by the runner): no upscaling. PP-OCR's
    # detector enlarges small pages itself and its recogniser scales every line to
    # 48 px; on the 19 licences under 500 px our upscale found 6 valid credit codes
    # against 7 without it, at 4.5 s a page against 2.1 s.
    clean_options: CleanOptions = CleanOptions(upscale=False)
    name: str = field(default="rapidocr", init=False)
    method: Method = field(default=Method.RAPIDOCR, init=False)
    _ocr: Any = field(default=None, init=False, repr=False, compare=False)
    # one call at a time: the detection size is set on the shared detector per call
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False,
                                  compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_ocr"] = None
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._ocr is None:
            from rapidocr import RapidOCR  # heavy import, only where used

            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            try:
                ocr = RapidOCR(params={**_PARAMS, **self.params})
                # rapidocr builds its detector on the first call; a blank page makes
                # it exist now, so the first real page can be given its size too
                ocr(np.full((32, 32, 3), 255, np.uint8))
            except Exception as e:  # a broken install must not look like a crash
                raise OcrError(f"rapidocr could not load: {e}") from e
            self._ocr = ocr
        return self._ocr

    def recognize(self, image: np.ndarray, *, text_height: float | None = None) -> list[Segment]:
        ocr = self._load()
        side = det_side(image.shape, text_height)
        with self._lock:
            try:
                with _detection_size(ocr, side):
                    out = ocr(image)
            except Exception as e:  # onnxruntime and rapidocr raise many kinds
                raise OcrError(f"rapidocr failed: {e}") from e
        if out is None or getattr(out, "txts", None) is None or out.boxes is None:
            return []
        segments = []
        for quad, text, score in zip(out.boxes, out.txts, out.scores):
            text = str(text).strip()
            if not text:
                continue
            q = np.asarray(quad, dtype=np.float64)
            x0, y0 = np.floor(q.min(axis=0)).astype(int)
            x1, y1 = np.ceil(q.max(axis=0)).astype(int)
            segments.append(
                Segment(text=text, bbox=(max(0, int(x0)), max(0, int(y0)), int(x1), int(y1)),
                        confidence=float(score))
            )
        return segments  # rapidocr's own reading order (top-down, then left-right)


class _detection_size:
    """Runs rapidocr's detector at ``side`` px on its longest side for one call.

    rapidocr reads ``limit_type``/``limit_side_len`` from its detector on every call
    and has no per-call argument for them; ``tests/test_ocr_engines.py`` fails if a
    new rapidocr version drops these attributes."""

    def __init__(self, ocr: Any, side: int | None) -> None:
        self.det = getattr(ocr, "text_det", None)
        self.side = side if self.det is not None and hasattr(self.det, "limit_side_len") else None

    def __enter__(self) -> None:
        if self.side is not None:
            self.saved = (self.det.limit_type, self.det.limit_side_len)
            self.det.limit_type, self.det.limit_side_len = "max", self.side

    def __exit__(self, *exc: object) -> None:
        if self.side is not None:
            self.det.limit_type, self.det.limit_side_len = self.saved
