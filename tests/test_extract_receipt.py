"""Bank receipt extraction on synthetic pages (two common layouts)."""

from __future__ import annotations

from intake.model import Method, Page, Quality, Segment

from extractors.payment_receipt import PaymentReceiptExtractor, score_page


def seg(text: str, x: int, y: int, conf: float = 0.99, cw: int = 24, h: int = 30) -> Segment:
    return Segment(text, (x, y, x + cw * len(text), y + h), conf)


def page(segments: list[Segment], method: Method = Method.RAPIDOCR) -> Page:
    return Page("r.png", 1, 1600, 1000, 300, segments, method, Quality())


def two_blocks() -> list[Segment]:
    """An 电子回单: payer and payee blocks side by side, same labels in both,
    headers printed one character per line."""
    return [
        seg("中国某某银行网上银行电子回单", 400, 40, cw=36, h=40),
        seg("电子回单号码：", 60, 110), seg("0012345678", 240, 110),
        seg("付", 60, 160), seg("款", 60, 200), seg("人", 60, 240),
        seg("户名", 110, 160), seg("深圳市甲乙网络有限公司", 230, 160),
        seg("账号", 110, 200), seg("4000 0247 0920 0172 809", 230, 200),
        seg("开户银行", 110, 240), seg("某某银行深圳园岭支行", 230, 240),
        seg("收", 800, 160), seg("款", 800, 200), seg("人", 800, 240),
        seg("户名", 850, 160), seg("广州某某云计算有限公司", 970, 160),
        seg("账号", 850, 200), seg("3602000919200384952", 970, 200),
        seg("开户银行", 850, 240), seg("某某银行北京路支行", 970, 240),
        seg("金额", 60, 300), seg("人民币（大写）：叁仟肆佰玖拾伍元整", 230, 300), seg("¥3,495.00元", 900, 300),
        seg("摘要", 60, 350), seg("云服务费", 230, 350), seg("用途", 800, 350), seg("上云服务费", 970, 350),
        seg("交易流水号", 60, 400), seg("HQ20180502000123", 230, 400),
        seg("交易日期", 800, 400), seg("2018-05-02", 970, 400),
    ]


def test_two_block_receipt():
    f = PaymentReceiptExtractor().extract([page(two_blocks())])
    v = {k: x.value for k, x in f.items()}
    assert v["payer_name"] == "深圳市甲乙网络有限公司"
    assert v["payee_name"] == "广州某某云计算有限公司"
    assert v["payer_account"] == "4000024709200172809"
    assert v["payee_account"] == "3602000919200384952"
    assert v["amount"] == "3495.00"
    assert f["amount"].confidence >= 0.95  # 大写 agrees
    assert v["paid_on"] == "2018-05-02"
    assert v["serial_number"] == "HQ20180502000123"
    # 用途 (what the money is for) is preferred over 摘要 (the bank's summary)
    assert v["purpose"] == "上云服务费"
    assert v["bank"] == "中国某某银行"


def test_qualified_labels_on_one_line():
    segs = [
        seg("某某银行业务回单（付款）", 400, 40),
        seg("付款人名称：甲公司深圳分公司", 60, 120), seg("收款人名称：乙科技有限公司", 800, 120),
        seg("付款人账号：6222 0000 1111 2222", 60, 170), seg("收款人账号：6217 3333 4444 5555", 800, 170),
        seg("小写金额：50,000.00", 60, 220), seg("大写金额：伍万元整", 800, 220),
        seg("记账日期：2018年06月01日", 60, 270), seg("凭证号：88776655", 800, 270),
        seg("附言：云服务合同首付款", 60, 320),
    ]
    f = PaymentReceiptExtractor().extract([page(segs)])
    v = {k: x.value for k, x in f.items()}
    assert v["payer_name"] == "甲公司深圳分公司" and v["payee_name"] == "乙科技有限公司"
    assert v["payer_account"] == "6222000011112222" and v["payee_account"] == "6217333344445555"
    assert v["amount"] == "50000.00" and f["amount"].confidence >= 0.95
    assert v["paid_on"] == "2018-06-01"
    assert v["serial_number"] == "88776655"
    assert v["purpose"] == "云服务合同首付款"
    assert v["bank"] == "某某银行"


def test_words_disagreeing_with_figures_lower_confidence():
    segs = [s if not s.text.startswith("¥") else seg("¥3,405.00元", 900, 300) for s in two_blocks()]
    f = PaymentReceiptExtractor().extract([page(segs)])
    assert f["amount"].value == "3405.00" and f["amount"].confidence <= 0.5


def test_odd_pages_never_raise():
    X = PaymentReceiptExtractor()
    assert X.extract([]) == {}
    X.extract([page([seg("回单", 0, 0), seg("户名", 0, 40), seg("金额", 0, 80), seg("¥", 40, 80)])])


def test_score_page():
    assert score_page("中国工商银行 电子回单 付款人 收款人 户名 账号 交易流水号 用途") > 0.9
    assert score_page("增值税专用发票 价税合计 收款人") < 0.3
