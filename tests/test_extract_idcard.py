"""Identity card extraction (synthetic, fictitious number with a valid check digit)."""

from __future__ import annotations

import logging

from intake.model import Method, Page, Quality, Segment

from extractors.id_card import IdCardExtractor, score_page

NUMBER = "110101199003071233"


def seg(text: str, x: int, y: int, conf: float = 0.99, cw: int = 24, h: int = 30) -> Segment:
    return Segment(text, (x, y, x + cw * len(text), y + h), conf)


def front(number: str = NUMBER) -> Page:
    segs = [
        seg("姓名", 40, 40), seg("张三", 120, 40),
        seg("性别", 40, 90), seg("男", 120, 90), seg("民族", 200, 90), seg("汉", 280, 90),
        seg("出生", 40, 140), seg("1990年3月7日", 120, 140),
        seg("住址", 40, 190), seg("北京市东城区某某胡同1号", 120, 190),
        seg("公民身份号码", 40, 300), seg(number, 260, 300),
    ]
    return Page("id.jpg", 1, 900, 560, 300, segs, Method.RAPIDOCR, Quality())


def test_front_side(caplog):
    with caplog.at_level(logging.DEBUG):
        f = IdCardExtractor().extract([front()])
    assert f["name"].value == "张三" and f["name"].confidence < 0.9
    assert f["id_number"].value == NUMBER and f["id_number"].confidence >= 0.95
    assert NUMBER not in caplog.text


def test_bad_check_digit_is_not_confident():
    f = IdCardExtractor().extract([front(NUMBER[:-1] + "7")])
    assert f["id_number"].confidence <= 0.5


def test_x_check_character_read_as_lowercase():
    # 11010519491231002X is the standard's own example number
    f = IdCardExtractor().extract([front("11010519491231002x")])
    assert f["id_number"].value == "11010519491231002X" and f["id_number"].confidence >= 0.95


def test_odd_pages_never_raise():
    assert IdCardExtractor().extract([]) == {}
    IdCardExtractor().extract([Page("x", 1, 10, 10, 300, [seg("姓名", 0, 0)], Method.RAPIDOCR, Quality())])


def test_score_page():
    assert score_page("姓名 性别 民族 出生 住址 公民身份号码 " + NUMBER) > 0.9
    assert score_page("营业执照") == 0.0
