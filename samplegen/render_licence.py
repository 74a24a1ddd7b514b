"""营业执照: the 2015+ format with 统一社会信用代码 (portrait 副本 or landscape 正本)
and the older 企业法人营业执照 with a 15-digit 注册号; either in simplified or
traditional (HK) script.

The registration authority appears, as on real licences, only inside its round seal
beside 登记机关; the issue date is printed under it.
"""

from __future__ import annotations

import datetime as dt
import random

from samplegen.artwork import emblem, guilloche, meander_border, place_qr
from samplegen.fakedata import Company, Scenario, printed_name, registration_authority
from samplegen.seals import round_seal
from samplegen.sheet import RGB, Sheet
from samplegen.textfmt import (add_years, capital_print, date_norm, date_print, money_norm,
                               random_date)
from samplegen.truth import Rendered

FORMATS = ("new", "old")

TITLE_GOLD: RGB = (186, 134, 42)
BORDER: RGB = (176, 138, 74)
INK: RGB = (25, 25, 25)

_SCOPE = {
    "applicant": ["{ind}产品的研发、生产、销售", "机械设备及配件销售", "货物进出口、技术进出口",
                  "原材料采购与销售", "仓储服务（不含危险化学品）", "技术开发、技术咨询、技术服务",
                  "普通货物道路运输", "自有房屋租赁"],
    "provider": ["计算机软硬件技术开发、技术咨询、技术服务、技术转让", "云计算服务", "数据处理和存储服务",
                 "信息系统集成服务", "网络工程设计与施工", "计算机及辅助设备销售",
                 "互联网信息服务（凭许可证经营）", "软件开发", "信息技术咨询服务"],
}


def business_scope(rng: random.Random, company: Company, role: str) -> str:
    items = rng.sample(_SCOPE[role], rng.randint(3, 6))
    ind = company.name
    for key in ("机械制造", "钢铁", "化工", "食品", "纺织", "新材料", "木业", "乳业"):
        if key in ind:
            ind = key
            break
    else:
        ind = "相关"
    body = "；".join(s.format(ind=ind) for s in items)
    return body + "。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"


def _brackets(text: str, rng: random.Random, half: float = 0.3) -> str:
    """Licences print brackets full- or half-width; truth always has （）."""
    return text.replace("（", "(").replace("）", ")") if rng.random() < half else text


def _label(s: Sheet, x: float, y: float, text: str, width: float, size: float) -> None:
    s.text(x, y, text, font="hei", size=size, color=INK, spread=width)


def _value(s: Sheet, x: float, y: float, text: str, width: float, size: float,
           font: str = "song") -> float:
    """Value at (x, y); wraps inside ``width``; returns the baseline after it."""
    return s.paragraph(x, y, width, text, font=font, size=size, leading=1.45, color=INK)


def _dates(rng: random.Random, c: Company, old: bool) -> tuple[dt.date, dt.date, dt.date | None]:
    """(established, issued, term end or None for 长期) consistent with the format."""
    est = c.established
    if old and est >= dt.date(2013, 6, 1):
        est = random_date(rng, dt.date(1998, 1, 1), dt.date(2012, 12, 31))
        c.established = est
    if old:
        issued = random_date(rng, max(est, dt.date(2008, 1, 1)), dt.date(2014, 9, 30))
    else:
        issued = random_date(rng, max(est, dt.date(2015, 10, 1)),
                             max(est, dt.date(2015, 10, 1)) + dt.timedelta(days=1500))
    if rng.random() < (0.35 if old else 0.7):
        return est, issued, None
    return est, issued, add_years(est, rng.choice((10, 20, 30, 50))) - dt.timedelta(days=1)


def _term(est: dt.date, end: dt.date | None, style: str) -> str:
    return f"{date_print(est, style)}至{date_print(end, style) if end else '长期'}"


def new_portrait(rng: random.Random, c: Company, role: str, script: str) -> tuple[Sheet, dict]:
    s = Sheet(210, 297, script=script, paper=(251, 250, 246))
    guilloche(s, 20, 20, 170, 257, color=(238, 232, 220), rng=rng, lines=70)
    meander_border(s, 9, 8, 192, 276, color=BORDER)
    s.picture(87, 20, 36, 36, emblem(600), kind="emblem")
    s.text(105, 82, "营业执照", font="song_bold", size=52, color=TITLE_GOLD, align="center",
           spread=118)
    s.text(105, 94, "（副    本）", font="song_bold", size=15, color=INK, align="center")
    est, issued, end = _dates(rng, c, old=False)
    copy_no = rng.choice(["", "(1-1)", "(1-2)"])
    if copy_no:
        s.text(178, 94, copy_no, font="latin", size=9, color=INK)
    s.text(82, 106, "统一社会信用代码", font="hei", size=11, color=INK)
    s.text(118, 106, c.credit_code, font="song", size=11.5, color=INK)
    x_l, x_v, w_v, size = 34, 72, 112, 12
    y = 121.0
    ds = rng.choice(["cn", "cn", "cn_short"])
    rows = [("名称", printed_name(c)), ("类型", _brackets(c.company_type, rng)),
            ("住所", c.address), ("法定代表人", c.legal_rep),
        ("注册资本", capital_print(c.capital, rng)), ("成立日期", date_print(est, ds)),
        ("营业期限", _term(est, end, ds))]
    if rng.random() < 0.4:  # the 2019 layout puts 住所 after 营业期限
        rows.append(rows.pop(2))
    for lab, val in rows:
        _label(s, x_l, y, lab, 30, size)
        y = _value(s, x_v, y, val, w_v, size) + 3.2
    _label(s, x_l, y, "经营范围", 30, size)
    _value(s, x_v, y, business_scope(rng, c, role), w_v, 9.5)
    place_qr(s, 30, 205, 30, f"http://www.gsxt.gov.cn/{c.credit_code}"
             f"?t={rng.getrandbits(40):010x}")
    s.paragraph(26, 242, 52, "扫描二维码登录“国家企业信用信息公示系统”了解更多登记、备案、"
                "许可、监管信息。", font="song", size=7.5, color=INK)
    s.text(120, 255, "登记机关", font="hei", size=13, color=INK, spread=28)
    s.text(150, 272, date_print(issued, "spaced"), font="song", size=12, color=INK,
           align="center")
    authority = registration_authority(rng, c.region, issued)
    seal = round_seal(rng, authority, diameter=42, script=script)
    seal.place(s, rng.uniform(143, 156), rng.uniform(255, 264))
    s.text(20, 291, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", font="song",
           size=7, color=INK)
    s.text(190, 291, "国家市场监督管理总局监制" if issued.year >= 2018 else
           "中华人民共和国国家工商行政管理总局监制", font="song", size=7, color=INK,
           align="right")
    return s, {"est": est, "issued": issued, "end": end, "authority": authority,
               "layout": "portrait_copy"}


def new_landscape(rng: random.Random, c: Company, role: str, script: str) -> tuple[Sheet, dict]:
    s = Sheet(297, 210, script=script, paper=(251, 250, 246))
    guilloche(s, 18, 18, 261, 174, color=(238, 232, 220), rng=rng, lines=50)
    meander_border(s, 8, 7, 281, 190, color=BORDER)
    s.picture(133, 14, 31, 31, emblem(520), kind="emblem")
    s.text(148.5, 66, "营业执照", font="song_bold", size=50, color=TITLE_GOLD, align="center",
           spread=112)
    est, issued, end = _dates(rng, c, old=False)
    s.text(28, 56, "统一社会信用代码", font="hei", size=11, color=INK)
    s.text(28, 62.5, c.credit_code, font="song", size=11.5, color=INK)
    place_qr(s, 240, 30, 26, f"http://www.gsxt.gov.cn/{c.credit_code}"
             f"?t={rng.getrandbits(40):010x}")
    ds = rng.choice(["cn", "cn_short"])
    size = 11.5
    y = 84.0
    for lab, val in (("名称", printed_name(c)), ("类型", c.company_type),
                     ("法定代表人", c.legal_rep)):
        _label(s, 30, y, lab, 27, size)
        y = _value(s, 64, y, val, 80, size) + 3.0
    _label(s, 30, y, "经营范围", 27, size)
    _value(s, 64, y, business_scope(rng, c, role), 80, 9)
    y = 84.0
    for lab, val in (("注册资本", capital_print(c.capital, rng)), ("成立日期", date_print(est, ds)),
                     ("营业期限", _term(est, end, ds)), ("住所", c.address)):
        _label(s, 158, y, lab, 27, size)
        y = _value(s, 192, y, val, 80, size) + 3.0
    s.text(200, 168, "登记机关", font="hei", size=13, color=INK, spread=28)
    s.text(230, 186, date_print(issued, "spaced"), font="song", size=12, color=INK,
           align="center")
    authority = registration_authority(rng, c.region, issued)
    round_seal(rng, authority, diameter=42, script=script).place(
        s, rng.uniform(224, 236), rng.uniform(168, 178))
    s.text(18, 203, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", font="song",
           size=7, color=INK)
    s.text(279, 203, "国家市场监督管理总局监制" if issued.year >= 2018 else
           "中华人民共和国国家工商行政管理总局监制", font="song", size=7, color=INK,
           align="right")
    return s, {"est": est, "issued": issued, "end": end, "authority": authority,
               "layout": "landscape_original"}


def old_landscape(rng: random.Random, c: Company, role: str, script: str) -> tuple[Sheet, dict]:
    s = Sheet(297, 210, script=script, paper=(252, 251, 248))
    meander_border(s, 8, 7, 281, 191, color=(150, 150, 150), unit=3.2)
    s.picture(134, 10, 29, 29, emblem(480), kind="emblem")
    s.text(148.5, 60, "企业法人营业执照", font="song_bold", size=40, color=INK, align="center",
           spread=170)
    est, issued, end = _dates(rng, c, old=True)
    s.text(196, 74, "注册号", font="hei", size=11, color=INK)
    s.text(212, 74, c.reg_number, font="song", size=10.5, color=INK)
    size = 12
    y = 88.0
    ctype = _brackets(c.company_type, rng, half=0.6)
    for lab, val in (("名称", printed_name(c)), ("住所", c.address), ("法定代表人姓名", c.legal_rep),
                     ("公司类型", ctype)):
        _label(s, 30, y, lab, 32, size)
        y = _value(s, 68, y, val, 130 if lab in ("名称", "住所") else 82, size, font="kai") + 3.0
    _label(s, 30, y, "经营范围", 32, size)
    _value(s, 68, y, business_scope(rng, c, role), 140, 9, font="kai")
    cap = capital_print(c.capital, rng)
    _label(s, 180, 106.6, "注册资本", 26, size)
    _value(s, 210, 106.6, cap, 70, size, font="kai")
    _label(s, 180, 116.5, "实收资本", 26, size)
    _value(s, 210, 116.5, cap, 70, size, font="kai")
    ds = rng.choice(["cn", "iso"])
    _label(s, 30, 178, "成立日期", 32, size)
    _value(s, 68, 178, date_print(est, ds), 80, size, font="kai")
    _label(s, 30, 190, "营业期限", 32, size)
    _value(s, 68, 190, _term(est, end, ds), 110, size, font="kai")
    s.paragraph(160, 158, 70, "每年3月1日至6月30日进行年度检验。", font="song", size=7,
                color=INK)
    s.text(240, 190, date_print(issued, "cn_upper"), font="song", size=12, color=INK,
           align="center")
    authority = registration_authority(rng, c.region, issued)
    round_seal(rng, authority, diameter=42, script=script).place(
        s, rng.uniform(236, 250), rng.uniform(172, 182))
    s.text(278, 203, "中华人民共和国国家工商行政管理总局监制", font="song", size=7, color=INK,
           align="right")
    return s, {"est": est, "issued": issued, "end": end, "authority": authority,
               "layout": "old_landscape"}


def old_portrait(rng: random.Random, c: Company, role: str, script: str) -> tuple[Sheet, dict]:
    s = Sheet(210, 297, script=script, paper=(246, 247, 250))
    guilloche(s, 14, 14, 182, 269, color=(222, 228, 238), rng=rng, lines=80)
    s.rect(10, 10, 190, 277, stroke=(120, 130, 150), width=0.8)
    s.text(26, 34, "企业法人营业执照", font="song_bold", size=30, color=INK)
    s.text(62, 46, "（副  本）", font="song_bold", size=14, color=INK)
    est, issued, end = _dates(rng, c, old=True)
    s.text(112, 58, "注册号：" + c.reg_number + rng.choice(["", "(1-1)"]), font="song",
           size=10.5, color=INK)
    size = 11.5
    y = 72.0
    cap = capital_print(c.capital, rng)
    for lab, val in (("名称", printed_name(c)), ("住所", c.address), ("法定代表人姓名", c.legal_rep),
                     ("注册资本", cap), ("实收资本", cap), ("公司类型", c.company_type),
                     ("成立日期", date_print(est, "cn")), ("营业期限", _term(est, end, "cn"))):
        _label(s, 22, y, lab, 30, size)
        y = _value(s, 58, y, val, 125, size) + 3.5
    _label(s, 22, y, "经营范围", 30, size)
    _value(s, 58, y, business_scope(rng, c, role), 125, 9.5)
    s.paragraph(120, 220, 70, "年度检验情况", font="hei", size=10, color=INK)
    s.text(150, 272, date_print(issued, "cn"), font="song", size=11.5, color=INK,
           align="center")
    s.text(130, 258, "登记机关", font="hei", size=12, color=INK, spread=26)
    authority = registration_authority(rng, c.region, issued)
    round_seal(rng, authority, diameter=42, script=script).place(
        s, rng.uniform(148, 160), rng.uniform(256, 266))
    return s, {"est": est, "issued": issued, "end": end, "authority": authority,
               "layout": "old_portrait_copy"}


def render(rng: random.Random, sc: Scenario, fmt: str, script: str, *,
           company: Company | None = None) -> Rendered:
    if fmt not in FORMATS:
        raise ValueError(f"licence format {fmt!r} not in {FORMATS}")
    c = company or sc.applicant
    role = "provider" if c is sc.provider else "applicant"
    layouts = (new_portrait, new_landscape) if fmt == "new" else (old_landscape, old_portrait)
    layout = layouts[0] if rng.random() < 0.6 else layouts[1]
    sheet, info = layout(rng, c, role, script)
    fields: dict = {"company_name": c.name}
    if fmt == "new":
        fields["credit_code"] = c.credit_code
    else:
        fields["registration_number"] = c.reg_number
    fields.update({
        "company_type": c.company_type,
        "legal_representative": c.legal_rep,
        "registered_capital": money_norm(c.capital),
        "established_on": date_norm(info["est"]),
        "term_start": date_norm(info["est"]),
    })
    if info["end"] is not None:
        fields["term_end"] = date_norm(info["end"])
    fields.update({"address": c.address, "registration_authority": info["authority"],
                   "issued_on": date_norm(info["issued"])})
    return Rendered("business_licence", [sheet], fields, digital=False,
                    variant={"format": fmt, "layout": info["layout"]})
