"""RapidOCR (PP-OCR det + rec on onnxruntime, models shipped in the wheel)."""

from __future__ import annotations

import logging
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
}

# For workers that read many pages (the service's OcrPool): onnxruntime's memory
# arena, which rapidocr turns off. Without it every page whose size differs from the
# last pays ~0.6 s more in detection (fresh buffers, page faults: 1.45 s against
# 0.72 s on a new 2016 x 1408 page), and clean-up makes most page sizes new. On warm
# workers it cut the pipeline from 1.38 to 1.03 s per scanned page and from 1.80 to
# 1.31 s per photo (bench/speed.py). A one-shot `docintake extract` gained nothing
# from it (1.53 s per scan without, 1.71 with, one run each: within the +-15 %
# spread of such runs), and the arena keeps the largest page's buffers, ~1.4 GiB
# resident per worker against ~0.7 GiB (flat after the first pages): off there.
LONG_LIVED_PARAMS: dict[str, Any] = {"EngineConfig.onnxruntime.enable_cpu_mem_arena": True}


@dataclass
class RapidOcrEngine:
    """RapidOCR with its default PP-OCRv6 small models (any other model would be
    downloaded, which fails offline). The model loads on the first ``recognize``
    and is dropped when pickled, so the engine travels to worker processes cheaply."""

    params: dict[str, Any] = field(default_factory=dict)  # extra rapidocr config keys
    long_lived: bool = False  # the worker will read many pages: LONG_LIVED_PARAMS
    # Clean-up this engine wants (read by the runner): no upscaling. PP-OCR's
    # detector enlarges small pages itself and its recogniser scales every line to
    # 48 px; on the 19 licences under 500 px our upscale found 6 valid credit codes
    # against 7 without it, at 4.5 s a page against 2.1 s.
    clean_options: CleanOptions = CleanOptions(upscale=False)
    name: str = field(default="rapidocr", init=False)
    method: Method = field(default=Method.RAPIDOCR, init=False)
    _ocr: Any = field(default=None, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_ocr"] = None
        return state

    def _load(self) -> Any:
        if self._ocr is None:
            from rapidocr import RapidOCR  # heavy import, only where used

            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            try:
                tuned = LONG_LIVED_PARAMS if self.long_lived else {}
                self._ocr = RapidOCR(params={**_PARAMS, **tuned, **self.params})
            except Exception as e:  # a broken install must not look like a crash
                raise OcrError(f"rapidocr could not load: {e}") from e
        return self._ocr

    def recognize(self, image: np.ndarray) -> list[Segment]:
        ocr = self._load()
        try:
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
