"""Red ink seals (印章) as RGBA images: company, invoice, bank, authority.

A seal is drawn as a grey mask at 2x, text bent along the rim one glyph at a time
(glyphs narrowed and radial, as engraved seals are), then inked: uneven pressure,
speckle drop-outs and a random stamping angle, so no two impressions match.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from samplegen.fonts import pil_font
from samplegen.sheet import Sheet, to_traditional

SS = 1  # supersampling factor (1: the ink blur smooths the edges enough at 300 dpi)


@dataclass
class SealImage:
    image: Image.Image  # RGBA
    dpi: int

    @property
    def w_mm(self) -> float:
        return self.image.width / self.dpi * 25.4

    @property
    def h_mm(self) -> float:
        return self.image.height / self.dpi * 25.4

    def place(self, sheet: Sheet, cx: float, cy: float, layer: str = "seal") -> None:
        """Put the seal on ``sheet`` centred at (cx, cy) mm, ink multiplied over text."""
        sheet.picture(cx - self.w_mm / 2, cy - self.h_mm / 2, self.w_mm, self.h_mm,
                      self.image, blend="multiply", layer=layer, kind="seal")


def seal_red(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randint(205, 235), rng.randint(5, 35), rng.randint(20, 45))


@lru_cache(maxsize=2048)
def _glyph(ch: str, size: int, sx: float, font_role: str, script: str) -> Image.Image:
    f = pil_font(font_role, script, size)
    g = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(g).text((size, size), ch, font=f, fill=255, anchor="mm")
    g = g.crop(g.getbbox() or (0, 0, 1, 1))
    return g.resize((max(1, round(g.width * sx)), g.height), Image.Resampling.LANCZOS)


def _paste_rotated(mask: Image.Image, g: Image.Image, cx: float, cy: float,
                   deg: float) -> None:
    r = g.rotate(-deg, resample=Image.Resampling.BICUBIC, expand=True)
    x, y = round(cx - r.width / 2), round(cy - r.height / 2)
    region = mask.crop((x, y, x + r.width, y + r.height))
    mask.paste(ImageChops.lighter(region, r), (x, y))


def _arc_text(mask: Image.Image, text: str, cx: float, cy: float, a: float, b: float,
              span_deg: float, size: int, sx: float, *, bottom: bool = False,
              font_role: str = "song_bold", script: str = "simplified") -> None:
    """Glyphs along an ellipse (semi-axes a, b) centred at the top (or bottom) point."""
    n = len(text)
    if n == 0:
        return
    # sample the ellipse finely to space glyphs evenly by arc length
    ts = np.linspace(-math.radians(span_deg) / 2, math.radians(span_deg) / 2, 2000)
    xs, ys = a * np.sin(ts), -b * np.cos(ts)
    seg = np.hypot(np.diff(xs), np.diff(ys))
    s = np.concatenate([[0.0], np.cumsum(seg)])
    targets = np.linspace(0, s[-1], n) if n > 1 else np.array([s[-1] / 2])
    for i, ch in enumerate(text):
        t = float(np.interp(targets[i], s, ts))
        if bottom:  # reads left to right below the centre, glyph tops toward it
            px, py = a * math.sin(t), b * math.cos(t)
            deg = math.degrees(math.atan2(-math.sin(t) / a, math.cos(t) / b))
        else:  # glyph tops along the outward normal
            px, py = a * math.sin(t), -b * math.cos(t)
            deg = math.degrees(math.atan2(math.sin(t) / a, math.cos(t) / b))
        _paste_rotated(mask, _glyph(ch, size, sx, font_role, script), cx + px, cy + py,
                       deg)


def _fit_arc(n: int, a: float, b: float, span: float, sx: float,
             max_size: float) -> tuple[int, float]:
    """Glyph size that fills the arc without glyphs touching, and the text radius."""
    size = max_size
    for _ in range(3):
        tr = (a + b) / 2 - size * 0.55
        spacing = math.radians(span) * tr / max(n - 1, 1)
        size = min(max_size, 0.93 * spacing / sx)
    return round(size), (a + b) / 2 - size * 0.55


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        ang = math.radians(-90 + i * 36)
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    draw.polygon(pts, fill=255)


def _hline(mask: Image.Image, text: str, cx: float, cy: float, size: int, sx: float,
           font_role: str, script: str) -> None:
    f = pil_font(font_role, script, size)
    w = f.getlength(text)
    g = Image.new("L", (int(w) + size, size * 2), 0)
    ImageDraw.Draw(g).text((g.width / 2, size), text, font=f, fill=255, anchor="mm")
    g = g.resize((max(1, round(g.width * sx)), g.height), Image.Resampling.LANCZOS)
    _paste_rotated(mask, g, cx, cy, 0)


def _ink(mask: Image.Image, rng: random.Random, color: tuple[int, int, int],
         angle: float, dpi: int, strength: float = 1.0) -> SealImage:
    mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    mask = mask.resize((mask.width // SS, mask.height // SS), Image.Resampling.LANCZOS)
    m = np.asarray(mask, dtype=np.float32) / 255.0
    nrng = np.random.default_rng(rng.getrandbits(32))
    h, w = m.shape
    # pressure: a smooth field, lighter on one side as a hand-pressed stamp is
    coarse = nrng.random((max(2, h // 40), max(2, w // 40))).astype(np.float32)
    field = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8)).resize(
        (w, h), Image.Resampling.BICUBIC), dtype=np.float32) / 255.0
    gx = np.linspace(-1, 1, w)[None, :] * rng.uniform(-0.25, 0.25)
    gy = np.linspace(-1, 1, h)[:, None] * rng.uniform(-0.25, 0.25)
    pressure = np.clip(0.75 + 0.45 * field + gx + gy, 0.35, 1.0)
    speckle = (nrng.random((h, w)) > rng.uniform(0.03, 0.12)).astype(np.float32)
    alpha = m * pressure * (0.6 + 0.4 * speckle) * rng.uniform(0.85, 1.0) * strength
    a_img = Image.fromarray((alpha.clip(0, 1) * 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(0.5))
    out = Image.new("RGBA", a_img.size, color + (0,))
    out.putalpha(a_img)
    return SealImage(out, dpi)


def _prep(diam_w: float, diam_h: float, dpi: int) -> tuple[Image.Image, float]:
    k = dpi / 25.4 * SS
    pad = 1.5
    return Image.new("L", (round((diam_w + pad * 2) * k), round((diam_h + pad * 2) * k)), 0), k


def round_seal(rng: random.Random, arc_text: str, *, diameter: float = 40.0,
               center: str = "star", middle_text: str = "", bottom_text: str = "",
               code: str = "", script: str = "simplified", dpi: int = 300,
               color: tuple[int, int, int] | None = None) -> SealImage:
    """Round seal: name on the upper arc, star, optional horizontal lines and code."""
    if script == "traditional":
        arc_text, middle_text, bottom_text = (to_traditional(t) for t in
                                              (arc_text, middle_text, bottom_text))
    mask, k = _prep(diameter, diameter, dpi)
    draw = ImageDraw.Draw(mask)
    cx, cy = mask.width / 2, mask.height / 2
    r = diameter / 2 * k
    ring = rng.uniform(0.9, 1.3) * k
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=255, width=round(ring))
    n = len(arc_text)
    span = min(250.0, 110 + n * 11.0)
    sx = 0.72 if n > 12 else 0.82
    size, tr = _fit_arc(n, r - ring - 0.05 * r, r - ring - 0.05 * r, span, sx,
                        diameter * 0.165 * k)
    _arc_text(mask, arc_text, cx, cy, tr, tr, span, size, sx, script=script)
    if center == "star":
        _star(draw, cx, cy - (r * 0.05 if bottom_text else 0), r * 0.30)
    if middle_text:
        _hline(mask, middle_text, cx, cy + (r * 0.0 if center != "star" else r * 0.38),
               round(r * 0.20), 0.85, "song_bold", script)
    if bottom_text:
        _hline(mask, bottom_text, cx, cy + r * 0.55, round(r * 0.17), 0.85, "song_bold",
               script)
    if code:
        _arc_text(mask, code, cx, cy, r - ring - r * 0.08, r - ring - r * 0.08,
                  min(120.0, 6.5 * len(code)), round(r * 0.085), 0.9, bottom=True,
                  font_role="hei", script=script)
    return _ink(mask, rng, color or seal_red(rng), rng.uniform(-25, 25), dpi)


def oval_seal(rng: random.Random, arc_text: str, middle_text: str, bottom_text: str, *,
              width: float = 40.0, height: float = 30.0, script: str = "simplified",
              dpi: int = 300, color: tuple[int, int, int] | None = None,
              angle: float | None = None, strength: float = 1.0,
              ring: float | None = None) -> SealImage:
    """Oval seal: 发票专用章 (name on the arc, tax id across, title below) and the
    全国统一发票监制章 printed in invoice titles."""
    if script == "traditional":
        arc_text, middle_text, bottom_text = (to_traditional(t) for t in
                                              (arc_text, middle_text, bottom_text))
    mask, k = _prep(width, height, dpi)
    draw = ImageDraw.Draw(mask)
    cx, cy = mask.width / 2, mask.height / 2
    a, b = width / 2 * k, height / 2 * k
    rw = (ring if ring is not None else rng.uniform(0.9, 1.2)) * k
    draw.ellipse([cx - a, cy - b, cx + a, cy + b], outline=255, width=round(rw))
    n = len(arc_text)
    span = min(196.0, 96 + n * 9.0)
    sx = 0.7 if n > 10 else 0.85
    inner = 0.06 * b
    size, _ = _fit_arc(n, a - rw - inner, b - rw - inner, span, sx, height * 0.2 * k)
    _arc_text(mask, arc_text, cx, cy, a - rw - inner - size * 0.55,
              b - rw - inner - size * 0.55, span, size, sx, script=script)
    if middle_text:
        msize = round(height * 0.13 * k)
        narrow = min(0.9, (width * 0.62 * k) / max(1, pil_font("hei_bold", script, msize)
                                                   .getlength(middle_text)))
        _hline(mask, middle_text, cx, cy + b * 0.2, msize, narrow, "hei_bold", script)
    if bottom_text:
        _hline(mask, bottom_text, cx, cy + b * 0.62, round(height * 0.14 * k), 0.9,
               "song_bold", script)
    ang = angle if angle is not None else rng.uniform(-12, 12)
    return _ink(mask, rng, color or seal_red(rng), ang, dpi, strength)


def box_seal(rng: random.Random, lines: list[str], *, width: float = 42.0,
             height: float = 24.0, script: str = "simplified", dpi: int = 300,
             color: tuple[int, int, int] | None = None) -> SealImage:
    """Rectangular bank seal (转讫 / 业务专用章 with a date), lines top to bottom."""
    if script == "traditional":
        lines = [to_traditional(t) for t in lines]
    mask, k = _prep(width, height, dpi)
    draw = ImageDraw.Draw(mask)
    x0, y0 = 1.5 * k, 1.5 * k
    draw.rounded_rectangle([x0, y0, x0 + width * k, y0 + height * k], radius=2 * k,
                           outline=255, width=round(0.9 * k))
    step = height * k / (len(lines) + 0.6)
    for i, ln in enumerate(lines):
        size = round(min(step * 0.62, width * k * 0.85 / max(len(ln), 1)))
        _hline(mask, ln, mask.width / 2, y0 + step * (i + 0.8), size, 0.9, "hei_bold",
               script)
    return _ink(mask, rng, color or seal_red(rng), rng.uniform(-6, 6), dpi)
