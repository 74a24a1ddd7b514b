"""Declared vs found: every value the applicant typed that a document also shows.

Contracts (number, amount, cloud fee, annual fee, dates), invoices (number, total),
payments (amount, date), the licence's founding date, the application form's
figures. Declared items are paired with documents first (``validators.matching``);
a declared item no document shows is a finding of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from extractors.normalize import normalize_code
from intake.model import DocType
from validators.context import CheckContext
from validators.facts import date_of, evs, fld, money_of, text_of, to_money, yuan
from validators.matching import CONTRACT_FACTS, contract_views, invoice_pairs, payment_pairs
from validators.model import DeclaredRef, Severity
from validators.names import NameMatch, compare_names
from validators.rule import Hit, Outcome, Params, Rule, RuleKind
from validators.rules.fields import doc_en, doc_zh

_FACT_ZH = {"number": "合同编号", "signed_on": "签订日期", "service_start": "服务期起", "service_end": "服务期止",
            "amount": "合同金额", "cloud_fee": "上云上平台费用", "annual_fee": "年服务费"}
_FACT_EN = {"number": "contract number", "signed_on": "signing date", "service_start": "service start",
            "service_end": "service end", "amount": "contract amount", "cloud_fee": "cloud fee",
            "annual_fee": "annual fee"}


def _show(value: Any) -> str:
    return yuan(value) if isinstance(value, Decimal) else str(value)


def _differs(ctx: CheckContext, a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return not ctx.money_equal(a, b)
    if isinstance(a, str) and isinstance(b, str):
        return normalize_code(a) != normalize_code(b)
    return a != b


def _contract_rule(rule_id: str, facts: tuple[str, ...], zh: str, en: str) -> Rule:
    def check(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
        for view in contract_views(ctx):
            if view.doc is None or view.declared is None:
                continue
            for name in facts:
                field_name, attr = CONTRACT_FACTS[name]
                declared_value = getattr(view.declared, attr)
                if declared_value is None:
                    continue
                found = view.fact(name)
                if found is None or found.evidence is None:  # the document does not show it
                    continue
                if _differs(ctx, found.value, declared_value):
                    yield Hit(
                        f"{doc_zh(view.doc)}：{_FACT_ZH[name]} {_show(found.value)} 与申报的 {_show(declared_value)} 不一致 / "
                        f"{_FACT_EN[name]} {_show(found.value)} on {doc_en(view.doc)} differs from the declared "
                        f"{_show(declared_value)}",
                        found.evidence_tuple,
                        DeclaredRef(view.declared.path(attr), declared_value),
                    )

    return Rule(rule_id, RuleKind.DECLARED, zh, en, check)


def _contracts_found(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    views = contract_views(ctx)
    if not ctx.of_type(DocType.CONTRACT):
        return  # no contract at all: the required-documents rule says so once
    for view in views:
        if view.doc is None and view.declared is not None:
            number = view.declared.number or ""
            yield Hit(
                f"申报的合同 #{view.declared.index + 1} {number} 未在材料中找到 / "
                f"declared contract #{view.declared.index + 1} {number} is not among the documents",
                declared=DeclaredRef(view.declared.path("number" if number else "amount"),
                                     view.declared.number or view.declared.amount),
            )
        elif view.doc is not None and view.declared is None and ctx.declared.contracts:
            yield Hit(
                f"{doc_zh(view.doc)} 未在申报中列出 / {doc_en(view.doc)} is not among the declared contracts",
                evs(view.doc, "contract_number", "total_amount"), at_most=Severity.INFO,
            )


def _invoices_match(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    any_docs = bool(ctx.of_type(DocType.VAT_INVOICE))
    for pair in invoice_pairs(ctx):
        decl, doc = pair.declared, pair.doc
        if doc is None and decl is not None:
            if any_docs:
                yield Hit(
                    f"申报的发票 {decl.number or '#' + str(decl.index + 1)} 未在材料中找到 / "
                    f"declared invoice {decl.number or '#' + str(decl.index + 1)} is not among the documents",
                    declared=DeclaredRef(decl.path("number" if decl.number else "total"), decl.number or decl.total),
                )
            continue
        if doc is None or decl is None:
            if doc is not None and ctx.declared.invoices:
                yield Hit(f"{doc_zh(doc)} 未在申报中列出 / {doc_en(doc)} is not among the declared invoices",
                          evs(doc, "invoice_number", "total"), at_most=Severity.INFO)
            continue
        number, total = text_of(doc, "invoice_number"), money_of(doc, "total")
        if decl.number and number and normalize_code(number) != decl.number:
            yield Hit(
                f"{doc_zh(doc)}：发票号码 {number} 与申报的 {decl.number} 不一致 / invoice number {number} "
                f"differs from the declared {decl.number}",
                evs(doc, "invoice_number"), DeclaredRef(decl.path("number"), decl.number),
            )
        if decl.total is not None and total is not None and not ctx.money_equal(total, decl.total):
            yield Hit(
                f"{doc_zh(doc)}：价税合计 {yuan(total)} 与申报的 {yuan(decl.total)} 不一致 / invoice total "
                f"{yuan(total)} differs from the declared {yuan(decl.total)}",
                evs(doc, "total"), DeclaredRef(decl.path("total"), decl.total),
            )
        issued = date_of(doc, "issued_on")
        if decl.issued_on and issued and issued != decl.issued_on:
            yield Hit(
                f"{doc_zh(doc)}：开票日期 {issued} 与申报的 {decl.issued_on} 不一致 / issued {issued}, declared "
                f"{decl.issued_on}",
                evs(doc, "issued_on"), DeclaredRef(decl.path("issued_on"), decl.issued_on),
            )


def _payments_match(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    any_docs = bool(ctx.of_type(DocType.PAYMENT_RECEIPT))
    for pair in payment_pairs(ctx):
        decl, doc = pair.declared, pair.doc
        if doc is None and decl is not None:
            if any_docs:
                yield Hit(
                    f"申报的付款 #{decl.index + 1}（{yuan(decl.amount)}，{decl.paid_on or '?'}）未在材料中找到 / "
                    f"declared payment #{decl.index + 1} ({yuan(decl.amount)}, {decl.paid_on or '?'}) "
                    f"is not among the documents",
                    declared=DeclaredRef(decl.path("amount"), decl.amount),
                )
            continue
        if doc is None or decl is None:
            continue
        amount, paid = money_of(doc, "amount"), date_of(doc, "paid_on")
        if decl.amount is not None and amount is not None and not ctx.money_equal(amount, decl.amount):
            yield Hit(
                f"{doc_zh(doc)}：付款金额 {yuan(amount)} 与申报的 {yuan(decl.amount)} 不一致 / paid {yuan(amount)}, "
                f"declared {yuan(decl.amount)}",
                evs(doc, "amount"), DeclaredRef(decl.path("amount"), decl.amount),
            )
        if decl.paid_on and paid and paid != decl.paid_on:
            yield Hit(
                f"{doc_zh(doc)}：付款日期 {paid} 与申报的 {decl.paid_on} 不一致 / paid on {paid}, declared "
                f"{decl.paid_on}",
                evs(doc, "paid_on"), DeclaredRef(decl.path("paid_on"), decl.paid_on),
            )


def _established_matches(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    declared = ctx.declared.applicant.established_on
    if declared is None:
        return
    for doc in ctx.of_type(DocType.BUSINESS_LICENCE):
        found = date_of(doc, "established_on")
        if found is not None and found != declared and _is_applicant_licence(ctx, doc):
            yield Hit(
                f"{doc_zh(doc)}：成立日期 {found} 与申报的 {declared} 不一致 / established {found} on the licence, "
                f"declared {declared}",
                evs(doc, "established_on"), DeclaredRef("applicant.established_on", declared),
            )


def _is_applicant_licence(ctx: CheckContext, doc: Any) -> bool:
    cmp = compare_names(text_of(doc, "company_name"), ctx.declared.applicant.name)
    return cmp.match in (NameMatch.SAME, NameMatch.NEAR, NameMatch.UNKNOWN)


def _form_matches(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    requested = ctx.declared.requested_subsidy
    single = ctx.declared.contracts[0] if len(ctx.declared.contracts) == 1 else None
    for doc in ctx.of_type(DocType.APPLICATION_FORM):
        found = money_of(doc, "requested_amount")
        if requested is not None and found is not None and not ctx.money_equal(found, requested):
            yield Hit(
                f"{doc_zh(doc)}：申请金额 {yuan(found)} 与申报的 {yuan(requested)} 不一致 / requested {yuan(found)} "
                f"on the form, declared {yuan(requested)}",
                evs(doc, "requested_amount"), DeclaredRef("requested_subsidy", requested),
            )
        amount = money_of(doc, "contract_amount")
        if single is not None and single.amount is not None and amount is not None \
                and not ctx.money_equal(amount, single.amount):
            yield Hit(
                f"{doc_zh(doc)}：合同金额 {yuan(amount)} 与申报的 {yuan(single.amount)} 不一致 / contract amount "
                f"{yuan(amount)} on the form, declared {yuan(single.amount)}",
                evs(doc, "contract_amount"), DeclaredRef(single.path("amount"), single.amount),
            )


def _applicant_row(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    """A payout form lists one row per enterprise: the applicant's row must be there
    and carry the declared contract amount and requested payout."""
    name = ctx.declared.applicant.name
    for doc in ctx.of_type(DocType.APPLICATION_FORM):
        rows = fld(doc, "rows")
        if rows is None or not isinstance(rows.value, list) or not rows.value:
            continue
        mine = [r for r in rows.value if isinstance(r, dict)
                and compare_names(str(r.get("company_name") or ""), name).match in (NameMatch.SAME, NameMatch.NEAR)]
        if not mine:
            yield Hit(
                f"{doc_zh(doc)} 中没有申报企业「{name}」的行 / no row for the applicant {name} on {doc_en(doc)}",
                evs(doc, "rows"), DeclaredRef("applicant.name", name),
            )
            continue
        row = mine[0]
        checks: list[tuple[str, str, str, Decimal | None, str]] = [
            ("payout_amount", "兑付金额", "payout", ctx.declared.requested_subsidy, "requested_subsidy")]
        if len(ctx.declared.contracts) == 1:
            c = ctx.declared.contracts[0]
            checks.append(("contract_amount", "合同金额", "contract amount", c.amount, c.path("amount")))
        for key, zh, en, declared, path in checks:
            found = to_money(row.get(key))
            if declared is not None and found is not None and not ctx.money_equal(found, declared):
                yield Hit(
                    f"{doc_zh(doc)} 申报企业行的{zh} {yuan(found)} 与申报的 {yuan(declared)} 不一致 / "
                    f"the applicant's row shows {en} {yuan(found)}, declared {yuan(declared)}",
                    evs(doc, "rows"), DeclaredRef(path, declared),
                )


def _unknown_fields(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for key in ctx.declared.unknown_keys:
        yield Hit(
            f"申报数据中的字段「{key}」未被识别，未参与检查 / declared field {key} is not known and was not checked",
            declared=DeclaredRef(key, None), at_most=Severity.INFO,
        )


RULES: tuple[Rule, ...] = (
    Rule("declared.contracts_found", RuleKind.DECLARED, "申报的合同均在材料中",
         "every declared contract is among the documents", _contracts_found),
    _contract_rule("declared.contract_number_matches", ("number",),
                   "合同编号与申报一致", "the contract number equals the declared one"),
    _contract_rule("declared.contract_amount_matches", ("amount",),
                   "合同金额与申报一致", "the contract amount equals the declared one"),
    _contract_rule("declared.contract_cloud_fee_matches", ("cloud_fee",),
                   "合同上云上平台费用与申报一致", "the contract's cloud fee equals the declared one"),
    _contract_rule("declared.contract_annual_fee_matches", ("annual_fee",),
                   "合同年服务费与申报一致", "the contract's annual fee equals the declared one"),
    _contract_rule("declared.contract_dates_match", ("signed_on", "service_start", "service_end"),
                   "合同签订日期、服务期与申报一致", "the contract's dates equal the declared ones"),
    Rule("declared.invoices_match", RuleKind.DECLARED, "发票号码、金额、日期与申报一致",
         "invoice numbers, totals and dates equal the declared ones", _invoices_match),
    Rule("declared.payments_match", RuleKind.DECLARED, "付款金额、日期与申报一致",
         "payment amounts and dates equal the declared ones", _payments_match),
    Rule("declared.established_on_matches", RuleKind.DECLARED, "营业执照成立日期与申报一致",
         "the licence's founding date equals the declared one", _established_matches),
    Rule("declared.form_matches", RuleKind.DECLARED, "申请表金额与申报一致",
         "the application form's amounts equal the declared ones", _form_matches),
    Rule("application_form.applicant_row_matches", RuleKind.DECLARED, "兑付申请表中申报企业一行与申报一致",
         "the payout form's row for the applicant matches the declaration", _applicant_row),
    Rule("declared.unknown_field", RuleKind.DECLARED, "申报数据中未识别的字段",
         "declared fields this version does not know", _unknown_fields),
)
