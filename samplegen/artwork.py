"""Printed artwork shared by several documents: QR codes, a stylised emblem, the
meander (回纹) border of licences, fine security line patterns, a photo placeholder.

The emblem is a simple red disc with gold stars and a gate outline: it reads as "the
emblem at the top of a licence" at scan resolution without reproducing the real one.
"""

from __future__ import annotations

import math
import random

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFilter

from samplegen.sheet import RGB, Sheet

GOLD: RGB = (196, 150, 60)


def qr_image(payload: str, *, error: str = "m") -> Image.Image:
    """QR code as a 1-pixel-per-module "L" image with a 2-module quiet zone."""
    qr = segno.make(payload, error=error, micro=False)
    m = np.array([list(row) for row in qr.matrix], dtype=np.uint8)
    m = np.pad(m, 2)
    return Image.fromarray(((1 - m) * 255).astype(np.uint8), "L")


def place_qr(sheet: Sheet, x: float, y: float, size: float, payload: str, *,
             layer: str = "form") -> None:
    sheet.picture(x, y, size, size, qr_image(payload), crisp=True, layer=layer, kind="qr")


def _star_pts(cx: float, cy: float, r: float, rot: float = -90.0) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = math.radians(rot + i * 36)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def emblem(px: int = 600) -> Image.Image:
    """Stylised emblem: gold rim, red field, one large and four small stars, a gate."""
    s = px * 2
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = s / 2
    red, gold = (205, 30, 35, 255), (222, 170, 50, 255)
    # wheat-like rim: ring of small gold ellipses
    for i in range(36):
        a = math.radians(i * 10)
        x, y = c + 0.45 * s * math.cos(a), c + 0.45 * s * math.sin(a)
        d.ellipse([x - s * 0.04, y - s * 0.04, x + s * 0.04, y + s * 0.04], fill=gold)
    d.ellipse([c - s * 0.40, c - s * 0.40, c + s * 0.40, c + s * 0.40], fill=red)
    d.polygon(_star_pts(c, c - s * 0.2, s * 0.1), fill=gold)
    for i, ang in enumerate((-50, -20, 20, 50)):
        a = math.radians(ang - 90)
        x, y = c + 0.2 * s * math.cos(a) * 1.25, c - s * 0.2 + 0.2 * s * math.sin(a) * 0.35 + s * 0.09
        d.polygon(_star_pts(x, y, s * 0.035, rot=-90 + ang), fill=gold)
    # gate: base, roof and pillars
    d.rectangle([c - s * 0.22, c + s * 0.10, c + s * 0.22, c + s * 0.14], fill=gold)
    d.polygon([(c - s * 0.18, c + s * 0.02), (c + s * 0.18, c + s * 0.02),
               (c + s * 0.22, c + s * 0.06), (c - s * 0.22, c + s * 0.06)], fill=gold)
    for k in (-0.12, -0.04, 0.04, 0.12):
        d.rectangle([c + s * k - s * 0.015, c + s * 0.06, c + s * k + s * 0.015, c + s * 0.10],
                    fill=gold)
    # cog at the bottom and ribbon
    d.ellipse([c - s * 0.07, c + s * 0.24, c + s * 0.07, c + s * 0.38], outline=gold,
              width=round(s * 0.02))
    d.polygon([(c - s * 0.3, c + s * 0.36), (c + s * 0.3, c + s * 0.36),
               (c + s * 0.36, c + s * 0.46), (c - s * 0.36, c + s * 0.46)], fill=red)
    return img.resize((px, px), Image.Resampling.LANCZOS)


def meander_border(sheet: Sheet, x: float, y: float, w: float, h: float, *,
                   color: RGB = GOLD, unit: float = 4.0, width: float = 0.35) -> None:
    """Double frame with a 回纹 (Greek key) band between the lines."""
    sheet.rect(x, y, w, h, stroke=color, width=width * 1.6)
    sheet.rect(x + unit * 1.6, y + unit * 1.6, w - unit * 3.2, h - unit * 3.2, stroke=color,
               width=width * 1.2)
    u = unit
    top, left = y + u * 0.3, x + u * 0.3

    def key(kx: float, ky: float, rot: int) -> None:
        # one spiral key in a u x u square, rotated by multiples of 90 degrees
        pts = [(0, 1), (0, 0), (1, 0), (1, 0.75), (0.25, 0.75), (0.25, 0.25), (0.75, 0.25),
               (0.75, 0.5), (0.5, 0.5)]
        out = []
        for px, py in pts:
            for _ in range(rot):
                px, py = 1 - py, px
            out.append((kx + px * u, ky + py * u))
        for (ax, ay), (bx, by) in zip(out, out[1:]):
            sheet.line(ax, ay, bx, by, width=width, color=color)

    n_h = int((w - 0.6 * u) // u)
    for i in range(n_h):
        key(left + i * u, top, 0)
        key(left + i * u, y + h - u * 1.3, 2)
    n_v = int((h - 2.6 * u) // u)
    for j in range(n_v):
        key(left, top + (j + 1) * u, 3)
        key(x + w - u * 1.3, top + (j + 1) * u, 1)


def guilloche(sheet: Sheet, x: float, y: float, w: float, h: float, *, color: RGB,
              rng: random.Random, lines: int = 40, width: float = 0.12) -> None:
    """Faint interleaved sine lines (security background of licences and ID cards)."""
    amp = rng.uniform(1.5, 3.0)
    period = rng.uniform(18, 30)
    steps = max(12, int(w / 2))
    for i in range(lines):
        y0 = y + h * i / lines
        phase = i * 0.7
        prev = None
        for k in range(steps + 1):
            px = x + w * k / steps
            py = y0 + amp * math.sin(2 * math.pi * px / period + phase)
            if prev and y <= py <= y + h:
                sheet.line(prev[0], prev[1], px, py, width=width, color=color)
            prev = (px, py)


def portrait(rng: random.Random, px_w: int = 358, px_h: int = 441) -> Image.Image:
    """Grey head-and-shoulders silhouette on a plain background (ID photo placeholder)."""
    img = Image.new("RGBA", (px_w, px_h), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    tone = rng.randint(95, 140)
    hair = rng.randint(30, 60)
    cx = px_w / 2
    d.ellipse([cx - px_w * 0.45, px_h * 0.72, cx + px_w * 0.45, px_h * 1.25],
              fill=(tone - 40, tone - 40, tone - 30, 255))
    d.rectangle([cx - px_w * 0.09, px_h * 0.55, cx + px_w * 0.09, px_h * 0.78],
                fill=(tone + 60, tone + 45, tone + 35, 255))
    d.ellipse([cx - px_w * 0.2, px_h * 0.18, cx + px_w * 0.2, px_h * 0.66],
              fill=(tone + 75, tone + 58, tone + 45, 255))
    d.chord([cx - px_w * 0.22, px_h * 0.12, cx + px_w * 0.22, px_h * 0.5], 180, 360,
            fill=(hair, hair, hair, 255))
    return img.filter(ImageFilter.GaussianBlur(1.2))
