"""Business licence extraction on synthetic pages shaped like real OCR output."""

from __future__ import annotations

from intake.model import Method, Page, Quality, Segment

from extractors.business_licence import BusinessLicenceExtractor, score_page

CODE = "91440300MA5F0ABC5R"


def seg(text: str, x: int, y: int, conf: float = 0.99, cw: int = 24, h: int = 30) -> Segment:
    return Segment(text, (x, y, x + cw * len(text), y + h), conf)


def page(segments: list[Segment], method: Method = Method.RAPIDOCR) -> Page:
    return Page("lic.jpg", 1, 1200, 1600, 300, segments, method, Quality())


def one_column() -> list[Segment]:
    """2015-2018 format, labels spaced out, one column."""
    return [
        seg("营业执照", 480, 300, cw=60, h=60), seg("(副本)", 540, 380),
        seg("统一社会信用代码", 200, 450), seg(CODE, 620, 450),
        seg("名\u3000\u3000称", 200, 520), seg("深圳市某某云科技有限公司", 420, 520),
        seg("类\u3000\u3000型", 200, 570), seg("有限责任公司（自然人独资）", 420, 570),
        seg("住\u3000\u3000所", 200, 620), seg("深圳市南山区粤海街道某某路", 420, 620), seg("1号2栋301室", 420, 655),
        seg("法定代表人", 200, 700), seg("张三", 420, 700),
        seg("注册资本", 200, 750), seg("人民币壹佰万元整", 420, 750),
        seg("成立日期", 200, 800), seg("2016年05月18日", 420, 800),
        seg("营业期限", 200, 850), seg("2016年05月18日至长期", 420, 850),
        seg("经营范围", 200, 900), seg("云计算技术开发；软件开发。（依法须经批准的项目，经相关部门批准后方可开展经营活动）", 420, 900),
        seg("登记机关", 700, 1200), seg("深圳市市场监督管理局", 860, 1150, conf=0.8),
        seg("2018年05月20日", 760, 1260),
    ]


def test_one_column_licence():
    f = BusinessLicenceExtractor().extract([page(one_column())])
    v = {k: x.value for k, x in f.items()}
    assert v["credit_code"] == CODE and f["credit_code"].confidence >= 0.95
    assert v["company_name"] == "深圳市某某云科技有限公司"
    assert v["company_type"] == "有限责任公司（自然人独资）"
    assert v["address"] == "深圳市南山区粤海街道某某路1号2栋301室"
    assert v["legal_representative"] == "张三"
    assert v["registered_capital"] == "1000000.00"
    assert v["established_on"] == "2016-05-18" and v["term_start"] == "2016-05-18"
    assert "term_end" not in v  # 长期
    assert v["registration_authority"] == "深圳市市场监督管理局"
    assert v["issued_on"] == "2018-05-20"
    assert "registration_number" not in v
    # established date and term start agree: both confident
    assert f["established_on"].confidence >= 0.95
    # a person's name read by OCR has nothing to vouch for it
    assert f["legal_representative"].confidence < 0.9


def test_two_columns_and_split_labels():
    """2019+ format; OCR read the labels' first characters as one vertical run
    (名类), so rows start with 称 / 型."""
    segs = [
        seg("统一社会信用代码", 100, 300), seg(CODE, 100, 340), seg("营业执照", 480, 300, cw=60, h=60),
        Segment("名类", (100, 500, 124, 600), 0.99),
        seg("称 广东某某网络科技有限公司", 140, 500), seg("注册资本", 700, 500), seg("伍佰万元整", 820, 500),
        seg("型 有限责任公司(自然人投资或控股)", 140, 560), seg("成立日期", 700, 560), seg("2019年01月01日", 820, 560),
        seg("法定代表人", 100, 620), seg("李四", 240, 620), seg("营业期限", 700, 620),
        seg("2019年01月01日至2039年12月31日", 820, 620),
        seg("经营范围", 100, 680), seg("网络技术服务。", 240, 680), seg("住所", 700, 680), seg("广州市天河区某某路8号", 820, 680),
    ]
    f = BusinessLicenceExtractor().extract([page(segs)])
    v = {k: x.value for k, x in f.items()}
    assert v["company_name"] == "广东某某网络科技有限公司"
    assert v["company_type"] == "有限责任公司（自然人投资或控股）"
    assert v["registered_capital"] == "5000000.00"
    assert v["legal_representative"] == "李四"
    assert (v["term_start"], v["term_end"]) == ("2019-01-01", "2039-12-31")
    assert v["address"] == "广州市天河区某某路8号"
    # a label guessed from its last character costs a little
    assert f["company_name"].confidence < 0.99


def test_old_licence_registration_number_and_traditional_script():
    segs = [
        seg("企業法人營業執照", 400, 200, cw=50, h=50),
        seg("註冊號", 200, 300), seg("440301107241359", 340, 300),
        seg("名稱", 200, 350), seg("深圳市某某電子有限公司", 340, 350),
        seg("法定代表人", 200, 400), seg("王五", 340, 400),
        seg("成立日期", 200, 450), seg("二〇一三年五月六日", 340, 450),
    ]
    f = BusinessLicenceExtractor().extract([page(segs)])
    v = {k: x.value for k, x in f.items()}
    assert v["registration_number"] == "440301107241359"
    assert f["registration_number"].confidence >= 0.95  # GS15 check digit holds
    assert "credit_code" not in v
    assert v["company_name"] == "深圳市某某电子有限公司"
    assert v["established_on"] == "2013-05-06"


def test_credit_code_checksum_governs_confidence():
    bad = CODE[:-1] + ("E" if CODE[-1] != "E" else "F")
    segs = [seg("统一社会信用代码", 200, 450), seg(bad, 620, 450), seg("营业执照", 480, 300)]
    f = BusinessLicenceExtractor().extract([page(segs)])
    assert f["credit_code"].confidence <= 0.5
    # an O for a 0 in the region code is repaired, but not trusted blindly
    repaired = CODE[:4] + "O" + CODE[5:]
    f = BusinessLicenceExtractor().extract([page([seg("统一社会信用代码", 200, 450), seg(repaired, 620, 450)])])
    assert f["credit_code"].value == CODE and 0.5 < f["credit_code"].confidence < 0.9


def test_future_dates_are_doubted():
    segs = one_column()
    segs = [s if "2016年05月18日" != s.text else seg("2061年05月18日", 420, 800) for s in segs]
    f = BusinessLicenceExtractor().extract([page(segs)])
    assert f["established_on"].confidence <= 0.5


def test_text_layer_licence_is_confident():
    f = BusinessLicenceExtractor().extract([page(one_column(), Method.TEXT_LAYER)])
    assert f["company_name"].confidence >= 0.95
    assert f["credit_code"].confidence >= 0.98


def test_odd_pages_never_raise():
    X = BusinessLicenceExtractor()
    assert X.extract([]) == {}
    X.extract([page([seg("营业执照", 0, 0), seg("名称", 0, 40), seg("营业期限至", 0, 80), seg("登记机关", 0, 120)])])


def test_score_page():
    assert score_page("营业执照 统一社会信用代码 名称 法定代表人 注册资本 成立日期 营业期限 经营范围 登记机关") > 0.9
    assert score_page("增值税专用发票 价税合计") < 0.2


def test_thirteen_digit_registration_number_is_read_but_not_vouched_for():
    # Regression from the real licences: pre-2007 licences print 13-digit 注册号
    # (no check digit); they were dropped as not 15 digits.
    segs = [
        seg("企业法人营业执照", 400, 200, cw=50, h=50),
        seg("注册号", 200, 300), seg("1402003901234", 340, 300),
        seg("名称", 200, 350), seg("大同市某某装饰材料经销部", 340, 350),
    ]
    f = BusinessLicenceExtractor().extract([page(segs)])
    assert f["registration_number"].value == "1402003901234"
    assert f["registration_number"].confidence < 0.9


# --- issue 3: a printed code failing its checksum must reach the checksum rule ------

BAD = CODE[:-1] + ("E" if CODE[-1] != "E" else "F")  # the check character misprinted


def _without_code_label(code: str) -> list[Segment]:
    return [s if s.text != CODE else seg(code, 620, 450)
            for s in one_column() if s.text != "统一社会信用代码"]


def test_failing_code_is_kept_when_its_label_was_not_read():
    f = BusinessLicenceExtractor().extract([page(_without_code_label(BAD))])
    assert f["credit_code"].value == BAD
    assert f["credit_code"].bbox is not None and f["credit_code"].page == 1  # its evidence
    assert f["credit_code"].confidence <= 0.5  # never trusted: the clerk looks
    # text layer: the characters are exact, but a failing code still is not trusted
    f = BusinessLicenceExtractor().extract([page(_without_code_label(BAD), Method.TEXT_LAYER)])
    assert f["credit_code"].value == BAD and f["credit_code"].confidence < 0.9


def test_failing_code_under_its_label_beside_a_tall_title():
    """From the yichun-2023/licence_bad_checksum bundle: the title 营业执照 shares the
    label's row and reaches below it, so the row under the label was the label's own."""
    segs = [seg("统一社会信用代码", 164, 302, cw=24, h=32), seg("营业执照", 524, 272, cw=178, h=155),
            seg(BAD, 165, 344, cw=14, h=25)] + one_column()[4:]
    f = BusinessLicenceExtractor().extract([page(segs)])
    assert f["credit_code"].value == BAD and f["credit_code"].confidence <= 0.5


def test_failing_runs_elsewhere_are_not_taken_for_the_code():
    segs = _without_code_label("")  # no code printed at all
    segs = [s for s in segs if s.text]
    # an 18-character run inside the business scope, and one that is not shaped like a code
    segs += [seg("编号：00000000000000000A", 200, 1000), seg("ABCDEFGHJKLMNPQRTU", 620, 450)]
    f = BusinessLicenceExtractor().extract([page(segs)])
    assert "credit_code" not in f
