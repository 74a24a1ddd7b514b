"""The two parties of an application — applicant and supplier — as each source shows them.

Two parties are compared by credit code where both show a valid one (a code is
unambiguous and OCR errors in it are caught by its checksum), else by name
(``validators.names``). A code printed on one side only, or failing its checksum,
falls back to the name: the checksum rule reports the bad code itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.normalize import is_valid_credit_code
from intake.model import DocType, Document
from validators.context import CheckContext
from validators.declared import Declared
from validators.facts import code_of, ev, text_of
from validators.model import DeclaredRef, Evidence
from validators.names import NameComparison, NameMatch, compare_names


@dataclass(frozen=True)
class Party:
    role_zh: str  # 发票销售方
    role_en: str  # invoice seller
    name: str | None
    credit_code: str | None
    evidence: tuple[Evidence, ...] = ()  # the fields it was read from (document parties)
    name_ref: DeclaredRef | None = None  # the declared values (declared parties)
    code_ref: DeclaredRef | None = None

    @property
    def shown(self) -> str:
        return self.name or self.credit_code or "?"


@dataclass(frozen=True)
class PartyMatch:
    match: NameMatch
    by_code: bool
    names: NameComparison | None = None


def document_party(doc: Document, name_field: str, code_field: str | None, role_zh: str, role_en: str) -> Party | None:
    name = text_of(doc, name_field)
    code = code_of(doc, code_field) if code_field else None
    if name is None and code is None:
        return None
    evidence = tuple(e for e in (ev(doc, name_field), ev(doc, code_field) if code_field else None) if e is not None)
    return Party(role_zh, role_en, name, code, evidence)


def declared_applicant(declared: Declared) -> Party:
    a = declared.applicant
    return Party(
        "申报企业", "declared applicant", a.name, a.credit_code,
        name_ref=DeclaredRef("applicant.name", a.name),
        code_ref=DeclaredRef("applicant.credit_code", a.credit_code) if a.credit_code else None,
    )


def declared_supplier(declared: Declared) -> Party | None:
    s = declared.supplier
    if s is None or (s.name is None and s.credit_code is None):
        return None
    return Party(
        "申报供应商", "declared supplier", s.name, s.credit_code,
        name_ref=DeclaredRef("supplier.name", s.name) if s.name else None,
        code_ref=DeclaredRef("supplier.credit_code", s.credit_code) if s.credit_code else None,
    )


def _valid_code(code: str | None) -> bool:
    return code is not None and is_valid_credit_code(code)


def match_parties(found: Party, expected: Party) -> PartyMatch:
    if _valid_code(found.credit_code) and _valid_code(expected.credit_code):
        same = found.credit_code == expected.credit_code
        return PartyMatch(NameMatch.SAME if same else NameMatch.DIFFERENT, by_code=True)
    names = compare_names(found.name, expected.name)
    return PartyMatch(names.match, by_code=False, names=names)


# Where the supplier is known from when the applicant did not declare one: the
# contract's party B first (the main implementer), then the invoice's seller.
_SUPPLIER_SOURCES: tuple[tuple[DocType, str, str, str, str], ...] = (
    (DocType.CONTRACT, "party_b_name", "party_b_credit_code", "合同乙方", "contract party B"),
    (DocType.VAT_INVOICE, "seller_name", "seller_tax_id", "发票销售方", "invoice seller"),
)


def supplier_reference(ctx: CheckContext, exclude: DocType | None = None) -> Party | None:
    """The supplier everything is compared with: declared, else read off a document
    (never the kind of document being checked, which would compare it with itself)."""
    declared = declared_supplier(ctx.declared)
    if declared is not None:
        return declared
    for dtype, name_f, code_f, zh, en in _SUPPLIER_SOURCES:
        if dtype is exclude:
            continue
        for doc in ctx.of_type(dtype):
            party = document_party(doc, name_f, code_f, zh, en)
            if party is not None:
                return party
    return None
