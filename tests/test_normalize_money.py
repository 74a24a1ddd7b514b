"""Money normalisers: printed amounts (digits and 大写) <-> Decimal."""

from __future__ import annotations

import time
from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.normalize import (
    amount_to_uppercase,
    format_amount,
    parse_amount,
    parse_uppercase_amount,
    uppercase_matches,
)
from extractors.normalize import money

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¥12,345.67", "12345.67"),
        ("￥5万", "50000.00"),
        ("5万元", "50000.00"),
        ("5.5万元", "55000.00"),
        ("1.2亿元", "120000000.00"),
        ("人民币50,000.00元", "50000.00"),
        ("(小写)¥1,234.00", "1234.00"),
        ("价税合计（小写）￥ 1,130.00", "1130.00"),
        ("RMB 1,000", "1000.00"),
        ("CNY1000.5", "1000.50"),
        ("１２３", "123.00"),
        ("￥１２，３４５．６７", "12345.67"),
        ("-100.00", "-100.00"),
        ("¥-100.00", "-100.00"),
        ("-¥100.00", "-100.00"),
        ("1,234,567.891", "1234567.89"),
        ("0.005", "0.01"),  # ROUND_HALF_UP, as accountants round
        ("伍万元整", "50000.00"),
        ("叁仟肆佰玖拾伍圆整", "3495.00"),
        ("壹拾贰万叁仟肆佰伍拾陆元柒角捌分", "123456.78"),
        ("人民币贰拾万元整", "200000.00"),
        ("零元整", "0.00"),
        ("⊗叁佰元整", "300.00"),
        ("伍萬元整", "50000.00"),
        ("貳億陸仟萬圓整", "260000000.00"),
        ("拾万元整", "100000.00"),
        ("壹仟零伍元整", "1005.00"),
        ("壹万零伍拾元整", "10050.00"),
        ("壹拾亿元零壹分", "1000000000.01"),
        ("伍角整", "0.50"),
        ("壹元零伍分", "1.05"),
        ("叁拾元零角伍分", "30.05"),
        ("壹亿伍万元整", "100050000.00"),
        ("伍 万 元 整", "50000.00"),  # OCR spaces
        ("(负数)壹佰圆整", "-100.00"),
        ("人民币五万元整", "50000.00"),  # 小写 numerals in contract prose
        ("合同总金额为人民币壹拾万元整（¥100,000.00）", "100000.00"),
        ("合同金额（万元）：12.5", "125000.00"),
        ("金额 1,000.00 元，税率 6%", "1000.00"),
        ("2018年5月2日支付5,000元", "5000.00"),
    ],
)
def test_parse_amount_examples(text: str, expected: str) -> None:
    assert parse_amount(text) == D(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "无",
        "见附件",
        "2018年",
        "2018-05-02",
        "13%",
        "万元",
        "十分重要",
        "第三方",
        "USD 100",
        "1,23",  # broken grouping: not trusted
        "5万伍仟元",  # mixed notation: not guessed
        "壹万伍元",  # 10005 or 15000?
        "壹仟伍元",  # 1005 or 1500?
        "伍拾伍佰元",  # units out of order
        "91440300MA5FXXXX1X",
    ],
)
def test_parse_amount_none(text: str) -> None:
    assert parse_amount(text) is None


def test_uppercase_strict_refuses_lowercase_and_confusions() -> None:
    assert parse_uppercase_amount("人民币贰拾万元整") == D("200000.00")
    assert parse_uppercase_amount("五万元整") is None
    assert parse_uppercase_amount("参佰元整") is None
    assert parse_uppercase_amount("¥300.00") is None
    # two different amounts: no answer rather than a pick
    assert parse_uppercase_amount("伍万元整 叁万元整") is None
    assert parse_uppercase_amount("伍万元整 伍万元整") == D("50000.00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("参佰元整", "300.00"),
        ("伍什元整", "5000.00"),
        ("壹任贰伯元整", "1200.00"),
        ("壹仟另伍元正", "1005.00"),
        ("肄拾元整", "40.00"),
        ("染万元整", "70000.00"),
        ("五万元整", "50000.00"),
        ("壹佰圆正", "100.00"),
    ],
)
def test_uppercase_tolerant(text: str, expected: str) -> None:
    assert parse_uppercase_amount(text, tolerant=True) == D(expected)
    assert uppercase_matches(text, D(expected))


def test_confusion_table_never_rewrites_valid_characters() -> None:
    """An entry whose source is itself a numeral would turn one valid amount
    into another; the table must have none, and one target per source."""
    for src, dst in money._CONFUSIONS.items():
        assert src not in money._STRICT and src not in money._LOWER, src
        assert dst in money._STRICT, dst


def test_uppercase_matches() -> None:
    assert uppercase_matches("⊗壹万贰仟叁佰肆拾伍圆陆角柒分", D("12345.67"))
    assert not uppercase_matches("⊗壹万贰仟叁佰肆拾伍圆陆角柒分", D("12345.68"))
    assert not uppercase_matches("看不清", D("0"))


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", "零元整"),
        ("0.5", "伍角整"),
        ("0.05", "伍分"),
        ("10", "壹拾元整"),
        ("1005", "壹仟零伍元整"),
        ("1.10", "壹元壹角整"),
        ("1.01", "壹元零壹分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("50000", "伍万元整"),
        ("100001", "壹拾万零壹元整"),
        ("1010000", "壹佰零壹万元整"),
        ("100100000", "壹亿零壹拾万元整"),
        ("1000000000000", "壹万亿元整"),
        ("-100", "负壹佰元整"),
    ],
)
def test_amount_to_uppercase_examples(amount: str, expected: str) -> None:
    assert amount_to_uppercase(D(amount)) == expected


def test_format_amount() -> None:
    assert format_amount(D("50000")) == "50000.00"
    assert format_amount(D("1E+5")) == "100000.00"
    assert format_amount(D("-100.005")) == "-100.01"
    assert format_amount(D("-0.001")) == "0.00"
    assert format_amount(D("1234567.8")) == "1234567.80"


cents = st.integers(min_value=-(10**17), max_value=10**17).map(lambda c: D(c) / 100)
nonneg_cents_1e12 = st.integers(min_value=0, max_value=10**14 - 1).map(lambda c: D(c) / 100)


@given(cents)
def test_format_roundtrip(d: Decimal) -> None:
    assert parse_amount(format_amount(d)) == d


@given(cents)
def test_grouped_and_marked_renderings(d: Decimal) -> None:
    grouped = f"{d:,.2f}"
    assert parse_amount(grouped) == d
    assert parse_amount(f"¥{grouped}") == d
    assert parse_amount(f"人民币{grouped}元") == d


@given(nonneg_cents_1e12)
def test_uppercase_roundtrip(d: Decimal) -> None:
    upper = amount_to_uppercase(d)
    assert parse_amount(upper) == d
    assert parse_uppercase_amount(upper) == d
    assert parse_uppercase_amount(upper, tolerant=True) == d
    assert uppercase_matches("⊗" + upper, d)


@given(nonneg_cents_1e12)
def test_uppercase_agrees_with_cn2an(d: Decimal) -> None:
    """cn2an is an independent implementation; ours differs only by writing
    整 after a final 角, which 会计基础工作规范 requires and cn2an omits."""
    ours = amount_to_uppercase(d)
    theirs = cn2an.an2cn(format_amount(d), "rmb")
    assert ours == (theirs + "整" if theirs.endswith("角") else theirs)


@given(st.text())
def test_parsers_never_raise(text: str) -> None:
    for result in (
        parse_amount(text),
        parse_uppercase_amount(text),
        parse_uppercase_amount(text, tolerant=True),
    ):
        assert result is None or result == result.quantize(D("0.01"))


_NUMERAL_SOUP = "".join(money._TOLERANT) + "0123456789,.，¥-负数() 元万亿年月日%"


@given(st.text(alphabet=_NUMERAL_SOUP, max_size=60))
def test_numeral_soup_never_raises(text: str) -> None:
    parse_amount(text)
    parse_uppercase_amount(text, tolerant=True)


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        " " * 100_000,
        "1," * 50_000,
        "壹" * 100_000,
        "壹拾" * 50_000,
        "伍 " * 50_000,
        "¥-" * 50_000,
        "2018-" * 20_000,
        "1.1." * 25_000,
        "(负数)" * 20_000,
        "9" * 50_000 + "万元",
    ],
)
def test_long_text_is_linear(text: str) -> None:
    started = time.perf_counter()
    parse_amount(text)
    parse_uppercase_amount(text, tolerant=True)
    assert time.perf_counter() - started < 2.0
