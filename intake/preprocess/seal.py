"""Red seals over text.

A red seal is bright in the red channel, as bright as the paper, while black print is
dark in every channel: reading the red channel alone makes the seal vanish and
leaves the text under it. A hue mask that paints red pixels white would also wipe
the black strokes under the seal's ink and the reddish-brown ink some forms are
printed in (measured on the invoice photos, see the OCR report), so the channel is
what we use. It is applied only when the page carries a noticeable amount of red:
on a plain page the colour-to-grey conversion is just as good, and RapidOCR reads
colour slightly better.
"""

from __future__ import annotations

import cv2
import numpy as np

from intake.preprocess.imageops import shrink_to

# Share of the page's ink pixels that must be strongly red (hue within ~20 degrees
# of red, saturated, not dark). A seal on an invoice is 5-20 % of the ink; a red
# title or a thin red rule stays well under 3 %.
MIN_RED_SHARE = 0.03


def red_mask(bgr: np.ndarray) -> np.ndarray:
    """255 where a pixel is seal-like red."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    red_hue = (h <= 10) | (h >= 170)  # OpenCV hue runs 0..179
    return np.where(red_hue & (s >= 70) & (v >= 90), 255, 0).astype(np.uint8)


def red_share(bgr: np.ndarray) -> float:
    """Red pixels as a share of all non-paper pixels (0..1)."""
    if bgr.ndim == 2:
        return 0.0
    small, _ = shrink_to(bgr, 1000)
    red = red_mask(small) > 0
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    # non-paper: darker than the local paper level, or coloured
    paper = cv2.GaussianBlur(grey, (0, 0), 15)
    sat = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)[..., 1]
    ink = (grey.astype(np.int16) < paper.astype(np.int16) - 25) | (sat >= 70)
    n = int(ink.sum())
    return float((red & ink).sum()) / n if n else 0.0


def has_seal_colour(bgr: np.ndarray) -> bool:
    return red_share(bgr) >= MIN_RED_SHARE


def red_channel(bgr: np.ndarray) -> np.ndarray:
    """The red channel as a grey page: red seals fade into the paper."""
    return np.ascontiguousarray(bgr[..., 2])


def whiten_red(bgr: np.ndarray) -> np.ndarray:
    """Paint seal-red pixels white (the naive alternative, kept for measurement)."""
    out = bgr.copy()
    out[red_mask(bgr) > 0] = 255
    return out
