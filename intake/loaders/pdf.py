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

import base64
import binascii
import io
import logging
import os
import math
import mmap
import re
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pikepdf
import pypdfium2 as pdfium
from pdfminer.pdftypes import PDFObjRef

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


def _fresh_lock_after_fork() -> None:
    """A forked child inherits the lock in whatever state the parent's threads held
    it at the fork (pebble forks replacement OCR workers from its own thread while
    the parent may be rendering); the child starts with one thread, so a new lock is
    the right one and a held copy would hang its every render."""
    global _PDFIUM_LOCK
    _PDFIUM_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_fresh_lock_after_fork)

_MAX_PARENT_DEPTH = 32  # page-tree and field-tree walks: bounded, cycles happen
_MAX_FORM_DEPTH = 3  # nested form XObjects searched for oversized images
_MAX_REF_CHAIN = 32  # an object that is only a reference to another, and so on
# pdfminer interprets page content in pure Python, ~10 s per MB of dense operators
# (8 MB of "1 0 0 1 0 0 cm" took 100 s). A real text page is 10-100 KB; a page with
# more content than this is read by OCR instead (pdfium renders 1 MB in ~0.1 s),
# and once a file has handed this much to pdfminer its remaining pages are OCR'd.
TEXT_LAYER_PAGE_BYTES = 1024 * 1024
TEXT_LAYER_FILE_BYTES = 16 * 1024 * 1024


@dataclass
class _PageFacts:
    """What pikepdf learned about one page."""

    frame: PageFrame
    objid: int  # the page object's number: pairs it with pdfminer's page
    invisible_text: bool = False
    content_bytes: int = 0  # the page's content streams and forms, unpacked
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
    try:  # first, and without qpdf: qpdf unpacks object streams as it opens the file
        _scan_raw_streams(path, name, limits)
    except InputError:
        raise
    except Exception as exc:
        raise _unreadable(name, exc, path) from None
    if _utf8_name(path):
        return _inspect_source(path, path, name, limits)
    try:
        fh = path.open("rb")  # qpdf cannot take this name: hand it the open file
    except OSError as exc:
        raise _unreadable(name, exc, path) from None
    with fh:
        return _inspect_source(fh, path, name, limits)


def _inspect_source(source: Any, path: Path, name: str, limits: Limits) -> list[_PageFacts]:
    try:
        pdf = pikepdf.open(source)
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
        try:
            _check_decoded_size(pdf, path, name, limits)
        except InputError:
            raise
        except Exception as exc:
            raise _unreadable(name, exc, path) from None
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
    side_in = max(w_pt, h_pt) / POINTS_PER_INCH
    if area_in2 > limits.max_page_area_in2 or side_in > limits.max_page_side_in:
        w_mm, h_mm = w_pt / POINTS_PER_INCH * 25.4, h_pt / POINTS_PER_INCH * 25.4
        raise input_error(
            ErrorCode.PAGE_TOO_LARGE, name,
            f"第 {number} 页尺寸过大（{w_mm:.0f}×{h_mm:.0f} 毫米），不是正常的纸张页面",
            f"has a page {number} of {w_mm:.0f}×{h_mm:.0f} mm, far larger than any paper",
        )
    _check_images(page.obj.get("/Resources"), number, name, limits, depth=0, seen=set())
    content = _page_content_size(page, limits)
    invisible = content <= TEXT_LAYER_PAGE_BYTES and _draws_invisible_text(page)
    return _PageFacts(frame, page.obj.objgen[0], invisible, form_values=_form_values(page), content_bytes=content)


def _page_content_size(page: pikepdf.Page, limits: Limits) -> int:
    """Bytes of content the page's interpreters parse: its content streams and the
    form XObjects it draws (to ``_MAX_FORM_DEPTH``), unpacked; counting stops past
    ``TEXT_LAYER_PAGE_BYTES``."""
    cap = TEXT_LAYER_PAGE_BYTES
    streams: list[Any] = []
    contents = page.obj.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        streams.extend(list(contents)[:1000])
    elif contents is not None:
        streams.append(contents)
    _collect_forms(page.obj.get("/Resources"), streams, depth=0, seen=set())
    total = 0
    for stream in streams:
        if not isinstance(stream, pikepdf.Stream):
            continue
        raw = stream.get("/Filter")
        filters = [str(f) for f in raw] if isinstance(raw, pikepdf.Array) else ([str(raw)] if raw is not None else [])
        try:
            total += _decoded_size(filters, stream.read_raw_bytes(), cap - total)
        except Exception:  # unreadable: pdfminer will fail on it quickly, or skip it
            continue
        if total > cap:
            break
    return total


def _collect_forms(resources: Any, out: list[Any], *, depth: int, seen: set) -> None:
    if not isinstance(resources, pikepdf.Dictionary) or depth > _MAX_FORM_DEPTH:
        return
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    for key in list(xobjects.keys())[:1000]:
        xobj = xobjects.get(key)
        if not isinstance(xobj, pikepdf.Stream) or xobj.get("/Subtype") != pikepdf.Name.Form:
            continue
        if xobj.objgen != (0, 0):
            if xobj.objgen in seen:
                continue
            seen.add(xobj.objgen)
        out.append(xobj)
        _collect_forms(xobj.get("/Resources"), out, depth=depth + 1, seen=seen)


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


# --- decompression bombs ----------------------------------------------------------------

_NOT_DECODED_TYPES = {"/EmbeddedFile", "/Metadata", "/XRef"}  # nobody we call unpacks these
_FLATE = {"/FlateDecode", "/Fl"}
_HEX = {"/ASCIIHexDecode", "/AHx"}
_A85 = {"/ASCII85Decode", "/A85"}
_RUN_LENGTH = {"/RunLengthDecode", "/RL"}
_LZW = {"/LZWDecode", "/LZW"}
_LZW_MAX_RATIO = 1400  # 12-bit codes, strings of up to ~4096 bytes, table reset at 4096


def _check_decoded_size(pdf: pikepdf.Pdf, path: Path, name: str, limits: Limits) -> None:
    """Refuse a PDF whose streams unpack to more than ``limits.max_decoded_bytes``.

    pdfminer, qpdf's content parser and pdfium all decompress a stream whole; a
    Flate stream of spaces shrinks 1000:1, so this is checked here, stream by stream
    and without keeping the output, before any of them sees the file. Image streams
    are left out of the sum (their pixel count is bounded instead), but each may
    unpack to no more than its declared pixels need: a content bomb labelled
    ``/Subtype /Image`` is still a bomb.

    Twice: here, as qpdf reads the file (decrypted, objects resolved), and before
    that over the raw bytes (``_scan_raw_streams``), every ``stream … endstream``
    whatever object it belongs to. The parsers disagree on damaged files: a stream
    qpdf reads as a bare dictionary, pdfminer may still find and unpack (the
    fuzzer's first find); and qpdf unpacks object streams while it opens the file.
    """
    budget = limits.max_decoded_bytes
    used = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        if str(obj.get("/Type", "")) in _NOT_DECODED_TYPES:
            continue
        raw = obj.get("/Filter")
        filters = [str(f) for f in raw] if isinstance(raw, pikepdf.Array) else ([str(raw)] if raw is not None else [])
        if obj.get("/Subtype") == pikepdf.Name.Image:
            allowance = _image_allowance(obj.get("/Width"), obj.get("/Height"), limits)
            if _decoded_size(filters, obj.read_raw_bytes(), allowance) > allowance:
                raise _bomb(name, limits)
            continue
        used += _decoded_size(filters, obj.read_raw_bytes(), budget - used)
        if used > budget:
            raise _bomb(name, limits)


_RAW_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_RAW_FILTER = re.compile(rb"/Filter\s*(\[[^\]]{0,400}\]|/[A-Za-z0-9]+)")
_RAW_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_RAW_DICT_REACH = 4096  # bytes before "stream" searched for its dictionary


def _scan_raw_streams(path: Path, name: str, limits: Limits) -> None:
    """The same budget over the raw bytes: every ``stream … endstream`` in the file."""
    with path.open("rb") as fh:
        try:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # empty
            return
    with data:
        budget = limits.max_decoded_bytes
        used = 0
        for match in _RAW_STREAM.finditer(data):
            begin = match.end()
            end = data.find(b"endstream", begin)
            end = len(data) if end < 0 else end
            head = data[max(0, match.start() - _RAW_DICT_REACH) : match.start()]
            head = head[head.rfind(b"obj") + 3 :] if b"obj" in head else head
            if b"/EmbeddedFile" in head or b"/Metadata" in head:
                continue
            found = _RAW_FILTER.search(head)
            filters = ["/" + n.decode("latin-1") for n in _RAW_NAME.findall(found.group(1))] if found else []
            if not filters and data[begin : begin + 1] == b"x":
                filters = ["/FlateDecode"]  # zlib data without a filter we could read: assume the worst
            body = data[begin:end]
            if b"/Image" in head:
                allowance = _image_allowance(_raw_int(head, b"/Width"), _raw_int(head, b"/Height"), limits)
                if _decoded_size(filters, body, allowance) > allowance:
                    raise _bomb(name, limits)
                continue
            used += _decoded_size(filters, body, budget - used)
            if used > budget:
                raise _bomb(name, limits)


def _raw_int(head: bytes, key: bytes) -> int | None:
    found = re.search(re.escape(key) + rb"\s+(\d{1,9})(?!\s+\d+\s+R)", head)
    return int(found.group(1)) if found else None


def _image_allowance(width: object, height: object, limits: Limits) -> int:
    """What one image may unpack to: 4 samples of 16 bits per declared pixel, and a
    row of slack; an image without a usable size may be as large as any allowed."""
    try:
        pixels = int(width) * int(height)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        pixels = limits.max_pixels
    pixels = min(max(pixels, 0), limits.max_pixels)
    return pixels * 8 + 64 * 1024


def _bomb(name: str, limits: Limits) -> InputError:
    mib = limits.max_decoded_bytes // (1024 * 1024)
    return input_error(
        ErrorCode.FILE_TOO_LARGE, name,
        f"解压后内容过大（超过 {mib} MiB，可能是解压炸弹），拒绝读取",
        f"unpacks to more than {mib} MiB of page content (a decompression bomb?) and was not read",
    )


def _decoded_size(filters: list[str], data: bytes, budget: int) -> int:
    """The size of ``data`` after ``filters``, or more than ``budget`` as soon as it is over.

    Only the stages before the last are held in memory (at most ``budget``); the last
    is counted as it is unpacked and thrown away.
    """
    for i, kind in enumerate(filters):
        keep = i < len(filters) - 1
        if kind in _FLATE:
            data, size = _inflate(data, budget, keep=keep)
        elif kind in _HEX:
            data = _unhex(data)
            size = len(data)
        elif kind in _A85:
            if data.count(b"z") * 4 + len(data) > budget:
                return budget + 1
            data = _un85(data)
            size = len(data)
        elif kind in _RUN_LENGTH:
            data, size = _unrun(data, budget, keep=keep)
        elif kind in _LZW:
            if not keep and len(data) * _LZW_MAX_RATIO <= budget:
                return len(data) * _LZW_MAX_RATIO  # an upper bound, cheaper than unpacking
            data, size = _unlzw(data, budget, keep=keep)
        else:  # image codecs (DCT, JPX, JBIG2, CCITT) and Crypt: not unpacked by the text reader
            return len(data)
        if size > budget or not keep:
            return size
    return len(data)


_CHUNK = 1 << 20


def _inflate(data: bytes, budget: int, *, keep: bool) -> tuple[bytes, int]:
    try:
        return _inflate_with(zlib.decompressobj(), data, budget, keep)
    except zlib.error:  # not zlib-wrapped: try raw deflate, as pdfium does
        try:
            return _inflate_with(zlib.decompressobj(-zlib.MAX_WBITS), data, budget, keep)
        except zlib.error:
            return b"", 0


_FEED = 1024  # input bytes per step: a damaged stream is counted up to its damage


def _inflate_with(inflater: Any, data: bytes, budget: int, keep: bool) -> tuple[bytes, int]:
    """Inflate ``data`` in small input steps, so that when zlib fails halfway what it
    produced until then is still counted: pdfminer recovers it too (byte by byte)."""
    out = bytearray()
    size = 0
    view = memoryview(data)
    try:
        for at in range(0, len(view), _FEED):
            pending: bytes = bytes(view[at : at + _FEED])
            while pending or size == 0:
                chunk = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                size += len(chunk)
                if keep:
                    out += chunk
                if size > budget:
                    return bytes(out), size
                if not chunk:
                    break
            if inflater.eof:
                break
        while size <= budget:  # output still buffered inside zlib
            chunk = inflater.decompress(b"", _CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if keep:
                out += chunk
    except zlib.error:
        if size == 0:
            raise
        # damaged further on: the readers stop about here
    return bytes(out), size


def _unhex(data: bytes) -> bytes:
    digits = bytes(c for c in data.split(b">", 1)[0] if c in b"0123456789abcdefABCDEF")
    if len(digits) % 2:
        digits += b"0"
    return binascii.unhexlify(digits)


def _un85(data: bytes) -> bytes:
    body = data.strip()
    if body.startswith(b"<~"):
        body = body[2:]
    body = body.split(b"~>", 1)[0]
    try:
        return base64.a85decode(body, ignorechars=b" \t\n\r\x0b\x0c")
    except ValueError:
        return b""


def _unrun(data: bytes, budget: int, *, keep: bool) -> tuple[bytes, int]:
    out = bytearray()
    size = i = 0
    while i < len(data) and size <= budget:
        n = data[i]
        if n == 128:
            break
        if n < 128:
            chunk = data[i + 1 : i + 2 + n]
            i += 2 + n
        else:
            chunk = data[i + 1 : i + 2] * (257 - n)
            i += 2
        size += len(chunk)
        if keep:
            out += chunk
    return bytes(out), size


def _unlzw(data: bytes, budget: int, *, keep: bool) -> tuple[bytes, int]:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    size = 0
    try:
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            size += len(chunk)
            if keep:
                out += chunk
            if size > budget:
                break
    except Exception:  # damaged: the readers stop there too
        pass
    return bytes(out), size


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


def _utf8_name(path: Path) -> bool:
    """Whether the path can be handed to a C library as UTF-8. A name that is not
    valid UTF-8 on disk (b"\\xff.pdf", surrogate-escaped by Python) cannot."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _pdfium_document(path: Path) -> pdfium.PdfDocument:
    if _utf8_name(path):
        return pdfium.PdfDocument(str(path))
    return pdfium.PdfDocument(path.open("rb"), autoclose=True)



def _pdfium_sizes(path: Path, name: str) -> list[tuple[float, float]]:
    with _PDFIUM_LOCK:
        try:
            doc = _pdfium_document(path)
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
                doc = _pdfium_document(self.path)
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
        handed = 0  # content bytes given to pdfminer so far
        for i, (page_dpi, width, height) in enumerate(geometry):
            page = by_objid.get(facts[i].objid) if agree[i] else None
            if page is None:
                continue
            if i >= len(facts) or facts[i].content_bytes > TEXT_LAYER_PAGE_BYTES or (
                handed + facts[i].content_bytes > TEXT_LAYER_FILE_BYTES
            ):
                log.info("%s page %d: too much content for the text-layer reader; page will be OCR'd", name, i + 1)
                page.close()
                continue
            handed += facts[i].content_bytes
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


# --- pdfminer: references that never end, streams that never stop ------------------------------

_PDFMINER_MAX_STREAM = 256 * 1024 * 1024  # a safety net: load_pdf's own budget is far lower


def _bound_pdfminer() -> None:
    """Two fixes to pdfminer (pdfminer.six 20260107), made once, on import.

    * ``4 0 obj 4 0 R endobj`` (an object that is only a reference to itself, or a
      ring of them) sends ``resolve1`` round forever: its loop follows references
      until something else turns up. qpdf and pdfium read such an object as null;
      here pdfminer does too, after ``_MAX_REF_CHAIN`` hops.
    * A Flate stream that fails its checksum is unpacked again by
      ``decompress_corrupted`` one input byte at a time, growing an immutable
      ``bytes`` each time: quadratic, minutes for a 1 MB stream damaged at its
      end (the fuzzer's second find). Replaced by the same loop on a bytearray, and
      both it and the plain ``zlib.decompress`` stop at ``_PDFMINER_MAX_STREAM``
      (the stream then reads as empty, as pdfminer does for undecodable data).

    This is the one place this project patches a library: for a hang no input check
    can rule out (the ring may sit inside a compressed object stream).
    """
    from pdfminer import pdftypes

    original = PDFObjRef.resolve
    if getattr(original, "_docintake_bounded", False):
        return

    def resolve(self: PDFObjRef, default: object = None) -> Any:
        value = original(self, default=default)
        for _ in range(_MAX_REF_CHAIN):
            if not isinstance(value, PDFObjRef):
                return value
            value = original(value, default=default)
        return default if isinstance(value, PDFObjRef) else value

    resolve._docintake_bounded = True  # type: ignore[attr-defined]
    PDFObjRef.resolve = resolve  # type: ignore[method-assign]
    pdftypes.decompress_corrupted = _decompress_corrupted
    pdftypes.zlib = _BoundedZlib()  # only pdftypes' own name for the module


def _decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted`` (as much as inflates; an error is only
    forgiven in the last 3 bytes, the checksum), linear and bounded."""
    inflater = zlib.decompressobj()
    out = bytearray()
    i = 0
    try:
        for i in range(len(data)):
            out += inflater.decompress(data[i : i + 1])
            if len(out) > _PDFMINER_MAX_STREAM:
                raise zlib.error("stream unpacks to more than the limit")
    except zlib.error:
        if i < len(data) - 3 or len(out) > _PDFMINER_MAX_STREAM:
            raise
    return bytes(out)


class _BoundedZlib:
    """``zlib`` as pdfminer's pdftypes sees it: ``decompress`` stops at the limit."""

    error = zlib.error

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def decompress(data: bytes, *args: Any) -> bytes:
        inflater = zlib.decompressobj(*args[:1])
        out = inflater.decompress(data, _PDFMINER_MAX_STREAM + 1)
        if len(out) > _PDFMINER_MAX_STREAM:
            raise zlib.error("stream unpacks to more than the limit")
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return out


_bound_pdfminer()


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
