"""The evidence chain: the same two parties on every document.

    applicant = licence company = contract party A = invoice buyer = payer
    supplier  = contract party B = invoice seller  = payee

Each document's party is compared with the declared one (by credit code where
both show a valid code, else by name); when no supplier was declared the contract's
party B stands in for it (then the invoice's seller). A near-miss name is a
warning showing both spellings; a different company is an error.
"""

from __future__ import annotations

from collections.abc import Iterable

from intake.model import DocType
from validators.context import CheckContext
from validators.names import NameMatch, compare_names
from validators.parties import Party, declared_applicant, document_party, match_parties, supplier_reference
from validators.model import Severity
from validators.rule import Hit, Outcome, Params, Rule, RuleKind


def _compare(found: Party, ref: Party) -> Hit | None:
    m = match_parties(found, ref)
    evidence = found.evidence + ref.evidence
    if m.match is NameMatch.SAME:
        if m.by_code and found.name and ref.name:
            names = compare_names(found.name, ref.name)
            if names.match is NameMatch.DIFFERENT:  # same code, another name: renamed?
                return Hit(
                    f"{found.role_zh}「{found.name}」与{ref.role_zh}「{ref.name}」代码相同但名称不同（是否更名？）/ "
                    f"{found.role_en} {found.name} has the same credit code as {ref.role_en} {ref.name} "
                    f"but another name (renamed?)",
                    evidence, ref.name_ref, at_most=Severity.INFO,
                )
        return None
    if m.match is NameMatch.UNKNOWN:
        return None
    if m.by_code:
        return Hit(
            f"{found.role_zh}统一社会信用代码「{found.credit_code}」（{found.name or '?'}）与{ref.role_zh}"
            f"「{ref.credit_code}」（{ref.name or '?'}）不一致 / {found.role_en} credit code {found.credit_code} "
            f"differs from {ref.role_en} {ref.credit_code}",
            evidence, ref.code_ref,
        )
    if m.match is NameMatch.NEAR:
        assert m.names is not None
        return Hit(
            f"{found.role_zh}「{found.name}」与{ref.role_zh}「{ref.name}」相近但不完全相同（{m.names.reason_zh}），"
            f"请核对 / {found.role_en} {found.name} is close to but not the same as {ref.role_en} {ref.name} "
            f"({m.names.reason_en}); please check",
            evidence, ref.name_ref, at_most=Severity.WARNING,
        )
    return Hit(
        f"{found.role_zh}「{found.name}」与{ref.role_zh}「{ref.name}」不一致 / "
        f"{found.role_en} {found.name} differs from {ref.role_en} {ref.name}",
        evidence, ref.name_ref,
    )


def _party_rule(rule_id: str, dtype: DocType, name_f: str, code_f: str | None, role_zh: str, role_en: str,
                side: str, zh: str, en: str) -> Rule:
    def check(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
        ref = declared_applicant(ctx.declared) if side == "applicant" else supplier_reference(ctx, exclude=dtype)
        if ref is None:
            return
        for doc in ctx.of_type(dtype):
            found = document_party(doc, name_f, code_f, role_zh, role_en)
            if found is None:
                continue
            hit = _compare(found, ref)
            if hit is not None:
                yield hit

    return Rule(rule_id, RuleKind.CHAIN, zh, en, check)


def _licence_is_applicant(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    """Like the others, except that a licence of the *supplier* (some bundles carry
    one) is not the applicant's licence gone wrong."""
    applicant = declared_applicant(ctx.declared)
    supplier = supplier_reference(ctx)
    for doc in ctx.of_type(DocType.BUSINESS_LICENCE):
        found = document_party(doc, "company_name", "credit_code", "营业执照企业", "licence company")
        if found is None:
            continue
        hit = _compare(found, applicant)
        if hit is None:
            continue
        if supplier is not None and match_parties(found, supplier).match is NameMatch.SAME:
            continue
        yield hit


RULES: tuple[Rule, ...] = (
    Rule("licence.company_matches_applicant", RuleKind.CHAIN, "营业执照企业与申报企业一致",
         "the business licence is the declared applicant's", _licence_is_applicant),
    _party_rule("contract.party_a_matches_applicant", DocType.CONTRACT, "party_a_name", "party_a_credit_code",
                "合同甲方", "contract party A", "applicant",
                "合同甲方为申报企业", "the contract's party A is the applicant"),
    _party_rule("contract.party_b_matches_supplier", DocType.CONTRACT, "party_b_name", "party_b_credit_code",
                "合同乙方", "contract party B", "supplier",
                "合同乙方为申报供应商（主要实施方）", "the contract's party B is the declared supplier (main implementer)"),
    _party_rule("invoice.buyer_matches_applicant", DocType.VAT_INVOICE, "buyer_name", "buyer_tax_id",
                "发票购买方", "invoice buyer", "applicant",
                "发票购买方为申报企业", "the invoice buyer is the applicant"),
    _party_rule("invoice.seller_matches_supplier", DocType.VAT_INVOICE, "seller_name", "seller_tax_id",
                "发票销售方", "invoice seller", "supplier",
                "发票销售方（开具方）为申报供应商", "the invoice seller (issuer) is the declared supplier"),
    _party_rule("payment.payer_matches_applicant", DocType.PAYMENT_RECEIPT, "payer_name", None,
                "付款人", "payer", "applicant",
                "付款人为申报企业", "the payer is the applicant"),
    _party_rule("payment.payee_matches_supplier", DocType.PAYMENT_RECEIPT, "payee_name", None,
                "收款人", "payee", "supplier",
                "收款人为申报供应商", "the payee is the declared supplier"),
    _party_rule("application_form.company_matches_applicant", DocType.APPLICATION_FORM, "company_name",
                "credit_code", "申请表企业", "application form company", "applicant",
                "申请表企业为申报企业", "the application form's company is the applicant"),
    _party_rule("application_form.provider_matches_supplier", DocType.APPLICATION_FORM, "provider_name", None,
                "申请表服务商", "application form provider", "supplier",
                "申请表服务商为申报供应商", "the application form's provider is the declared supplier"),
)
