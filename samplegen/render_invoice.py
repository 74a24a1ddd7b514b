"""VAT invoices: paper 专用/普通发票, 增值税电子普通发票 PDF, 数电票 PDF.

Paper invoices are a pre-printed coloured grid (green or brown, by copy) plus a
dot-matrix print layer that is never quite aligned with it; the seller's oval
发票专用章 is stamped over the print. Electronic ones are text-layer PDFs in the
layout of the tax bureau's templates (楷体 labels in brown, 宋体 values).
"""

from __future__ import annotations

import random

from PIL import Image, ImageChops

from samplegen import degrade, raster
from samplegen.artwork import place_qr
from samplegen.fakedata import Scenario, printed_name
from samplegen.invoice_data import InvoiceData, make_invoice
from samplegen.pdfout import PdfInfo
from samplegen.seals import oval_seal
from samplegen.sheet import PT_MM, RGB, Sheet, text_width
from samplegen.textfmt import date_print
from samplegen.truth import Rendered

FORMATS = ("special", "ordinary", "electronic", "digital")

GREEN: RGB = (25, 120, 95)
BROWN: RGB = (150, 85, 40)
EBROWN: RGB = (128, 64, 0)
DRED: RGB = (165, 55, 45)


def fit(sheet: Sheet, x: float, y: float, s: str, maxw: float, *, font: str = "song",
        size: float = 9.0, color: RGB = (20, 20, 20), align: str = "left",
        layer: str = "print") -> None:
    """Text squeezed horizontally when it overflows its cell, as invoice printers do."""
    w = text_width(sheet.conv(s), font, size, sheet.script)
    sx = max(0.5, min(1.0, maxw / w)) if w else 1.0
    sheet.text(x, y, s, font=font, size=size, color=color, align=align, scale_x=sx,
               layer=layer)


def _money(x) -> str:
    return f"{x:.2f}"


# --- paper ---------------------------------------------------------------------------------

def paper_sheet(inv: InvoiceData, rng: random.Random, script: str) -> tuple[Sheet, dict]:
    strips = rng.random() < 0.6
    off = 14.0 if strips else 3.0
    X = off + 8.0
    W = 200.0
    sheet = Sheet(X + W + 10 + (14 if strips else 3), 140.0, script=script,
                  paper=(250, 251, 247) if rng.random() < 0.5 else (252, 250, 244))
    copy = "抵扣联" if inv.kind == "special" and rng.random() < 0.5 else "发票联"
    color = GREEN if copy == "抵扣联" else BROWN
    ink = rng.choice([(30, 40, 120), (35, 35, 45), (45, 60, 140)])
    lw = 0.3
    if strips:  # tractor-feed strips with sprocket holes
        for sx in (off - 8.0, sheet.width - off + 8.0):
            for i in range(11):
                sheet.ellipse(sx, 8 + i * 12.7, 2.0, 2.0, stroke=(200, 200, 200),
                              fill=(235, 235, 235), width=0.2)
        sheet.line(off - 1.5, 0, off - 1.5, 140, color=(215, 215, 215), width=0.15, dash=(1, 1))
        sheet.line(sheet.width - off + 1.5, 0, sheet.width - off + 1.5, 140,
                   color=(215, 215, 215), width=0.15, dash=(1, 1))
    # header
    sheet.text(X + 23, 17, inv.code, font="courier", size=17 if len(inv.code) == 10 else 14.5,
               color=(40, 40, 40))
    tsize = min(21.0, 66 / (len(inv.title) * PT_MM))
    sheet.text(X + 101, 16, inv.title, font="song_bold", size=tsize, color=color, align="center")
    tw = len(inv.title) * tsize * PT_MM
    sheet.line(X + 101 - tw / 2 - 4, 19.2, X + 101 + tw / 2 + 4, 19.2, color=color, width=0.35)
    sheet.line(X + 101 - tw / 2 - 4, 20.2, X + 101 + tw / 2 + 4, 20.2, color=color, width=0.35)
    sheet.text(X + 100, 28.5, copy, font="song_bold", size=15, color=color, align="center",
               spread=24)
    sup = oval_seal(rng, "全国统一发票监制章", inv.province, "国家税务局监制", width=30,
                    height=20, script=script, angle=0, color=(215, 40, 45), strength=1.1)
    sup.place(sheet, X + 100, 15.5, layer="form")
    sheet.text(X + 138, 16, "№", font="song", size=15, color=(20, 20, 20))
    sheet.text(X + 145, 16, inv.number, font="courier", size=18, color=(25, 45, 150))
    sheet.text(X + 148, 30.5, "开票日期：", font="song", size=9, color=color)
    if inv.kind == "ordinary":
        sheet.text(X + 148, 35, "校 验 码：", font="song", size=9, color=color)
        sheet.text(X + 2, 34.5, "机器编号：", font="song", size=9, color=color)
    # main grid
    top, bot = 37.0, 122.0
    sheet.rect(X, top, W, bot - top, stroke=color, width=0.45)
    rows = [(top, 57.0), (57.0, 93.5), (93.5, 100.0), (100.0, bot)]
    for _, y1 in rows[:-1]:
        sheet.line(X, y1, X + W, y1, color=color, width=lw)
    for y0, y1, title in ((top, 57.0, "购买方"), (100.0, bot, "销售方")):
        sheet.line(X + 7, y0, X + 7, y1, color=color, width=lw)
        sheet.vtext(X + 3.5, y0 + 6, title, step=4.6, size=9.5, color=color)
        for i, lab in enumerate(("名称", "纳税人识别号", "地址、电话", "开户行及账号")):
            sheet.text(X + 9, y0 + 4.6 + i * 4.9, lab, size=9, color=color, spread=21.5)
            sheet.text(X + 30.8, y0 + 4.6 + i * 4.9, "：", size=9, color=color)
        sheet.line(X + 120, y0, X + 120, y1, color=color, width=lw)
        sheet.line(X + 127, y0, X + 127, y1, color=color, width=lw)
        sheet.vtext(X + 123.5, y0 + 6, "密码区" if y0 == top else "备注",
                    step=5.5 if y0 == top else 9, size=9.5, color=color)
    cols = [62, 85, 96, 112, 133, 160, 170]
    for c in cols:
        sheet.line(X + c, 57.0, X + c, 93.5, color=color, width=lw)
    heads = ["货物或应税劳务、服务名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额"]
    edges = [0] + cols + [200]
    for h, a, b in zip(heads, edges, edges[1:]):
        sheet.text(X + (a + b) / 2, 61, h, size=9, color=color, align="center")
    sheet.text(X + 31, 91.5, "合计", size=9.5, color=color, align="center", spread=16)
    sheet.line(X + 62, 93.5, X + 62, 100, color=color, width=lw)
    sheet.text(X + 31, 98, "价税合计（大写）", size=9.5, color=color, align="center")
    sheet.text(X + 66, 98.2, "ⓧ", font="song", size=11, color=color)
    sheet.text(X + 143, 98, "（小写）", size=9.5, color=color)
    for x, lab in ((X + 2, "收款人："), (X + 52, "复核："), (X + 102, "开票人："),
                   (X + 152, "销售方：（章）")):
        sheet.text(x, 128, lab, size=9.5, color=color)
    sheet.vtext(X - 4, 50, f"税总函〔{inv.issued.year - rng.randint(1, 2)}〕"
                f"{rng.randint(100, 800)}号{rng.choice(['华北', '北方', '南方', '东方'])}"
                "印务有限公司", step=3.2, size=7, color=color)
    copy_note = "第二联：抵扣联 购买方扣税凭证" if copy == "抵扣联" else "第三联：发票联 购买方记账凭证"
    sheet.vtext(X + W + 4, 42, copy_note.replace(" ", ""), step=3.6, size=8, color=color)

    # print layer (the dot-matrix printer)
    P = dict(layer="print", color=ink)
    fit(sheet, X + 179, 11.5, inv.code, 21, font="courier", size=8.5, **P)
    fit(sheet, X + 179, 15.8, inv.number, 21, font="courier", size=8.5, **P)
    sheet.text(X + 166, 30.5, date_print(inv.issued, "cn"), size=9.5, **P)
    if inv.kind == "ordinary":
        g = inv.check_code
        sheet.text(X + 166, 35, " ".join(g[i:i + 5] for i in range(0, 20, 5)), font="courier",
                   size=8.5, **P)
        sheet.text(X + 18, 34.5, inv.machine_no, font="courier", size=8.5, **P)
    place_qr(sheet, X + 2, 6, 19, inv.qr_payload, layer="print_qr")
    for y0, comp, details in ((top, inv.buyer, inv.buyer_details), (100.0, inv.seller, True)):
        vals = [printed_name(comp), comp.credit_code,
                f"{comp.address} {comp.phone}" if details else "",
                f"{comp.bank_branch} {comp.account}" if details else ""]
        for i, v in enumerate(vals):
            if v:
                fit(sheet, X + 33, y0 + 4.6 + i * 4.9, v, 85,
                    font="courier" if i == 1 else "song", size=10 if i == 1 else 8.5, **P)
    for i, row in enumerate(inv.cipher):
        sheet.text(X + 129, 42 + i * 4.6, row, font="courier", size=10.5, **P)
    y = 65.5
    for it in inv.items:
        fit(sheet, X + 1, y, it.name, 60, size=9, **P)
        fit(sheet, X + 63, y, it.spec, 21, size=8.5, **P)
        sheet.text(X + 90.5, y, it.unit, size=9, align="center", **P)
        sheet.text(X + 111, y, it.qty, size=9, align="right", **P)
        fit(sheet, X + 132.5, y, it.price, 20, size=8.5, align="right", **P)
        sheet.text(X + 159.5, y, _money(it.amount), size=9, align="right", **P)
        sheet.text(X + 165, y, it.rate, size=9, align="center", **P)
        sheet.text(X + 199.5, y, _money(it.tax), size=9, align="right", **P)
        y += 4.6
    sheet.text(X + 159.5, 91.5, "¥" + _money(inv.amount), size=10, align="right", **P)
    sheet.text(X + 199.5, 91.5, "¥" + _money(inv.tax), size=10, align="right", **P)
    sheet.text(X + 71, 98, inv.words, size=10, **P)
    sheet.text(X + 158, 98, "¥" + _money(inv.total), size=10, **P)
    if inv.remarks:
        fit(sheet, X + 129, 105, inv.remarks, 70, size=8.5, **P)
    for x, who in ((X + 17, inv.payee), (X + 63, inv.reviewer), (X + 117, inv.drawer)):
        sheet.text(x, 128, who, size=9.5, **P)
    seal = oval_seal(rng, inv.seller.name, inv.seller.credit_code, "发票专用章", script=script)
    seal.place(sheet, X + rng.uniform(165, 180), rng.uniform(112, 124))
    return sheet, {"copy": copy, "tractor_strips": strips, "form_color": list(color)}


def paint_paper(sheet: Sheet, rng: random.Random, dpi: int = 300) -> tuple[Image.Image, dict]:
    """Form, then the misaligned dot-matrix print, then the seal on top."""
    img = raster.rasterize(sheet, dpi, layers={"form"})
    dx, dy = rng.uniform(-1.8, 1.8), rng.uniform(-1.2, 1.6)
    printed = raster.rasterize(sheet, dpi, layers={"print"}, background=(255, 255, 255))
    printed, dm = degrade.dot_matrix(printed, rng, dpi)
    raster.paint(printed, sheet, dpi, layers={"print_qr"})
    k = dpi / 25.4
    shifted = Image.new("RGB", img.size, (255, 255, 255))
    shifted.paste(printed, (round(dx * k), round(dy * k)))
    img = ImageChops.multiply(img, shifted)
    raster.paint(img, sheet, dpi, layers={"seal"})
    return img, {"print": "dot_matrix", "print_offset_mm": [round(dx, 2), round(dy, 2)], **dm}


# --- electronic (增值税电子普通发票) ------------------------------------------------------------

def electronic_sheet(inv: InvoiceData, rng: random.Random, script: str) -> Sheet:
    s = Sheet(215.3, 139.0, script=script)
    C = EBROWN
    X, W = 7.0, 201.0
    L = dict(font="kai", color=C)
    V = dict(font="song", color=(0, 0, 0))
    place_qr(s, 10, 3.5, 21, inv.qr_payload)
    s.text(10, 29, "机器编号：", size=9, **L)
    s.text(27, 29, inv.machine_no, font="latin", size=9, color=(0, 0, 0))
    s.text(106, 13, inv.title, size=19, align="center", **L)
    s.line(68, 17.2, 144, 17.2, color=C, width=0.3)
    s.line(68, 18.1, 144, 18.1, color=C, width=0.3)
    sup = oval_seal(rng, "全国统一发票监制章", inv.province, "国家税务局监制", width=26,
                    height=17, script=script, angle=0, color=(220, 40, 40), strength=1.1)
    sup.place(s, 106, 13.5, layer="form")
    g = inv.check_code
    for i, (lab, val) in enumerate((("发票代码：", inv.code), ("发票号码：", inv.number),
                                    ("开票日期：", date_print(inv.issued, "cn")),
                                    ("校 验 码：", " ".join(g[j:j + 5] for j in range(0, 20, 5))))):
        s.text(147, 8 + i * 5.6, lab, size=9, **L)
        s.text(163, 8 + i * 5.6, val, font="latin" if i != 2 else "song", size=8.5,
               color=(0, 0, 0))
    top, bot = 32.0, 116.0
    s.rect(X, top, W, bot - top, stroke=C, width=0.35)
    for y in (52.0, 90.0, 96.0):
        s.line(X, y, X + W, y, color=C, width=0.25)
    for y0, y1, title, comp, details in ((top, 52.0, "购买方", inv.buyer, inv.buyer_details),
                                         (96.0, bot, "销售方", inv.seller, True)):
        s.line(X + 7, y0, X + 7, y1, color=C, width=0.25)
        s.vtext(X + 3.5, y0 + 5.5, title, step=5, size=9, **L)
        vals = [printed_name(comp), comp.credit_code,
                f"{comp.address} {comp.phone}" if details else "",
                f"{comp.bank_branch} {comp.account}" if details else ""]
        for i, lab in enumerate(("名 称：", "纳税人识别号：", "地 址、电 话：", "开户行及账号：")):
            yy = y0 + 4.6 + i * 4.5
            s.text(X + 9, yy, lab, size=8.5, **L)
            if vals[i]:
                fit(s, X + 31, yy, vals[i], 85, size=8.5, layer="form", **V)
        s.line(X + 118, y0, X + 118, y1, color=C, width=0.25)
        s.line(X + 124, y0, X + 124, y1, color=C, width=0.25)
        s.vtext(X + 121, y0 + 5, "密码区" if y0 == top else "备注", step=5 if y0 == top else 8,
                size=9, **L)
    for i, row in enumerate(inv.cipher):
        s.text(X + 126, top + 5 + i * 4.6, row, font="courier", size=10.5, color=(0, 0, 0))
    if inv.remarks:
        fit(s, X + 126, 101, inv.remarks, 72, size=8.5, layer="form", **V)
    cols = [55, 80, 92, 108, 130, 158, 170]
    for c in cols:
        s.line(X + c, 52, X + c, 90, color=C, width=0.25)
    s.line(X + 55, 90, X + 55, 96, color=C, width=0.25)
    heads = ["货物或应税劳务、服务名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额"]
    edges = [0] + cols + [W]
    for h, a, b in zip(heads, edges, edges[1:]):
        s.text(X + (a + b) / 2, 55.5, h, size=8.5, align="center", **L)
    y = 60.0
    for it in inv.items:
        fit(s, X + 1, y, it.name, 53, size=8.5, layer="form", **V)
        fit(s, X + 56, y, it.spec, 23, size=8.5, layer="form", **V)
        s.text(X + 86, y, it.unit, size=8.5, align="center", **V)
        s.text(X + 107.5, y, it.qty, size=8.5, align="right", **V)
        fit(s, X + 129.5, y, it.price, 21, size=8.5, align="right", layer="form", **V)
        s.text(X + 157.5, y, _money(it.amount), size=8.5, align="right", **V)
        s.text(X + 164, y, it.rate, size=8.5, align="center", **V)
        s.text(X + W - 0.8, y, _money(it.tax), size=8.5, align="right", **V)
        y += 4.4
    s.text(X + 27, 88.5, "合 计", size=9, align="center", spread=14, **L)
    s.text(X + 157.5, 88.5, "¥" + _money(inv.amount), size=9, align="right", **V)
    s.text(X + W - 0.8, 88.5, "¥" + _money(inv.tax), size=9, align="right", **V)
    s.text(X + 27, 94.3, "价税合计（大写）", size=9, align="center", **L)
    s.text(X + 58, 94.3, "ⓧ" + inv.words, size=9.5, **V)
    s.text(X + 140, 94.3, "（小写）", size=9, **L)
    s.text(X + 156, 94.3, "¥" + _money(inv.total), size=9.5, **V)
    for x, lab, who in ((X + 2, "收 款 人：", inv.payee), (X + 52, "复 核：", inv.reviewer),
                        (X + 102, "开 票 人：", inv.drawer), (X + 150, "销 售 方：（章）", "")):
        s.text(x, 121, lab, size=9, **L)
        if who:
            s.text(x + 17, 121, who, size=9, **V)
    seal = oval_seal(rng, inv.seller.name, inv.seller.credit_code, "发票专用章", script=script,
                     strength=1.15)
    seal.place(s, rng.uniform(168, 182), rng.uniform(112, 118))
    return s


# --- 数电票 ------------------------------------------------------------------------------------

def digital_sheet(inv: InvoiceData, rng: random.Random, script: str) -> Sheet:
    s = Sheet(210.0, 140.0, script=script)
    C = DRED
    X, W = 6.0, 198.0
    L = dict(font="kai", color=C)
    V = dict(font="song", color=(0, 0, 0))
    place_qr(s, 10, 5, 20, inv.qr_payload)
    s.text(101, 17, inv.title, size=18, align="center", **L)
    s.line(62, 20.5, 140, 20.5, color=C, width=0.3)
    s.line(62, 21.4, 140, 21.4, color=C, width=0.3)
    sup = oval_seal(rng, "全国统一发票监制章", "国家税务总局", inv.seller.region.province + "税务局",
                    width=26, height=18, script=script, angle=0, color=(220, 40, 40),
                    strength=1.1)
    sup.place(s, 101, 15, layer="form")
    s.text(148, 14, "发票号码：", size=9, **L)
    s.text(165, 14, inv.number, size=9, **V)
    s.text(148, 21, "开票日期：", size=9, **L)
    s.text(165, 21, date_print(inv.issued, "cn"), size=9, **V)
    top = 30.0
    s.rect(X, top, W, 97.0, stroke=C, width=0.35)
    for y in (52.0, 94.0, 101.0):
        s.line(X, y, X + W, y, color=C, width=0.25)
    for x0, title, comp in ((X, "购买方信息", inv.buyer), (X + W / 2, "销售方信息", inv.seller)):
        s.line(x0 + 7, top, x0 + 7, 52, color=C, width=0.25)
        if x0 > X:
            s.line(x0, top, x0, 52, color=C, width=0.25)
        s.vtext(x0 + 3.5, top + 4, title, step=4.1, size=8.5, **L)
        s.text(x0 + 9, top + 8, "名称：", size=9, **L)
        fit(s, x0 + 19, top + 8, printed_name(comp), W / 2 - 21, size=9.5, layer="form", **V)
        s.text(x0 + 9, top + 17, "统一社会信用代码/纳税人识别号：", size=8, **L)
        s.text(x0 + 54, top + 17, comp.credit_code, font="courier", size=10, color=(0, 0, 0))
    heads = [("项目名称", 20), ("规格型号", 60), ("单 位", 82), ("数 量", 100), ("单 价", 122),
             ("金 额", 148), ("税率/征收率", 168), ("税 额", 188)]
    for h, cx in heads:
        s.text(X + cx, 56, h, size=8.5, align="center", **L)
    y = 60.5
    for it in inv.items:
        fit(s, X + 1, y, it.name, 45, size=8.5, layer="form", **V)
        fit(s, X + 48, y, it.spec, 22, size=8.5, layer="form", **V)
        s.text(X + 82, y, it.unit, size=8.5, align="center", **V)
        s.text(X + 106, y, it.qty, size=8.5, align="right", **V)
        fit(s, X + 134, y, it.price, 24, size=8.5, align="right", layer="form", **V)
        s.text(X + 158, y, _money(it.amount), size=8.5, align="right", **V)
        s.text(X + 168, y, it.rate, size=8.5, align="center", **V)
        s.text(X + W - 1, y, _money(it.tax), size=8.5, align="right", **V)
        y += 5.0
    s.text(X + 30, 92, "合 计", size=9, align="center", spread=14, **L)
    s.text(X + 158, 92, "¥" + _money(inv.amount), size=9, align="right", **V)
    s.text(X + W - 1, 92, "¥" + _money(inv.tax), size=9, align="right", **V)
    s.line(X + 50, 94, X + 50, 101, color=C, width=0.25)
    s.text(X + 25, 99, "价税合计（大写）", size=9, align="center", **L)
    s.text(X + 53, 99, "ⓧ" + inv.words, size=9.5, **V)
    s.text(X + 130, 99, "（小写）", size=9, **L)
    s.text(X + 145, 99, "¥" + _money(inv.total), size=10, **V)
    s.line(X + 7, 101, X + 7, 127, color=C, width=0.25)
    s.vtext(X + 3.5, 110, "备注", step=7, size=9, **L)
    if inv.remarks:
        fit(s, X + 9, 106, inv.remarks, 150, size=8.5, layer="form", **V)
    s.text(X + 20, 134, "开票人：", size=9, **L)
    s.text(X + 34, 134, inv.drawer, size=9, **V)
    return s


def render(rng: random.Random, sc: Scenario, fmt: str, script: str) -> Rendered:
    if fmt not in FORMATS:
        raise ValueError(f"invoice format {fmt!r} not in {FORMATS}")
    return render_data(rng, make_invoice(rng, sc, fmt), fmt, script)


def render_data(rng: random.Random, inv: InvoiceData, fmt: str, script: str) -> Rendered:
    """Render invoice content already made (``make_invoice``), possibly altered first:
    the application generator plants defects (a wrong total, a doctored number) there."""
    variant = {"format": fmt, "sub_kind": inv.sub, "qr_payload": inv.qr_payload}
    if fmt in ("special", "ordinary"):
        sheet, extra = paper_sheet(inv, rng, script)
        page, pr = paint_paper(sheet, rng)
        return Rendered("vat_invoice", [sheet], inv.truth(), digital=False,
                        variant={**variant, **extra, **pr}, pages=[page])
    sheet = electronic_sheet(inv, rng, script) if fmt == "electronic" \
        else digital_sheet(inv, rng, script)
    info = PdfInfo(title=inv.title, producer=rng.choice(["iText 5.5.10", "Suwell OFD convertor",
                                                         "Foxit PDF SDK"]),
                   author="China Tax" if fmt == "digital" else "")
    return Rendered("vat_invoice", [sheet], inv.truth(), digital=True, variant=variant,
                    pdf_info=info)
