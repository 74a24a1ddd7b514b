"""Two licences on one image (0526: a 副本 lying on its 正本, printed at half the
size): told apart, cut into one page each, and read without mixing their values."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.business_licence import BusinessLicenceExtractor
from extractors.licence_split import licences_on_page, split_licences
from extractors.layout import Layout
from intake.model import Method, Page, Quality, Segment


def seg(text: str, x: float, y: float, scale: float = 1.0, conf: float = 0.99) -> Segment:
    cw, h = 24 * scale, 30 * scale
    return Segment(text, (int(x), int(y), int(x + cw * len(text)), int(y + h)), conf)


def page(segments: list[Segment]) -> Page:
    return Page("two.jpg", 1, 2400, 2400, 300, segments, Method.RAPIDOCR, Quality())


def licence(x: float, y: float, scale: float, name: str, number: str, legal: str, day: str) -> list[Segment]:
    def at(text: str, col: float, row: int) -> Segment:
        return seg(text, x + col * scale, y + row * 45 * scale, scale)

    return [
        at("营业执照", 200, 0),
        at("注册号", 0, 2), at(number, 140, 2),
        at("名称", 0, 3), at(name, 140, 3),
        at("类型", 0, 4), at("有限责任公司", 140, 4),
        at("法定代表人", 0, 5), at(legal, 140, 5),
        at("注册资本", 0, 6), at("人民币壹佰万元整", 140, 6),
        at("成立日期", 0, 7), at(day, 140, 7),
    ]


A = ("深圳市甲某电子有限公司", "440301107241359", "张三", "2013年05月06日")
B = ("深圳市乙某电子有限公司", "440301108725960", "李四", "2014年01月20日")


def test_one_licence_is_not_split() -> None:
    p = page(licence(100, 100, 1.0, *A))
    assert licences_on_page(Layout.of(p)) == 1
    assert split_licences(p) == [p]


def test_small_copy_above_its_original_is_cut_out() -> None:
    small = licence(400, 40, 0.5, *B)  # the 副本, half size, upper right
    big = licence(100, 400, 1.0, *A)  # the 正本 below
    p = page(small + big)
    assert licences_on_page(Layout.of(p)) == 2
    parts = split_licences(p)
    assert len(parts) == 2
    texts = [{s.text for s in q.segments} for q in parts]
    assert {A[0], A[2]} <= texts[0] | texts[1]
    for t in texts:  # never a value of each licence on one part
        assert not ({A[0], B[0]} <= t or {A[2], B[2]} <= t)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 800), st.floats(0, 300), st.sampled_from([0.5, 0.7, 1.0]), st.booleans())
def test_two_licences_are_read_apart(dx: float, dy: float, scale: float, side_by_side: bool) -> None:
    first = licence(50 + dx * 0.1, 50 + dy * 0.1, scale, *B)
    second = licence(1200 + dx, 60 + dy, 1.0, *A) if side_by_side else licence(60 + dx, 900 + dy, 1.0, *A)
    f = BusinessLicenceExtractor().extract([page(first + second)])
    values = {k: v.value for k, v in f.items()}
    # one licence's values, never a mix; and none of them confident
    mine = [x for x in (A, B) if values.get("company_name") == x[0]]
    assert mine, values
    want = mine[0]
    assert values.get("registration_number") in (None, want[1])
    assert values.get("legal_representative") in (None, want[2])
    assert all(v.confidence <= 0.8 for v in f.values())
