"""Even out camera light: divide the page by an estimate of its blank paper.

Tesseract binarises with one global threshold; on a photo whose corner is in shadow
that threshold blackens the shadow or loses the bright side. Dividing by the paper
level (the page with its ink closed away) leaves ink on an even white.
"""

from __future__ import annotations

import cv2
import numpy as np

from intake.preprocess.imageops import to_grey

PAPER_WHITE = 200  # paper level below this is grey paper, as photos have it
MAX_UNEVEN = 40  # spread of the paper level (10th..90th percentile) of a flat scan


def paper_level(grey: np.ndarray) -> np.ndarray:
    """Brightness of the blank paper around each pixel (float32, same size)."""
    h, w = grey.shape[:2]
    f = min(1.0, 400 / max(h, w))
    small = cv2.resize(grey, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    # a closing wider than any glyph removes the ink; the blur smooths the seams
    k = max(7, int(round(min(small.shape[:2]) / 20)) | 1)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)


def needs_flattening(image: np.ndarray) -> bool:
    """Paper that is grey (a photo's white balance) or unevenly lit (shadow, glare);
    a flatbed scan's paper is near white and even, and is left alone."""
    grey = to_grey(image)
    h, w = grey.shape[:2]
    f = min(1.0, 200 / max(h, w))
    small = cv2.resize(grey, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    level = paper_level(small)
    lo, mid, hi = np.percentile(level, [10, 50, 90])
    return bool(mid < PAPER_WHITE or hi - lo > MAX_UNEVEN)


def flatten_light(image: np.ndarray) -> np.ndarray:
    """The page divided by its paper level, so paper is white everywhere."""
    bg = np.maximum(paper_level(to_grey(image)), 1.0)
    if image.ndim == 3:
        bg = bg[..., None]
    out = image.astype(np.float32) * (255.0 / bg)
    return np.clip(out, 0, 255).astype(np.uint8)
