"""云服务合同 / 技术服务合同: 2–4 pages of prose with the figures a clerk checks.

The truth figures appear in sentences of the usual shapes (本合同总金额为人民币…
（¥…）, 其中上云上平台费用为人民币…元, 年服务费…, 服务期限自…起至…止), among
distractor figures that are not fields (instalments, penalties, tax rate, SLA).
``pdf`` contracts are text-layer PDFs with e-seal images; ``paper`` ones are page
images, signed in ink and stamped, sometimes with a 骑缝章 across the page edges.
"""

from __future__ import annotations

import random
from decimal import Decimal

from samplegen.fakedata import Scenario, person_name, printed_name
from samplegen.flow import Flow
from samplegen.pdfout import PdfInfo
from samplegen.seals import round_seal
from samplegen.textfmt import date_norm, date_print, money, money_norm, money_print, rmb_upper
from samplegen.truth import Rendered

FORMATS = ("pdf", "paper")

_SPECS = ["4核8G / 100G SSD", "8核16G / 200G", "500GB 标准存储", "1TB", "50个账号", "高可用版",
          "基础版", "专业版", "100个并发", "10Mbps 带宽", "2台", "企业版 / 30用户"]


def _amount_sentence(rng: random.Random, total: Decimal, words: str) -> str:
    t = money_print(total)
    return rng.choice([
        f"本合同总金额为人民币{words}（¥{t}）。",
        f"本合同总价款为人民币{words}（小写：¥{t}元），该价格为含税价。",
        f"本合同总金额（含税）为¥{t}元（大写：人民币{words}）。",
    ])


def _clauses(rng: random.Random, sc: Scenario, words: str, date_style: str) -> list[tuple[str, list[str]]]:
    a, b = "甲方", "乙方"
    start, end = date_print(sc.service_start, date_style), date_print(sc.service_end, date_style)
    money_lines = [_amount_sentence(rng, sc.total, words)]
    if sc.cloud_fee is not None:
        s = f"其中上云上平台费用为人民币{money_print(sc.cloud_fee)}元"
        rest = sc.total - sc.cloud_fee
        s += f"，实施及技术支持费用为人民币{money_print(rest)}元。" if rest > 0 else "。"
        money_lines.append(s)
    annual = money_print(sc.annual_fee)
    annual_line = rng.choice([
        f"年服务费为人民币{annual}元，服务期共{sc.years}年。",
        f"按年计费，年服务费人民币{rmb_upper(sc.annual_fee)}（¥{annual}）。",
        f"服务费用按年度结算，每年服务费为人民币{annual}元。",
    ])
    if not sc.extra.get("no_annual_fee"):  # samplegen.application: a contract that omits it
        money_lines.append(annual_line)
    first = rng.choice([30, 50, 60, 100])
    if first == 100:
        pay = f"{a}应于本合同签订后{rng.choice([5, 7, 10, 15])}个工作日内一次性支付全部合同款项。"
    else:
        part = money(sc.total * Decimal(first) / 100)
        pay = (f"{a}应于本合同签订后{rng.choice([5, 7, 10])}个工作日内向{b}支付合同总金额的"
               f"{first}%，即人民币{money_print(part)}元；服务开通验收合格后"
               f"{rng.choice([10, 15, 30])}日内支付剩余款项人民币{money_print(sc.total - part)}元。")
    money_lines.append(pay)
    money_lines.append(f"{b}收到款项后应向{a}开具等额的增值税{rng.choice(['专用', '普通'])}发票，"
                       f"税率为{rng.choice(['6%', '6%', '13%'])}。")
    p = sc.provider
    money_lines.append(f"{b}收款账户——户名：{printed_name(p)}；开户银行：{p.bank_branch}；"
                       f"账号：{p.account}。")
    law = "《中华人民共和国民法典》" if sc.signed_on.year >= 2021 else "《中华人民共和国合同法》"
    return [
        ("", [f"根据{law}及有关法律法规的规定，{a}、{b}双方本着平等互利、诚实信用的原则，"
              f"经友好协商，就{b}向{a}提供云计算服务事宜达成如下协议，以资共同遵守。"]),
        ("第一条 服务内容", [f"{b}通过其云平台向{a}提供以下云产品及服务，具体配置见下表：", "@table"]),
        ("第二条 服务期限", [f"服务期限自{start}起至{end}止。服务期满，双方可另行协商续签。",
                          f"{b}应于服务期限开始之日前完成服务开通，并向{a}交付账号及使用说明。"]),
        ("第三条 合同金额及支付方式", money_lines),
        ("第四条 甲方的权利和义务", [
            f"1. {a}有权按照本合同约定使用{b}提供的云服务，并对服务质量提出意见。",
            f"2. {a}应按时支付服务费用，并保证其在云平台上存储和处理的数据合法合规。",
            f"3. {a}应妥善保管账号及密码，因{a}原因造成的账号泄露由{a}自行承担责任。"]),
        ("第五条 乙方的权利和义务", [
            f"1. {b}保证云服务可用性不低于{rng.choice(['99.9%', '99.95%', '99.5%'])}，"
            f"并提供7×24小时技术支持，故障响应时间不超过{rng.choice([30, 60, 120])}分钟。",
            f"2. {b}应采取必要的技术措施保障{a}数据的安全，每日进行数据备份。",
            f"3. 未经{a}书面同意，{b}不得向任何第三方披露或使用{a}的业务数据。"]),
        ("第六条 保密条款", [
            "双方对在履行本合同过程中知悉的对方商业秘密和技术秘密负有保密义务，保密期限为本合同终止后"
            f"{rng.choice(['两', '三', '五'])}年。"]),
        ("第七条 违约责任", [
            f"1. {a}逾期付款的，每逾期一日，应按逾期金额的万分之{rng.choice(['三', '五'])}向{b}支付违约金。",
            f"2. 因{b}原因导致服务中断超过{rng.choice([4, 8, 24])}小时的，{b}应按当月服务费的"
            f"{rng.choice([5, 10])}%向{a}支付赔偿金。"]),
        ("第八条 争议解决", [f"因本合同引起的争议，双方应友好协商解决；协商不成的，任何一方均可向"
                          f"{rng.choice(['甲方', '乙方'])}所在地人民法院提起诉讼。"]),
        ("第九条 其他", [f"本合同一式{rng.choice(['贰', '肆'])}份，双方各执{rng.choice(['壹', '贰'])}份，"
                       "具有同等法律效力，自双方签字盖章之日起生效。本合同未尽事宜，由双方另行签订补充协议。"]),
    ]


def render(rng: random.Random, sc: Scenario, fmt: str, script: str) -> Rendered:
    if fmt not in FORMATS:
        raise ValueError(f"contract format {fmt!r} not in {FORMATS}")
    size = rng.choice([10.5, 12.0, 12.0])
    flow = Flow(script, size=size, leading=rng.choice([1.5, 1.65, 1.8]),
                margin_x=rng.choice([25.0, 28.0, 31.8]))
    words = rmb_upper(sc.total)
    date_style = rng.choice(["cn_short", "cn", "cn_short"])
    sign_style = rng.choice(["cn_upper", "cn_short", "cn"])
    pa, pb = sc.applicant, sc.provider
    with_codes = rng.random() < 0.6
    flow.para(sc.contract_title, indent=False, size=rng.choice([18.0, 20.0, 22.0]),
              font="hei_bold", align="center")
    flow.space(2)
    flow.para(f"合同编号：{sc.contract_number}", indent=False, size=size - 1, align="right")
    header_date = rng.random() < 0.3
    if header_date:
        flow.para(f"签订日期：{date_print(sc.signed_on, date_style)}", indent=False,
                  size=size - 1, align="right")
    flow.space(3)
    a_role, b_role = rng.choice([("甲方（需方）", "乙方（供方）"), ("甲方（委托方）", "乙方（服务方）"),
                                 ("甲方", "乙方"), ("甲方（用户方）", "乙方（云服务商）")])
    for role, comp in ((a_role, pa), (b_role, pb)):
        flow.para(f"{role}：{printed_name(comp)}", indent=False, font="hei_bold")
        if with_codes:
            flow.para(f"统一社会信用代码：{comp.credit_code}", indent=False)
        flow.para(f"住所：{comp.address}", indent=False)
        flow.para(f"法定代表人：{comp.legal_rep}    联系电话：{comp.phone}", indent=False)
        flow.space(2)
    for head, paras in _clauses(rng, sc, words, date_style):
        if head:
            flow.heading(head)
        for p in paras:
            if p == "@table":
                rows = [[str(i + 1), ln.name, rng.choice(_SPECS), f"{sc.years}年",
                         money_print(ln.yearly, comma=False)] for i, ln in enumerate(sc.services)]
                flow.table(["序号", "产品/服务名称", "规格配置", "服务期", "年单价（元）"], rows,
                           [10, 40, 40, 18, 25])
                flow.para("注：上表单价为参考单价，合同价款以第三条约定为准。", indent=False,
                          size=size - 1.5)
            else:
                flow.para(p)
    # signature block
    flow.space(6)
    flow.ensure(70)
    top = flow.y
    page = flow.page
    left, right = flow.margin_x, 105 + 4
    sig_date = date_print(sc.signed_on, sign_style)
    for x, role, comp in ((left, "甲方（盖章）", pa), (right, "乙方（盖章）", pb)):
        page.text(x, top, f"{role}：", size=size, font="hei_bold")
        page.paragraph(x, top + 8, 72, printed_name(comp), size=size)
        page.text(x, top + 24, "法定代表人或授权代表（签字）：", size=size - 1.5)
        page.text(x + 10, top + 33, comp.legal_rep if rng.random() < 0.7 else person_name(rng),
                  font="kai", size=18, color=(20, 30, 80))
        page.text(x, top + 44, f"签订日期：{sig_date}", size=size - 1)
    # ``sc.extra["has_seal"]`` (samplegen.application) decides instead of the draw
    has_seal = bool(sc.extra.get("has_seal", rng.random() < 0.93))
    seals = []
    if has_seal:
        for x, comp, code in ((left, pa, rng.random() < 0.4), (right, pb, rng.random() < 0.4)):
            if rng.random() < 0.08 and seals:
                continue  # one party forgot to stamp
            seal = round_seal(rng, comp.name, diameter=rng.uniform(38, 42),
                              bottom_text=rng.choice(["", "", "合同专用章"]),
                              code=comp.credit_code[2:15] if code else "", script=script)
            seal.place(page, x + rng.uniform(18, 40), top + rng.uniform(6, 22))
            seals.append(comp.name)
    pages = flow.pages
    n = len(pages)
    for i, pg in enumerate(pages):
        pg.text(105, 285, f"第 {i + 1} 页 共 {n} 页", size=9, align="center")
    crossing = fmt == "paper" and has_seal and n > 1 and rng.random() < 0.4
    if crossing:  # 骑缝章: one impression split over the right edges of all pages
        seal = round_seal(rng, pb.name, diameter=40, script=script)
        w = seal.image.width
        for i, pg in enumerate(pages):
            a0, a1 = w * i // n, w * (i + 1) // n
            piece = seal.image.crop((a0, 0, a1, seal.image.height))
            pw = piece.width / seal.dpi * 25.4
            pg.picture(210 - pw, 130, pw, seal.h_mm, piece, blend="multiply", layer="seal",
                       kind="seal")
    fields = {
        "title": sc.contract_title,
        "contract_number": sc.contract_number,
        "party_a_name": pa.name,
    }
    if with_codes:
        fields["party_a_credit_code"] = pa.credit_code
    fields["party_b_name"] = pb.name
    if with_codes:
        fields["party_b_credit_code"] = pb.credit_code
    fields.update({
        "signed_on": date_norm(sc.signed_on),
        "service_start": date_norm(sc.service_start),
        "service_end": date_norm(sc.service_end),
        "total_amount": money_norm(sc.total),
        "total_amount_in_words": words,
    })
    if sc.cloud_fee is not None:
        fields["cloud_fee"] = money_norm(sc.cloud_fee)
    if not sc.extra.get("no_annual_fee"):
        fields["annual_fee"] = money_norm(sc.annual_fee)
    fields.update({"services": [ln.name for ln in sc.services],
                   "has_seal": bool(seals)})
    variant = {"format": fmt, "pages": n, "body_size_pt": size, "seals": seals,
               "crossing_seal": crossing}
    info = PdfInfo(title=sc.contract_title, author=rng.choice(["Administrator", "user", ""]),
                   creator="Microsoft® Word 2016", producer="Microsoft® Word 2016")
    return Rendered("contract", pages, fields, digital=fmt == "pdf", variant=variant,
                    pdf_info=info)

