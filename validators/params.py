"""Typed parameters of rules and formulas, as policy files give them.

Each rule and each subsidy formula declares its parameters (name → ``Param``); the
policy loader converts the raw YAML text with ``Param.convert`` so that ``0.20``
becomes ``Decimal("0.20")`` exactly (never a binary float) and ``2018-08-31`` a
``date``. A conversion problem is a ``ValueError`` whose text the loader prefixes
with ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from intake.model import DocType


class ParamType(StrEnum):
    MONEY = "money"  # yuan, >= 0, at most 2 decimals
    RATIO = "ratio"  # 0..1
    DATE = "date"  # YYYY-MM-DD
    INT = "int"
    BOOL = "bool"
    TEXT = "text"
    CHOICE = "choice"  # one of ``choices``
    TEXT_LIST = "text_list"
    RATIO_MAP = "ratio_map"  # {category: ratio}
    DOC_TYPES = "doc_types"  # list of DocType values


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()

# How a computed amount is rounded to the fen; a policy parameter because notices
# never say.
ROUNDING_MODES: dict[str, str] = {
    "half_up": ROUND_HALF_UP,  # 四舍五入, what Chinese finance offices do by hand
    "half_even": ROUND_HALF_EVEN,
    "down": ROUND_DOWN,  # never pay a fen more than the ratio gives
}

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONEY_RE = re.compile(r"\d{1,13}(?:\.\d{1,2})?")
_RATIO_RE = re.compile(r"(?:0|1)(?:\.\d{1,6})?|\.\d{1,6}")


@dataclass(frozen=True)
class Param:
    type: ParamType
    doc: str
    default: Any = REQUIRED
    choices: tuple[str, ...] = ()
    nullable: bool = False  # ``null`` allowed: "not enforced"

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def convert_scalar(self, text: str | None) -> Any:
        """Scalar YAML text → typed value (``None`` is YAML null)."""
        if text is None:
            if self.nullable:
                return None
            raise ValueError("不能为空 / must not be null")
        t = self.type
        if t is ParamType.MONEY:
            if not _MONEY_RE.fullmatch(text):
                raise ValueError(f'应为金额 / expected yuan like "50000.00", got {text!r}')
            return Decimal(text).quantize(Decimal("0.01"))
        if t is ParamType.RATIO:
            return _ratio(text)
        if t is ParamType.DATE:
            return _date(text)
        if t is ParamType.INT:
            if not re.fullmatch(r"-?\d{1,9}", text):
                raise ValueError(f"应为整数 / expected an integer, got {text!r}")
            return int(text)
        if t is ParamType.BOOL:
            if text not in ("true", "false"):
                raise ValueError(f"应为 true/false / expected true or false, got {text!r}")
            return text == "true"
        if t is ParamType.TEXT:
            return text
        if t is ParamType.CHOICE:
            if text not in self.choices:
                raise ValueError(f"应为 {'/'.join(self.choices)} 之一 / expected one of "
                                 f"{', '.join(self.choices)}, got {text!r}")
            return text
        raise ValueError(f"应为{_shape(t)} / expected {_shape(t)}, got a single value {text!r}")

    def convert_list(self, items: list[str]) -> Any:
        if self.type is ParamType.TEXT_LIST:
            return tuple(items)
        if self.type is ParamType.DOC_TYPES:
            known = {d.value for d in DocType}
            bad = [i for i in items if i not in known]
            if bad:
                raise ValueError(f"未知文档类型 / unknown document type {bad[0]!r} (known: {', '.join(sorted(known))})")
            return tuple(DocType(i) for i in items)
        raise ValueError(f"不应为列表 / expected {_shape(self.type)}, got a list")

    def convert_map(self, items: dict[str, str]) -> Any:
        if self.type is ParamType.RATIO_MAP:
            return {k: _ratio(v) for k, v in items.items()}
        raise ValueError(f"不应为映射 / expected {_shape(self.type)}, got a mapping")


def _shape(t: ParamType) -> str:
    return {
        ParamType.TEXT_LIST: "a list of strings",
        ParamType.DOC_TYPES: "a list of document types",
        ParamType.RATIO_MAP: "a mapping {category: ratio}",
    }.get(t, f"a {t.value}")


def _ratio(text: str) -> Decimal:
    if not _RATIO_RE.fullmatch(text):
        raise ValueError(f"应为 0 到 1 之间的比例 / expected a ratio between 0 and 1 like 0.20, got {text!r}")
    value = Decimal(text)
    if value > 1:
        raise ValueError(f"比例大于 1 / ratio above 1: {text}")
    return value


def _date(text: str) -> date:
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"应为日期 YYYY-MM-DD / expected a date YYYY-MM-DD, got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"不存在的日期 / no such date: {text}") from None


def parse_date_param(text: str) -> date:
    """A ``YYYY-MM-DD`` date as policy files write them (for the ``dates`` section)."""
    return _date(text)


def quantize_fen(value: Decimal, rounding: str) -> Decimal:
    """Round to 0.01 yuan with a mode from ``ROUNDING_MODES``."""
    try:
        return value.quantize(Decimal("0.01"), rounding=ROUNDING_MODES[rounding])
    except InvalidOperation as exc:  # only for absurd magnitudes, which inputs never reach
        raise ValueError(f"cannot round {value}") from exc


ROUNDING_PARAM = Param(
    ParamType.CHOICE,
    "how the computed amount is rounded to the fen (half_up 四舍五入, half_even, down 舍去)",
    default="half_up",
    choices=tuple(ROUNDING_MODES),
)
