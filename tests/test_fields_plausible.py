"""Which company names are plausible enough to be raised towards confident."""

from __future__ import annotations

import pytest

from extractors.fields import plausible_name


@pytest.mark.parametrize(
    "name",
    ["河北云帆信息技术有限公司", "北京康信信息科技（集团）股份有限公司", "深圳市甲乙网络有限公司"],
)
def test_whole_names_are_plausible(name: str) -> None:
    assert plausible_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "南通有限公司",  # regression: a blurred licence read this way at 0.92
        "同市宏达有限公司",  # the place name lost its first character
        "名称有限公司",
    ],
)
def test_fragments_are_not(name: str) -> None:
    assert not plausible_name(name)


def test_tesseract_values_need_an_agreement_to_be_confident() -> None:
    from extractors.fields import Evidence, Kind, confidence
    from intake.model import Method

    alone = confidence(0.99, Method.TESSERACT, Kind.CODE, Evidence(checksum=True))
    vouched = Evidence(checksum=True)
    vouched.agrees("qr")
    assert alone < 0.9
    assert confidence(0.99, Method.TESSERACT, Kind.CODE, vouched) >= 0.9
    assert confidence(0.99, Method.RAPIDOCR, Kind.CODE, Evidence(checksum=True)) >= 0.9
