"""Scan and photo artefacts, each returned with its parameters for the truth.

Levels: ``clean`` (nothing), ``scan`` (flatbed/ADF: paper tone, skew up to ±3°, noise,
blur, sometimes faded toner, grey or bilevel, 90/180° turned pages, lower dpi),
``photo`` (phone: perspective onto a desk, uneven light, blur, ~4000×3000 JPEG,
sometimes an EXIF orientation tag), ``seal_heavy`` (a scan with extra red stamps over
the text). ``severity`` in 0..1 scales every artefact; it is drawn per document.
"""

from __future__ import annotations

import io
import math
import random
from typing import Any

import cv2
import numpy as np
from PIL import Image

from samplegen.raster import composite
from samplegen.seals import box_seal, round_seal

Artefacts = list[dict[str, Any]]
LEVELS = ("clean", "scan", "photo", "seal_heavy")


def _np_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(64))


# --- print quality ------------------------------------------------------------------------

def dot_matrix(img: Image.Image, rng: random.Random, dpi: int = 300
               ) -> tuple[Image.Image, dict[str, Any]]:
    """Re-draw dark strokes as pin dots on a grid with a worn, banded ribbon."""
    a = np.asarray(img.convert("RGB"))
    gray = cv2.cvtColor(a, cv2.COLOR_RGB2GRAY)
    if gray.min() > 240:
        return img, {}
    sub_a, sub_g = a[::3, ::3], gray[::3, ::3]
    ink = sub_a[sub_g < 128].mean(axis=0) if (sub_g < 128).any() else np.array([30.0, 30, 30])
    pitch = dpi / rng.uniform(135, 170)  # 24-pin heads print ~180 dots per inch
    g = _np_rng(rng)
    h, w = gray.shape
    # a pin fires when its cell holds ink: thin strokes must not fall between pins
    cell = max(1, int(round(pitch)))
    pooled = cv2.erode(gray, np.ones((cell, cell), np.uint8))
    ys = np.arange(0, h, pitch).astype(int)
    xs = np.arange(0, w, pitch).astype(int)
    fire = pooled[np.ix_(ys, xs)] < 180
    grid = np.zeros((h, w), np.float32)
    grid[np.ix_(ys, xs)] = fire * g.uniform(0.75, 1.0, fire.shape).astype(np.float32)
    r = pitch * rng.uniform(0.5, 0.62)
    k = int(math.ceil(r)) * 2 + 1
    yy, xx = np.mgrid[:k, :k] - k // 2
    disk = np.clip(r + 0.5 - np.hypot(yy, xx), 0, 1).astype(np.float32)
    d = cv2.filter2D(grid, -1, disk)
    # ribbon wear: slow horizontal bands of lighter ink
    strength = rng.uniform(0.75, 0.95)
    band = (0.82 + 0.18 * np.sin(np.arange(h, dtype=np.float32) / (dpi * rng.uniform(0.4, 1.2))
                                 + rng.uniform(0, 6.28))) * strength
    d *= band[:, None].astype(np.float32)
    np.clip(d, 0, 1, out=d)
    out = np.empty_like(a)
    for c in range(3):
        out[..., c] = 255 - d * (255 - float(ink[c]))
    return Image.fromarray(out), {"dot_pitch_px": round(pitch, 2),
                                  "ribbon_strength": round(strength, 2)}


def faded(img: Image.Image, rng: random.Random, severity: float) -> tuple[Image.Image, dict]:
    """Toner running out: dark strokes lighter, with a pale vertical streak."""
    a = np.asarray(img.convert("RGB"))
    amount = 0.25 + 0.35 * severity * rng.uniform(0.6, 1.0)
    w = a.shape[1]
    cx, sw = rng.uniform(0.1, 0.9) * w, rng.uniform(0.05, 0.2) * w
    streak = np.exp(-((np.arange(w) - cx) / sw) ** 2) * 0.35 * severity
    keep = ((1 - amount) * (1 - streak)).astype(np.float32)  # share of ink left, per column
    out = np.empty_like(a)
    for c in range(3):
        out[..., c] = 255 - (255 - a[..., c].astype(np.float32)) * keep[None, :]
    return Image.fromarray(out), {"kind": "faded_print", "amount": round(amount, 2)}


# --- scans ----------------------------------------------------------------------------------

def _field(shape: tuple[int, int], small: np.ndarray) -> np.ndarray:
    """A smooth full-size field from a small one (lighting and shading vary slowly)."""
    return cv2.resize(small.astype(np.float32), (shape[1], shape[0]),
                      interpolation=cv2.INTER_LINEAR)


def scan_page(img: Image.Image, rng: random.Random, severity: float, *, dpi_in: int = 300,
              dpi_out: int = 300) -> tuple[Image.Image, Artefacts]:
    arts: Artefacts = []
    g = _np_rng(rng)
    if rng.random() < 0.25 * (0.5 + severity):
        img, info = faded(img, rng, severity)
        arts.append(info)
    a = np.asarray(img.convert("RGB"))
    h, w = a.shape[:2]
    base = rng.uniform(238, 253)  # white to slightly warm paper, never green
    tone = np.array([base, base - rng.uniform(0, 4), base - rng.uniform(2, 10)], np.float32)
    arts.append({"kind": "paper_tone", "rgb": [round(float(t)) for t in tone]})
    skew = rng.uniform(-3.0, 3.0) * (0.3 + 0.7 * severity) if rng.random() < 0.8 else 0.0
    if dpi_out != dpi_in:
        a = cv2.resize(a, (round(w * dpi_out / dpi_in), round(h * dpi_out / dpi_in)),
                       interpolation=cv2.INTER_AREA)
        h, w = a.shape[:2]
    if skew:  # positive: the page turned counter-clockwise on the glass
        M = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        a = cv2.warpAffine(a, M, (w, h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
        arts.append({"kind": "skew", "deg": round(skew, 2)})
    if dpi_out != dpi_in:
        arts.append({"kind": "resample", "dpi": dpi_out})
    blur = rng.uniform(0.2, 0.9) * (0.4 + severity) * dpi_out / 300
    a = cv2.GaussianBlur(a, (0, 0), blur)
    arts.append({"kind": "blur", "sigma_px": round(blur, 2)})
    # paper tone x uneven lamp x optional lid shadow, as one smooth gain field
    gain = np.ones((8, 8), np.float32)
    gain *= 1 - 0.06 * severity * np.linspace(0, 1, 8)[None, :] * rng.choice((-1, 1))
    light = _field((h, w), gain)
    if rng.random() < 0.3:
        side = rng.choice(["left", "right", "top", "bottom"])
        n = max(2, int(rng.uniform(0.01, 0.04) * max(h, w)))
        ramp = np.linspace(0.35, 1.0, n, dtype=np.float32)
        if side == "left":
            light[:, :n] *= ramp[None, :]
        elif side == "right":
            light[:, -n:] *= ramp[::-1][None, :]
        elif side == "top":
            light[:n] *= ramp[:, None]
        else:
            light[-n:] *= ramp[::-1][:, None]
        arts.append({"kind": "edge_shadow", "side": side})
    sigma = rng.uniform(1.0, 3.0) * (0.5 + severity)
    noise = g.standard_normal((h, w), dtype=np.float32) * sigma
    f = a.astype(np.float32) * (light[..., None] * (tone / 255.0)) + noise[..., None]
    for _ in range(int(rng.uniform(0, 12) * severity)):  # dust on the glass
        cv2.circle(f, (rng.randrange(w), rng.randrange(h)), rng.randint(1, 2),
                   (rng.uniform(60, 160),) * 3, -1, lineType=cv2.LINE_AA)
    arts.append({"kind": "noise", "sigma": round(sigma, 2)})
    img = Image.fromarray(np.clip(f, 0, 255).astype(np.uint8))
    mode = rng.random()
    if mode < 0.25:  # grey and bilevel pages stay single-channel, as scanners save them
        img = img.convert("L")
        arts.append({"kind": "grayscale"})
    elif mode < 0.3:
        th = rng.randint(150, 190)
        img = img.convert("L").point(lambda v: 255 if v > th else 0)
        arts.append({"kind": "bilevel", "threshold": th})
    if rng.random() < 0.08:
        turn = rng.choice([90, 180, 270])
        img = img.rotate(-turn, expand=True)  # PIL turns counter-clockwise
        arts.append({"kind": "rotated", "deg_clockwise": turn})
    return img, arts


# --- photos ---------------------------------------------------------------------------------

def _background(rng: random.Random, w: int, h: int) -> tuple[np.ndarray, str]:
    """Desk texture as uint8: drawn at 1/8 size and enlarged (it is smooth anyway)."""
    g = _np_rng(rng)
    kind = rng.choice(["wood", "desk", "cloth", "stone"])
    sw, sh = max(2, w // 8), max(2, h // 8)
    if kind == "wood":
        base = np.array([rng.uniform(150, 200), rng.uniform(110, 150), rng.uniform(70, 100)])
        yy = np.arange(sh)[:, None] + g.normal(0, 3, (sh, sw)).cumsum(axis=1) * 0.15
        grain = 0.85 + 0.15 * np.sin(yy / rng.uniform(3, 7)) * (0.7 + 0.3 * g.random((sh, sw)))
        small = base[None, None, :] * grain[..., None]
    elif kind == "cloth":
        v = rng.uniform(70, 170)  # muted fabric: grey, beige, navy, dark green
        base = np.array([v * rng.uniform(0.8, 1.1), v * rng.uniform(0.8, 1.05),
                         v * rng.uniform(0.8, 1.15)])
        xx, yy = np.meshgrid(np.arange(sw), np.arange(sh))
        weave = 0.9 + 0.1 * (np.sin(xx * 1.3) * np.sin(yy * 1.3))
        small = base[None, None, :] * weave[..., None]
    else:
        v = rng.uniform(170, 235) if kind == "desk" else rng.uniform(120, 180)
        base = np.array([v, v * rng.uniform(0.95, 1.02), v * rng.uniform(0.9, 1.0)])
        small = base[None, None, :] * (0.93 + 0.07 * g.random((sh, sw)))[..., None]
    big = cv2.resize(np.clip(small, 0, 255).astype(np.uint8), (w, h),
                     interpolation=cv2.INTER_LINEAR)
    return big, kind


def photo_page(img: Image.Image, rng: random.Random, severity: float, *,
               long_side: int = 4000) -> tuple[Image.Image, Artefacts, int]:
    """Phone photo of ``img``. Returns the upright photo, artefacts and the EXIF
    orientation to store it with (1 = none; 6 = pixels stored turned, viewer turns 90°)."""
    arts: Artefacts = []
    g = _np_rng(rng)
    landscape = img.width >= img.height
    W, H = (long_side, long_side * 3 // 4) if landscape else (long_side * 3 // 4, long_side)
    bg, kind = _background(rng, W, H)
    arts.append({"kind": "photo_background", "texture": kind, "size": [W, H]})
    fill = rng.uniform(0.68, 0.9)
    scale = min(W * fill / img.width, H * fill / img.height)
    pw, ph = img.width * scale, img.height * scale
    cx = W / 2 + rng.uniform(-0.06, 0.06) * W
    cy = H / 2 + rng.uniform(-0.05, 0.05) * H
    j = 0.02 + 0.06 * severity
    dst = np.float32([[cx - pw / 2, cy - ph / 2], [cx + pw / 2, cy - ph / 2],
                      [cx + pw / 2, cy + ph / 2], [cx - pw / 2, cy + ph / 2]])
    dst += np.float32([[rng.uniform(-j, j) * pw, rng.uniform(-j, j) * ph] for _ in range(4)])
    rot = math.radians(rng.uniform(-6, 6) * (0.3 + severity))
    c, s = math.cos(rot), math.sin(rot)
    dst = np.float32([[cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c]
                      for x, y in dst])
    src = np.float32([[0, 0], [img.width, 0], [img.width, img.height], [0, img.height]])
    M = cv2.getPerspectiveTransform(src, dst)
    page = cv2.warpPerspective(np.asarray(img.convert("RGB")), M, (W, H), flags=cv2.INTER_AREA
                               if scale < 1 else cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.full((img.height, img.width), 255, np.uint8), M, (W, H),
                               flags=cv2.INTER_LINEAR)
    arts.append({"kind": "perspective",
                 "corners": [[round(float(x)), round(float(y))] for x, y in dst]})
    # light: gradient, vignette, the paper's drop shadow and maybe a hand's, at 1/8 size
    sw, sh = W // 8, H // 8
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    grad = (xx / sw - 0.5) * math.cos(ang) + (yy / sh - 0.5) * math.sin(ang)
    r2 = (xx / sw - 0.5) ** 2 + (yy / sh - 0.5) ** 2
    light = 1.0 - (0.18 + 0.25 * severity) * grad - 0.35 * r2 * (0.5 + severity)
    if rng.random() < 0.4:
        bx, by = rng.uniform(0, sw), rng.uniform(0, sh)
        light -= 0.25 * np.exp(-(((xx - bx) / (sw * 0.25)) ** 2 + ((yy - by) / (sh * 0.25)) ** 2))
        arts.append({"kind": "cast_shadow"})
    arts.append({"kind": "lighting", "gradient": round(0.18 + 0.25 * severity, 2)})
    small_mask = cv2.resize(mask, (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    shadow = cv2.GaussianBlur(small_mask, (0, 0), 2.0)
    shadow = np.roll(shadow, (2, 2), axis=(0, 1))
    m = mask.astype(np.float32)
    m *= 1 / 255.0
    wb = _field((H, W), light * (1 - 0.35 * shadow))
    wb *= 1 - m
    m *= _field((H, W), light)
    cast = np.array([rng.uniform(0.95, 1.05), 1.0, rng.uniform(0.88, 1.02)], np.float32)
    # in place, one channel at a time: full-size float temporaries are what costs here
    out = np.empty((H, W, 3), np.uint8)
    sigma = rng.uniform(0.6, 1.6) * (0.5 + severity) * long_side / 4000
    noise = rng.uniform(2, 5)
    n = g.standard_normal((H, W), dtype=np.float32)
    n *= noise
    for ch in range(3):
        f = page[..., ch].astype(np.float32)
        f *= m
        f += bg[..., ch] * wb
        f *= cast[ch]
        f = cv2.GaussianBlur(f, (0, 0), sigma)
        f += n
        np.clip(f, 0, 255, out=f)
        out[..., ch] = f
    arts.append({"kind": "blur", "sigma_px": round(sigma, 2)})
    arts.append({"kind": "noise", "sigma": round(noise, 2)})
    photo = Image.fromarray(out)
    orientation = 1
    if not landscape and rng.random() < 0.5:
        orientation = 6
        arts.append({"kind": "exif_orientation", "value": 6})
    return photo, arts, orientation


def encode_jpeg(img: Image.Image, quality: int, *, dpi: int | None = None,
                orientation: int = 1) -> bytes:
    """JPEG bytes; with ``orientation`` 6 the pixels are stored turned 90° anticlockwise
    and tagged so that EXIF-aware viewers show them upright."""
    buf = io.BytesIO()
    kw: dict[str, Any] = {"quality": quality}
    if dpi:
        kw["dpi"] = (dpi, dpi)
    if orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation
        exif[0x010F] = "Phone"  # Make
        img = img.rotate(90, expand=True) if orientation == 6 else img
        kw["exif"] = exif.tobytes()
    img.convert("L" if img.mode in ("L", "1") else "RGB").save(buf, "JPEG", **kw)
    return buf.getvalue()


# --- extra seals ------------------------------------------------------------------------------

def extra_seals(img: Image.Image, rng: random.Random, dpi: int, owner: str
                ) -> tuple[Image.Image, Artefacts]:
    """Stamps applicants add to copies: 与原件一致, the company seal, a received stamp."""
    arts: Artefacts = []
    img = img.copy()
    k = dpi / 25.4
    for _ in range(rng.randint(2, 3)):
        choice = rng.random()
        if choice < 0.4:
            seal = round_seal(rng, owner, diameter=rng.uniform(38, 42), dpi=dpi)
            what = "company_seal"
        elif choice < 0.7:
            seal = box_seal(rng, ["与原件核对一致", "复印件仅供申报使用"], width=46, height=16, dpi=dpi)
            what = "copy_stamp"
        else:
            seal = box_seal(rng, ["已审核", f"{rng.randint(2016, 2024)}年 月 日"], width=36,
                            height=16, dpi=dpi)
            what = "review_stamp"
        x = rng.uniform(0.1, 0.7) * img.width
        y = rng.uniform(0.1, 0.75) * img.height
        composite(img, seal.image, (round(x), round(y)), "multiply")
        arts.append({"kind": "extra_seal", "seal": what,
                     "at_mm": [round(x / k, 1), round(y / k, 1)]})
    return img, arts
