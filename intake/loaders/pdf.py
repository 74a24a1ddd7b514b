"""PDF uploads: check them with pikepdf, read text with pdfplumber, render with pdfium.

Three libraries, each for what it does best:

* pikepdf (qpdf) opens first. It says reliably whether a password is needed and
  what is structurally wrong, and it reads page boxes, page counts and image sizes
  without rendering anything, so the limits are checked before any expensive work.
* pypdfium2 renders. It gives the page size in the frame it renders, which is the
  frame every box is reported in.
* pdfplumber (pdfminer) reads the text layer, page by page. When it fails on a
  page (or on the whole file) the page is simply OCR'd: what pdfium can render can
  still be read.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pikepdf
import pypdfium2 as pdfium

from intake.errors import ErrorCode, InputError
from intake.loaders.limits import POINTS_PER_INCH, Limits
from intake.loaders.messages import input_error, short_reason
from intake.loaders.pdf_geometry import PageFrame, normalise_box, normalise_rotation
from intake.loaders.source import SourcePage
from intake.loaders.textlayer import Glyph, assess, box_to_pixels, build_segments
from intake.model import Segment

log = logging.getLogger(__name__)

# PDFium is not thread-safe (its documentation says so); the API server may load
# and render from several threads, so every PDFium call goes through this lock.
_PDFIUM_LOCK = threading.Lock()

_MAX_PARENT_DEPTH = 32  # page-tree and field-tree walks: bounded, cycles happen
_MAX_FORM_DEPTH = 3  # nested form XObjects searched for oversized images


@dataclass
class _PageFacts:
    """What pikepdf learned about one page."""

    frame: PageFrame
    objid: int  # the page object's number: pairs it with pdfminer's page
    invisible_text: bool = False
    form_values: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)


def load_pdf(path: Path, *, name: str, limits: Limits, dpi: int) -> list[SourcePage]:
    """Every page of a PDF, text layer read where it is usable, render lazy."""
    facts = _inspect(path, name, limits)
    sizes = _pdfium_sizes(path, name)
    if len(sizes) > limits.max_pages:
        raise _too_many_pages(name, len(sizes), limits)
    if len(sizes) != len(facts):
        log.warning("%s: qpdf sees %d pages, pdfium %d; using pdfium's", name, len(facts), len(sizes))

    geometry: list[tuple[int, int, int]] = []  # dpi, width, height of each page
    for w_pt, h_pt in sizes:
        page_dpi = dpi_within(w_pt, h_pt, dpi, limits.max_pixels)
        scale = page_dpi / POINTS_PER_INCH
        width, height = max(math.ceil(w_pt * scale), 1), max(math.ceil(h_pt * scale), 1)
        geometry.append((page_dpi, width, height))
    # Text boxes are placed with qpdf's page boxes, images come from pdfium: where
    # the two read a damaged page differently, the boxes would be wrong, so such a
    # page is OCR'd instead.
    agree = [
        i < len(facts) and all(abs(a - b) <= 1.0 for a, b in zip(facts[i].frame.size, sizes[i]))
        for i in range(len(sizes))
    ]
    segments = _text_layers(path, name, facts, geometry, agree)
    pages: list[SourcePage] = []
    for i, (page_dpi, width, height) in enumerate(geometry):
        segs = segments[i]
        pages.append(
            SourcePage(
                number=i + 1,
                dpi=page_dpi,
                width=width,
                height=height,
                kind="pdf_text" if segs is not None else "pdf_scan",
                segments=segs,
                render=PdfPageRenderer(path, i, page_dpi, width, height, name),
            )
        )
    return pages


def dpi_within(w_pt: float, h_pt: float, dpi: int, max_pixels: int) -> int:
    """``dpi``, lowered as far as needed for the page image to stay within ``max_pixels``."""
    area = max(w_pt * h_pt, 1e-6)
    best = min(dpi, max(int(POINTS_PER_INCH * math.sqrt(max_pixels / area)), 1))
    while best > 1 and math.ceil(w_pt * best / POINTS_PER_INCH) * math.ceil(h_pt * best / POINTS_PER_INCH) > max_pixels:
        best -= 1
    return best


# --- pikepdf: encryption, structure, limits -------------------------------------------


def _inspect(path: Path, name: str, limits: Limits) -> list[_PageFacts]:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise input_error(
            ErrorCode.PDF_ENCRYPTED, name, "已加密，需要密码才能打开", "is encrypted and needs a password"
        ) from None
    except Exception as exc:  # qpdf gives up only on badly broken files
        raise _unreadable(name, exc, path) from None
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as exc:
            raise _unreadable(name, exc, path) from None
        if count == 0:
            raise input_error(ErrorCode.PDF_UNREADABLE, name, "无法读取：文件中没有页面", "cannot be read: it has no pages")
        if count > limits.max_pages:
            raise _too_many_pages(name, count, limits)
        facts: list[_PageFacts] = []
        for index in range(count):
            try:
                facts.append(_inspect_page(pdf.pages[index], index + 1, name, limits))
            except InputError:
                raise
            except Exception as exc:
                raise _unreadable(name, exc, path, page=index + 1) from None
        return facts


def _inspect_page(page: pikepdf.Page, number: int, name: str, limits: Limits) -> _PageFacts:
    mediabox = normalise_box(page.mediabox)
    if mediabox is None:
        raise input_error(
            ErrorCode.PDF_UNREADABLE, name, f"无法读取：第 {number} 页的页面尺寸无效",
            f"cannot be read: page {number} has an invalid page box",
        )
    frame = PageFrame.from_boxes(mediabox, normalise_box(page.cropbox), normalise_rotation(page.rotation))
    w_pt, h_pt = frame.size
    if w_pt < 1 or h_pt < 1:
        raise input_error(
            ErrorCode.PDF_UNREADABLE, name, f"无法读取：第 {number} 页的页面尺寸为空",
            f"cannot be read: page {number} has an empty page box",
        )
    area_in2 = w_pt * h_pt / POINTS_PER_INCH**2
    if area_in2 > limits.max_page_area_in2:
        w_mm, h_mm = w_pt / POINTS_PER_INCH * 25.4, h_pt / POINTS_PER_INCH * 25.4
        raise input_error(
            ErrorCode.PAGE_TOO_LARGE, name,
            f"第 {number} 页尺寸过大（{w_mm:.0f}×{h_mm:.0f} 毫米），不是正常的纸张页面",
            f"has a page {number} of {w_mm:.0f}×{h_mm:.0f} mm, far larger than any paper",
        )
    _check_images(page.obj.get("/Resources"), number, name, limits, depth=0, seen=set())
    return _PageFacts(frame, page.obj.objgen[0], _draws_invisible_text(page), _form_values(page))


def _check_images(resources: Any, number: int, name: str, limits: Limits, *, depth: int, seen: set) -> None:
    """Refuse pages holding an image too big to decode (pdfium would decode it whole)."""
    if not isinstance(resources, pikepdf.Dictionary) or depth > _MAX_FORM_DEPTH:
        return
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    for key in list(xobjects.keys())[:1000]:
        xobj = xobjects.get(key)
        if not isinstance(xobj, pikepdf.Stream):
            continue
        ident = xobj.objgen
        if ident != (0, 0):
            if ident in seen:
                continue
            seen.add(ident)
        subtype = xobj.get("/Subtype")
        if subtype == pikepdf.Name.Image:
            try:
                w, h = int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))
            except (TypeError, ValueError):
                continue
            if w * h > limits.max_pixels:
                raise input_error(
                    ErrorCode.IMAGE_TOO_LARGE, name,
                    f"第 {number} 页含有过大的图片（{w}×{h} 像素，上限 {limits.max_pixels} 像素）",
                    f"has an image of {w}×{h} pixels on page {number}, over the limit of {limits.max_pixels}",
                )
        elif subtype == pikepdf.Name.Form:
            _check_images(xobj.get("/Resources"), number, name, limits, depth=depth + 1, seen=seen)


def _draws_invisible_text(page: pikepdf.Page) -> bool:
    """Whether the page sets text render mode 3 or 7 (invisible): an OCR'd scan's layer."""
    try:
        for operands, _ in pikepdf.parse_content_stream(page, "Tr"):
            if operands and int(operands[0]) in (3, 7):
                return True
    except Exception:  # unparsable content: pdfplumber and pdfium will tell
        return False
    return False


def _form_values(page: pikepdf.Page) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Filled-in text fields (fillable 申报表): their values are not in the page content."""
    values: list[tuple[str, tuple[float, float, float, float]]] = []
    try:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            return values
        for annot in list(annots)[:2000]:
            if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") != pikepdf.Name.Widget:
                continue
            if _inherited_field(annot, "/FT") not in (pikepdf.Name.Tx, pikepdf.Name.Ch):
                continue
            value = _inherited_field(annot, "/V")
            rect = normalise_box(annot.get("/Rect"))
            if isinstance(value, pikepdf.String) and rect is not None:
                text = " ".join(str(value).split())
                if text:
                    values.append((text, rect))
    except Exception:  # a broken form must not make the page unreadable
        log.debug("form fields unreadable", exc_info=True)
    return values


def _inherited_field(node: pikepdf.Dictionary, key: str) -> Any:
    seen: set = set()
    for _ in range(_MAX_PARENT_DEPTH):
        if key in node:
            return node.get(key)
        parent = node.get("/Parent")
        if not isinstance(parent, pikepdf.Dictionary) or parent.objgen in seen:
            return None
        seen.add(parent.objgen)
        node = parent
    return None


# --- pdfium: sizes and rendering ----------------------------------------------------------


def _pdfium_sizes(path: Path, name: str) -> list[tuple[float, float]]:
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(str(path))
        except Exception as exc:
            raise _unreadable(name, exc, path) from None
        try:
            sizes = []
            for i in range(len(doc)):
                page = doc[i]
                try:
                    sizes.append(page.get_size())
                finally:
                    page.close()
        except Exception as exc:
            raise _unreadable(name, exc, path) from None
        finally:
            doc.close()
    if not sizes:
        raise input_error(ErrorCode.PDF_UNREADABLE, name, "无法读取：文件中没有页面", "cannot be read: it has no pages")
    return sizes


@dataclass(frozen=True)
class PdfPageRenderer:
    """Renders one page on demand (picklable: it holds the path, not the document)."""

    path: Path
    index: int
    dpi: int
    width: int
    height: int
    name: str

    def __call__(self) -> np.ndarray:
        with _PDFIUM_LOCK:
            try:
                doc = pdfium.PdfDocument(str(self.path))
            except Exception as exc:
                raise _unreadable(self.name, exc, self.path, page=self.index + 1) from None
            try:
                page = doc[self.index]
                try:
                    bitmap = page.render(scale=self.dpi / POINTS_PER_INCH, fill_color=(255, 255, 255, 255))
                    try:
                        array = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
                    finally:
                        bitmap.close()
                finally:
                    page.close()
            except Exception as exc:
                raise _unreadable(self.name, exc, self.path, page=self.index + 1) from None
            finally:
                doc.close()
        return _fit(_as_bgr(array), self.height, self.width)


def _as_bgr(array: np.ndarray) -> np.ndarray:
    if array.ndim == 2:
        return np.repeat(array[:, :, None], 3, axis=2)
    if array.shape[2] == 4:
        return np.ascontiguousarray(array[:, :, :3])
    return array


def _fit(array: np.ndarray, height: int, width: int) -> np.ndarray:
    """Pad (white) or crop by the odd pixel so the image has exactly the promised size."""
    if array.shape[:2] == (height, width):
        return array
    out = np.full((height, width, 3), 255, dtype=np.uint8)
    h, w = min(height, array.shape[0]), min(width, array.shape[1])
    out[:h, :w] = array[:h, :w]
    return out


# --- pdfplumber: the text layer ------------------------------------------------------------


def _text_layers(
    path: Path, name: str, facts: list[_PageFacts], geometry: list[tuple[int, int, int]], agree: list[bool]
) -> list[list[Segment] | None]:
    out: list[list[Segment] | None] = [None] * len(geometry)
    try:
        doc = pdfplumber.open(path)
    except Exception as exc:  # pdfminer cannot parse it: every page will be OCR'd
        log.warning("%s: no text layer read (%s); pages will be OCR'd", name, short_reason(exc, hide=str(path)))
        return out
    try:
        try:
            plumber_pages = doc.pages
        except Exception as exc:
            log.warning("%s: no text layer read (%s); pages will be OCR'd", name, short_reason(exc, hide=str(path)))
            return out
        # Pair pages by object number, not position: pdfminer lists a page object
        # that the page tree names twice only once, qpdf and pdfium twice.
        by_objid = {getattr(p.page_obj, "pageid", None): p for p in plumber_pages}
        for i, (page_dpi, width, height) in enumerate(geometry):
            page = by_objid.get(facts[i].objid) if agree[i] else None
            if page is None:
                continue
            try:
                out[i] = _page_text(page, facts[i], page_dpi, width, height)
            except Exception as exc:
                log.warning("%s page %d: text layer unreadable (%s); page will be OCR'd", name, i + 1, short_reason(exc))
                out[i] = None
            finally:
                page.close()
    finally:
        _close_quietly(doc)
    return out


def _close_quietly(doc: Any) -> None:
    # pdfplumber's close() walks the page list again, and raises where that failed.
    try:
        doc.close()
    except Exception:
        stream = getattr(doc, "stream", None)
        if stream is not None:
            stream.close()


def _page_text(page: Any, facts: _PageFacts, page_dpi: int, width: int, height: int) -> list[Segment] | None:
    frame = facts.frame
    off_x, off_y = frame.crop_offset
    # pdfplumber's frame is the turned media box, shifted by its own origin.
    origin_x = float(page.mediabox[0]) + off_x
    origin_y = float(page.mediabox[1]) + off_y
    w_pt, h_pt = frame.size

    glyphs: list[Glyph] = []
    for c in page.chars:
        g = Glyph(
            text=str(c.get("text") or ""),
            x0=float(c["x0"]) - origin_x,
            top=float(c["top"]) - origin_y,
            x1=float(c["x1"]) - origin_x,
            bottom=float(c["bottom"]) - origin_y,
            upright=bool(c.get("upright", True)),
        )
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        if 0 <= cx <= w_pt and 0 <= cy <= h_pt:  # text placed off the page is not on it
            glyphs.append(g)

    cover = 0.0
    for im in page.images:
        x0 = max(float(im["x0"]) - origin_x, 0.0)
        x1 = min(float(im["x1"]) - origin_x, w_pt)
        y0 = max(float(im["top"]) - origin_y, 0.0)
        y1 = min(float(im["bottom"]) - origin_y, h_pt)
        if x1 > x0 and y1 > y0:
            cover += (x1 - x0) * (y1 - y0)
    cover = min(cover / (w_pt * h_pt), 1.0)

    verdict = assess(glyphs, h_pt, image_cover=cover, invisible_text=facts.invisible_text)
    if not verdict.usable:
        log.info("page %d: text layer not used: %s", page.page_number, verdict.reason)
        return None
    scale = page_dpi / POINTS_PER_INCH
    segments = build_segments(glyphs, scale=scale, width_px=width, height_px=height)
    for text, rect in facts.form_values:
        x0, top, x1, bottom = frame.pdf_box_to_page(rect)
        segments.append(Segment(text, box_to_pixels((x0, top, x1, bottom), scale, width, height), 1.0))
    return segments


# --- messages ---------------------------------------------------------------------------------


def _unreadable(name: str, exc: BaseException, path: Path, *, page: int | None = None) -> InputError:
    reason = short_reason(exc, hide=str(path))
    where_zh = f"第 {page} 页" if page else ""
    where_en = f" (page {page})" if page else ""
    return input_error(
        ErrorCode.PDF_UNREADABLE, name,
        f"{where_zh}无法读取，文件可能已损坏（{reason}）",
        f"cannot be read{where_en}, the file may be damaged: {reason}",
    )


def _too_many_pages(name: str, count: int, limits: Limits) -> InputError:
    return input_error(
        ErrorCode.TOO_MANY_PAGES, name,
        f"页数过多（{count} 页，上限 {limits.max_pages} 页），请拆分后上传",
        f"has too many pages ({count}, limit {limits.max_pages}); split it and upload the parts",
    )
