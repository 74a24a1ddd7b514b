"""Resolution normalisation and image-quality measures.

Page resolution is judged from the text itself, not from the DPI the file claims:
phone photos say 72 dpi and hold 4208 px across an invoice, tiny web scans hold a
licence in 500 px. We measure the height of the glyphs and scale the page so text
is about ``TARGET_TEXT_PX`` high, which is where both engines read best and fastest
(measured on the invoice photos and licences, see the OCR report).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from intake.preprocess.imageops import ink_mask, shrink_to, to_grey

TARGET_TEXT_PX = 32  # glyph height we scale to (about 10.5 pt at 300 dpi)
MAX_UPSCALE = 3.0  # past this, interpolation only invents pixels
MAX_SIDE = 5000  # never make a page larger than this (memory, OCR time)
TOLERANCE = 1.3  # leave pages whose text is within this factor of the target

# Blur: variance of the Laplacian over the inkiest tiles, at normalised resolution.
# Calibrated on 20 invoice photos and licences at target size: as given 360-24000;
# Gaussian-blurred with sigma 2 px 60-700, sigma 3 px 24-160, sigma 5 px 9-29.
BLUR_SHARP_VAR = 400.0  # at or above: blur 0
BLUR_UNREADABLE_VAR = 20.0  # at or below: blur 1


@dataclass
class ResolutionResult:
    image: np.ndarray
    scale: float  # output pixels per input pixel
    text_px: float | None  # glyph height measured in the input, None if no text
    step: str | None  # e.g. "downscale:300dpi"; None when left alone


def estimate_text_height(image: np.ndarray) -> float | None:
    """Typical glyph height in pixels, or None when the page shows too little text.

    Connected ink components of glyph-like shape; the upper quartile of their heights
    is the glyph height (a CJK character often falls apart into radicals that are
    shorter than it, never taller; digits and most characters span the full height).
    """
    small, f = shrink_to(to_grey(image), 1600)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink_mask(small), connectivity=8)
    w, h, area = stats[1:, 2], stats[1:, 3], stats[1:, 4]
    hh, ww = small.shape[:2]
    ok = (
        (h >= 4) & (w >= 2) & (h < hh * 0.1) & (w < ww * 0.1)
        & (w < 3 * h) & (w > 0.15 * h) & (area > 0.1 * w * h)
    )
    if int(ok.sum()) < 20:
        return None
    return float(np.percentile(h[ok], 75)) / f


def normalise_resolution(
    image: np.ndarray, dpi: int, *, fallback_scale: float = 1.0, upscale: bool = True
) -> ResolutionResult:
    """Scale ``image`` so its text is about ``TARGET_TEXT_PX`` high.

    ``fallback_scale`` applies when no text can be measured (a blank or photo-only
    page); ``upscale=False`` only ever shrinks. The step name records the resulting
    resolution as ``dpi * scale``.
    """
    h, w = image.shape[:2]
    text_px = estimate_text_height(image)
    if text_px is None:
        scale = fallback_scale
    else:
        scale = TARGET_TEXT_PX / text_px
        if 1 / TOLERANCE <= scale <= TOLERANCE:
            scale = 1.0
    scale = min(scale, MAX_UPSCALE if upscale else 1.0, MAX_SIDE / max(h, w))
    if abs(scale - 1.0) < 1e-3:
        return ResolutionResult(image, 1.0, text_px, None)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    out = cv2.resize(image, size, interpolation=interp)
    # the actual factor after rounding, so the transform is exact
    real = size[0] / w
    name = "downscale" if scale < 1 else "upscale"
    return ResolutionResult(out, real, text_px, f"{name}:{round(dpi * real)}dpi")


def blur_score(image: np.ndarray) -> float:
    """0 sharp .. 1 unreadably blurred; meant for a page at normalised resolution.

    Variance of the Laplacian, taken over the tiles with the most detail: blank paper
    would otherwise make every sparse page look blurred.
    """
    grey = to_grey(image)
    lap = cv2.Laplacian(grey, cv2.CV_32F, ksize=3)
    tile = 64
    hh, ww = (grey.shape[0] // tile) * tile, (grey.shape[1] // tile) * tile
    if hh == 0 or ww == 0:
        var = float(lap.var())
    else:
        t = lap[:hh, :ww].reshape(hh // tile, tile, ww // tile, tile)
        tv = t.var(axis=(1, 3)).ravel()
        var = float(np.percentile(tv, 90))
    lo, hi = np.log(BLUR_UNREADABLE_VAR), np.log(BLUR_SHARP_VAR)
    return float(np.clip((hi - np.log(max(var, 1e-6))) / (hi - lo), 0.0, 1.0))


def contrast(image: np.ndarray) -> float:
    """Spread between paper and ink, 0..1 (1st to 99th percentile of grey: a sparse
    page has under 5 % ink, so narrower percentiles would miss the ink)."""
    grey = to_grey(image)
    small, _ = shrink_to(grey, 1000)
    lo, hi = np.percentile(small, [1, 99])
    return float(hi - lo) / 255.0


def stretch_contrast(image: np.ndarray) -> np.ndarray:
    """Linear stretch of the 1st..99th percentile to the full range (faded copies)."""
    small, _ = shrink_to(to_grey(image), 1000)
    lo, hi = np.percentile(small, [1, 99])
    if hi - lo < 1:
        return image
    lut = np.clip((np.arange(256) - lo) * 255.0 / (hi - lo), 0, 255).astype(np.uint8)
    return cv2.LUT(image, lut)
