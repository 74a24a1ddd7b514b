"""OpenCV clean-up of a page image before OCR.

``clean_page`` runs the steps below in order and records each one it applied in
``Quality.steps`` (stable short names):

========================  ==========================================================
``page_detect``           a sheet was found inside a photo (``page.py``) and cropped
``perspective``           ... and it was not a plain rectangle, so it was flattened
``downscale:NNNdpi``      text scaled to ~32 px glyphs (``resolution.py``); NNN is
``upscale:NNNdpi``        the page's DPI times the scale factor
``red_channel``           the page carries red seals: read the red channel (``seal.py``)
``rotate_90|180|270``     quarter turn clockwise to make it upright (``orientation.py``)
``deskew:-1.4``           lines were tilted by this many degrees (counter-clockwise
                          positive) and were levelled
``flatten_light``         grey or unevenly lit paper (photos) divided to white
``contrast_stretch``      a faded page stretched to the full grey range
``no_text``               not a step but a finding: the page shows no glyph-shaped
                          ink (blank, or a seal or picture alone); ``quality.py``
                          decides a document's legibility on its other pages
========================  ==========================================================

``CleanPage.transform`` is a 3x3 homography that maps a point of the *cleaned* image
(pixel-edge coordinates, origin top left) to the *original* page image handed in::

    x_orig, y_orig, w = transform @ (x_clean, y_clean, 1);  x /= w;  y /= w

so OCR boxes found on the cleaned image are reported on the page image
(:func:`map_bbox`). ``quality.dpi`` is the DPI of that original page image (the
frame boxes are reported in, CONTRACT.md), ``CleanPage.dpi`` the cleaned image's.

Photos and scans are not told apart by ``kind``: page detection and light
flattening look at the image itself (a sheet inside a larger frame; grey or uneven
paper) and do nothing on a flat, evenly lit scan.
``kind`` says where the raster came from: for ``"pdf_scan"`` the DPI is the one we
rasterised at and is trusted when no text can be measured; an ``"image"``'s DPI is
whatever the file claimed and is never used to rescale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from intake.model import Quality
from intake.preprocess import orientation, page, quality, resolution, seal
from intake.preprocess.imageops import map_bbox, scale_matrix, to_grey
from intake.preprocess.light import flatten_light, needs_flattening

KINDS = ("image", "pdf_scan")
PDF_TARGET_DPI = 300  # a text-less PDF raster is brought to this when it is far off
LOW_CONTRAST = 0.30


@dataclass(frozen=True)
class CleanOptions:
    """Which steps may run (all on by default; switches exist for measurement)."""

    page: bool = True
    resolution: bool = True
    upscale: bool = True  # resolution may enlarge small text (off: only shrink)
    seal: str = "red_channel"  # "red_channel" | "whiten" | "off"
    orientation: bool = True
    deskew: bool = True
    light: bool = True
    contrast: bool = True


@dataclass
class CleanPage:
    image: np.ndarray  # uint8, BGR or grey, upright
    dpi: int  # of ``image``
    quality: Quality  # legible/legibility are left for the OCR stage to fill in
    transform: np.ndarray  # 3x3, cleaned-image pixels -> original page pixels


def _as_bgr_or_grey(image: np.ndarray) -> np.ndarray:
    if image.dtype != np.uint8:
        raise ValueError(f"page image must be uint8, not {image.dtype}")
    if image.ndim == 3 and image.shape[2] == 4:
        return np.ascontiguousarray(image[..., :3])  # drop alpha
    if image.ndim == 3 and image.shape[2] == 1:
        return image[..., 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] != 3):
        raise ValueError(f"page image must be grey or BGR, not shape {image.shape}")
    return image


def clean_page(
    image: np.ndarray, dpi: int, *, kind: str, options: CleanOptions = CleanOptions()
) -> CleanPage:
    """Clean one page image (uint8 BGR, BGRA or grey) for OCR; see the module doc."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    img = _as_bgr_or_grey(image)
    q = Quality(dpi=dpi)
    t = np.eye(3)

    if options.page:
        corners = page.find_page(img)
        if corners is not None:
            img, m, warped = page.crop_or_warp(img, corners)
            t = t @ m
            q.steps.append("page_detect")
            if warped:
                q.steps.append("perspective")

    # a page without glyph-shaped ink (blank, or a seal or picture alone) carries no
    # text: the document's legibility is decided on its other pages (quality.py)
    no_text = not quality.has_text_ink(img)

    text_px = None
    scale = 1.0
    if options.resolution:
        fallback = PDF_TARGET_DPI / dpi if kind == "pdf_scan" and dpi > 1.5 * PDF_TARGET_DPI else 1.0
        r = resolution.normalise_resolution(
            img, dpi, fallback_scale=fallback, upscale=options.upscale
        )
        img, scale = r.image, r.scale
        if r.step:
            t = t @ scale_matrix(r.scale)
            q.steps.append(r.step)
        text_px = r.text_px * r.scale if r.text_px else None
    else:
        text_px = resolution.estimate_text_height(img)

    if options.seal != "off" and img.ndim == 3 and seal.has_seal_colour(img):
        if options.seal == "red_channel":
            img = seal.red_channel(img)
            q.steps.append("red_channel")
        elif options.seal == "whiten":
            img = seal.whiten_red(img)
            q.steps.append("whiten_red")
        else:
            raise ValueError(f"unknown seal option {options.seal!r}")

    if options.orientation and text_px:
        img, m, rot = orientation.upright(img, text_px)
        if rot:
            t = t @ m
            q.rotation = rot
            q.steps.append(f"rotate_{rot}")

    if options.deskew:
        q.skew_deg = orientation.estimate_skew(to_grey(img))
        if abs(q.skew_deg) >= orientation.SKEW_MIN_APPLY:
            img, m = orientation.deskew(img, q.skew_deg)
            t = t @ m
            q.steps.append(f"deskew:{q.skew_deg:.1f}")

    if options.light and needs_flattening(img):
        img = flatten_light(img)
        q.steps.append("flatten_light")

    if options.contrast and resolution.contrast(img) < LOW_CONTRAST:
        img = resolution.stretch_contrast(img)
        q.steps.append("contrast_stretch")

    q.blur = resolution.blur_score(img)
    if no_text:
        q.steps.append(quality.NO_TEXT)
    return CleanPage(image=img, dpi=max(1, round(dpi * scale)), quality=q, transform=t)


__all__ = ["CleanOptions", "CleanPage", "KINDS", "clean_page", "map_bbox"]
