"""How amounts and dates are printed on Chinese documents, and their normal forms.

Truth values use the normal forms of CONTRACT.md (``money_norm``, ``date_norm``);
renderers print with the other helpers in the many ways real documents do.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

import cn2an

CENT = Decimal("0.01")


def money(x: Decimal | int | float | str) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def money_norm(x: Decimal) -> str:
    """CONTRACT.md money: yuan, two decimals, no separators."""
    return f"{money(x):.2f}"


def money_print(x: Decimal, *, comma: bool = True, yen: str = "") -> str:
    s = f"{money(x):,.2f}" if comma else f"{money(x):.2f}"
    return yen + s


def rmb_upper(x: Decimal, *, yuan: str = "元") -> str:
    """大写 amount as cn2an writes it (壹拾贰万元整), 元 optionally printed 圆."""
    s = cn2an.an2cn(f"{money(x):.2f}", "rmb")
    return s.replace("元", yuan)


def date_norm(d: dt.date) -> str:
    return d.isoformat()


_CN_DIGITS = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    """1..31 in Chinese numerals as dates write them (十二, 二十一, 三十)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def date_print(d: dt.date, style: str) -> str:
    """Printed date. Styles: cn (2018年05月02日), cn_short (2018年5月2日),
    cn_upper (二〇一八年五月二日), iso (2018-05-02), dot (2018.05.02),
    slash (2018/5/2), compact (20180502), spaced (2018 年 05 月 02 日)."""
    if style == "cn":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "cn_short":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "cn_upper":
        year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
        return f"{year}年{_cn_small(d.month)}月{_cn_small(d.day)}日"
    if style == "iso":
        return d.isoformat()
    if style == "dot":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "compact":
        return f"{d:%Y%m%d}"
    if style == "spaced":
        return f"{d.year} 年 {d.month:02d} 月 {d.day:02d} 日"
    raise ValueError(style)


def capital_print(x: Decimal, rng: random.Random) -> str:
    """Registered capital as licences print it: 壹仟万元整, 1000万元人民币, 人民币伍佰万元."""
    wan = money(x) / 10000
    wan_s = f"{wan:f}".rstrip("0").rstrip(".")
    style = rng.choice(["upper", "upper", "wan", "wan_rmb", "rmb_upper"])
    upper = rmb_upper(money(x))
    if style == "upper":
        return upper
    if style == "wan":
        return f"{wan_s}万元人民币"
    if style == "wan_rmb":
        return f"人民币{wan_s}万元"
    return "人民币" + upper.removesuffix("整")


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
