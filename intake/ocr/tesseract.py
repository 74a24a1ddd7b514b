"""Tesseract through pytesseract, words grouped into line segments."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field

import cv2
import numpy as np
import pytesseract

from intake.errors import ErrorCode, OcrError
from intake.model import BBox, Method, Segment, union_bbox
from intake.preprocess import CleanOptions

# A gap wider than this many line heights splits one Tesseract line into two
# segments: with --psm 6 a form row such as "名称：… 密码区 …" comes back as one line,
# and a segment spanning the whole page would make every sub-box meaningless.
SPLIT_GAP_LINE_HEIGHTS = 1.5


def _wide(ch: str) -> bool:
    """CJK characters and full-width punctuation: written without spaces."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


@dataclass
class _Word:
    text: str
    box: BBox
    conf: float


def join_words(words: list[str]) -> str:
    """Join Tesseract words: no space next to a CJK character, one between Latin
    words (``["2016", "年"]`` -> ``2016年``; ``["No", "123"]`` -> ``No 123``)."""
    out = ""
    for w in words:
        if out and not _wide(out[-1]) and not _wide(w[0]):
            out += " "
        out += w
    return out


def _segment(words: list[_Word]) -> Segment:
    return Segment(
        text=join_words([w.text for w in words]),
        bbox=union_bbox([w.box for w in words]),
        confidence=float(np.mean([w.conf for w in words])),
    )


def group_lines(data: dict[str, list]) -> list[Segment]:
    """Segments from ``image_to_data`` output (dict form), one per visual run."""
    lines: dict[tuple[int, int, int], list[_Word]] = {}
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        x, y = int(data["left"][i]), int(data["top"][i])
        w, h = int(data["width"][i]), int(data["height"][i])
        lines.setdefault(key, []).append(_Word(text, (x, y, x + w, y + h), conf / 100.0))
    segments: list[Segment] = []
    for key in sorted(lines):
        words = sorted(lines[key], key=lambda w: w.box[0])
        height = float(np.median([w.box[3] - w.box[1] for w in words]))
        run: list[_Word] = [words[0]]
        for w in words[1:]:
            if w.box[0] - run[-1].box[2] > SPLIT_GAP_LINE_HEIGHTS * height:
                segments.append(_segment(run))
                run = []
            run.append(w)
        segments.append(_segment(run))
    return segments


@dataclass
class TesseractEngine:
    """``tesseract -l chi_sim --psm 6``: measured better than ``chi_sim+eng`` on the
    invoice photos (the eng model turns CJK into Latin look-alikes)."""

    lang: str = "chi_sim"
    psm: int = 6
    timeout_s: float = 60.0
    # Clean-up this engine wants (read by the runner). No red-channel seal step:
    # Tesseract's global threshold then drops the reddish-brown ink of e-invoice
    # forms (measured on 6 rasterised e-invoices: 53 % of words exact with it,
    # 70 % without; on the invoice photos 49 % either way).
    clean_options: CleanOptions = CleanOptions(seal="off")
    name: str = field(default="tesseract", init=False)
    method: Method = field(default=Method.TESSERACT, init=False)

    def recognize(self, image: np.ndarray) -> list[Segment]:
        # Tesseract's OpenMP threads fight the one-process-per-core pool (measured
        # ~10x slower on two cores); an explicit setting by the operator wins.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        if image.ndim == 3:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)  # PIL reads RGB
        try:
            data = pytesseract.image_to_data(
                image,
                lang=self.lang,
                config=f"--psm {self.psm}",
                output_type=pytesseract.Output.DICT,
                timeout=self.timeout_s,
            )
        except RuntimeError as e:  # pytesseract signals its own timeout so
            if "timeout" in str(e).lower():
                raise OcrError(
                    f"tesseract took longer than {self.timeout_s:g} s",
                    code=ErrorCode.OCR_TIMEOUT,
                ) from e
            raise OcrError(f"tesseract failed: {e}") from e
        except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError) as e:
            raise OcrError(f"tesseract failed: {e}") from e
        return group_lines(data)
