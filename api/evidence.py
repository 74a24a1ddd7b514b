"""Page images and evidence crops for findings: the page rendered as the pipeline saw
it, the field's box drawn in red, as PNG bytes."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from intake.errors import ErrorCode, InputError
from intake.loaders import Limits, load_file

MAX_PAGE_WIDTH = 1600
CROP_MARGIN = 0.6  # of the box's height, on every side, so the label beside it shows


def render_page(path: Path, page: int, limits: Limits) -> np.ndarray:
    pages = load_file(path, limits=limits)
    if not 1 <= page <= len(pages):
        raise InputError(f"没有第 {page} 页 / no page {page}", code=ErrorCode.BAD_ARGUMENTS)
    return pages[page - 1].render()


def scale_box(bbox: list[float], frame: list[int] | None, image: np.ndarray) -> tuple[int, int, int, int]:
    """A box given in the page's extraction frame, in the rendered image's pixels."""
    h, w = image.shape[:2]
    sx = sy = 1.0
    if frame and frame[0] and frame[1]:
        sx, sy = w / frame[0], h / frame[1]
    x0, y0, x1, y1 = bbox
    return (max(0, int(x0 * sx)), max(0, int(y0 * sy)), min(w, int(x1 * sx + 0.5)), min(h, int(y1 * sy + 0.5)))


def page_png(image: np.ndarray, boxes: list[tuple[int, int, int, int]] = (), max_width: int = MAX_PAGE_WIDTH) -> bytes:
    out = image.copy()
    thickness = max(2, out.shape[1] // 500)
    for x0, y0, x1, y1 in boxes:
        cv2.rectangle(out, (x0, y0), (x1, y1), (0, 0, 220), thickness)
    if out.shape[1] > max_width:
        scale = max_width / out.shape[1]
        out = cv2.resize(out, (max_width, max(1, int(out.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    return _png(out)


def crop_png(image: np.ndarray, box: tuple[int, int, int, int]) -> bytes:
    """The box and its surroundings, the box outlined."""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = box
    pad = int(max(12, (y1 - y0) * CROP_MARGIN * 4))
    cx0, cy0, cx1, cy1 = max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)
    crop = image[cy0:cy1, cx0:cx1].copy()
    cv2.rectangle(crop, (x0 - cx0, y0 - cy0), (x1 - cx0, y1 - cy0), (0, 0, 220), max(2, crop.shape[1] // 300))
    return page_png(crop, max_width=900)


def _png(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError("PNG encoding failed")
    return buf.tobytes()
