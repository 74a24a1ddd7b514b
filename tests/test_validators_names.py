"""Names compared as a clerk compares them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validators.names import NameMatch, compare_names
from validators.parties import Party, match_parties


@pytest.mark.parametrize("a,b,match", [
    ("河北盛联建材有限公司", "河北盛联建材有限公司", NameMatch.SAME),
    ("河北盛聯建材有限公司", "河北盛联建材有限公司", NameMatch.SAME),  # traditional
    ("云帆数据科技(河北)有限公司", "云帆数据科技（河北）有限公司", NameMatch.SAME),  # brackets
    ("名称：河北盛联建材有限公司 ", "河北盛联建材有限公司", NameMatch.SAME),  # label and space
    ("ＡＢＣ科技有限公司", "ABC科技有限公司", NameMatch.SAME),  # width
    ("河北盛联建材公司", "河北盛联建材有限公司", NameMatch.NEAR),  # 有限 dropped
    ("河北盛联建材股份有限公司", "河北盛联建材有限公司", NameMatch.NEAR),  # 股份
    ("河北盛联建材有限责任公司", "河北盛联建材有限公司", NameMatch.NEAR),
    ("石家庄云帆数据料技有限公司", "石家庄云帆数据科技有限公司", NameMatch.NEAR),  # OCR confusable
    ("河北己联建材有限公司", "河北已联建材有限公司", NameMatch.NEAR),
    ("河北盛联建材有限公司", "河北华联建材有限公司", NameMatch.DIFFERENT),  # one char, not confusable
    ("北京星河云服务股份有限公司", "石家庄云帆数据科技有限公司", NameMatch.DIFFERENT),
    ("", "石家庄云帆数据科技有限公司", NameMatch.UNKNOWN),
    ("：", "x", NameMatch.UNKNOWN),
])
def test_compare(a: str, b: str, match: NameMatch) -> None:
    assert compare_names(a, b).match is match


def test_near_gives_reasons_in_both_languages() -> None:
    cmp = compare_names("河北盛联建材公司", "河北盛联建材有限公司")
    assert "有限" in cmp.reason_zh and "legal-form" in cmp.reason_en


@given(st.text(min_size=1, max_size=30))
def test_a_name_is_itself_unless_it_is_empty(name: str) -> None:
    assert compare_names(name, name).match in (NameMatch.SAME, NameMatch.UNKNOWN)


@given(st.text(max_size=20), st.text(max_size=20))
def test_symmetric(a: str, b: str) -> None:
    assert compare_names(a, b).match is compare_names(b, a).match


def test_codes_decide_when_both_are_valid() -> None:
    a = Party("甲", "a", "河北盛联建材有限公司", "91131000453331478A")
    b = Party("乙", "b", "河北盛联建材有限公司", "91440305572253919U")
    assert match_parties(a, b).match is NameMatch.DIFFERENT and match_parties(a, b).by_code
    c = Party("丙", "c", "河北盛联建材有限公司", "91131000453331478B")  # fails its checksum: names decide
    assert match_parties(c, b).match is NameMatch.SAME and not match_parties(c, b).by_code
