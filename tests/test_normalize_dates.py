"""Dates, periods and date spans in running text."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.normalize import find_dates, format_date, parse_date, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018年5月2日", date(2018, 5, 2)),
        ("2018年05月02日", date(2018, 5, 2)),
        ("2018-05-02", date(2018, 5, 2)),
        ("2018.5.2", date(2018, 5, 2)),
        ("2018/05/02", date(2018, 5, 2)),
        ("2018 年 5 月 2 日", date(2018, 5, 2)),
        ("二〇一八年五月二日", date(2018, 5, 2)),
        ("二零一八年五月二十日", date(2018, 5, 20)),
        ("二〇一八年十二月三十一日", date(2018, 12, 31)),
        ("二○一八年十月十日", date(2018, 10, 10)),  # ○ white circle for 〇
        ("20180502", date(2018, 5, 2)),
        ("２０１８年５月２日", date(2018, 5, 2)),
        ("２０１８－０５－０２", date(2018, 5, 2)),
        ("开票日期：2018年09月30日", date(2018, 9, 30)),
        ("签订日期: 2018年5月2日 (盖章)", date(2018, 5, 2)),
        ("成立日期 2015年04月01日", date(2015, 4, 1)),
        ("2020年2月29日", date(2020, 2, 29)),
    ],
)
def test_parse_date_examples(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "无",
        "2018-02-30",
        "2019年2月29日",
        "2018年13月1日",
        "2018-05/02",  # mismatched separators
        "12345678",  # 8 digits but no valid date
        "20181332",
        "2018年5月",  # no day
        "二〇一八年十十月一日",
        "¥2,018.05",
        "9144030020180502XY",  # digits inside a code
    ],
)
def test_parse_date_none(text: str) -> None:
    assert parse_date(text) is None


def test_format_date() -> None:
    assert format_date(date(2018, 5, 2)) == "2018-05-02"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018年06月01日至2019年05月31日", (date(2018, 6, 1), date(2019, 5, 31), False)),
        ("自2018年6月1日起至2019年5月31日止", (date(2018, 6, 1), date(2019, 5, 31), False)),
        ("2015年04月01日 至 长期", (date(2015, 4, 1), None, True)),
        ("2015年04月01日至永久", (date(2015, 4, 1), None, True)),
        ("2015年04月01日至不约定期限", (date(2015, 4, 1), None, True)),
        ("2015年04月01日至无固定期限", (date(2015, 4, 1), None, True)),
        ("长期", (None, None, True)),
        ("至 永久", (None, None, True)),
        ("营业期限 不约定期限", (None, None, True)),
        ("2015-04-01至2035-03-31", (date(2015, 4, 1), date(2035, 3, 31), False)),
        ("2018.06.01-2019.05.31", (date(2018, 6, 1), date(2019, 5, 31), False)),
        ("2018.06.01 — 2019.05.31", (date(2018, 6, 1), date(2019, 5, 31), False)),
        ("营业期限自2010年01月05日至2030年01月04日", (date(2010, 1, 5), date(2030, 1, 4), False)),
        ("服务期：2018年6月1日到2019年5月31日", (date(2018, 6, 1), date(2019, 5, 31), False)),
        ("2018年6月1日至12月31日", (date(2018, 6, 1), date(2018, 12, 31), False)),
        ("2018年6月1日", (date(2018, 6, 1), None, False)),
        ("2015年04月01日 长期", (date(2015, 4, 1), None, True)),  # 至 lost
        ("成立日期2010年1月5日 营业期限2010年01月06日至长期", (date(2010, 1, 6), None, True)),
        (
            "成立日期2010年1月5日 营业期限2010年01月06日至2030年01月04日",
            (date(2010, 1, 6), date(2030, 1, 4), False),
        ),
        ("", (None, None, False)),
        ("见合同", (None, None, False)),
    ],
)
def test_parse_period(text: str, expected: tuple[date | None, date | None, bool]) -> None:
    assert parse_period(text) == expected


def test_find_dates_spans() -> None:
    text = "甲方于2018年5月2日签订，乙方自2018 年 6 月 1 日起提供服务，至二〇一九年五月三十一日止。"
    found = find_dates(text)
    assert [d for _, _, d in found] == [date(2018, 5, 2), date(2018, 6, 1), date(2019, 5, 31)]
    assert [text[a:b] for a, b, _ in found] == ["2018年5月2日", "2018 年 6 月 1 日", "二〇一九年五月三十一日"]


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
_CN = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")) + ("" if ones == 0 else _CN[ones])


def _cn_date(d: date, zero: str) -> str:
    year = "".join(_CN[int(c)] for c in str(d.year)).replace("〇", zero)
    return f"{year}年{_cn_small(d.month)}月{_cn_small(d.day)}日"


@given(dates)
def test_iso_roundtrip(d: date) -> None:
    assert parse_date(format_date(d)) == d


@given(dates)
def test_common_renderings(d: date) -> None:
    y, m, dd = d.year, d.month, d.day
    for text in (
        f"{y}年{m}月{dd}日",
        f"{y}年{m:02d}月{dd:02d}日",
        f"{y} 年 {m} 月 {dd} 日",
        f"{y}.{m}.{dd}",
        f"{y}/{m:02d}/{dd:02d}",
        f"{y}{m:02d}{dd:02d}",
        f"签订日期：{y}年{m}月{dd}日（盖章）",
    ):
        assert parse_date(text) == d, text


@given(dates, st.sampled_from("〇零○"))
def test_chinese_numeral_rendering(d: date, zero: str) -> None:
    assert parse_date(_cn_date(d, zero)) == d


@given(dates, dates, st.sampled_from(["至", " 至 ", "-", "—", "~", "到"]))
def test_period_roundtrip(a: date, b: date, sep: str) -> None:
    assert parse_period(f"{a.year}年{a.month}月{a.day}日{sep}{b.year}年{b.month}月{b.day}日") == (a, b, False)
    assert parse_period(f"自{format_date(a)}起至{format_date(b)}止") == (a, b, False)


@given(st.text(), st.lists(dates, max_size=3))
def test_find_dates_in_noise(noise: str, ds: list[date]) -> None:
    """Dates embedded between arbitrary text are found with exact spans;
    never raises on arbitrary text."""
    text = "。".join([noise] + [f"{d.year}年{d.month}月{d.day}日" for d in ds])
    found = find_dates(text)
    for start, end, d in found:
        assert 0 <= start < end <= len(text)
        assert parse_date(text[start:end]) == d
    assert [d for _, _, d in found][len(found) - len(ds) :] == ds
    parse_period(noise)


@pytest.mark.parametrize("unit", ["2018-", "2018年5月", "二〇一八年五", "1", " ", "2018.05.", "长期至"])
def test_long_text_is_linear(unit: str) -> None:
    text = unit * (200_000 // len(unit))
    started = time.perf_counter()
    find_dates(text)
    parse_period(text)
    assert time.perf_counter() - started < 2.0
