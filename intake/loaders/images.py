"""Image uploads: PNG, JPEG, TIFF (every frame), BMP, WebP, GIF (every frame).

The size is checked from the header before a single pixel is decoded, so a
decompression bomb costs nothing. Each page is then decoded once to prove it is
readable (a truncated upload is refused at load time, not halfway through OCR)
and dropped; ``render`` decodes it again on demand, so a 300-frame TIFF is never
held in memory at once.

Resolution: a file's own dpi is believed when it is between 100 and 1200. Below
that it is a default, not a measurement (phone cameras write 72, screenshots 96),
and above it a mistake. Otherwise the page is assumed to be an A4 sheet whose
longer side (297 mm) fills the image, and the estimate is clamped to 72..600 dpi:
below 72 nothing is legible anyway and the quality check will say so, above 600 the
image is more likely a large photo of a small document than a 600+ dpi scan.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np
from PIL import ExifTags, Image, ImageOps

from intake.errors import ErrorCode, InputError
from intake.loaders.limits import Limits
from intake.loaders.messages import input_error, short_reason
from intake.loaders.source import SourcePage

PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF", "bmp": "BMP", "webp": "WEBP", "gif": "GIF"}
MULTI_FRAME = {"tiff", "gif"}  # every frame is a page; other formats: the first only

PLAUSIBLE_DPI = (100, 1200)
ESTIMATED_DPI = (72, 600)
A4_LONG_SIDE_IN = 297 / 25.4


def load_image(path: Path, *, name: str, kind: str, limits: Limits) -> list[SourcePage]:
    """One page per frame (TIFF, GIF) or one page, each validated by decoding it once."""
    if kind not in PIL_FORMATS:
        raise ValueError(f"not an image kind: {kind}")
    pages: list[SourcePage] = []
    with _open(path, name, kind) as im:
        count = _frame_count(im, kind, name)
        if count > limits.max_pages:
            raise input_error(
                ErrorCode.TOO_MANY_PAGES, name,
                f"页数过多（{count} 帧，上限 {limits.max_pages}），请拆分后上传",
                f"has too many pages ({count} frames, limit {limits.max_pages}); split it and upload the parts",
            )
        for index in range(count):
            width, height = _decode_frame(im, index, name, limits, check_only=True)
            dpi = image_dpi(im.info.get("dpi"), width, height)
            pages.append(
                SourcePage(
                    number=index + 1,
                    dpi=dpi,
                    width=width,
                    height=height,
                    kind="image",
                    segments=None,
                    render=ImageFrameRenderer(path, kind, index, width, height, name, limits.max_pixels),
                )
            )
    return pages


def image_dpi(info_dpi: object, width: int, height: int) -> int:
    """The dpi a page image is at: the file's own when plausible, else an A4 estimate."""
    lo, hi = PLAUSIBLE_DPI
    try:
        x, y = (float(v) for v in info_dpi)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        x = y = 0.0
    if lo <= x <= hi and lo <= y <= hi:
        return int(round((x + y) / 2))  # fax images are 204×196: one number is enough
    estimate = max(width, height) / A4_LONG_SIDE_IN
    return int(round(min(max(estimate, ESTIMATED_DPI[0]), ESTIMATED_DPI[1])))


@dataclass(frozen=True)
class ImageFrameRenderer:
    """Decodes one frame on demand as BGR uint8 (picklable: it holds the path)."""

    path: Path
    kind: str
    index: int
    width: int
    height: int
    name: str
    max_pixels: int

    def __call__(self) -> np.ndarray:
        limits = Limits(max_pixels=self.max_pixels)
        with _open(self.path, self.name, self.kind) as im:
            _decode_frame(im, self.index, self.name, limits)
            try:
                array = to_bgr(_upright(im))
            except Exception as exc:
                raise _unreadable(self.name, exc) from None
        if array.shape[:2] != (self.height, self.width):
            raise input_error(
                ErrorCode.IMAGE_UNREADABLE, self.name, "在读取过程中发生了变化", "changed while it was being read"
            )
        return array


def to_bgr(im: Image.Image) -> np.ndarray:
    """Any PIL image as a BGR uint8 array: alpha over white paper, 16-bit scaled down."""
    mode = im.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        grey = _to_8bit(np.asarray(im))
        return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    if mode in ("1", "L"):
        return cv2.cvtColor(np.asarray(im.convert("L")), cv2.COLOR_GRAY2BGR)
    if mode in ("RGBA", "RGBa", "LA", "La", "PA") or (mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))  # transparent = blank paper
        im = paper
    elif mode != "RGB":
        im = im.convert("RGB")  # P, CMYK, YCbCr, LAB, HSV, RGBX
    return cv2.cvtColor(np.asarray(im), cv2.COLOR_RGB2BGR)


def _to_8bit(values: np.ndarray) -> np.ndarray:
    if values.dtype == np.uint16:
        return (values >> 8).astype(np.uint8)
    if values.dtype.kind == "f":
        peak = float(np.nanmax(values)) if values.size else 0.0
        scaled = values * 255.0 if peak <= 1.0 else values
        return np.clip(np.nan_to_num(scaled), 0, 255).astype(np.uint8)
    peak = int(values.max()) if values.size else 0
    if peak > 255:  # 16-bit samples in a 32-bit mode
        return (np.clip(values, 0, 65535) >> 8).astype(np.uint8)
    return np.clip(values, 0, 255).astype(np.uint8)


# --- decoding, guarded ---------------------------------------------------------------------


def _open(path: Path, name: str, kind: str) -> Image.Image:
    try:
        with _quiet_pil():
            return Image.open(path, formats=[PIL_FORMATS[kind]])
    except Image.DecompressionBombError:
        raise _too_large(name, None, None) from None
    except Exception as exc:  # UnidentifiedImageError, OSError, SyntaxError, struct.error…
        raise _unreadable(name, exc, path) from None


def _frame_count(im: Image.Image, kind: str, name: str) -> int:
    if kind not in MULTI_FRAME:
        return 1
    try:
        with _quiet_pil():
            return max(int(getattr(im, "n_frames", 1)), 1)
    except Exception as exc:
        raise _unreadable(name, exc) from None


def _decode_frame(im: Image.Image, index: int, name: str, limits: Limits,
                  *, check_only: bool = False) -> tuple[int, int]:
    """Seek to frame ``index``, check its size, decode it; return its upright size.

    ``check_only``: the pixels are not wanted, only the proof that the data decodes.
    A JPEG is then decoded at 1/8 scale: libjpeg still reads every entropy-coded
    byte (truncated or corrupt data fails the same way) but skips most of the
    inverse DCT, about 4x less work than the OCR worker's full decode later."""
    try:
        with _quiet_pil():
            if index:
                im.seek(index)
            width, height = im.size
            if width <= 0 or height <= 0:
                raise ValueError(f"image size {width}×{height}")
            if width * height > limits.max_pixels:
                raise _too_large(name, (width, height), limits.max_pixels)
            if check_only and im.format == "JPEG":
                im.draft(im.mode, (max(1, width // 8), max(1, height // 8)))
            im.load()  # decodes: truncated or corrupt data fails here
    except InputError:
        raise
    except Image.DecompressionBombError:
        raise _too_large(name, None, None) from None
    except Exception as exc:
        raise _unreadable(name, exc) from None
    # Orientations 5-8 turn the page a quarter: width and height swap.
    with _quiet_pil():
        turned = _orientation(im) in (5, 6, 7, 8)
    return (height, width) if turned else (width, height)


def _orientation(im: Image.Image) -> int:
    # Read exactly as ImageOps.exif_transpose reads it, so the size promised at load
    # time is the size rendered; broken EXIF means no turn, here and there.
    try:
        return int(im.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:
        return 1


def _upright(im: Image.Image) -> Image.Image:
    with _quiet_pil():
        if _orientation(im) == 1:
            return im
        try:
            return ImageOps.exif_transpose(im)
        except Exception:
            return im


@contextmanager
def _quiet_pil() -> Iterator[None]:
    """Silence PIL's warnings here only: our pixel limit is below its bomb warning,
    and its complaints about damaged metadata end either in a page or in an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        warnings.simplefilter("ignore", UserWarning)
        yield


def _too_large(name: str, size: tuple[int, int] | None, limit: int | None) -> InputError:
    if size is None:
        return input_error(
            ErrorCode.IMAGE_TOO_LARGE, name, "像素过多（可能是解压炸弹），拒绝读取",
            "has far too many pixels (a decompression bomb?) and was not decoded",
        )
    w, h = size
    return input_error(
        ErrorCode.IMAGE_TOO_LARGE, name,
        f"像素过多（{w}×{h}，上限 {limit} 像素），请缩小后上传",
        f"is too large ({w}×{h} pixels, limit {limit}); scale it down and upload it again",
    )


def _unreadable(name: str, exc: BaseException, path: Path | None = None) -> InputError:
    reason = short_reason(exc, hide=str(path) if path else None)
    return input_error(
        ErrorCode.IMAGE_UNREADABLE, name,
        f"图片无法读取，可能已损坏或不完整（{reason}）",
        f"cannot be read as an image, it may be damaged or truncated: {reason}",
    )
