"""QR codes on a page image (zxing-cpp), for VAT invoices' second source of truth.

The pipeline calls :func:`decode_qr` on each page image and keeps the payloads on
``Page.qr_payloads``. Invoice QR codes are small and often printed by dot-matrix or
needle printers in blue ink, so after the plain attempt we try again on cleaned
versions: the red channel (blue ink is darkest there), the top-left quadrant
(where paper invoices carry the code) upscaled, and a dot-closing filter that
joins the dots of a needle-printed module. Each attempt is cheap; we stop at the
first that finds anything.
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)

__all__ = ["decode_qr"]

# Larger images are shrunk first: zxing's cost grows with pixels and an invoice QR
# is still dozens of pixels wide at this size.
_MAX_SIDE = 3000


def _read(img: np.ndarray) -> list[str]:
    import zxingcpp

    try:
        results = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
    except Exception:  # noqa: BLE001 - a decoder hiccup must not lose the page
        log.debug("zxing failed", exc_info=True)
        return []
    return [r.text for r in results if r.text]


def _variants(image: np.ndarray):
    """Cleaned versions of ``image``, cheapest first."""
    import cv2

    img = image
    if img.ndim == 3 and img.shape[2] == 4:
        img = cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)
    h, w = img.shape[:2]
    scale = min(1.0, _MAX_SIDE / max(h, w))
    if scale < 1.0:
        img = cv2.resize(img, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
        yield img
    grey = img[:, :, 2] if img.ndim == 3 else img  # red channel: blue ink shows dark
    yield grey
    h, w = grey.shape[:2]
    corner = grey[: max(1, h // 2), : max(1, w // 2)]
    for factor in (2.0, 3.0):
        up = cv2.resize(corner, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        yield up
    # needle-printed modules are dots with gaps: close them, then binarise
    for k in (3, 5):
        closed = cv2.morphologyEx(corner, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
        _, binar = cv2.threshold(closed, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        yield binar
    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    yield cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 7)


def decode_qr(image: np.ndarray) -> list[str]:
    """Texts of the QR codes found on ``image`` (uint8, grey or BGR); [] if none.

    Never raises: a page without a readable code simply has no QR evidence.
    """
    if image is None or not isinstance(image, np.ndarray) or image.size == 0:
        return []
    if image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    found = _read(image)
    if found:
        return _unique(found)
    try:
        for variant in _variants(image):
            found = _read(np.ascontiguousarray(variant))
            if found:
                return _unique(found)
    except Exception:  # noqa: BLE001
        log.debug("QR clean-up failed", exc_info=True)
    return []


def _unique(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        if t not in out:
            out.append(t)
    return out
