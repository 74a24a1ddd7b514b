"""Turn a `Rendered` document into files: a text-layer PDF when it is born digital and
clean; otherwise page images degraded at the requested level and put in the
containers people upload (JPEG, PNG, TIFF, multi-page TIFF, scanned PDF).

``compact`` keeps files small for the committed samples: scans at 150–200 dpi,
JPEG quality ~80, phone photos 2000 px on the long side.
"""

from __future__ import annotations

import io
import random
from typing import Any

from PIL import Image

from samplegen import degrade
from samplegen.pdfout import images_to_pdf, sheets_to_pdf
from samplegen.raster import rasterize
from samplegen.truth import Rendered

RENDER_DPI = 300


def page_images(r: Rendered) -> list[Image.Image]:
    return r.pages if r.pages is not None else [rasterize(s, RENDER_DPI) for s in r.sheets]


def on_a4(img: Image.Image, rng: random.Random, dpi: int = RENDER_DPI) -> Image.Image:
    """A small document laid on a flatbed and scanned as a whole A4 page."""
    k = dpi / 25.4
    landscape = img.width > img.height and img.width > 200 * k
    w, h = (round(297 * k), round(210 * k)) if landscape else (round(210 * k), round(297 * k))
    page = Image.new("RGB", (w, h), (255, 255, 255))
    x = round(rng.uniform(3, 12) * k)
    y = round(rng.uniform(3, 15) * k)
    page.paste(img.convert("RGB"), (min(x, max(0, w - img.width)), min(y, max(0, h - img.height))))
    return page


def _tiff(pages: list[Image.Image], dpi: int, compact: bool) -> bytes:
    buf = io.BytesIO()
    first, rest = pages[0], pages[1:]
    kw: dict[str, Any] = {"dpi": (dpi, dpi), "save_all": True, "append_images": rest}
    # scanner drivers write colour pages JPEG-compressed inside the TIFF
    kw.update(compression="jpeg", quality=75 if compact else 85)
    first.save(buf, "TIFF", **kw)
    return buf.getvalue()


def _png(img: Image.Image, dpi: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(dpi, dpi), optimize=False)
    return buf.getvalue()


def package(r: Rendered, rng: random.Random, level: str, stem: str, *, compact: bool = False,
            owner: str = "") -> tuple[dict[str, bytes], dict[str, Any]]:
    if level not in degrade.LEVELS:
        raise ValueError(f"degrade level {level!r} not in {degrade.LEVELS}")
    names = r.page_names
    if level == "clean":
        if r.digital:
            return {f"{stem}.pdf": sheets_to_pdf(r.sheets, r.pdf_info)}, {
                "level": "clean", "container": "pdf", "text_layer": True}
        pages = page_images(r)
        dpi = 200 if compact else RENDER_DPI
        if dpi != RENDER_DPI:
            pages = [p.resize((round(p.width * dpi / RENDER_DPI), round(p.height * dpi / RENDER_DPI)),
                              Image.Resampling.LANCZOS) for p in pages]
        if names or len(pages) == 1:
            files = {}
            for i, p in enumerate(pages):
                n = names[i] if names else stem
                files[f"{n}.png" if not compact else f"{n}.jpg"] = _png(p, dpi) if not compact \
                    else degrade.encode_jpeg(p, 85, dpi=dpi)
            return files, {"level": "clean", "container": "png" if not compact else "jpeg",
                           "dpi": dpi}
        return {f"{stem}.pdf": images_to_pdf(pages, dpi, quality=85 if compact else 92)}, {
            "level": "clean", "container": "pdf_images", "dpi": dpi}

    severity = round(rng.uniform(0.2, 1.0), 2)
    pages = page_images(r)
    info: dict[str, Any] = {"level": level, "severity": severity,
                            "printed_from_pdf": r.digital, "pages": []}
    if level == "photo":
        long_side = 2000 if compact else rng.choice([4000, 4032, 4160])
        files = {}
        for i, p in enumerate(pages):
            photo, arts, orient = degrade.photo_page(p, rng, severity, long_side=long_side)
            n = names[i] if names else (stem if len(pages) == 1 else f"{stem}-p{i + 1}")
            files[f"{n}.jpg"] = degrade.encode_jpeg(photo, 78 if compact else rng.randint(86, 94),
                                                    orientation=orient)
            info["pages"].append(arts)
        info["container"] = "jpeg"
        return files, info

    # scan / seal_heavy
    dpi = rng.choice([150, 200]) if compact else rng.choice([200, 300, 300])
    if compact and len(pages) > 1 and not names:
        dpi = 150
    small = pages[0].width < 200 / 25.4 * RENDER_DPI or pages[0].height < 150 / 25.4 * RENDER_DPI
    if small and not names and rng.random() < 0.5:
        pages = [on_a4(p, rng) for p in pages]
        info["placed_on_a4"] = True
    out = []
    for i, p in enumerate(pages):
        arts: list[dict[str, Any]] = []
        if level == "seal_heavy" and (i == 0 or i == len(pages) - 1):
            p, arts = degrade.extra_seals(p, rng, RENDER_DPI, owner or "申报单位")
        p, more = degrade.scan_page(p, rng, severity, dpi_in=RENDER_DPI, dpi_out=dpi)
        out.append(p)
        info["pages"].append(arts + more)
    info["dpi"] = dpi
    q = 75 if compact else rng.randint(70, 92)
    if names:
        info["container"] = "jpeg"
        return {f"{n}.jpg": degrade.encode_jpeg(p, q, dpi=dpi) for n, p in zip(names, out)}, info
    roll = rng.random()
    if len(out) == 1:
        if roll < 0.65:
            info["container"] = "jpeg"
            return {f"{stem}.jpg": degrade.encode_jpeg(out[0], q, dpi=dpi)}, info
        if roll < 0.72 and not compact:
            info["container"] = "png"
            return {f"{stem}.png": _png(out[0], dpi)}, info
        if roll < 0.9:
            info["container"] = "tiff"
            return {f"{stem}.tiff": _tiff(out, dpi, compact)}, info
        info["container"] = "pdf_images"
        return {f"{stem}.pdf": images_to_pdf(out, dpi, quality=q)}, info
    if roll < 0.6:
        info["container"] = "pdf_images"
        return {f"{stem}.pdf": images_to_pdf(out, dpi, quality=q)}, info
    if roll < 0.8:
        info["container"] = "tiff"
        return {f"{stem}.tiff": _tiff(out, dpi, compact)}, info
    info["container"] = "jpeg"
    return {f"{stem}-p{i + 1}.jpg": degrade.encode_jpeg(p, q, dpi=dpi) for i, p in enumerate(out)}, info
