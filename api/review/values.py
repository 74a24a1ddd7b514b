"""A value a clerk typed, normalised like the extractors' output (CONTRACT.md)."""

from __future__ import annotations

import re
from typing import Any

from extractors.normalize.codes import normalize_code
from extractors.normalize.dates import format_date, parse_date
from extractors.normalize.money import format_amount, parse_amount
from extractors.normalize.names import normalize_name

MONEY_FIELDS = re.compile(r"(amount|total|_fee|payout)$")
DATE_FIELDS = re.compile(r"(_on|_start|_end)$")
CODE_FIELDS = re.compile(r"(credit_code|tax_id|invoice_number|invoice_code|contract_number|registration_number|"
                         r"serial_number|check_code|_account|id_number)$")
NAME_FIELDS = re.compile(r"(_name|^name)$")


class BadValue(ValueError):
    pass


def correctable(value: Any) -> bool:
    """Lists (invoice items, payout rows, services) are not corrected field by field here."""
    return not isinstance(value, (list, dict))


def normalise(field: str, text: str, old: Any = None) -> Any:
    text = (text or "").strip()
    if not text:
        raise BadValue("值不能为空 / the value may not be empty")
    if isinstance(old, bool) or field.startswith("has_"):
        if text.lower() in ("true", "1", "yes", "是", "有"):
            return True
        if text.lower() in ("false", "0", "no", "否", "无"):
            return False
        raise BadValue("请填 是/否 / enter yes or no")
    if field.endswith("_in_words"):
        return text
    if MONEY_FIELDS.search(field):
        amount = parse_amount(text)
        if amount is None:
            raise BadValue(f"不是金额 / not an amount: {text}")
        return format_amount(amount)
    if DATE_FIELDS.search(field):
        d = parse_date(text)
        if d is None:
            raise BadValue(f"不是日期 / not a date: {text}")
        return format_date(d)
    if CODE_FIELDS.search(field):
        return normalize_code(text) if "credit_code" in field else re.sub(r"\s+", "", text).upper()
    if NAME_FIELDS.search(field):
        return normalize_name(text)
    return text
