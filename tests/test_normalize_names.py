"""Name normalisation and the character-level helpers under it."""

from __future__ import annotations

import time
from functools import lru_cache

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.normalize import compact, fold_width, names_equal, normalize_name, to_simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("業(yè)務(wù)應(yīng)用", "业务应用"),
        ("互聯(lián)網(wǎng)", "互联网"),
        ("（ERP）系統", "（ERP）系统"),  # Latin in brackets without tone marks is kept
        ("(MES)", "(MES)"),
        ("廣州市資訊科技有限公司", "广州市资讯科技有限公司"),
        ("⽇⽉", "日月"),  # Kangxi radicals from PDF text layers
        ("", ""),
    ],
)
def test_to_simplified(text: str, expected: str) -> None:
    assert to_simplified(text) == expected


def test_fold_width() -> None:
    assert fold_width("ＡＢＣ１２３") == "ABC123"
    assert fold_width("１２，３４５．６７") == "12，345.67"  # ， is Chinese punctuation: kept
    assert fold_width("２０１８－０５／０２") == "2018-05/02"
    assert fold_width("名称：某（北京）公司") == "名称：某（北京）公司"  # ：（） kept
    assert fold_width("a\u3000b") == "a b"
    assert fold_width("｢x｣") == "「x」"


@given(st.text())
def test_fold_width_keeps_length(text: str) -> None:
    # the date finder reports spans computed on the folded text
    assert len(fold_width(text)) == len(text)


def test_compact() -> None:
    assert compact(" 某 某\t公司\u3000\u00a0\u200b\n") == "某某公司"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("名称：深圳市某某计算机系统有限公司", "深圳市某某计算机系统有限公司"),
        ("名 称: 某某科技(深圳)有限公司 ", "某某科技（深圳）有限公司"),
        ("購買方名稱：廣州市某某資訊科技有限公司", "广州市某某资讯科技有限公司"),
        ("业(yè)务科技〔北京〕有限公司", "业务科技（北京）有限公司"),
        ("某某律师事务所[特殊普通合伙]", "某某律师事务所（特殊普通合伙）"),
        ("某某（北京）科技有限公司", "某某（北京）科技有限公司"),
        ("北京ＡＢＣ科技有限公司。", "北京ABC科技有限公司"),
        ("甲方（盖章）：某某网络科技有限公司", "某某网络科技有限公司"),
        ("收款人全称: 某某银行股份有限公司", "某某银行股份有限公司"),
        ("名称某某有限公司", "某某有限公司"),  # colon lost by OCR
        ("张 三", "张三"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("：：、", ""),
    ],
)
def test_normalize_name_examples(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


def test_names_equal() -> None:
    assert names_equal("某某科技(深圳)有限公司", "某某科技（深圳）有限公司")
    assert names_equal("廣州某某資訊科技有限公司", "名称：广州某某资讯科技有限公司")
    assert not names_equal("某某科技有限公司", "某某科技有限责任公司")
    assert not names_equal("", "")  # an unreadable field never "matches"
    assert not names_equal("：", "")


@given(st.text())
def test_normalize_name_idempotent(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


_NAME_BITS = "名称：:() （）〔〕[]【】 .。-·業务务聯联網网廣广州市東东北京深圳資资訊讯科技有限公司集團团發发展電电子商務"


@given(st.text(alphabet=_NAME_BITS, max_size=30))
def test_normalize_name_idempotent_on_name_like_text(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once
    assert " " not in once and "(" not in once and "[" not in once


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


# Characters common in company names whose traditional forms differ.
_PREFIXES = ["广州", "深圳", "东莞", "佛山", "北京", "上海", "杭州", "长沙", "珠海", "汕头"]
_WORDS = ["华", "丰", "汇", "联", "网", "云", "数", "达", "宝", "龙", "凤", "业", "兴",
          "盛", "鑫", "创", "新", "伟", "发", "电", "讯", "软", "件", "计", "算", "机"]
_SUFFIXES = ["科技有限公司", "信息技术有限公司", "网络科技有限公司", "电子商务有限公司",
             "软件开发有限公司", "贸易有限责任公司", "实业集团股份有限公司"]


@st.composite
def company_names(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(_PREFIXES)) + draw(st.sampled_from(["市", ""]))
    core = "".join(draw(st.lists(st.sampled_from(_WORDS), min_size=2, max_size=4)))
    region = draw(st.sampled_from(["", "（中国）", "(深圳)", "〔广东〕"]))
    return prefix + core + region + draw(st.sampled_from(_SUFFIXES))


@given(company_names(), st.sampled_from(["s2t", "s2hk", "s2tw"]))
def test_traditional_and_simplified_renderings_agree(name: str, config: str) -> None:
    traditional = _converter(config).convert(name)
    assert names_equal(name, traditional)
    assert names_equal(" ".join(name), "名称：" + traditional)


@pytest.mark.parametrize("unit", ["名称：", "-", "業(yè)", "(", " ", "Ａ"])
def test_long_text_is_linear(unit: str) -> None:
    started = time.perf_counter()
    normalize_name(unit * (200_000 // len(unit)))
    to_simplified(unit * (200_000 // len(unit)))
    assert time.perf_counter() - started < 2.0


def test_lone_surrogates_do_not_break_conversion() -> None:
    # Regression: broken PDF text layers yield lone surrogates, which OpenCC's
    # UTF-8 encoding rejected with UnicodeEncodeError.
    from extractors.normalize.text import to_simplified

    assert to_simplified("有限\udc80公司") == "有限\ufffd公司"


def test_segments_never_hold_lone_surrogates() -> None:
    from intake.model import Segment

    seg = Segment("甲\ud800乙", (0, 0, 30, 10), 1.0)
    assert seg.text == "甲\ufffd乙"
    seg.text.encode("utf-8")
