"""Bank payment receipts: 网上银行电子回单 (grid, downloadable as a PDF) and the
counter 单位客户专用回单 / 业务回单 (label lines, a 转讫 date stamp).

The issuing bank is the payer's; its seal (电子回单专用章 or 业务专用章) covers part of
the grid as on real ones. Accounts are printed plain or in groups of four; the truth
has digits only.
"""

from __future__ import annotations

import random

from samplegen import degrade, raster
from samplegen.fakedata import Scenario, printed_name
from samplegen.pdfout import PdfInfo
from samplegen.render_invoice import fit
from samplegen.seals import box_seal, round_seal
from samplegen.sheet import Sheet
from samplegen.textfmt import date_norm, date_print, money_norm, money_print, rmb_upper
from samplegen.truth import Rendered

FORMATS = ("online", "counter")
PURPOSES = ["云服务费", "服务费", "技术服务费", "云平台服务费", "合同款", "信息化服务费"]


def _acct(a: str, grouped: bool) -> str:
    return " ".join(a[i:i + 4] for i in range(0, len(a), 4)) if grouped else a


def _serial(rng: random.Random, bank: str) -> str:
    if bank in ("中国工商银行", "中国银行"):
        return "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((12, 16))))
    if bank == "中国建设银行":
        return "".join(rng.choice("0123456789ABCDEF") for _ in range(4)) + \
            "".join(str(rng.randint(0, 9)) for _ in range(16))
    return "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((10, 14, 20))))


def _fit(s: Sheet, x: float, y: float, text: str, maxw: float, size: float,
         font: str = "song") -> None:
    fit(s, x, y, text, maxw, font=font, size=size, layer="form")


def online(rng: random.Random, sc: Scenario, amount, purpose: str, serial: str,
           script: str) -> tuple[Sheet, dict]:
    pa, pb = sc.applicant, sc.provider
    bank = pa.bank
    s = Sheet(210, 125, script=script)
    grouped = rng.random() < 0.2
    C = (30, 30, 30)
    s.text(105, 16, f"{bank.name}网上银行电子回单", font="hei_bold", size=15, align="center")
    s.text(14, 25, "电子回单号码：" + "".join(str(rng.randint(0, 9)) for _ in range(16)),
           size=9)
    X, W, top = 12.0, 186.0, 28.0
    rh = 7.5
    s.rect(X, top, W, rh * 10, stroke=C, width=0.3)
    for i in range(1, 10):
        s.line(X, top + rh * i, X + W, top + rh * i, width=0.2, color=C)
    mid = X + W / 2
    # payer / payee blocks (3 rows each, side by side)
    for x0, who, comp, ac in ((X, "付款人", pa, pa.account), (mid, "收款人", pb, pb.account)):
        s.line(x0 + 8, top, x0 + 8, top + 3 * rh, width=0.2, color=C)
        s.line(x0 + 24, top, x0 + 24, top + 3 * rh, width=0.2, color=C)
        s.vtext(x0 + 4, top + 5.5, who, step=7, size=9.5, font="hei")
        for i, (lab, val) in enumerate((("户名", printed_name(comp)), ("账号", _acct(ac, grouped)),
                                        ("开户银行", comp.bank_branch))):
            s.text(x0 + 16, top + rh * i + 5.2, lab, size=9, align="center")
            _fit(s, x0 + 25.5, top + rh * i + 5.2, val, W / 2 - 27, 9)
    s.line(mid, top, mid, top + 3 * rh, width=0.3, color=C)
    rows = [("金额", f"人民币（大写）：{rmb_upper(amount)}", f"¥{money_print(amount)}元"),
            ("摘要", rng.choice(["转账支出", "网银转账", "服务费"]), ""),
            ("用途", purpose, ""),
            ("交易流水号", serial, f"时间戳：{sc.paid_on:%Y-%m-%d}-{rng.randint(8, 17):02d}."
             f"{rng.randint(0, 59):02d}.{rng.randint(0, 59):02d}.{rng.randint(0, 999999):06d}"),
            ("业务种类", rng.choice(["跨行转账", "行内转账", "汇兑"]), "币种：人民币"),
            ("备注", rng.choice([f"附言：{sc.contract_number}合同款", "附言：支付云服务费",
                                 f"支付{printed_name(pb)}服务费"]), ""),
            ("验证码", "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789+/")
                               for _ in range(28)), "")]
    for i, (lab, val, right) in enumerate(rows):
        y = top + rh * (3 + i) + 5.2
        s.line(X + 24, top + rh * (3 + i), X + 24, top + rh * (4 + i), width=0.2, color=C)
        s.text(X + 12, y, lab, size=9, align="center")
        _fit(s, X + 25.5, y, val, 110 if right else W - 28, 9)
        if right:
            s.text(X + W - 3, y, right, size=9, align="right")
    s.text(14, top + rh * 10 + 6, f"记账网点：{rng.randint(1000, 9999):05d}    记账柜员："
           f"{rng.randint(1, 999):05d}    记账日期：{date_print(sc.paid_on, 'cn')}", size=8.5)
    s.text(14, top + rh * 10 + 11, f"打印日期：{date_print(sc.paid_on, 'cn')}    "
           "重要提示：本回单不作为收款方发货依据，请勿重复记账。", size=8)
    seal = round_seal(rng, bank.legal + pa.region.city_short + "分行", center="",
                      middle_text="电子回单专用章", diameter=38, script=script)
    seal.place(s, rng.uniform(160, 180), rng.uniform(70, 95))
    return s, {"layout": "online_grid", "accounts_grouped": grouped}


def counter(rng: random.Random, sc: Scenario, amount, purpose: str, serial: str,
            script: str) -> tuple[Sheet, dict]:
    pa, pb = sc.applicant, sc.provider
    bank = pa.bank
    s = Sheet(210, 110, script=script, paper=(252, 252, 249))
    grouped = rng.random() < 0.3
    title = rng.choice(["单位客户专用回单", "业务回单（付款）", "客户回单"])
    s.text(105, 14, f"{bank.name}  {title}", font="song_bold", size=15, align="center")
    s.line(60, 16.5, 150, 16.5, width=0.3)
    s.text(14, 24, "币别：人民币", size=9)
    s.text(105, 24, date_print(sc.paid_on, rng.choice(["cn", "iso"])), size=9, align="center")
    s.text(196, 24, f"流水号：{serial}", size=9, align="right")
    X, W, top = 12.0, 186.0, 27.0
    s.rect(X, top, W, 62, width=0.3)
    mid = X + W / 2
    s.line(mid, top, mid, top + 24, width=0.25)
    s.line(X, top + 24, X + W, top + 24, width=0.25)
    for x0, who, comp in ((X, "付款人", pa), (mid, "收款人", pb)):
        s.vtext(x0 + 4, top + 6, who, step=6.5, size=9.5, font="hei")
        s.line(x0 + 8, top, x0 + 8, top + 24, width=0.2)
        for i, (lab, val) in enumerate((("全  称", printed_name(comp)),
                                        ("账  号", _acct(comp.account, grouped)),
                                        ("开户行", comp.bank_branch))):
            s.text(x0 + 10, top + 6 + i * 7.5, lab, size=9)
            _fit(s, x0 + 22, top + 6 + i * 7.5, val, W / 2 - 24, 9)
    s.text(X + 3, top + 31, f"金额（大写）人民币{rmb_upper(amount)}", size=10)
    s.text(X + W - 3, top + 31, f"（小写）¥{money_print(amount)}", size=10, align="right")
    s.line(X, top + 35, X + W, top + 35, width=0.2)
    lines = [f"凭证种类：{rng.choice(['电汇凭证', '转账支票', '网银'])}",
             f"凭证号码：{rng.randint(10000000, 99999999)}",
             "结算方式：转账", f"用途：{purpose}",
             f"交易机构：{rng.randint(10000, 99999)}",
             f"柜员：{rng.choice('ABCDEFGHK')}{rng.randint(100, 999)}"]
    for i, ln in enumerate(lines):
        s.text(X + 3 + (i % 3) * 62, top + 41 + (i // 3) * 7, ln, size=9)
    s.text(X + 3, top + 58, f"附言：{rng.choice(['云服务费', '合同款', '付' + sc.contract_number])}",
           size=9)
    s.text(X + 3, 100, f"打印次数：{rng.randint(1, 3)}   回单编号："
           f"{rng.randint(10**11, 10**12 - 1)}", size=8.5)
    seal = box_seal(rng, [bank.legal, pa.region.city_short + "分行营业部",
                          date_print(sc.paid_on, "dot"), rng.choice(["转讫", "业务专用章"])],
                    width=44, height=26, script=script)
    seal.place(s, rng.uniform(150, 175), rng.uniform(70, 88))
    return s, {"layout": "counter_lines", "accounts_grouped": grouped}


def render(rng: random.Random, sc: Scenario, fmt: str, script: str) -> Rendered:
    if fmt not in FORMATS:
        raise ValueError(f"receipt format {fmt!r} not in {FORMATS}")
    amount = sc.total if sc.years == 1 or rng.random() < 0.5 else sc.annual_fee
    purpose = rng.choice(PURPOSES)
    serial = _serial(rng, sc.applicant.bank.name)
    layout = online if fmt == "online" else counter
    sheet, info = layout(rng, sc, amount, purpose, serial, script)
    fields = {
        "payer_name": sc.applicant.name, "payer_account": sc.applicant.account,
        "payee_name": sc.provider.name, "payee_account": sc.provider.account,
        "amount": money_norm(amount), "paid_on": date_norm(sc.paid_on),
        "serial_number": serial, "purpose": purpose, "bank": sc.applicant.bank.name,
    }
    pdf = PdfInfo(title="电子回单", producer=rng.choice(["iText 2.1.7", "JasperReports Library"]))
    pages = None
    if fmt == "counter" and rng.random() < 0.4:
        # many counters print receipts on a 针式 (dot-matrix) printer; the stamp comes after
        page = raster.rasterize(sheet, 300, layers={"form"})
        page, dm = degrade.dot_matrix(page, rng, 300)
        raster.paint(page, sheet, 300, layers={"seal"})
        pages = [page]
        info = {**info, "print": "dot_matrix", **dm}
    return Rendered("payment_receipt", [sheet], fields, digital=fmt == "online",
                    variant={"format": fmt, **info}, pdf_info=pdf, pages=pages)
