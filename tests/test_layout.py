"""Layout geometry on synthetic segments: rows, labels, values, regions."""

from __future__ import annotations

from extractors.layout import Layout, approx_find, assign_sides, group_rows, key_of
from intake.model import Segment

CH = 20  # character width and line height of these synthetic pages


def seg(text: str, x: int, y: int, conf: float = 0.99, h: int = CH) -> Segment:
    return Segment(text, (x, y, x + CH * len(text), y + h), conf)


def test_rows_tolerate_skew():
    # a line drifting 12 px over 900 px, a second line below it
    segs = [seg("名称：", 0, 100), seg("深圳市某某有限公司", 300, 106), seg("备注", 900, 112), seg("地址", 0, 140)]
    rows, verticals = group_rows(segs)
    assert [r.key for r in rows] == ["名称:深圳市某某有限公司备注", "地址"]
    assert verticals == []


def test_vertical_header_kept_out_of_rows():
    tall = Segment("购买方", (0, 100, 22, 190), 0.99)
    rows, verticals = group_rows([tall, seg("名称：甲公司", 40, 100), seg("纳税人识别号：", 40, 130)])
    assert verticals == [tall]
    assert len(rows) == 2
    assert Layout([tall, seg("名称", 40, 100), seg("地址", 40, 130), seg("x", 40, 160)]).find_vertical("购买方")


def test_label_glued_to_value():
    L = Layout([seg("名称：深圳市某某科技有限公司", 0, 0)])
    hit = L.find_one(["名称"])
    value = L.value_right(hit)
    assert value.text == "深圳市某某科技有限公司"
    # the value's box is the part of the segment after the label
    assert value.bbox[0] == 3 * CH and value.bbox[2] == 14 * CH


def test_label_spaced_and_split_over_segments():
    L = Layout([seg("名", 0, 0), seg("称", 80, 0), seg("：", 100, 0), seg("甲乙丙有限公司", 160, 0)])
    hit = L.find_one(["名称"])
    assert hit is not None and hit.exact
    assert L.value_right(hit).text == "甲乙丙有限公司"
    # ideographic spaces inside one segment
    L2 = Layout([seg("名\u3000\u3000称 甲乙丙有限公司", 0, 0)])
    assert L2.value_right(L2.find_one(["名称"])).text == "甲乙丙有限公司"


def test_fuzzy_label_only_for_long_aliases():
    L = Layout([seg("纳税人识剔号：91440101664041243T", 0, 0), seg("名秤：乙公司", 0, 40)])
    hit = L.find_one(["纳税人识别号"])
    assert hit is not None and hit.edits == 1
    assert L.find(["名称"]) == []  # two characters: exact or nothing


def test_traditional_and_fullwidth_labels_match():
    L = Layout([seg("統一社會信用代碼：９１４４０１０１６６４０４１２４３Ｔ", 0, 0)])
    hit = L.find_one(["统一社会信用代码"])
    assert hit is not None and hit.exact
    assert key_of(L.value_right(hit).text) == "91440101664041243T"


def test_value_stops_at_gap_and_at_stop_label():
    L = Layout([seg("名称：", 0, 0), seg("甲公司", 70, 0), seg("密码区乱码", 800, 0)])
    assert L.value_right(L.find_one(["名称"])).text == "甲公司"
    L2 = Layout([seg("名称：甲公司注册资本：100万元", 0, 0)])
    assert L2.value_right(L2.find_one(["名称"]), stop=["注册资本"]).text == "甲公司"
    # the next label right after: no value at all
    L3 = Layout([seg("名称", 0, 0), seg("注册资本100万元", 60, 0)])
    assert not L3.value_right(L3.find_one(["名称"]), stop=["注册资本"])


def test_value_below_and_continuation():
    L = Layout([seg("统一社会信用代码", 0, 0), seg("91440101664041243T", 0, 30)])
    assert key_of(L.value_below(L.find_one(["统一社会信用代码"])).text) == "91440101664041243T"
    L2 = Layout(
        [seg("住所", 0, 0), seg("广东省深圳市南山区某某路", 80, 0), seg("1号2栋301室", 80, 24), seg("法定代表人", 0, 48), seg("张三", 120, 48)]
    )
    first = L2.value_right(L2.find_one(["住所"]))
    full = L2.continuation(first, stop=["法定代表人"])
    assert full.text.replace(" ", "") == "广东省深圳市南山区某某路1号2栋301室"


def test_within_region_and_sides():
    segs = [
        seg("名称：甲公司", 40, 0),
        seg("名称：乙公司", 640, 0),
        Segment("购买方", (0, 0, 22, 90), 0.99),
        Segment("销售方", (600, 0, 622, 90), 0.99),
    ]
    L = Layout(segs)
    hits = L.find(["名称"])
    sides = assign_sides(hits, L.find_vertical("购买方"), L.find_vertical("销售方"))
    by_side = {side: L.value_right(h, stop=["名称"]).text for h, side in sides}
    assert by_side == {0: "甲公司", 1: "乙公司"}
    right = L.within((600, 0, 1200, 100))
    assert [r.key for r in right.rows] == ["名称:乙公司"]


def test_search_spans_map_back_to_characters():
    L = Layout([seg("开票日期：2016年06月12日", 0, 0)])
    (m, span), = L.search(r"\d{4}年\d{2}月\d{2}日")
    assert span.text == "2016年06月12日"
    assert span.bbox[0] == 5 * CH


def test_approx_find():
    assert approx_find("纳税人识别号", "名称纳税人识剔号:1", 1) == [(2, 8, 1)]
    assert approx_find("名称", "名称:x名称", 0) == [(0, 2, 0), (4, 6, 0)]
    assert approx_find("abc", "", 1) == []


def test_empty_and_odd_input_never_raises():
    L = Layout([])
    assert L.find(["名称"]) == [] and L.rows == []
    L = Layout([Segment("", (0, 0, 0, 0), 0.0), Segment("   ", (5, 5, 5, 5), 0.5)])
    assert L.find(["名称"]) == []
