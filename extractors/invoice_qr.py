"""The QR payload printed on Chinese VAT invoices, parsed.

Standard payload (comma separated)::

    01,<type>,<code>,<number>,<amount>,<YYYYMMDD>,<check code>,<crc>[,]

``type``: 01 special, 04 ordinary, 10 electronic ordinary, 08 electronic special,
11 roll, 14 toll e-invoice, 31/32 digital (数电) special/ordinary. On digital
invoices the code field is empty, the number has 20 digits and the amount is the
total including tax (on the others it is the amount before tax; we keep the
figure and let the caller compare it with both). The check code may be the full 20
digits, its last 6, or empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from extractors.labels import QR_KIND

__all__ = ["InvoiceQr", "parse_invoice_qr"]

_DIGITAL_TYPES = {"31", "32"}


@dataclass(frozen=True)
class InvoiceQr:
    type: str  # two-digit type code as printed in the payload
    kind: str | None  # contract invoice_kind, when the type is known
    code: str | None  # 10/12 digits; None on digital invoices
    number: str  # 8 digits, 20 on digital invoices
    amount: Decimal | None  # see module docstring for which amount
    issued_on: date | None
    check_code: str | None  # full 20 digits or a suffix of it
    raw: str

    @property
    def digital(self) -> bool:
        return self.type in _DIGITAL_TYPES or (self.code is None and len(self.number) == 20)

    @property
    def amount_is_total(self) -> bool:
        """Digital invoices put the total (价税合计) in the QR, others the amount."""
        return self.digital


def _parse_date(s: str) -> date | None:
    if not re.fullmatch(r"\d{8}", s):
        return None
    try:
        return date(int(s[:4]), int(s[4:6]), int(s[6:]))
    except ValueError:
        return None


def parse_invoice_qr(payload: str) -> InvoiceQr | None:
    """Parse one payload; None when it is not an invoice QR."""
    if not payload:
        return None
    text = payload.strip().replace("，", ",")
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 6 or parts[0] != "01":
        return None
    qtype = parts[1]
    code = parts[2]
    number = parts[3]
    if not re.fullmatch(r"\d{2}", qtype):
        return None
    if code and not re.fullmatch(r"\d{10}|\d{12}", code):
        return None
    if not re.fullmatch(r"\d{8}|\d{20}", number):
        return None
    if not code and len(number) != 20:
        return None
    try:
        amount = Decimal(parts[4]).quantize(Decimal("0.01")) if parts[4] else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is not None and (amount.is_nan() or amount.copy_abs() > Decimal("1e12")):
        amount = None
    issued = _parse_date(parts[5])
    check = parts[6] if len(parts) > 6 and re.fullmatch(r"\d{4,20}", parts[6] or "") else None
    return InvoiceQr(
        type=qtype,
        kind=QR_KIND.get(qtype),
        code=code or None,
        number=number,
        amount=amount,
        issued_on=issued,
        check_code=check,
        raw=payload,
    )
