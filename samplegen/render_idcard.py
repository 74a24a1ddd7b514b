"""居民身份证 front (人像面) and back (国徽面), always overprinted 样本 SAMPLE.

``front_back``: two image files, front and back (the Inner Mongolia upload);
``a4_copy``: both sides photocopied onto one A4 page, as clerks often receive them.
"""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from samplegen import raster
from samplegen.artwork import emblem, guilloche, portrait
from samplegen.fakedata import Person, Scenario
from samplegen.fonts import pil_font
from samplegen.sheet import Sheet
from samplegen.textfmt import date_print
from samplegen.truth import Rendered

FORMATS = ("front_back", "a4_copy")
W, H = 85.6, 54.0
LABEL = (60, 110, 160)
INK = (20, 20, 20)


def _sample_mark(s: Sheet) -> None:
    """Large red 样本 SAMPLE across the card: generated cards are visibly not real.

    Outlined letters in strong red: they survive grey and bilevel scans (a pale fill
    would vanish) without hiding the name and number under a solid blot."""
    red = (200, 20, 20, 215)
    img = Image.new("RGBA", (900, 360), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.text((450, 150), "样本", font=pil_font("hei_bold", s.script, 170), fill=(0, 0, 0, 0),
           stroke_width=5, stroke_fill=red, anchor="mm")
    d.text((450, 300), "SAMPLE", font=pil_font("hei_bold", s.script, 90), fill=(0, 0, 0, 0),
           stroke_width=4, stroke_fill=red, anchor="mm")
    img = img.rotate(18, expand=True, resample=Image.Resampling.BICUBIC)
    s.picture(8, 4, 68, 68 * img.height / img.width, img, kind="sample_mark")


def _card(script: str, rng: random.Random, tint: tuple[int, int, int]) -> Sheet:
    s = Sheet(W, H, script=script, paper=tint)
    guilloche(s, 1, 1, W - 2, H - 2, color=(205, 220, 228), rng=rng, lines=36, width=0.08)
    s.rect(0.4, 0.4, W - 0.8, H - 0.8, stroke=(200, 205, 210), width=0.3)
    return s


def front(rng: random.Random, p: Person, script: str) -> Sheet:
    s = _card(script, rng, (246, 246, 240))
    L = dict(font="hei", size=7.5, color=LABEL)
    V = dict(font="hei", size=8.5, color=INK)
    s.text(6, 10, "姓名", **L)
    s.text(16, 10, p.name, **V)
    s.text(6, 17, "性别", **L)
    s.text(16, 17, "男" if p.male else "女", **V)
    s.text(28, 17, "民族", **L)
    s.text(38, 17, p.ethnicity, **V)
    s.text(6, 24, "出生", **L)
    s.text(16, 24, f"{p.birth.year}", **V)
    s.text(26, 24, "年", **L)
    s.text(31, 24, f"{p.birth.month}", **V)
    s.text(35, 24, "月", **L)
    s.text(40, 24, f"{p.birth.day}", **V)
    s.text(45, 24, "日", **L)
    s.text(6, 31, "住址", **L)
    s.paragraph(16, 31, 40, p.address, font="hei", size=8.5, leading=1.45, color=INK)
    s.text(6, 48, "公民身份号码", **L)
    s.text(27, 48, p.id_number, font="courier", size=10.5, color=INK)
    s.picture(56, 6, 26, 32, portrait(rng), kind="photo")
    _sample_mark(s)
    return s


def back(rng: random.Random, p: Person, script: str) -> Sheet:
    s = _card(script, rng, (244, 246, 244))
    s.picture(5, 4, 16, 16, emblem(300), kind="emblem")
    s.text(52, 13, "中华人民共和国", font="hei_bold", size=12, color=INK, align="center",
           spread=40)
    s.text(52, 25, "居民身份证", font="hei_bold", size=17, color=INK, align="center", spread=50)
    s.text(17, 40, "签发机关", font="hei", size=7.5, color=INK)
    s.text(31, 40, p.issuer, font="hei", size=8.5, color=INK)
    s.text(17, 47, "有效期限", font="hei", size=7.5, color=INK)
    end = date_print(p.valid_to, "dot") if p.valid_to else "长期"
    s.text(31, 47, f"{date_print(p.valid_from, 'dot')}-{end}", font="hei", size=8.5, color=INK)
    _sample_mark(s)
    return s


def a4_copy(rng: random.Random, f: Sheet, b: Sheet, script: str) -> Sheet:
    page = Sheet(210, 297, script=script)
    for i, card in enumerate((f, b)):
        img = raster.rasterize(card, 300)
        x = 62 + rng.uniform(-4, 4)
        y = 45 + i * 80 + rng.uniform(-4, 4)
        page.picture(x, y, W, H, img, kind="id_card")
    page.text(105, 250, "身份证复印件（仅供企业上云补贴申报使用）", font="kai", size=12,
              align="center", color=(30, 30, 30))
    return page


def render(rng: random.Random, sc: Scenario, fmt: str, script: str) -> Rendered:
    if fmt not in FORMATS:
        raise ValueError(f"id card format {fmt!r} not in {FORMATS}")
    p = sc.contact
    f, b = front(rng, p, script), back(rng, p, script)
    fields = {"name": p.name, "id_number": p.id_number}
    variant = {"format": fmt, "sample_marked": True}
    if fmt == "front_back":
        return Rendered("id_card", [f, b], fields, digital=False, variant=variant,
                        page_names=["front", "back"])
    return Rendered("id_card", [a4_copy(rng, f, b, script)], fields, digital=False,
                    variant=variant)
