"""Which document is which declared item: contracts, invoices, payments paired up.

Pairing goes by the strongest key first (a number both sides show), then by a
weaker one (the amount), and finally pairs the single leftover on each side. What
stays unpaired is returned alone, so a rule can say "declared but not found" or
"found but not declared".
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from extractors.normalize import normalize_code
from intake.model import DocType, Document
from validators.context import CheckContext
from validators.declared import DeclaredContract, DeclaredInvoice, DeclaredPayment
from validators.facts import code_of, date_of, ev, money_of
from validators.model import DeclaredRef, Evidence

D = TypeVar("D")
Key = Callable[[Any], Hashable | None]


@dataclass(frozen=True)
class Pair(Generic[D]):
    doc: Document | None
    declared: D | None


def pair_up(docs: Sequence[Document], decls: Sequence[D], stages: Sequence[tuple[Key, Key]]) -> list[Pair[D]]:
    """Pair documents with declared items, stage by stage (see module doc)."""
    left_docs, left_decls = list(docs), list(decls)
    pairs: list[Pair[D]] = []
    for doc_key, decl_key in stages:
        for decl in list(left_decls):
            k = decl_key(decl)
            if k is None:
                continue
            hits = [d for d in left_docs if doc_key(d) == k]
            if len(hits) == 1:  # an ambiguous key pairs nothing: a later stage may
                pairs.append(Pair(hits[0], decl))
                left_docs.remove(hits[0])
                left_decls.remove(decl)
    if len(left_docs) == 1 and len(left_decls) == 1:
        pairs.append(Pair(left_docs.pop(), left_decls.pop()))
    pairs += [Pair(None, d) for d in left_decls]
    pairs += [Pair(d, None) for d in left_docs]
    return pairs


# --- contracts --------------------------------------------------------------------

# fact name -> (document field, declared attribute)
CONTRACT_FACTS: dict[str, tuple[str, str]] = {
    "number": ("contract_number", "number"),
    "signed_on": ("signed_on", "signed_on"),
    "service_start": ("service_start", "service_start"),
    "service_end": ("service_end", "service_end"),
    "amount": ("total_amount", "amount"),
    "cloud_fee": ("cloud_fee", "cloud_fee"),
    "annual_fee": ("annual_fee", "annual_fee"),
}
_DATE_FACTS = {"signed_on", "service_start", "service_end"}
_MONEY_FACTS = {"amount", "cloud_fee", "annual_fee"}


@dataclass(frozen=True)
class Fact:
    value: Any
    evidence: Evidence | None  # when the document shows it
    declared: DeclaredRef | None  # when only the declaration gives it

    @property
    def evidence_tuple(self) -> tuple[Evidence, ...]:
        return (self.evidence,) if self.evidence is not None else ()


@dataclass(frozen=True)
class ContractView:
    """One contract as the documents show it, with the declaration as fall-back."""

    doc: Document | None
    declared: DeclaredContract | None

    def fact(self, name: str) -> Fact | None:
        field_name, attr = CONTRACT_FACTS[name]
        if self.doc is not None:
            if name in _DATE_FACTS:
                value: Any = date_of(self.doc, field_name)
            elif name in _MONEY_FACTS:
                value = money_of(self.doc, field_name)
            else:
                value = code_of(self.doc, field_name)
            if value is not None:
                return Fact(value, ev(self.doc, field_name), None)
        if self.declared is not None:
            value = getattr(self.declared, attr)
            if value is not None:
                return Fact(value, None, DeclaredRef(self.declared.path(attr), value))
        return None

    def value(self, name: str) -> Any:
        f = self.fact(name)
        return f.value if f is not None else None

    @property
    def label_zh(self) -> str:
        number = self.value("number")
        suffix = f"（{number}）" if number else ""
        if self.doc is not None:
            return f"合同 {self.doc.file}{suffix}"
        assert self.declared is not None
        return f"申报合同 #{self.declared.index + 1}{suffix}"

    @property
    def label_en(self) -> str:
        number = self.value("number")
        suffix = f" ({number})" if number else ""
        if self.doc is not None:
            return f"contract {self.doc.file}{suffix}"
        assert self.declared is not None
        return f"declared contract #{self.declared.index + 1}{suffix}"


def contract_views(ctx: CheckContext) -> list[ContractView]:
    pairs = pair_up(
        ctx.of_type(DocType.CONTRACT),
        ctx.declared.contracts,
        [
            (lambda d: code_of(d, "contract_number"), lambda c: normalize_code(c.number) if c.number else None),
            (lambda d: money_of(d, "total_amount"), lambda c: c.amount),
        ],
    )
    return [ContractView(p.doc, p.declared) for p in pairs]


def latest_contract(views: Sequence[ContractView]) -> ContractView | None:
    """The contract signed last (then the one ending last); None when none is dated."""
    dated = [v for v in views if v.value("signed_on") or v.value("service_end")]
    if not dated:
        return views[0] if len(views) == 1 else None
    return max(dated, key=lambda v: (v.value("signed_on") or date.min, v.value("service_end") or date.min))


def earliest_contract(views: Sequence[ContractView]) -> ContractView | None:
    dated = [v for v in views if v.value("signed_on")]
    if not dated:
        return views[0] if len(views) == 1 else None
    return min(dated, key=lambda v: v.value("signed_on"))


# --- invoices and payments ----------------------------------------------------------


def invoice_pairs(ctx: CheckContext) -> list[Pair[DeclaredInvoice]]:
    return pair_up(
        ctx.of_type(DocType.VAT_INVOICE),
        ctx.declared.invoices,
        [
            (lambda d: code_of(d, "invoice_number"), lambda i: i.number),
            (lambda d: money_of(d, "total"), lambda i: i.total),
        ],
    )


def payment_pairs(ctx: CheckContext) -> list[Pair[DeclaredPayment]]:
    def amount_and_date(d: Document) -> tuple[Decimal, Any] | None:
        a = money_of(d, "amount")
        return (a, date_of(d, "paid_on")) if a is not None else None

    return pair_up(
        ctx.of_type(DocType.PAYMENT_RECEIPT),
        ctx.declared.payments,
        [
            (lambda d: code_of(d, "serial_number"),
             lambda p: normalize_code(p.serial_number) if p.serial_number else None),
            (amount_and_date, lambda p: (p.amount, p.paid_on) if p.amount is not None else None),
            (lambda d: money_of(d, "amount"), lambda p: p.amount),
        ],
    )
