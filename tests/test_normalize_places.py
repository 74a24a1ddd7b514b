"""The gazetteer of administrative divisions and the repairs built on it."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.iso7064 import mod_11_10

from extractors.normalize.places import (
    codes_related,
    division_codes,
    division_names,
    find_divisions,
    is_division,
    is_region_code,
    leading_division,
    region_of_number,
    repair_place_prefix,
    repair_registration_number,
    short_forms,
    truncated_place,
)

DATA = Path(__file__).resolve().parent.parent / "extractors" / "data" / "divisions.json"


@lru_cache(maxsize=1)
def _table() -> dict[str, list[str]]:
    return json.loads(DATA.read_text(encoding="utf-8"))["divisions"]


def _all_names() -> list[str]:
    return sorted({n for names in _table().values() for n in names})


def _county_level() -> list[str]:
    return sorted({n for code, names in _table().items() if not code.endswith("00") for n in names if len(n) >= 3})


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
TAIL = st.text(CJK, min_size=2, max_size=8).map(lambda s: s + "有限公司")


def test_data_names_its_sources_and_holds_known_codes() -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(data["sources"]) == 2 and all("licence" not in s or s for s in data["sources"])
    assert 3000 < len(data["divisions"]) < 5000
    # codes printed on real licences (see extractors/data/build_divisions.py)
    assert division_names("140200") == ("大同市",)
    assert division_names("520327") == ("凤冈县",)
    assert set(division_names("420600")) == {"襄樊市", "襄阳市"}  # renamed 2010: both kept
    assert division_codes("深圳市") == frozenset({"440300"})
    assert is_division("凤冈县") and not is_division("凤风县")
    assert is_region_code("110105") and not is_region_code("123456")


def test_codes_related() -> None:
    assert codes_related("520327", "520300") and codes_related("520000", "520327")
    assert not codes_related("520327", "520328") and not codes_related("140200", "150200")


def test_region_of_number() -> None:
    assert region_of_number("1402003901544") == "140200"
    assert region_of_number("91520327MA6DKXW71Q") == "520327"
    assert region_of_number("999999000000000") is None  # no such division
    assert region_of_number("12345") is None


def test_leading_and_found_divisions() -> None:
    assert leading_division("深圳市某某科技有限公司") == ("深圳市", frozenset({"440300"}))
    assert leading_division("北京芭伊妮美容有限公司") is None  # 北京 without 市: a short form
    found = [n for _, _, n, _ in find_divisions("贵州省遵义市凤冈县龙泉镇迎新大道")]
    assert found == ["贵州省", "遵义市", "凤冈县"]


@pytest.mark.parametrize(
    ("read", "context", "codes", "want", "kind", "backed"),
    [
        # the first glyph printed on top of the label: lost
        ("同市金牛市场东方尚品装饰材料经销部", "", (), "大同市金牛市场东方尚品装饰材料经销部", "restored", False),
        # one character misread, the address (itself misread elsewhere) backs it
        ("凤风县友谊广告有限公司", "贵州省通义市风冈县龙泉镇迎新大通", (), "凤冈县友谊广告有限公司", "corrected", True),
        # several provinces end with 南省: the credit code's region part decides
        ("南省中牛机电设备有限公司", "", ("410728",), "河南省中牛机电设备有限公司", "restored", True),
    ],
)
def test_repairs(read: str, context: str, codes: tuple[str, ...], want: str, kind: str, backed: bool) -> None:
    fix = repair_place_prefix(read, region_codes=codes, context=context)
    assert fix is not None
    assert (fix.name, fix.kind, fix.corroborated) == (want, kind, backed)


@pytest.mark.parametrize(
    ("read", "context", "codes"),
    [
        ("凤风县友谊广告有限公司", "", ()),  # 凤冈县 凤凰县 凤山县 … all one away: no answer
        ("南省中牛机电设备有限公司", "", ()),  # 河南 湖南 云南 海南
        ("深圳市某某科技有限公司", "", ()),  # already a division
        ("北京巷伊妮美容有限公司", "", ()),  # no suffix: nothing anchors a repair
        ("景区观光有限公司", "", ()),  # one-character stem: 城区 矿区 郊区 … never corrected
        ("临平区某某有限公司", "杭州市临平区某路1号", ()),  # the address prints it as read: trusted
    ],
)
def test_no_repair(read: str, context: str, codes: tuple[str, ...]) -> None:
    assert repair_place_prefix(read, region_codes=codes, context=context) is None


@given(st.sampled_from(_all_names()), TAIL)
def test_a_name_starting_with_a_division_is_left_alone(place: str, tail: str) -> None:
    assert repair_place_prefix(place + tail) is None


@given(st.text(max_size=40), st.lists(st.text("0123456789", min_size=6, max_size=6), max_size=3), st.text(max_size=40))
def test_never_raises_and_only_touches_the_prefix(name: str, codes: list[str], context: str) -> None:
    fix = repair_place_prefix(name, region_codes=codes, context=context)
    if fix is not None:
        assert name.startswith(fix.before)
        assert fix.name == fix.after + name[len(fix.before) :]
        assert is_division(fix.after)
        # idempotent: the repaired name starts with a division, so nothing more to do
        assert repair_place_prefix(fix.name, region_codes=codes, context=context) is None


@settings(max_examples=300)
@given(st.sampled_from(_county_level()), TAIL, st.integers(1, 2))
def test_lost_head_restored_right_or_not_at_all(place: str, tail: str, lost: int) -> None:
    read = place[lost:] + tail
    assume(len(place) - lost >= 2 and leading_division(read) is None)
    fix = repair_place_prefix(read)
    if fix is not None and fix.before == place[lost:]:
        # restored only when a single division one or two characters longer ends
        # that way: then it is this one
        head = place[lost:]
        others = {n for n in _all_names() if n.endswith(head) and 0 < len(n) - len(head) <= 2}
        assert others == {place} and fix.name == place + tail


@settings(max_examples=300)
@given(st.sampled_from(_county_level()), TAIL, st.data())
def test_misread_backed_by_the_code_gives_this_division(place: str, tail: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(place) - 2))
    ch = data.draw(CJK)
    read = place[:i] + ch + place[i + 1 :]
    assume(read != place and not is_division(read) and leading_division(read + tail) is None)
    code = sorted(division_codes(place))[0]
    fix = repair_place_prefix(read + tail, region_codes=[code])
    if fix is not None and fix.kind == "corrected":
        # the true division is always among the candidates and always backed by
        # its own code: whatever is picked is it (or several fit: no answer)
        assert fix.after == place and fix.corroborated


def _with_check(body14: str) -> str:
    return body14 + mod_11_10.calc_check_digit(body14)


REGIONS = sorted(c for c in _table() if not c.endswith("0000"))


@given(st.sampled_from(REGIONS), st.text("0123456789", min_size=8, max_size=8), st.data())
def test_registration_number_repair_is_the_original_or_nothing(region: str, seq: str, data: st.DataObject) -> None:
    full = _with_check(region + seq)
    i = data.draw(st.integers(0, 14))
    short = full[:i] + full[i + 1 :]
    got = repair_registration_number(short, [region])
    assert got in (full, None)
    # and 13-digit numbers (no check digit): the same
    old = region + seq[:7]
    j = data.draw(st.integers(0, 12))
    got13 = repair_registration_number(old[:j] + old[j + 1 :], [region])
    assert got13 in (old, None)


def test_registration_number_repair_cases() -> None:
    # 注册号 1402003901544 read without its 4 (under the label's last glyph)
    assert repair_registration_number("102003901544", ["140200"]) == "1402003901544"
    assert repair_registration_number("102003901544", []) is None  # no place: no repair
    assert repair_registration_number("102003901544", ["440300"]) is None  # places disagree
    assert repair_registration_number("1402003901544", ["140200"]) is None  # right length: not ours
    assert repair_registration_number("1O2003901544", ["140200"]) is None


def test_truncated_place() -> None:
    # 赤峰海峰… lost its 赤 under a seal; the credit code's region is in 赤峰市
    assert truncated_place("峰海峰科技有限公司", region_codes=["150402"]) == "赤峰市"
    assert truncated_place("峰海峰科技有限公司", context="内蒙古自治区赤峰市红山区某路") == "赤峰市"
    assert truncated_place("赤峰海峰科技有限公司", region_codes=["150402"]) is None
    assert truncated_place("峰海峰科技有限公司") is None  # nothing names a place: no doubt
    # a trade name may begin so too: a doubt for the clerk, which is why it never repairs
    assert truncated_place("京东方科技集团股份有限公司", region_codes=["110105"]) == "北京市"
    assert short_forms("广西壮族自治区") == ("广西壮族自治区", "广西")
    assert short_forms("深圳市") == ("深圳市", "深圳")


@given(st.sampled_from(_all_names()), TAIL, st.sampled_from(REGIONS))
def test_names_starting_with_a_place_are_never_doubted(place: str, tail: str, region: str) -> None:
    for form in short_forms(place):
        if len(form) >= 2:
            assert truncated_place(form + tail, region_codes=[region]) is None
