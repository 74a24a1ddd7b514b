"""Write sheets as text-layer PDFs, and page images as scanned (image-only) PDFs.

Both use reportlab with ``invariant=1`` so that the same input gives the same bytes
(no creation time, no random document id).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from samplegen.fonts import pdf_font
from samplegen.sheet import Ellipse, Line, Picture, Rect, Sheet, Text

MM = 72.0 / 25.4  # points per mm


@dataclass
class PdfInfo:
    """Document properties; real e-invoices and contracts carry such producer strings."""

    title: str = ""
    author: str = ""
    creator: str = ""
    producer: str = ""


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Binary (not ASCII85) streams: smaller files, faster to write. reportlab reads
    this setting from its config module while writing, so it is set for the call."""
    old = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = old


def _new_canvas(buf: io.BytesIO, info: PdfInfo) -> Canvas:
    c = Canvas(buf, invariant=1, pageCompression=1)
    if info.title:
        c.setTitle(info.title)
    if info.author:
        c.setAuthor(info.author)
    if info.creator:
        c.setCreator(info.creator)
    if info.producer:
        c.setProducer(info.producer)
    return c


def sheets_to_pdf(sheets: list[Sheet], info: PdfInfo | None = None, *,
                  picture_dpi: int | None = None, cid_font: bool = False) -> bytes:
    """Options for small files (the committed application bundles): ``picture_dpi``
    embeds seals and other pictures (not QR codes) resampled to at most this
    resolution; ``cid_font`` writes CJK text in the non-embedded Adobe font
    STSong-Light (UniGB-UCS2-H), as iText-made e-invoices often do, instead of
    embedding subsets of the Arphic faces."""
    with _binary_streams():
        return _sheets_to_pdf(sheets, info, picture_dpi, cid_font)


CID_FONT = "STSong-Light"


def _sheets_to_pdf(sheets: list[Sheet], info: PdfInfo | None,
                   picture_dpi: int | None = None, cid_font: bool = False) -> bytes:
    if cid_font:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        if CID_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    buf = io.BytesIO()
    c = _new_canvas(buf, info or PdfInfo())
    for sheet in sheets:
        c.setPageSize((sheet.width * MM, sheet.height * MM))
        h = sheet.height * MM
        if sheet.paper != (255, 255, 255):
            c.setFillColorRGB(*[v / 255 for v in sheet.paper])
            c.rect(0, 0, sheet.width * MM, h, stroke=0, fill=1)
        for op in sheet.ops:
            if isinstance(op, Text):
                _text(c, op, h, sheet.script, cid_font)
            elif isinstance(op, Line):
                c.setStrokeColorRGB(*[v / 255 for v in op.color])
                c.setLineWidth(op.width * MM)
                c.setDash(*(d * MM for d in op.dash)) if op.dash else c.setDash()
                c.line(op.x0 * MM, h - op.y0 * MM, op.x1 * MM, h - op.y1 * MM)
                c.setDash()
            elif isinstance(op, Rect):
                _shape_colors(c, op.stroke, op.fill, op.width)
                c.rect(op.x * MM, h - (op.y + op.h) * MM, op.w * MM, op.h * MM,
                       stroke=int(op.stroke is not None), fill=int(op.fill is not None))
            elif isinstance(op, Ellipse):
                _shape_colors(c, op.stroke, op.fill, op.width)
                c.ellipse((op.cx - op.rx) * MM, h - (op.cy + op.ry) * MM,
                          (op.cx + op.rx) * MM, h - (op.cy - op.ry) * MM,
                          stroke=int(op.stroke is not None), fill=int(op.fill is not None))
            elif isinstance(op, Picture):
                _picture(c, op, h, picture_dpi)
        c.showPage()
    c.save()
    return buf.getvalue()


def _shape_colors(c: Canvas, stroke, fill, width: float) -> None:
    if stroke is not None:
        c.setStrokeColorRGB(*[v / 255 for v in stroke])
        c.setLineWidth(width * MM)
    if fill is not None:
        c.setFillColorRGB(*[v / 255 for v in fill])


def _text(c: Canvas, op: Text, h: float, script: str, cid_font: bool = False) -> None:
    name, bold = pdf_font(op.font, script, op.s)
    if cid_font and name not in ("Courier", "Helvetica"):
        name = CID_FONT
    size = op.size
    natural = stringWidth(op.s, name, size) * op.scale_x
    char_space = 0.0
    width = natural
    if op.spread is not None and len(op.s) > 1:
        char_space = (op.spread * MM - natural) / (len(op.s) - 1)
        width = op.spread * MM
    x = op.x * MM - {"left": 0.0, "center": width / 2, "right": width}[op.align]
    # Tc/Tz/Tr live in the graphics state and would leak into the next text: q ... Q
    c.saveState()
    t = c.beginText(x, h - op.y * MM)
    t.setFont(name, size)
    t.setFillColorRGB(*[v / 255 for v in op.color])
    if char_space:
        t.setCharSpace(char_space)
    if op.scale_x != 1.0:
        t.setHorizScale(op.scale_x * 100)
    if bold:  # no bold TrueType CJK face: fill + thin stroke of the same colour
        t.setTextRenderMode(2)
        c.setStrokeColorRGB(*[v / 255 for v in op.color])
        c.setLineWidth(size * 0.035)
    t.textOut(op.s)
    c.drawText(t)
    c.restoreState()


def _picture(c: Canvas, op: Picture, h: float, max_dpi: int | None = None) -> None:
    img = op.image
    if op.kind == "qr":
        img = img.convert("L")
    elif max_dpi is not None:
        # a seal drawn at 300 dpi is most of an e-document's bytes; far less still shows it
        w = max(1, round(op.w / 25.4 * max_dpi))
        if w < img.width:
            hh = max(1, round(img.height * w / img.width))
            img = img.resize((w, hh), Image.Resampling.LANCZOS)
    reader = ImageReader(img)
    mask = "auto" if img.mode in ("RGBA", "LA", "P") else None
    c.drawImage(reader, op.x * MM, h - (op.y + op.h) * MM, op.w * MM, op.h * MM,
                mask=mask)


def images_to_pdf(pages: list[Image.Image], dpi: int, *, quality: int = 80,
                  info: PdfInfo | None = None) -> bytes:
    """A scanned PDF: each page one JPEG filling the page, no text layer."""
    with _binary_streams():
        return _images_to_pdf(pages, dpi, quality, info)


def _images_to_pdf(pages: list[Image.Image], dpi: int, quality: int,
                   info: PdfInfo | None) -> bytes:
    buf = io.BytesIO()
    c = _new_canvas(buf, info or PdfInfo(producer="Scanner PDF Driver"))
    for img in pages:
        w, h = img.width * 72.0 / dpi, img.height * 72.0 / dpi
        c.setPageSize((w, h))
        jpg = io.BytesIO()
        img.convert("L" if img.mode in ("L", "1") else "RGB").save(jpg, "JPEG",
                                                                    quality=quality)
        jpg.seek(0)
        c.drawImage(ImageReader(jpg), 0, 0, w, h)
        c.showPage()
    c.save()
    return buf.getvalue()
