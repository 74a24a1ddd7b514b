"""A page as a list of drawing operations in millimetres, for two back ends.

Renderers describe a page once (`Sheet`), then `raster.rasterize` paints it with PIL
and `pdfout.sheets_to_pdf` writes it as a PDF with a real text layer. Coordinates are
mm from the top-left corner; a text's ``y`` is its baseline. Text is converted to
traditional script here, once, when the sheet is in that script, so renderers write
simplified Chinese only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from PIL import Image

from samplegen.fonts import pil_font

RGB = tuple[int, int, int]
BLACK: RGB = (20, 20, 20)
Align = Literal["left", "right", "center"]

PT_MM = 25.4 / 72.0  # one typographic point in mm


@dataclass
class Text:
    x: float
    y: float  # baseline
    s: str
    font: str
    size: float  # points
    color: RGB
    align: Align
    spread: float | None  # distribute the characters over this width (mm)
    scale_x: float  # horizontal compression (narrow digits in tight cells)
    layer: str


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float  # mm
    color: RGB
    layer: str
    dash: tuple[float, float] | None = None


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    stroke: RGB | None
    fill: RGB | None
    width: float
    layer: str


@dataclass
class Ellipse:
    cx: float
    cy: float
    rx: float
    ry: float
    stroke: RGB | None
    fill: RGB | None
    width: float
    layer: str


@dataclass
class Picture:
    x: float
    y: float
    w: float
    h: float
    image: Image.Image
    blend: Literal["normal", "multiply"]
    crisp: bool  # nearest-neighbour scaling (QR codes)
    layer: str
    kind: str = ""  # "seal", "qr", "photo", ... (the PDF back end and truth use it)


Op = Text | Line | Rect | Ellipse | Picture


@lru_cache(maxsize=1)
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2hk")


def to_traditional(s: str) -> str:
    return _to_traditional().convert(s)


@dataclass
class Sheet:
    width: float  # mm
    height: float
    script: str = "simplified"
    paper: RGB = (255, 255, 255)
    ops: list[Op] = field(default_factory=list)

    def conv(self, s: str) -> str:
        return to_traditional(s) if self.script == "traditional" else s

    # -- drawing -------------------------------------------------------------------
    def text(self, x: float, y: float, s: str, *, font: str = "song", size: float = 10.5,
             color: RGB = BLACK, align: Align = "left", spread: float | None = None,
             scale_x: float = 1.0, layer: str = "form") -> None:
        if s:
            self.ops.append(Text(x, y, self.conv(s), font, size, color, align, spread,
                                 scale_x, layer))

    def vtext(self, x: float, y: float, s: str, *, step: float | None = None,
              font: str = "song", size: float = 10.5, color: RGB = BLACK,
              layer: str = "form") -> None:
        """Characters stacked top to bottom, centred on ``x``; ``y`` = first baseline."""
        step = step if step is not None else size * PT_MM * 1.15
        for i, ch in enumerate(s):
            self.text(x, y + i * step, ch, font=font, size=size, color=color,
                      align="center", layer=layer)

    def line(self, x0: float, y0: float, x1: float, y1: float, *, width: float = 0.25,
             color: RGB = BLACK, layer: str = "form",
             dash: tuple[float, float] | None = None) -> None:
        self.ops.append(Line(x0, y0, x1, y1, width, color, layer, dash))

    def rect(self, x: float, y: float, w: float, h: float, *, stroke: RGB | None = BLACK,
             fill: RGB | None = None, width: float = 0.25, layer: str = "form") -> None:
        self.ops.append(Rect(x, y, w, h, stroke, fill, width, layer))

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, *,
                stroke: RGB | None = BLACK, fill: RGB | None = None, width: float = 0.25,
                layer: str = "form") -> None:
        self.ops.append(Ellipse(cx, cy, rx, ry, stroke, fill, width, layer))

    def picture(self, x: float, y: float, w: float, h: float, image: Image.Image, *,
                blend: Literal["normal", "multiply"] = "normal", crisp: bool = False,
                layer: str = "form", kind: str = "") -> None:
        self.ops.append(Picture(x, y, w, h, image, blend, crisp, layer, kind))

    def paragraph(self, x: float, y: float, width: float, s: str, *, font: str = "song",
                  size: float = 10.5, leading: float = 1.6, color: RGB = BLACK,
                  indent: float = 0.0, layer: str = "form") -> float:
        """Wrap ``s`` into ``width`` mm from baseline ``y``; returns the next baseline."""
        step = size * PT_MM * leading
        for i, ln in enumerate(wrap(self.conv(s), width, font, size,
                                          first_indent=indent, script=self.script)):
            dx = indent if i == 0 else 0.0
            self.ops.append(Text(x + dx, y, ln, font, size, color, "left", None, 1.0, layer))
            y += step
        return y

    def has(self, kind: str) -> bool:
        return any(isinstance(o, Picture) and o.kind == kind for o in self.ops)


# -- measuring and wrapping ------------------------------------------------------------

_REF_PX = 200  # measure at a large size, scale linearly


def text_width(s: str, font: str, size: float, script: str = "simplified") -> float:
    """Width of ``s`` in mm at ``size`` points (FreeType metrics of the raster face)."""
    f = pil_font(font, script, _REF_PX)
    return f.getlength(s) / _REF_PX * size * PT_MM


_NO_LINE_START = set("，。、；：？！）》」』”’%．,.;:)!?")
_TOKEN = re.compile(r"[A-Za-z0-9¥￥.,:/@%\-_]+|.", re.S)


def wrap(s: str, width: float, font: str, size: float, *, first_indent: float = 0.0,
         script: str = "simplified") -> list[str]:
    """Break ``s`` into lines no wider than ``width`` mm.

    CJK breaks anywhere; runs of Latin letters/digits stay whole; closing punctuation
    never starts a line (it hangs at the end of the previous one, as Word does).
    """
    lines: list[str] = []
    cur = ""
    avail = width - first_indent
    for tok in _TOKEN.findall(s):
        if tok == "\n":
            lines.append(cur)
            cur, avail = "", width
            continue
        if cur and text_width(cur + tok, font, size, script) > avail:
            if tok[0] in _NO_LINE_START:
                cur += tok
                continue
            if len(tok) > 1 and text_width(tok, font, size, script) > width:
                # a run longer than the line: break inside it
                for ch in tok:
                    if text_width(cur + ch, font, size, script) > avail and cur:
                        lines.append(cur)
                        cur, avail = "", width
                    cur += ch
                continue
            lines.append(cur)
            cur, avail = tok, width
        else:
            cur += tok
    if cur:
        lines.append(cur)
    return lines
