"""Typed reading of extracted fields, and evidence for them.

Extractors give normalised strings (money ``"50000.00"``, dates ``YYYY-MM-DD``);
these helpers turn them into ``Decimal`` and ``date`` and answer ``None`` for a
value that is absent or does not parse, so rules never raise on odd input.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from extractors.normalize import normalize_code, parse_amount
from intake.model import Document, ExtractedField
from validators.model import Evidence

_FEN = Decimal("0.01")


def fld(doc: Document, name: str) -> ExtractedField | None:
    f = doc.fields.get(name)
    if f is None or f.value is None or f.value == "":
        return None
    return f


def text_of(doc: Document, name: str) -> str | None:
    f = fld(doc, name)
    if f is None or not isinstance(f.value, str):
        return None
    return f.value.strip() or None


def code_of(doc: Document, name: str) -> str | None:
    value = text_of(doc, name)
    if value is None:
        return None
    return normalize_code(value) or None


def to_money(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value.quantize(_FEN) if value.is_finite() else None
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        return None
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        return parse_amount(value)  # a printed form slipped through: read it as printed
    return amount.quantize(_FEN) if amount.is_finite() and abs(amount) < Decimal("1e13") else None


def money_of(doc: Document, name: str) -> Decimal | None:
    f = fld(doc, name)
    return to_money(f.value) if f is not None else None


def to_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value.strip()) != 10:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def date_of(doc: Document, name: str) -> date | None:
    f = fld(doc, name)
    return to_date(f.value) if f is not None else None


def ev(doc: Document, name: str) -> Evidence | None:
    f = fld(doc, name)
    return Evidence.of_field(doc, name, f) if f is not None else None


def evs(doc: Document, *names: str) -> tuple[Evidence, ...]:
    """Evidence for each present field; the document itself when none is."""
    out = tuple(e for e in (ev(doc, n) for n in names) if e is not None)
    return out or (Evidence.of_document(doc),)


def yuan(amount: Decimal | None) -> str:
    """Money for messages: ``¥50,000.00``."""
    return "—" if amount is None else f"¥{amount:,.2f}"


def doc_label(doc: Document) -> str:
    pages = ",".join(str(p.number) for p in doc.pages)
    return f"{doc.file}（第{pages}页 / p.{pages}）" if pages else doc.file
