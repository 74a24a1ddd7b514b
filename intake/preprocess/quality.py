"""Is a document legible? Decided on the pages that carry text, seals discounted.

The OCR stage scores each page (``intake.ocr.runner.legibility``: the engine's
confidence weighted by text length, discounted by blur). Two kinds of page fooled
that score when the worst page spoke for the whole document:

* a contract's signature page, mostly seals: the seal's curved text is read in
  short, low-confidence fragments that drag the page's mean under the bar, and the
  whole contract was called illegible although every printed line reads well;
* a near-blank page (a blurred phone shot upscaled, where OCR finds two or three
  "characters" with a high score, or a blank back page) was called legible, or, in a
  contract with a blank last page, spoilt the document.

So, here:

* :func:`text_glyphs` counts glyph-shaped ink (red seal ink left out); ``clean_page``
  marks a page without any (:data:`NO_TEXT` in ``Quality.steps``): a blank page or
  one holding only a seal or a picture;
* :func:`page_legibility` re-scores a read page: fragments inside the detected seal
  (``Page.seal``'s box), and on a sharp page short low-confidence fragments beside
  plenty of well-read text (seals, signatures, handwriting), are left out; a page
  with almost no text read (fewer than ``MIN_CHARS`` characters) is illegible
  however sure the engine is of those few;
* :func:`document_quality` lets the worst of the pages that carry text speak for
  the document; pages marked :data:`NO_TEXT` count only when no page carries text
  (then the document has nothing legible on it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

from intake.preprocess.imageops import ink_mask, shrink_to, to_grey

if TYPE_CHECKING:
    from intake.model import Page, Quality, Segment

__all__ = ["NO_TEXT", "text_glyphs", "has_text_ink", "page_legibility", "document_quality"]

NO_TEXT = "no_text"  # the step name clean_page records on a page with no text ink
# Glyph-shaped ink components a page must show to carry text. Measured at <= 1600 px
# on generated pages: a licence 390-650, an ID card side 80-100, a contract signature
# page 140-215, a receipt photo blurred past reading 50-70; a blank page or a seal
# alone (red ink left out) 0-5.
MIN_TEXT_GLYPHS = 12
MIN_CHARS = 20  # fewer characters read than this: nothing legible on the page
# On a sharp page, fragments this short and this unsure, beside at least MIN_CHARS
# well-read characters, are seals, signatures or handwriting, not the print.
DEBRIS_CHARS = 4
DEBRIS_CONF = 0.6
GOOD_CONF = 0.8


def _red(bgr: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    return ((h <= 10) | (h >= 170)) & (s >= 70) & (v >= 90)


def text_glyphs(image: np.ndarray) -> int:
    """Connected ink components shaped like glyphs (not lines, boxes or specks),
    with red (seal) ink left out; at most 1600 px on the long side."""
    small, _ = shrink_to(image, 1600)
    grey = to_grey(small)
    ink = ink_mask(grey)
    if small.ndim == 3:
        ink[_red(small)] = 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h, area = stats[1:, 2], stats[1:, 3], stats[1:, 4]
    hh, ww = grey.shape[:2]
    ok = (
        (h >= 4) & (w >= 2) & (h < hh * 0.1) & (w < ww * 0.1)
        & (w < 3 * h) & (w > 0.15 * h) & (area > 0.1 * w * h)
    )
    return int(ok.sum())


def has_text_ink(image: np.ndarray) -> bool:
    return text_glyphs(image) >= MIN_TEXT_GLYPHS


def _inside(box: tuple[int, int, int, int], area: tuple[int, int, int, int]) -> bool:
    """Most of ``box`` lies inside ``area``."""
    x0, y0 = max(box[0], area[0]), max(box[1], area[1])
    x1, y1 = min(box[2], area[2]), min(box[3], area[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    own = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    return inter >= 0.5 * own


def _kept(segments: Sequence[Segment], blur: float, seal_box: tuple[int, int, int, int] | None) -> list[Segment]:
    from intake.ocr.runner import BLURRY

    segs = [s for s in segments if s.text.strip()]
    if seal_box is not None:
        segs = [s for s in segs if not _inside(s.bbox, seal_box)]
    if blur < BLURRY:
        good = sum(len(s.text.strip()) for s in segs if s.confidence >= GOOD_CONF)
        if good >= MIN_CHARS:
            segs = [s for s in segs
                    if not (len(s.text.strip()) <= DEBRIS_CHARS and s.confidence < DEBRIS_CONF)]
    return segs


def page_legibility(page: Page) -> tuple[float, bool]:
    """(score, legible?) of a read page, seals discounted, near-blank pages
    illegible (see the module doc). Text-layer pages keep what they have."""
    from intake.ocr.runner import legibility

    q = page.quality
    if not str(page.method).startswith("ocr"):
        return q.legibility, q.legible
    seal = getattr(page, "seal", None)
    box = seal[2] if seal is not None and seal[0] and seal[2] is not None else None
    segs = _kept(page.segments, q.blur, box)
    score, legible = legibility(segs, q.blur)
    chars = sum(len(s.text.strip()) for s in segs)
    if chars < MIN_CHARS:
        score, legible = score * chars / MIN_CHARS, False
    return score, legible


def _carries_text(page: Page) -> bool:
    return NO_TEXT not in page.quality.steps


def document_quality(pages: Sequence[Page]) -> Quality:
    """The quality that speaks for a document: that of its worst page among the
    pages that carry text (all pages when none does), each re-scored by
    :func:`page_legibility`."""
    if not pages:
        raise ValueError("a document has pages")
    texty = [p for p in pages if _carries_text(p)] or list(pages)
    scored = [(page_legibility(p), p) for p in texty]
    (score, legible), worst = min(scored, key=lambda t: (t[0][1], t[0][0]))
    return replace(worst.quality, legibility=score, legible=legible, steps=list(worst.quality.steps))
