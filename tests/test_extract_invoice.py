"""VAT invoice extraction on synthetic pages shaped like real OCR and text-layer output.

Names and numbers are fictitious; codes carry valid check characters where the
real ones would.
"""

from __future__ import annotations

from intake.model import Method, Page, Quality, Segment

from extractors.vat_invoice import VatInvoiceExtractor, score_page

SELLER_CODE = "91440300MA5F0ABC5R"
BUYER_OLD_TAX_ID = "440300123456788"  # region + 组织机构代码 with its check digit


def seg(text: str, x: int, y: int, conf: float = 0.99, cw: int = 40, h: int = 60) -> Segment:
    return Segment(text, (x, y, x + cw * len(text), y + h), conf)


def vseg(text: str, x: int, y: int) -> Segment:
    """A vertical header such as 购买方, printed top to bottom."""
    return Segment(text, (x, y, x + 60, y + 70 * len(text)), 0.99)


def make_page(segments: list[Segment], method: Method = Method.RAPIDOCR, qr: list[str] | None = None) -> Page:
    p = Page("inv.jpg", 1, 4200, 3100, 300, segments, method, Quality(), qr_payloads=qr or [])
    return p


def paper_invoice(*, amount="2987.18", tax="507.82", total="3495.00", words="叁仟肆佰玖拾伍圆整", conf=0.99):
    """A 广东增值税专用发票 抵扣联 as RapidOCR reads a phone photo: the title half
    covered by the seal, code and number printed twice, labels spaced out."""
    return [
        seg("广东增值", 1650, 430), seg("发票", 2430, 420),
        seg("No 12269563", 2880, 440), seg("4400154130", 3620, 510, cw=30, h=50),
        seg("4400154130", 810, 520, cw=60, h=100), seg("12269563", 3590, 580, cw=30, h=50),
        seg("开票日期：", 3010, 675), seg("2016年06月12日", 3400, 672),
        seg("名", 560, 873), seg("称：", 870, 870), seg("深圳市甲乙网络有限公司", 1045, 878, conf=conf),
        seg("28/700471<>034<7*0>98199<57", 2590, 860),
        vseg("购买方", 420, 900), vseg("密码", 2460, 850),
        seg("纳税人识别号：", 555, 960), seg(BUYER_OLD_TAX_ID, 1105, 965),
        seg("地址、电话：", 550, 1050), seg("深圳市南山区某某路1号0755-12345678", 1045, 1055, cw=30),
        seg("开户行及账号：", 550, 1145), seg("某某银行深圳分行1234567890", 1045, 1145, cw=30),
        seg("金额", 2870, 1195), seg("税率", 3290, 1185), seg("税额", 3590, 1175),
        seg("货物或应税劳务、服务名称", 490, 1240), seg("规格型号", 1430, 1230), seg("单位", 1850, 1225),
        seg("数量", 2110, 1215), seg("单价", 2470, 1210),
        seg("云服务器年费", 470, 1340), seg("标准版", 1370, 1335), seg("台", 1900, 1330), seg("5", 2330, 1330),
        seg("597.43589744", 2440, 1320, cw=25), seg(amount, 3060, 1300, cw=30), seg("17%", 3340, 1300, cw=30),
        seg(tax, 3790, 1285, cw=30),
        seg("含三年运维服务", 465, 1415),
        seg("合", 550, 1940), seg("计", 1000, 1940),
        seg("￥" + amount, 2950, 1890, cw=30), seg("￥" + tax, 3710, 1870, cw=30),
        seg("价税合计（大写）", 570, 2060), seg("⊗" + words, 1440, 2040),
        seg("(小写)", 3040, 2000), seg("￥" + total, 3330, 1980, cw=30),
        vseg("销售方", 380, 2245),
        seg("名", 520, 2225), seg("称：", 850, 2215), seg("广州某某贸易有限公司", 1013, 2200, conf=conf),
        seg("纳税人识别号：", 510, 2300), seg(SELLER_CODE, 1110, 2285, cw=50),
        seg("地址、电话：", 510, 2390), seg("广州市黄埔区某某路99号020-1234567", 1020, 2370, cw=30),
        seg("开户行及账号：", 510, 2475), seg("某行北京路支行3602000919200384952", 1026, 2460, cw=30),
        seg(SELLER_CODE, 3300, 2370, cw=28),  # the seal repeats the seller's id
        seg("第二联：抵扣联购买方扣税凭证", 3980, 1140, h=60).__class__("第二联：抵扣联购买方扣税凭证", (3980, 1140, 4140, 2075), 0.96),
        seg("收款人：王某", 410, 2595), seg("复核：李某", 1480, 2550), seg("开票人：陈某", 2290, 2525),
    ]


def test_paper_invoice_fields_and_cross_checks():
    f = VatInvoiceExtractor().extract([make_page(paper_invoice())])
    v = {k: x.value for k, x in f.items()}
    assert v["invoice_kind"] == "special"
    assert v["invoice_code"] == "4400154130"
    assert v["invoice_number"] == "12269563"
    assert v["issued_on"] == "2016-06-12"
    assert v["buyer_name"] == "深圳市甲乙网络有限公司"
    assert v["buyer_tax_id"] == BUYER_OLD_TAX_ID
    assert v["seller_name"] == "广州某某贸易有限公司"
    assert v["seller_tax_id"] == SELLER_CODE
    assert (v["amount_excl_tax"], v["tax_amount"], v["total"]) == ("2987.18", "507.82", "3495.00")
    assert v["total_in_words"] == "叁仟肆佰玖拾伍圆整"
    assert v["items"] == [{"name": "云服务器年费含三年运维服务", "amount": "2987.18", "tax_rate": "17%", "tax": "507.82"}]
    assert "check_code" not in f  # special invoices print none
    # amount + tax = total and 大写 = 小写: all confident
    for k in ("amount_excl_tax", "tax_amount", "total", "invoice_code", "invoice_number", "seller_tax_id"):
        assert f[k].confidence >= 0.95, k
    # boxes point at the value, not the label
    assert f["seller_tax_id"].bbox[0] >= 1110
    assert f["total"].method == Method.RAPIDOCR and f["total"].page == 1


def test_amounts_that_do_not_add_up_are_not_confident():
    f = VatInvoiceExtractor().extract([make_page(paper_invoice(tax="507.28"))])
    assert f["tax_amount"].value == "507.28"
    assert f["tax_amount"].confidence < 0.9
    assert f["amount_excl_tax"].confidence < 0.9
    # the total still agrees with its 大写
    assert f["total"].confidence >= 0.9


def test_ocr_names_stay_below_confident_when_engine_unsure():
    f = VatInvoiceExtractor().extract([make_page(paper_invoice(conf=0.9))])
    assert f["buyer_name"].confidence < 0.9
    assert f["seller_name"].confidence < 0.9


def test_qr_agreement_and_disagreement():
    good = "01,01,4400154130,12269563,2987.18,20160612,,1A2B"
    f = VatInvoiceExtractor().extract([make_page(paper_invoice(), qr=[good])])
    assert f["invoice_number"].confidence >= 0.99 and f["issued_on"].confidence >= 0.99
    bad = "01,01,4400154130,12269568,2987.18,20160618,,1A2B"
    f = VatInvoiceExtractor().extract([make_page(paper_invoice(), qr=[bad])])
    assert f["invoice_number"].confidence <= 0.5
    assert f["issued_on"].confidence <= 0.5


def test_qr_fills_what_the_print_lost():
    segs = [s for s in paper_invoice() if "12269563" not in s.text and "开票日期" not in s.text and "2016" not in s.text]
    f = VatInvoiceExtractor().extract([make_page(segs, qr=["01,01,4400154130,12269563,2987.18,20160612,,1A2B"])])
    assert f["invoice_number"].value == "12269563" and f["invoice_number"].method == Method.QR
    assert f["issued_on"].value == "2016-06-12" and f["issued_on"].method == Method.QR


def tseg(text: str, x: int, y: int, cw: int = 22, h: int = 24) -> Segment:
    return Segment(text, (x, y, x + cw * len(text), y + h), 1.0)


def e_invoice(qr: list[str] | None = None) -> Page:
    """An 增值税电子普通发票 PDF's text layer (words as pdfplumber gives them)."""
    segs = [
        tseg("某省增值税电子普通发票", 540, 80), tseg("发票代码:044031900111", 1200, 80),
        tseg("发票号码:01234567", 1200, 108), tseg("开票日期:2019年07月20日", 1200, 150),
        tseg("机器编号:", 67, 192), tseg("661911908051", 192, 192),
        tseg("校", 1200, 192), tseg("验", 1238, 192), tseg("码:11241", 1273, 192), tseg("63620", 1394, 192),
        tseg("68024", 1471, 192), tseg("90280", 1547, 192),
        tseg("名", 133, 248), tseg("称:", 258, 248), tseg("某某物流有限公司", 305, 248), tseg("037+143*5*753+6+<+<-37<7", 1024, 248),
        tseg("购", 79, 262), tseg("密", 971, 262),
        tseg("纳税人识别号:", 133, 287), tseg("91110108MA01XYW12C", 305, 287),
        tseg("买", 79, 305), tseg("码", 971, 305), tseg("方", 79, 350), tseg("区", 971, 350),
        tseg("项目名称", 188, 416), tseg("规格型号", 502, 416), tseg("金", 1157, 416), tseg("额", 1207, 416),
        tseg("税率", 1332, 416), tseg("税", 1474, 416), tseg("额", 1524, 416),
        tseg("*信息技术服务*云主机", 68, 452), tseg("年", 692, 452), tseg("184.65", 1228, 452),
        tseg("3%", 1360, 452), tseg("5.54", 1587, 452),
        tseg("合", 182, 723), tseg("计", 276, 723), tseg("￥184.65", 1207, 723), tseg("￥5.54", 1564, 723),
        tseg("价税合计（大写）", 150, 773), tseg("壹佰玖拾元零壹角玖分", 444, 773), tseg("（小写）", 1272, 773),
        tseg("￥190.19", 1390, 773),
        tseg("名", 133, 827), tseg("称:某某云计算股份有限公司", 258, 827),
        tseg("销", 78, 846), tseg("纳税人识别号:91440300MA5F0ABC5R", 133, 865), tseg("售", 78, 886), tseg("方", 78, 932),
    ]
    return Page("e.pdf", 1, 1700, 1100, 200, segs, Method.TEXT_LAYER, Quality(), qr_payloads=qr or [])


def test_e_invoice_text_layer():
    qr = "01,10,044031900111,01234567,184.65,20190720,11241636206802490280,DDB1,"
    f = VatInvoiceExtractor().extract([e_invoice([qr])])
    v = {k: x.value for k, x in f.items()}
    assert v["invoice_kind"] == "electronic"
    assert v["invoice_code"] == "044031900111" and v["invoice_number"] == "01234567"
    assert v["check_code"] == "11241636206802490280"
    assert v["buyer_name"] == "某某物流有限公司" and v["buyer_tax_id"] == "91110108MA01XYW12C"
    assert v["seller_name"] == "某某云计算股份有限公司" and v["seller_tax_id"] == SELLER_CODE
    assert (v["amount_excl_tax"], v["tax_amount"], v["total"]) == ("184.65", "5.54", "190.19")
    assert v["items"] == [{"name": "*信息技术服务*云主机", "amount": "184.65", "tax_rate": "3%", "tax": "5.54"}]
    assert all(x.confidence >= 0.9 for x in f.values())
    assert f["check_code"].method == Method.TEXT_LAYER


def test_digital_invoice_side_by_side_blocks():
    segs = [
        tseg("电子发票（增值税专用发票）", 449, 91), tseg("发票号码：24512000000202537619", 1216, 91),
        tseg("开票日期：2024年09月25日", 1216, 148),
        tseg("购", 46, 262), tseg("名称：某某商贸有限公司", 90, 262), tseg("销", 838, 262), tseg("名称：某某咨询有限公司", 882, 262),
        tseg("买", 46, 290), tseg("售", 838, 290), tseg("方", 46, 318), tseg("方", 838, 318),
        tseg("统一社会信用代码/纳税人识别号：91320412MA1WBLRK0R", 90, 350, cw=12),
        tseg("统一社会信用代码/纳税人识别号：91440101MA59TE5TXB", 881, 350, cw=12),
        tseg("项目名称", 126, 420), tseg("金", 1130, 420), tseg("额", 1180, 420), tseg("税率/征收率", 1240, 420),
        tseg("税", 1531, 420), tseg("额", 1581, 420),
        tseg("*信息技术服务*软件", 35, 450), tseg("100.00", 1104, 450), tseg("6%", 1292, 450), tseg("6.00", 1530, 450),
        tseg("合", 161, 730), tseg("计", 287, 730), tseg("¥100.00", 1077, 730), tseg("¥6.00", 1499, 730),
        tseg("价税合计（大写）", 133, 776), tseg("壹佰零陆圆整", 495, 776), tseg("（小写）¥106.00", 1130, 776),
    ]
    page = Page("d.pdf", 1, 1700, 1100, 200, segs, Method.TEXT_LAYER, Quality(),
                qr_payloads=["01,31,,24512000000202537619,106.00,20240925,,DFC"])
    f = VatInvoiceExtractor().extract([page])
    v = {k: x.value for k, x in f.items()}
    assert v["invoice_kind"] == "digital" and "invoice_code" not in v
    assert v["invoice_number"] == "24512000000202537619"
    assert v["buyer_name"] == "某某商贸有限公司" and v["seller_name"] == "某某咨询有限公司"
    assert v["buyer_tax_id"] == "91320412MA1WBLRK0R" and v["seller_tax_id"] == "91440101MA59TE5TXB"
    # the 数电票 QR carries the total, not the amount
    assert f["total"].confidence >= 0.99 and v["total"] == "106.00"


def test_odd_pages_never_raise():
    X = VatInvoiceExtractor()
    assert X.extract([]) == {}
    assert X.extract([make_page([])]) == {}
    junk = [seg("名称：", 0, 0), seg("价税合计（大写）", 0, 100), seg("(小写)", 500, 100), seg("￥abc", 700, 100),
            seg("纳税人识别号：<<>>", 0, 200), seg("No", 0, 300), seg("货物或应税劳务、服务名称", 0, 400)]
    X.extract([make_page(junk, qr=["garbage", "01,01,,,,"])])


def test_score_page():
    assert score_page("广东增值税专用发票 开票日期 价税合计 纳税人识别号 货物或应税劳务") > 0.9
    assert score_page("营业执照 统一社会信用代码") < 0.2


def test_ocr_item_names_are_not_vouched_for_by_the_sums():
    # Regression: items read by OCR were raised to 0.96 because amounts and taxes
    # added up, while a name had picked up a stray digit from the next column
    # (「5负载均衡服务」) -- a confident wrong value. Sums check amounts, not names.
    f = VatInvoiceExtractor().extract([make_page(paper_invoice())])
    assert f["items"].confidence < 0.9
    assert f["amount_excl_tax"].confidence >= 0.9  # the amounts are still vouched for


def test_seller_id_taken_for_the_buyers_is_doubted():
    # Regression (Tesseract on real e-invoices): the buyer's id was missed, the
    # seller's id was read into the buyer's place and then *raised* to 0.98
    # because the seal prints it again. Nothing repeats the buyer's id.
    segs = [seg(SELLER_CODE, 1105, 965) if s.text == BUYER_OLD_TAX_ID else s for s in paper_invoice()]
    f = VatInvoiceExtractor().extract([make_page(segs)])
    assert f["buyer_tax_id"].value == SELLER_CODE
    assert f["buyer_tax_id"].confidence < 0.9


def test_party_values_on_the_wrong_side_of_the_total_row_are_doubted():
    # Regression (Tesseract on the real photos): the buyer's id was taken for the
    # seller's at 0.98 -- it passes its checksum just as well. The buyer's block
    # is above 价税合计, the seller's below; swapping the side headers simulates
    # the misassignment.
    swapped = []
    for s in paper_invoice():
        if s.text == "购买方":
            s = vseg("销售方", 420, 900)
        elif s.text == "销售方":
            s = vseg("购买方", 380, 2245)
        swapped.append(s)
    f = VatInvoiceExtractor().extract([make_page(swapped)])
    assert f["seller_tax_id"].value == BUYER_OLD_TAX_ID  # read from the wrong block...
    for name in ("buyer_name", "buyer_tax_id", "seller_name", "seller_tax_id"):
        assert f[name].confidence < 0.9, name  # ...and not trusted
