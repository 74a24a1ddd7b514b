"""Paint a `Sheet` onto a PIL image at a given resolution."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageChops, ImageDraw

from samplegen.fonts import pil_font
from samplegen.sheet import Ellipse, Line, Picture, Rect, Sheet, Text

MM_PER_INCH = 25.4


def rasterize(sheet: Sheet, dpi: int = 300, *, layers: set[str] | None = None,
              background: tuple[int, int, int] | None = None) -> Image.Image:
    k = dpi / MM_PER_INCH
    size = (round(sheet.width * k), round(sheet.height * k))
    img = Image.new("RGB", size, background or sheet.paper)
    paint(img, sheet, dpi, layers=layers)
    return img


def paint(img: Image.Image, sheet: Sheet, dpi: int, *, layers: set[str] | None = None,
          offset: tuple[float, float] = (0.0, 0.0)) -> None:
    """Draw the ops of ``layers`` onto an existing page image (shifted by ``offset`` mm)."""
    k = dpi / MM_PER_INCH
    if offset != (0.0, 0.0):
        img2 = Image.new("RGB", img.size, (255, 255, 255))
        paint(img2, sheet, dpi, layers=layers)
        dx, dy = round(offset[0] * k), round(offset[1] * k)
        shifted = Image.new("RGB", img.size, (255, 255, 255))
        shifted.paste(img2, (dx, dy))
        img.paste(ImageChops.multiply(img, shifted))
        return
    draw = ImageDraw.Draw(img)
    for op in sheet.ops:
        if layers is not None and op.layer not in layers:
            continue
        if isinstance(op, Text):
            _text(img, draw, op, k, sheet.script)
        elif isinstance(op, Line):
            _line(draw, op, k)
        elif isinstance(op, Rect):
            w = max(1, round(op.width * k))
            box = [op.x * k, op.y * k, (op.x + op.w) * k, (op.y + op.h) * k]
            draw.rectangle(box, outline=op.stroke, fill=op.fill, width=w if op.stroke else 0)
        elif isinstance(op, Ellipse):
            w = max(1, round(op.width * k))
            box = [(op.cx - op.rx) * k, (op.cy - op.ry) * k, (op.cx + op.rx) * k,
                   (op.cy + op.ry) * k]
            draw.ellipse(box, outline=op.stroke, fill=op.fill, width=w if op.stroke else 0)
        elif isinstance(op, Picture):
            _picture(img, op, k)


def _text(img: Image.Image, draw: ImageDraw.ImageDraw, op: Text, k: float,
          script: str) -> None:
    px = max(1, round(op.size / 72.0 * MM_PER_INCH * k))
    font = pil_font(op.font, script, px)
    x, y = op.x * k, op.y * k
    if op.scale_x != 1.0:
        _scaled_text(img, op, font, x, y)
        return
    if op.spread is None or len(op.s) < 2:
        anchor = {"left": "ls", "right": "rs", "center": "ms"}[op.align]
        draw.text((x, y), op.s, font=font, fill=op.color, anchor=anchor)
        return
    widths = [font.getlength(c) for c in op.s]
    total = op.spread * k
    gap = (total - sum(widths)) / (len(op.s) - 1)
    cx = {"left": x, "center": x - total / 2, "right": x - total}[op.align]
    for c, w in zip(op.s, widths):
        draw.text((cx, y), c, font=font, fill=op.color, anchor="ls")
        cx += w + gap


def _scaled_text(img: Image.Image, op: Text, font, x: float, y: float) -> None:
    w = max(1, int(font.getlength(op.s)) + 2)
    asc, desc = font.getmetrics()
    tmp = Image.new("L", (w, asc + desc), 0)
    ImageDraw.Draw(tmp).text((0, asc), op.s, font=font, fill=255, anchor="ls")
    nw = max(1, round(w * op.scale_x))
    tmp = tmp.resize((nw, asc + desc), Image.Resampling.LANCZOS)
    x0 = {"left": x, "center": x - nw / 2, "right": x - nw}[op.align]
    img.paste(Image.new("RGB", tmp.size, op.color), (round(x0), round(y - asc)), tmp)


def _line(draw: ImageDraw.ImageDraw, op: Line, k: float) -> None:
    w = max(1, round(op.width * k))
    if op.dash is None:
        draw.line([op.x0 * k, op.y0 * k, op.x1 * k, op.y1 * k], fill=op.color, width=w)
        return
    on, off = op.dash
    length = float(np.hypot(op.x1 - op.x0, op.y1 - op.y0))
    if length == 0:
        return
    ux, uy = (op.x1 - op.x0) / length, (op.y1 - op.y0) / length
    t = 0.0
    while t < length:
        t1 = min(t + on, length)
        draw.line([(op.x0 + ux * t) * k, (op.y0 + uy * t) * k,
                   (op.x0 + ux * t1) * k, (op.y0 + uy * t1) * k], fill=op.color, width=w)
        t = t1 + off


def _picture(img: Image.Image, op: Picture, k: float) -> None:
    size = (max(1, round(op.w * k)), max(1, round(op.h * k)))
    res = Image.Resampling.NEAREST if op.crisp else Image.Resampling.LANCZOS
    pic = op.image.convert("RGBA").resize(size, res)
    x, y = round(op.x * k), round(op.y * k)
    composite(img, pic, (x, y), op.blend)


def composite(img: Image.Image, pic: Image.Image, pos: tuple[int, int],
              blend: str = "normal") -> None:
    """Lay an RGBA ``pic`` on ``img`` in place; "multiply" is how ink over ink looks."""
    x, y = pos
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + pic.width, img.width), min(y + pic.height, img.height)
    if x1 <= x0 or y1 <= y0:
        return
    crop = pic.crop((x0 - x, y0 - y, x1 - x, y1 - y))
    if blend == "normal":
        img.paste(crop, (x0, y0), crop)
        return
    base = np.asarray(img.crop((x0, y0, x1, y1)), dtype=np.float32)
    p = np.asarray(crop, dtype=np.float32)
    a = p[..., 3:4] / 255.0
    out = base * (1 - a) + base * (p[..., :3] / 255.0) * a
    img.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (x0, y0))
