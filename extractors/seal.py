"""Red seal (公章 / 合同专用章) detection on a page image, for the contract's ``has_seal``.

The seam: ``Page`` carries text, not pixels, so the extractor cannot look for a
seal itself. Whoever holds the page image (the intake pipeline, after clean-up)
calls :func:`detect_seal` on it and stores the reading on ``Page.seal``, which
``ContractExtractor`` reads. ``has_seal`` is absent when no readings are given.

How: Chinese company seals are red ink, round or oval, about 40 mm across (about
a fifth of an A4 page's width), a ring around text and a star. We threshold red in
HSV, close the gaps between the ring, the text and the star so a seal becomes one
blob, and score each blob by size, roundness, how much of its ellipse is ink and
how ring-like the ink is (a seal's ink concentrates near its rim; a red logo or a
red heading does not). A page scan without colour cannot show a seal: the answer
is then "no" with low confidence.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from intake.model import BBox

__all__ = ["detect_seal", "SEAL_THRESHOLD"]

# A blob scoring at least this is reported as a seal.
SEAL_THRESHOLD = 0.55
_WORK_SIDE = 1600  # pages are analysed at most this many pixels on the long side


def detect_seal(image: np.ndarray) -> tuple[bool, float, BBox | None]:
    """``(found, confidence, bbox)`` for a red seal on a page image.

    ``image``: BGR, BGRA or grey, uint8 (OpenCV order). A red seal gives up to
    0.97; a grey ring of seal size (a photocopied seal) gives ``(True, 0.6, box)``;
    "no seal" is never said with more than 0.8 (a faded or copied seal may be
    missed). ``confidence`` is in the answer given (found
    or not), 0..1; ``bbox`` is the seal's box in the input image's pixels, None
    when not found. Never raises on an odd array.
    """
    try:
        bgr = _as_bgr(image)
    except (ValueError, TypeError, cv2.error):
        return False, 0.0, None
    try:
        if bgr is not None:
            found = _detect(bgr)
            if found[0]:
                return found
        # No red seal. A photocopy shows its seal as a grey ring: look for one
        # before answering "no", and answer "no" only moderately sure either way.
        ring = _grey_ring(np.asarray(image))
        if ring is not None:
            return True, 0.6, ring
        return False, (min(found[1], 0.8) if bgr is not None else 0.6), None
    except (cv2.error, ValueError):
        return False, 0.0, None


def _as_bgr(image: np.ndarray) -> np.ndarray | None:
    """3-channel uint8 view of ``image``; None for a grey (or colourless) image."""
    arr = np.asarray(image)
    if arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] == 1):
        return None
    if arr.ndim != 3 or arr.shape[2] not in (3, 4) or arr.shape[0] < 8 or arr.shape[1] < 8:
        raise ValueError("not a page image")
    if arr.dtype != np.uint8:
        arr = np.clip(np.nan_to_num(arr.astype(np.float64)), 0, 255).astype(np.uint8)
    if arr.shape[2] == 4:
        arr = cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR)
    b, g, r = (arr[..., i] for i in range(3))
    if int(np.abs(r.astype(np.int16) - b).max()) < 30 and int(np.abs(r.astype(np.int16) - g).max()) < 30:
        return None  # a grey page stored as colour
    return arr


def _red_mask(bgr: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    # saturation from 45: seals on scans are often a faded pink
    low = cv2.inRange(hsv, (0, 45, 60), (12, 255, 255))
    high = cv2.inRange(hsv, (155, 45, 60), (180, 255, 255))
    mask = cv2.bitwise_or(low, high)
    # drop isolated pixels (scanner noise on white paper can pass for pale red)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _detect(bgr: np.ndarray) -> tuple[bool, float, BBox | None]:
    h0, w0 = bgr.shape[:2]
    scale = min(1.0, _WORK_SIDE / max(h0, w0))
    small = cv2.resize(bgr, (max(1, round(w0 * scale)), max(1, round(h0 * scale))),
                       interpolation=cv2.INTER_AREA) if scale < 1 else bgr
    mask = _red_mask(small)
    h, w = mask.shape
    if cv2.countNonZero(mask) < 0.0002 * h * w:
        return False, 0.92, None  # no red ink to speak of
    k = max(3, round(min(h, w) * 0.012)) | 1
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)), iterations=2)
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best_score, best_box = 0.0, None
    for c in contours:
        x, y, bw, bh = cv2.boundingRect(c)
        score = _blob_score(mask[y:y + bh, x:x + bw], bw, bh, min(h, w))
        if score > best_score:
            best_score, best_box = score, (x, y, x + bw, y + bh)
    if best_box is None or best_score < SEAL_THRESHOLD:
        return False, round(min(0.9, 1.0 - best_score), 3), None
    inv = 1.0 / scale
    box = tuple(int(round(v * inv)) for v in best_box)
    return True, round(min(0.97, best_score), 3), (box[0], box[1], min(w0, box[2]), min(h0, box[3]))


def _grey_ring(image: np.ndarray) -> BBox | None:
    """A dark circle of seal size whose rim is inked all round (a copied seal)."""
    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        arr = np.clip(np.nan_to_num(arr.astype(np.float64)), 0, 255).astype(np.uint8)
    grey = arr if arr.ndim == 2 else cv2.cvtColor(arr[..., :3], cv2.COLOR_BGR2GRAY)
    h0, w0 = grey.shape[:2]
    scale = min(1.0, 1000 / max(h0, w0))
    small = cv2.resize(grey, (max(1, round(w0 * scale)), max(1, round(h0 * scale))),
                       interpolation=cv2.INTER_AREA) if scale < 1 else grey
    side = min(small.shape)
    circles = cv2.HoughCircles(cv2.GaussianBlur(small, (5, 5), 1.5), cv2.HOUGH_GRADIENT_ALT, 1.5, side * 0.1,
                               param1=120, param2=0.85, minRadius=int(side * 0.04), maxRadius=int(side * 0.2))
    if circles is None:
        return None
    # ink relative to the paper: a copied seal is often a light grey
    dark = small < int(np.median(small)) - 25
    for x, y, r in circles[0]:
        t = np.linspace(0, 2 * np.pi, 180, endpoint=False)
        hits = 0
        for dr in (-2, 0, 2):  # the ring has some width; allow a pixel or two of error
            xs = np.clip((x + (r + dr) * np.cos(t)).astype(int), 0, small.shape[1] - 1)
            ys = np.clip((y + (r + dr) * np.sin(t)).astype(int), 0, small.shape[0] - 1)
            hits = np.maximum(hits, dark[ys, xs].astype(int))
        inner = dark[max(0, int(y - r / 2)):int(y + r / 2), max(0, int(x - r / 2)):int(x + r / 2)]
        if inner.size == 0 or float(inner.mean()) > 0.5:
            continue  # a filled dot or a dark blob, not a ring around text
        if float(np.mean(hits)) >= 0.85:
            inv = 1.0 / scale
            return (max(0, int((x - r) * inv)), max(0, int((y - r) * inv)),
                    min(w0, int((x + r) * inv)), min(h0, int((y + r) * inv)))
    return None


def _blob_score(ink: np.ndarray, bw: int, bh: int, page_side: int) -> float:
    """0..1: how seal-like one red blob is (size, roundness, ink share, ring)."""
    diameter = (bw + bh) / 2
    rel = diameter / page_side
    if rel < 0.06 or rel > 0.5:
        return 0.0  # a stray mark or a whole red banner
    aspect = bw / max(bh, 1)
    if not 0.55 <= aspect <= 1.8:
        return 0.0  # red headings and underlines are long and thin
    yy, xx = np.mgrid[0:bh, 0:bw]
    cx, cy, rx, ry = (bw - 1) / 2, (bh - 1) / 2, max(bw / 2, 1), max(bh / 2, 1)
    r = np.sqrt(((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2)
    inside = r <= 1.0
    on = ink > 0
    share = float(on[inside].mean()) if inside.any() else 0.0
    outside = float(on[~inside].mean()) if (~inside).any() else 0.0
    if share < 0.05 or share > 0.85:
        return 0.0  # too faint, or a solid red block (a logo, a filled shape)
    rim = (r >= 0.8) & (r <= 1.0)
    core = r < 0.8
    rim_share = float(on[rim].mean()) if rim.any() else 0.0
    core_share = float(on[core].mean()) if core.any() else 0.0
    ring = rim_share / max(rim_share + core_share, 1e-6)  # 0.5: even ink; ~1: a ring
    # coverage of the rim all round: a seal's ring is closed
    angles = np.arctan2(yy - cy, xx - cx)[rim & on]
    sectors = len(np.unique(np.floor((angles + math.pi) / (2 * math.pi) * 12).astype(int))) / 12 if angles.size else 0.0
    score = (
        0.30 * min(1.0, max(0.0, (ring - 0.4) / 0.3))
        + 0.35 * sectors
        + 0.20 * (1.0 - min(1.0, abs(math.log(aspect)) / math.log(1.8)))
        + 0.15 * (1.0 - min(1.0, outside / 0.1))
    )
    return float(score)
