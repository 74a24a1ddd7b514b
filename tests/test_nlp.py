"""The contract reader's language layer: reading text and the spaCy pipeline."""

from __future__ import annotations

import re

from extractors.nlp import ReadingText, contract_nlp, load_patterns
from intake.model import Method, Page, Quality, Segment


def make_page(rows: list[str | tuple[tuple[str, int], ...]], *, number: int = 1, width: int = 2480,
              method: Method = Method.TEXT_LAYER) -> Page:
    segs: list[Segment] = []
    for i, row in enumerate(rows):
        items = ((row, 200),) if isinstance(row, str) else row
        for text, x in items:
            segs.append(Segment(text, (x, 100 + 60 * i, x + 40 * len(text), 140 + 60 * i), 0.9))
    return Page("c.pdf", number, width, 3508, 300, segs, method, Quality())


def ents(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in contract_nlp()(text).ents]


def shapes(text: str, label: str) -> list[str]:
    doc = contract_nlp()(text)  # keep the Doc alive while its span groups are read
    return [s.text for s in doc.spans["shapes"] if s.label_ == label]


# --------------------------------------------------------------------------- pipeline


def test_pipeline_is_blank_zh_with_char_segmenter_built_once() -> None:
    nlp = contract_nlp()
    assert nlp is contract_nlp()
    assert nlp.lang == "zh"
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "char"
    assert nlp.pipe_names == ["cue_ruler", "docintake_shapes", "docintake_party_labels"]


def test_patterns_are_data_and_compile() -> None:
    data = load_patterns()
    for spec in data["shapes"]:
        if "regex" in spec:
            re.compile(spec["regex"])
    labels = {g["label"] for g in data["cues"]}
    assert {"ROLE_A", "ROLE_B", "CUE_TOTAL", "CUE_CLOUD", "CUE_ANNUAL", "SERVICE"} <= labels


def test_cues_and_shapes_in_a_sentence() -> None:
    found = ents("本合同总金额为人民币壹拾贰万元整(¥120,000.00),其中上云上平台费用为人民币100,000.00元.")
    assert ("合同总金额", "CUE_TOTAL") in found
    assert ("壹拾贰万元整", "MONEY_UPPER") in found
    assert ("¥120,000.00", "MONEY") in found
    assert ("上云上平台费用", "CUE_CLOUD") in found
    assert ("人民币100,000.00元", "MONEY") in found


def test_org_stops_at_cues_and_prose() -> None:
    assert shapes("甲方河北某某科技有限公司乙方北京某某云计算有限公司", "ORG") == [
        "河北某某科技有限公司", "北京某某云计算有限公司"]
    assert shapes("本合同由河北某某科技有限公司与北京某某云计算有限公司签订", "ORG") == [
        "河北某某科技有限公司", "北京某某云计算有限公司"]
    assert shapes("名称:河北某某科技有限公司地址:石家庄市", "ORG") == ["河北某某科技有限公司"]


def test_org_glues_group_and_branch_names_and_drops_generic_words() -> None:
    assert shapes("甲方:河北某某集团有限公司", "ORG") == ["河北某某集团有限公司"]
    assert shapes("甲方:河北数据中心科技有限公司", "ORG") == ["河北数据中心科技有限公司"]
    assert shapes("乙方:某某云计算有限公司石家庄分公司", "ORG") == ["某某云计算有限公司石家庄分公司"]
    assert shapes("本公司及数据中心", "ORG") == []


def test_money_needs_a_currency_mark() -> None:
    assert shapes("云服务器ECS4核8G10台", "MONEY") == []
    assert shapes("日期2018.06.01", "MONEY") == []
    assert shapes("金额5万元", "MONEY") == ["5万元"]
    assert shapes("合计:RMB3,000", "MONEY") == ["RMB3,000"]


def test_dates_periods_and_durations() -> None:
    doc = contract_nlp()("服务期限自2018年6月1日起至2019年5月31日止.签订日期:二O一八年五月二日.为期一年")
    dates = [s.text for s in doc.spans["shapes"] if s.label_ == "DATE"]
    assert dates == ["2018年6月1日", "2019年5月31日", "二O一八年五月二日"]
    assert [s.text for s in doc.spans["composites"]] == ["自2018年6月1日起至2019年5月31日止"]
    assert [s.text for s in doc.spans["shapes"] if s.label_ == "DURATION"] == ["一年"]


def test_credit_code_and_contract_number_shapes() -> None:
    assert shapes("统一社会信用代码:911301006612345687", "CREDIT_CODE") == ["911301006612345687"]
    assert shapes("合同编号:HB-2018-001.", "CONTRACT_NO") == ["HB-2018-001"]
    assert shapes("型号HB-2018-001", "CONTRACT_NO") == []  # only after a number cue


def test_party_label_constructs() -> None:
    doc = contract_nlp()(
        "甲方(委托方):A某某科技有限公司\n委托方(甲方)B\n乙方(盖章):\n甲方名称:C\n"
        "北京某某云服务有限公司(以下简称\"乙方\")\n甲方应当付款"
    )
    found = [(s.text, s.label_) for s in doc.spans["party_labels"]]
    assert ("甲方(委托方):", "LABEL") in found
    assert ("委托方(甲方)", "LABEL") in found
    assert ("乙方(盖章):", "LABEL") in found
    assert ("甲方名称:", "LABEL") in found
    assert ('北京某某云服务有限公司(以下简称"乙方', "ALIAS") in found
    assert all("应当" not in t for t, _ in found)  # 甲方 in prose is no label


def test_services_gazetteer_is_case_insensitive() -> None:
    assert ("ecs", "SERVICE") in ents("云主机ecs")
    assert ("对象存储OSS", "SERVICE") in ents("2.对象存储OSS500GB")


def test_odd_text_does_not_break_the_pipeline() -> None:
    for text in ["", "\n\n", "\x00\x00", "(((((((", "甲方" * 500, "¥" * 100, "1" * 5000]:
        doc = contract_nlp()(text)
        assert doc.text == text


# --------------------------------------------------------------------------- reading text


def test_reading_text_is_simplified_folded_and_compact_with_raw_kept() -> None:
    rt = ReadingText([make_page(["甲方（委託方）：廣州市 某某 製造有限公司"])])
    assert rt.text == "甲方(委托方):广州市某某制造有限公司"
    start = rt.text.index("广州")
    sp = rt.span(start, len(rt.text))
    assert sp is not None
    assert sp.text == "廣州市 某某 製造有限公司"
    assert sp.page == 1
    assert sp.bbox[0] == 200 + 40 * 8 and sp.bbox[2] == 200 + 40 * 21  # 21 characters, spaces too


def test_wrapped_lines_are_joined_and_short_ones_are_not() -> None:
    rt = ReadingText([make_page([
        "本合同总金额为人民币壹拾贰万元整,服务期限自2018年",  # reaches the margin, no stop
        "6月1日起至2019年5月31日止。",
        "甲方：河北某某科技有限公司",
        "乙方：北京某某云计算有限公司",
    ])])
    assert "服务期限自2018年6月1日起" in rt.text
    assert "有限公司\n乙方" in rt.text
    assert rt.line_count == 3


def test_pinyin_artefacts_are_dropped() -> None:
    rt = ReadingText([make_page(["廣東省工業(yè)企業(yè)上雲上平臺"])])
    assert rt.text == "广东省工业企业上云上平台"
    sp = rt.span(0, len(rt.text))
    assert sp is not None and sp.text == "廣東省工業(yè)企業(yè)上雲上平臺"


def test_pages_are_separated_and_spans_stay_on_one_page() -> None:
    rt = ReadingText([make_page(["第一页甲方"]), make_page(["乙方第二页"], number=2)])
    assert rt.text == "第一页甲方\n乙方第二页"
    sp = rt.span(0, len(rt.text))
    assert sp is not None and sp.page == 1  # cut at the page break
    second = rt.span(rt.text.index("乙方"), len(rt.text))
    assert second is not None and second.page == 2
    assert rt.method_at(0) == "text_layer"


def test_segments_on_one_row_are_read_left_to_right() -> None:
    rt = ReadingText([make_page([(("乙方（盖章）", 1400), ("甲方（盖章）", 200))])])
    assert rt.text == "甲方(盖章)乙方(盖章)"
    x = rt.x_share(rt.text.index("乙方"), len(rt.text))
    assert x is not None and x > 0.5


def test_lone_surrogates_do_not_break_reading() -> None:
    rt = ReadingText([make_page(["甲方\ud800某某"])])
    assert rt.text == "甲方\ufffd某某"
