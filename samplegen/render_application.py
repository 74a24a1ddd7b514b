"""申报表 (the applicant's form, per program) and the Yichun 兑付申请表 (a provider's
payout form: header plus one row per enterprise; rows add up to 兑付总金额).

Row ``contract_term`` truth is an ISO interval ``YYYY-MM-DD/YYYY-MM-DD`` whatever the
printed style; row ``services`` is the list of service names printed joined by 、.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from samplegen.fakedata import (REGIONS, SERVICES, Scenario, add_years, make_company,
                                mobile, printed_name)
from samplegen.pdfout import PdfInfo
from samplegen.render_invoice import fit
from samplegen.seals import round_seal
from samplegen.sheet import PT_MM, Sheet, wrap
from samplegen.textfmt import (date_norm, date_print, money, money_norm, money_print,
                               random_date, rmb_upper)
from samplegen.truth import Rendered

FORMATS = ("declaration", "yichun_payout")

TITLES = {
    "hebei-2018-benchmark": "河北省上云标杆企业申报表",
    "inner-mongolia-2019-voucher": "内蒙古自治区企业上云服务券申请表",
    "yichun-2023": "伊春市企业上云补助申请表",
    "guangdong-2018-voucher": "广东省企业“上云上平台”服务券申请表",
}
CATEGORIES = [("infrastructure", "基础设施"), ("platform", "平台系统"),
              ("business_application", "业务应用"), ("equipment_product", "设备产品")]


def _amount_text(x: Decimal, rng: random.Random) -> str:
    """How applicants type amounts into forms: 120000, 120,000.00, 12万元."""
    wan = money(x) / 10000
    if wan == wan.quantize(Decimal("0.01")) and rng.random() < 0.25:
        return f"{wan:f}".rstrip("0").rstrip(".") + "万元"
    return rng.choice([money_print(x, comma=False), money_print(x), money_print(x) + "元"])


class Grid:
    """A form table: rows of (label, value) cells with given column widths."""

    def __init__(self, s: Sheet, x: float, y: float, width: float, size: float) -> None:
        self.s, self.x, self.y, self.w, self.size = s, x, y, width, size

    def row(self, cells: list[tuple[str, float, bool]], height: float = 10.0) -> None:
        """cells: (text, width fraction, is_label)."""
        x = self.x
        for text, frac, is_label in cells:
            w = self.w * frac
            self.s.rect(x, self.y, w, height, width=0.3)
            if is_label:
                lines = _wrap_label(self.s, text, w - 2, self.size)
                y0 = self.y + height / 2 - (len(lines) - 1) * self.size * PT_MM * 0.6 + \
                    self.size * PT_MM * 0.35
                for i, ln in enumerate(lines):
                    self.s.text(x + w / 2, y0 + i * self.size * PT_MM * 1.2, ln, font="hei",
                                size=self.size, align="center")
            elif text:
                if height > 20:  # a free-text box: text from the top
                    self.s.paragraph(x + 1.5, self.y + self.size * PT_MM + 1.5, w - 3, text,
                                     size=self.size, leading=1.35)
                else:
                    fit(self.s, x + 1.5, self.y + height / 2 + self.size * PT_MM * 0.35, text,
                        w - 3, size=self.size, layer="form")
            x += w
        self.y += height


def _wrap_label(s: Sheet, text: str, width: float, size: float) -> list[str]:
    return wrap(s.conv(text), width, "hei", size, script=s.script) or [""]


def declaration(rng: random.Random, sc: Scenario, script: str) -> tuple[Sheet, dict, dict]:
    a, p = sc.applicant, sc.provider
    s = Sheet(210, 297, script=script)
    s.text(105, 28, TITLES[sc.program], font="hei_bold", size=17, align="center")
    submitted = sc.signed_on + dt.timedelta(days=rng.randint(60, 200))
    s.text(25, 40, f"申报单位（盖章）：{printed_name(a)}", size=10.5)
    s.text(185, 40, f"填报日期：{date_print(submitted, 'cn_short')}", size=10.5, align="right")
    g = Grid(s, 22, 44, 166, 10)
    code_label = "统一社会信用代码（组织机构代码）" if "hebei" in sc.program else "统一社会信用代码"
    contract_amount = sc.total
    g.row([("企业名称", 0.22, True), (printed_name(a), 0.78, False)])
    g.row([(code_label, 0.22, True), (a.credit_code, 0.33, False), ("法定代表人", 0.17, True),
           (a.legal_rep, 0.28, False)])
    g.row([("注册地址", 0.22, True), (a.address, 0.78, False)])
    g.row([("联系人", 0.22, True), (sc.contact.name, 0.33, False), ("联系电话", 0.17, True),
           (mobile(rng), 0.28, False)])
    g.row([("电子邮箱", 0.22, True), (f"{rng.choice(['info', 'admin', 'cw', 'xx'])}"
                                     f"{rng.randint(10, 999)}@{rng.choice(['163.com', 'qq.com', '126.com'])}",
                                     0.33, False), ("邮政编码", 0.17, True),
           (a.region.postcode, 0.28, False)])
    g.row([("上年度主营业务收入（万元）", 0.22, True), (f"{rng.randint(800, 30000)}", 0.33, False),
           ("员工总数", 0.17, True), (str(rng.randint(20, 900)), 0.28, False)], 12)
    g.row([("云服务商名称", 0.22, True), (printed_name(p), 0.78, False)])
    cats = {ln.category for ln in sc.services}
    mark = rng.choice(["■", "√"])  # ticked boxes as typed in Word: ■ or √ over □
    boxes = "  ".join((mark if k in cats else "□") + v for k, v in CATEGORIES)
    g.row([("上云类别", 0.22, True), (boxes, 0.78, False)])
    mode = rng.choice(["公有云", "公有云", "私有云", "混合云"])
    g.row([("部署模式", 0.22, True), ("  ".join((mark if m == mode else "□") + m
                                               for m in ("公有云", "私有云", "混合云", "专有云")),
                                      0.78, False)])
    services = "、".join(ln.name for ln in sc.services)
    g.row([("上云产品及服务", 0.22, True), (services, 0.78, False)])
    g.row([("合同编号", 0.22, True), (sc.contract_number, 0.33, False), ("合同期限", 0.17, True),
           (f"{sc.service_start:%Y.%m.%d}-{sc.service_end:%Y.%m.%d}", 0.28, False)])
    g.row([("上云服务合同金额（元）", 0.22, True), (_amount_text(contract_amount, rng), 0.33, False),
           ("申请补助金额（元）", 0.17, True), (_amount_text(sc.requested, rng), 0.28, False)], 12)
    intro = (f"{printed_name(a)}成立于{sc.applicant.established.year}年，主要从事相关产品的研发、"
             f"生产和销售。公司于{sc.service_start.year}年起使用{printed_name(p)}提供的云服务，"
             f"实现了{rng.choice(['生产管理', '财务管理', '协同办公', '设备管理'])}上云，"
             f"效率提升约{rng.randint(10, 40)}%。")
    g.row([("上云情况简介", 0.22, True), (intro, 0.78, False)], 30)
    promise = ("我单位承诺所申报材料真实、完整、有效，如有虚假，愿承担相应法律责任。")
    g.row([("真实性承诺", 0.22, True), (promise, 0.78, False)], 24)
    y = g.y
    s.text(90, y - 9, "法定代表人（签字）：", size=10)
    s.text(128, y - 9, a.legal_rep, font="kai", size=15, color=(20, 30, 80))
    s.text(150, y - 3, date_print(submitted, rng.choice(["cn_short", "cn_upper"])), size=10)
    round_seal(rng, a.name, diameter=40, script=script).place(
        s, rng.uniform(145, 165), y - rng.uniform(14, 24))
    fields = {"company_name": a.name, "credit_code": a.credit_code,
              "provider_name": p.name, "contract_amount": money_norm(contract_amount),
              "requested_amount": money_norm(sc.requested)}
    return s, fields, {"layout": "declaration", "program": sc.program}


def _term_text(start: dt.date, end: dt.date, rng: random.Random) -> str:
    return rng.choice([f"{start:%Y.%m.%d}-{end:%Y.%m.%d}",
                       f"{date_print(start, 'cn_short')}至{date_print(end, 'cn_short')}",
                       f"{start.year}.{start.month}.{start.day}-{end.year}.{end.month}.{end.day}"])


def yichun_payout(rng: random.Random, sc: Scenario, script: str) -> tuple[Sheet, dict, dict]:
    p = sc.provider
    n = rng.randint(3, 8)
    rows = []
    sign_day = sc.signed_on
    for i in range(n):
        if i == 0:
            comp, svcs, start, total = sc.applicant, [ln.name for ln in sc.services], \
                sc.service_start, sc.total
            years = sc.years
        else:
            comp = make_company(rng, rng.choice(REGIONS["yichun"]), "applicant",
                                founded_before=sign_day)
            svcs = [x[0] for x in rng.sample(SERVICES, rng.randint(1, 3))]
            start = random_date(rng, dt.date(2023, 1, 1), dt.date(2024, 6, 1))
            years = rng.choice((1, 1, 2))
            total = money(rng.randint(10, 400) * 500)
        end = add_years(start, years) - dt.timedelta(days=1)
        payout = min(money(total * Decimal("0.5")), Decimal("100000.00"))
        rows.append((comp, svcs, start, end, total, payout))
    rng.shuffle(rows)
    total_payout = sum((r[5] for r in rows), Decimal(0))
    # a header total that is not the sum of the rows (samplegen.application's defects)
    total_payout += money(sc.extra.get("total_payout_delta", 0))
    s = Sheet(297, 210, script=script)  # landscape: a wide table
    s.text(148.5, 22, "伊春市工业企业上云补助兑付申请表", font="hei_bold", size=17, align="center")
    g = Grid(s, 18, 30, 261, 10)
    platform = p.name.split("科技")[0].split("信息")[0][-2:] + rng.choice(["云", "工业云", "企业云"]) + "平台"
    url = f"https://www.{''.join(rng.choice('abcdefghjkmnpqrstuvwxyz') for _ in range(rng.randint(5, 9)))}.{rng.choice(['com', 'cn', 'com.cn'])}"
    g.row([("云服务商名称", 0.15, True), (printed_name(p), 0.35, False), ("云平台名称", 0.15, True),
           (platform, 0.35, False)], 9)
    g.row([("云平台网址", 0.15, True), (url, 0.35, False), ("服务企业数量", 0.15, True),
           (f"{n}家", 0.35, False)], 9)
    g.row([("兑付总金额", 0.15, True), (f"{money_print(total_payout)}元（大写：人民币"
                                       f"{rmb_upper(total_payout)}）", 0.85, False)], 9)
    g.row([("服务伊春市上云企业明细", 1.0, True)], 8)
    widths = [0.05, 0.22, 0.2, 0.16, 0.11, 0.11, 0.15]
    g.row([(h, w, True) for h, w in zip(["序号", "企业名称", "上云产品及服务", "合同期限",
                                         "合同金额（元）", "兑付金额（元）", "上云效果评价"], widths)], 9)
    truth_rows = []
    for i, (comp, svcs, start, end, total, payout) in enumerate(rows):
        g.row([(str(i + 1), widths[0], False), (printed_name(comp), widths[1], False),
               ("、".join(svcs), widths[2], False), (_term_text(start, end, rng), widths[3], False),
               (money_print(total, comma=rng.random() < 0.5), widths[4], False),
               (money_print(payout, comma=False), widths[5], False),
               (rng.choice(["良好", "效果明显", "满意", "较好"]), widths[6], False)], 9)
        truth_rows.append({"company_name": comp.name, "services": svcs,
                           "contract_term": f"{date_norm(start)}/{date_norm(end)}",
                           "contract_amount": money_norm(total), "payout_amount": money_norm(payout)})
    g.row([("合计", widths[0] + widths[1] + widths[2] + widths[3] + widths[4], True),
           (money_print(total_payout, comma=False), widths[5], False), ("", widths[6], False)], 9)
    y = min(g.y + 12, 190)
    day = max(r[2] for r in rows) + dt.timedelta(days=rng.randint(30, 90))
    s.text(180, y, "云服务商（盖章）：", size=11)
    s.text(180, y + 10, date_print(day, "cn_short"), size=11)
    round_seal(rng, p.name, diameter=40, script=script).place(s, rng.uniform(222, 240),
                                                              y + rng.uniform(3, 9))
    fields = {"provider_name": p.name, "rows": truth_rows, "total_payout": money_norm(total_payout)}
    return s, fields, {"layout": "yichun_payout", "enterprises": n, "platform": platform,
                       "url": url}


def render(rng: random.Random, sc: Scenario, fmt: str, script: str) -> Rendered:
    if fmt not in FORMATS:
        raise ValueError(f"application form format {fmt!r} not in {FORMATS}")
    if fmt == "declaration":
        sheet, fields, info = declaration(rng, sc, script)
        digital = rng.random() < 0.2  # most are printed, signed, stamped and scanned
    else:
        sheet, fields, info = yichun_payout(rng, sc, script)
        digital = True
    return Rendered("application_form", [sheet], fields, digital=digital,
                    variant={"format": fmt, **info},
                    pdf_info=PdfInfo(title=TITLES.get(sc.program, ""),
                                     creator="WPS 文字", producer="WPS 文字"))

