"""Normalisers turning printed values into the contract's canonical forms
(CONTRACT.md: dates ``YYYY-MM-DD``, money ``"50000.00"``, codes upper-case,
names simplified with ``（）``)."""

from .codes import (
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_registration_number,
    normalize_code,
    normalize_tax_id,
    repair_credit_code,
)
from .dates import find_dates, format_date, parse_date, parse_period
from .money import (
    amount_to_uppercase,
    format_amount,
    parse_amount,
    parse_uppercase_amount,
    uppercase_matches,
)
from .names import names_equal, normalize_name
from .text import compact, fold_width, to_simplified

__all__ = [
    "amount_to_uppercase",
    "compact",
    "find_dates",
    "fold_width",
    "format_amount",
    "format_date",
    "is_valid_credit_code",
    "is_valid_id_number",
    "is_valid_registration_number",
    "names_equal",
    "normalize_code",
    "normalize_name",
    "normalize_tax_id",
    "parse_amount",
    "parse_date",
    "parse_period",
    "parse_uppercase_amount",
    "repair_credit_code",
    "to_simplified",
    "uppercase_matches",
]
