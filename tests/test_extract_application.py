"""Application form (申报表 / 兑付申请表) extraction on a synthetic table."""

from __future__ import annotations

from intake.model import Method, Page, Quality, Segment

from extractors.application_form import ApplicationFormExtractor, score_page

CODE = "91440300MA5F0ABC5R"


def seg(text: str, x: int, y: int, conf: float = 0.99, cw: int = 22, h: int = 28) -> Segment:
    return Segment(text, (x, y, x + cw * len(text), y + h), conf)


def form(total: str = "30000.00") -> list[Segment]:
    return [
        seg("上云服务券兑付申请表", 500, 40, cw=40, h=40),
        seg("申请单位名称", 60, 120), seg("深圳市某某云科技有限公司", 300, 120),
        seg("统一社会信用代码", 900, 120), seg(CODE, 1100, 120),
        seg("服务商名称", 60, 170), seg("某某云计算有限公司", 300, 170),
        seg("合同金额（万元）", 60, 220), seg("12", 300, 220), seg("申请兑付金额", 900, 220), seg("30000.00", 1100, 220),
        seg("序号", 60, 300), seg("企业名称", 160, 300), seg("服务内容", 500, 300), seg("合同期限", 760, 300),
        seg("合同金额", 1060, 300), seg("兑付金额", 1300, 300),
        seg("1", 70, 350), seg("甲某科技有限公司", 160, 350), seg("云主机、云存储", 500, 350),
        seg("2018.06.01-2019.05.31", 760, 350, cw=12), seg("100,000.00", 1060, 350, cw=12), seg("20,000.00", 1300, 350, cw=12),
        seg("2", 70, 400), seg("乙某网络有限公司", 160, 400), seg("云数据库", 500, 400),
        seg("2018.07.01-2019.06.30", 760, 400, cw=12), seg("50,000.00", 1060, 400, cw=12), seg("10,000.00", 1300, 400, cw=12),
        seg("合计", 70, 450), seg("150,000.00", 1060, 450, cw=12), seg(total, 1300, 450, cw=12),
        seg("申请单位（盖章）", 60, 600),
    ]


def page(segments, method=Method.RAPIDOCR) -> Page:
    return Page("a.png", 1, 1600, 900, 300, segments, method, Quality())


def test_form_fields_and_rows():
    f = ApplicationFormExtractor().extract([page(form())])
    v = {k: x.value for k, x in f.items()}
    assert v["company_name"] == "深圳市某某云科技有限公司"
    assert v["credit_code"] == CODE and f["credit_code"].confidence >= 0.95
    assert v["provider_name"] == "某某云计算有限公司"
    assert v["contract_amount"] == "120000.00"  # 万元 in the label
    assert v["requested_amount"] == "30000.00"
    assert v["total_payout"] == "30000.00"
    assert v["rows"] == [
        {"company_name": "甲某科技有限公司", "services": "云主机、云存储", "contract_term": "2018-06-01至2019-05-31",
         "contract_amount": "100000.00", "payout_amount": "20000.00"},
        {"company_name": "乙某网络有限公司", "services": "云数据库", "contract_term": "2018-07-01至2019-06-30",
         "contract_amount": "50000.00", "payout_amount": "10000.00"},
    ]
    # rows add up to the total, which equals the request
    assert f["total_payout"].confidence >= 0.95 and f["requested_amount"].confidence >= 0.95


def test_total_not_matching_rows_is_doubted():
    f = ApplicationFormExtractor().extract([page(form(total="31000.00"))])
    assert f["total_payout"].confidence <= 0.5


def test_odd_pages_never_raise():
    X = ApplicationFormExtractor()
    assert X.extract([]) == {}
    X.extract([page([seg("企业名称", 0, 0), seg("服务内容", 300, 0), seg("兑付金额", 600, 0), seg("合计", 0, 40)])])


def test_score_page():
    assert score_page("兑付申请表 申请单位 服务商 申请金额 兑付金额") > 0.9
    assert score_page("营业执照") == 0.0
