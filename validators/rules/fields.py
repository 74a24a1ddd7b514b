"""Field checks: one document's values agree with themselves.

Credit-code check digits, 大写 = 小写, amount + tax = total, item sums, dates that
exist and are not in the future, periods that end after they start, the invoice's
QR code against its print, the payout form's rows against its total. The
extractor may already have lowered a value's confidence for the same reason; the
rule is what reports it to the clerk.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from extractors.invoice_qr import InvoiceQr, parse_invoice_qr
from extractors.normalize import (
    is_valid_credit_code,
    is_valid_registration_number,
    parse_uppercase_amount,
    uppercase_matches,
)
from intake.model import DocType, Document, Method
from validators.context import CheckContext
from validators.facts import code_of, date_of, ev, evs, fld, money_of, text_of, to_money, yuan
from validators.model import DeclaredRef, Evidence, Severity
from validators.rule import Hit, Outcome, Params, Rule, RuleKind

_DOC_ZH = {
    DocType.BUSINESS_LICENCE: "营业执照", DocType.CONTRACT: "合同", DocType.VAT_INVOICE: "发票",
    DocType.PAYMENT_RECEIPT: "付款凭证", DocType.APPLICATION_FORM: "申请表", DocType.ID_CARD: "身份证",
    DocType.OTHER: "其他材料",
}
_DOC_EN = {
    DocType.BUSINESS_LICENCE: "business licence", DocType.CONTRACT: "contract", DocType.VAT_INVOICE: "invoice",
    DocType.PAYMENT_RECEIPT: "payment receipt", DocType.APPLICATION_FORM: "application form",
    DocType.ID_CARD: "ID card", DocType.OTHER: "other document",
}


def doc_zh(doc: Document) -> str:
    return f"{_DOC_ZH[doc.type]} {doc.file}"


def doc_en(doc: Document) -> str:
    return f"{_DOC_EN[doc.type]} {doc.file}"


# --- credit codes -------------------------------------------------------------------

# (document type, field): the fields that hold a unified social credit code. Invoice
# tax ids are codes only when 18 characters long (older ones have 15, 17 or 20).
_CODE_FIELDS: tuple[tuple[DocType, str], ...] = (
    (DocType.BUSINESS_LICENCE, "credit_code"),
    (DocType.CONTRACT, "party_a_credit_code"),
    (DocType.CONTRACT, "party_b_credit_code"),
    (DocType.VAT_INVOICE, "buyer_tax_id"),
    (DocType.VAT_INVOICE, "seller_tax_id"),
    (DocType.APPLICATION_FORM, "credit_code"),
)


def _credit_codes(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for dtype, name in _CODE_FIELDS:
        for doc in ctx.of_type(dtype):
            code = code_of(doc, name)
            if code is None or (dtype is DocType.VAT_INVOICE and len(code) != 18):
                continue
            if not is_valid_credit_code(code):
                yield Hit(
                    f"{doc_zh(doc)} 的统一社会信用代码「{code}」校验不通过 / "
                    f"credit code {code} on {doc_en(doc)} ({name}) fails its GB 32100 check",
                    evs(doc, name),
                )
    for doc in ctx.of_type(DocType.BUSINESS_LICENCE):
        number = code_of(doc, "registration_number")
        if number is not None and not is_valid_registration_number(number):
            yield Hit(
                f"{doc_zh(doc)} 的注册号「{number}」校验不通过 / registration number {number} fails its check digit",
                evs(doc, "registration_number"),
            )
    for path, code in (("applicant.credit_code", ctx.declared.applicant.credit_code),
                       ("supplier.credit_code", ctx.declared.supplier.credit_code if ctx.declared.supplier else None)):
        if code is not None and not is_valid_credit_code(code):
            yield Hit(
                f"申报的统一社会信用代码「{code}」校验不通过 / declared credit code {code} fails its GB 32100 check",
                declared=DeclaredRef(path, code),
            )


# --- amounts ------------------------------------------------------------------------

_WORDS: tuple[tuple[DocType, str, str], ...] = (
    (DocType.CONTRACT, "total_amount_in_words", "total_amount"),
    (DocType.VAT_INVOICE, "total_in_words", "total"),
)


def _words_match(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for dtype, words_f, amount_f in _WORDS:
        for doc in ctx.of_type(dtype):
            words, amount = text_of(doc, words_f), money_of(doc, amount_f)
            if words is None or amount is None or uppercase_matches(words, amount):
                continue
            read = parse_uppercase_amount(words, tolerant=True)
            if read is None:
                yield Hit(
                    f"{doc_zh(doc)} 的大写金额「{words}」无法读出，请核对是否等于小写 {yuan(amount)} / "
                    f"the amount in words on {doc_en(doc)} could not be read; check it equals {yuan(amount)}",
                    evs(doc, words_f, amount_f), at_most=Severity.WARNING,
                )
            else:
                yield Hit(
                    f"{doc_zh(doc)} 大写金额「{words}」（{yuan(read)}）与小写 {yuan(amount)} 不一致 / "
                    f"amount in words on {doc_en(doc)} ({yuan(read)}) differs from the figures {yuan(amount)}",
                    evs(doc, words_f, amount_f),
                )


def _total_is_sum(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for doc in ctx.of_type(DocType.VAT_INVOICE):
        amount, tax, total = money_of(doc, "amount_excl_tax"), money_of(doc, "tax_amount"), money_of(doc, "total")
        if amount is None or tax is None or total is None or ctx.money_equal(amount + tax, total):
            continue
        yield Hit(
            f"{doc_zh(doc)} 金额 {yuan(amount)} + 税额 {yuan(tax)} = {yuan(amount + tax)}，与价税合计 {yuan(total)} 不符 / "
            f"amount + tax = {yuan(amount + tax)} on {doc_en(doc)} differs from the total {yuan(total)}",
            evs(doc, "amount_excl_tax", "tax_amount", "total"),
        )


def _items_add_up(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for doc in ctx.of_type(DocType.VAT_INVOICE):
        items = fld(doc, "items")
        if items is None or not isinstance(items.value, list) or not items.value:
            continue
        for key, total_f, zh in (("amount", "amount_excl_tax", "金额"), ("tax", "tax_amount", "税额")):
            total = money_of(doc, total_f)
            parts = [to_money(i.get(key)) if isinstance(i, dict) else None for i in items.value]
            known = [p for p in parts if p is not None]
            if total is None or len(known) < len(parts):
                continue  # an unreadable line: nothing certain to compare
            s = sum(known, Decimal("0.00"))
            if not ctx.money_equal(s, total):
                yield Hit(
                    f"{doc_zh(doc)} 明细{zh}合计 {yuan(s)} 与合计{zh} {yuan(total)} 不符 / "
                    f"the items' {key} add up to {yuan(s)} on {doc_en(doc)}, not {yuan(total)}",
                    evs(doc, "items", total_f),
                )


# --- dates --------------------------------------------------------------------------

_DATE_FIELDS: dict[DocType, tuple[str, ...]] = {
    DocType.BUSINESS_LICENCE: ("established_on", "term_start", "term_end", "issued_on"),
    DocType.CONTRACT: ("signed_on", "service_start", "service_end"),
    DocType.VAT_INVOICE: ("issued_on",),
    DocType.PAYMENT_RECEIPT: ("paid_on",),
}
# Dates of things that have happened: none may lie after the day of the check.
_EVENT_FIELDS = frozenset({"established_on", "issued_on", "signed_on", "paid_on"})


def _dates_valid(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for dtype, names in _DATE_FIELDS.items():
        for doc in ctx.of_type(dtype):
            for name in names:
                f = fld(doc, name)
                if f is None:
                    continue
                d = date_of(doc, name)
                if d is None:
                    yield Hit(
                        f"{doc_zh(doc)} 的日期「{f.value}」无效 / {name} {f.value!r} on {doc_en(doc)} is not a valid date",
                        evs(doc, name),
                    )
                elif name in _EVENT_FIELDS and d > ctx.today:
                    yield Hit(
                        f"{doc_zh(doc)} 的日期 {d} 晚于今天 {ctx.today} / {name} {d} on {doc_en(doc)} is in the future",
                        evs(doc, name),
                    )


def _service_period(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for doc in ctx.of_type(DocType.CONTRACT):
        start, end, signed = date_of(doc, "service_start"), date_of(doc, "service_end"), date_of(doc, "signed_on")
        if start and end and start > end:
            yield Hit(
                f"{doc_zh(doc)} 服务期起始 {start} 晚于结束 {end} / service starts {start} after it ends {end}",
                evs(doc, "service_start", "service_end"),
            )
        if signed and end and signed > end:
            yield Hit(
                f"{doc_zh(doc)} 签订日期 {signed} 晚于服务期结束 {end} / signed {signed} after the service ended {end}",
                evs(doc, "signed_on", "service_end"),
            )


def _licence_valid(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    ref = ctx.reference_date
    for doc in ctx.of_type(DocType.BUSINESS_LICENCE):
        start, end = date_of(doc, "term_start"), date_of(doc, "term_end")
        if end is not None and end < ref:
            yield Hit(
                f"{doc_zh(doc)} 营业期限至 {end}，申报日 {ref} 已过期 / the licence's term ended {end}, before {ref}",
                evs(doc, "term_end"),
            )
        if start is not None and end is not None and start > end:
            yield Hit(
                f"{doc_zh(doc)} 营业期限起始 {start} 晚于结束 {end} / the licence's term starts after it ends",
                evs(doc, "term_start", "term_end"),
            )


# --- the invoice QR code ------------------------------------------------------------


def _qr_of(doc: Document) -> InvoiceQr | None:
    for page in doc.pages:
        for payload in page.qr_payloads:
            qr = parse_invoice_qr(payload)
            if qr is not None:
                return qr
    return None


def _printed(doc: Document, name: str) -> Evidence | None:
    """Evidence for a field read from the print (a value the extractor took from the
    QR itself proves nothing when compared with the QR)."""
    f = fld(doc, name)
    if f is None or str(f.method) == Method.QR.value:
        return None
    return ev(doc, name)


def _qr_matches(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for doc in ctx.of_type(DocType.VAT_INVOICE):
        qr = _qr_of(doc)
        if qr is None:
            continue
        checks: list[tuple[str, str, str | None, bool]] = []  # field, zh, qr value, agrees
        if _printed(doc, "invoice_number") is not None:
            checks.append(("invoice_number", "发票号码", qr.number, code_of(doc, "invoice_number") == qr.number))
        if qr.code and _printed(doc, "invoice_code") is not None:
            checks.append(("invoice_code", "发票代码", qr.code, code_of(doc, "invoice_code") == qr.code))
        if qr.issued_on and _printed(doc, "issued_on") is not None:
            checks.append(("issued_on", "开票日期", str(qr.issued_on), date_of(doc, "issued_on") == qr.issued_on))
        if qr.check_code and (code := code_of(doc, "check_code")) and _printed(doc, "check_code") is not None:
            checks.append(("check_code", "校验码", qr.check_code, code.endswith(qr.check_code)))
        if qr.amount is not None:
            # like with like: digital (数电) invoices carry the total in the QR, the
            # others the amount excluding tax (extractors.invoice_qr)
            name = "total" if qr.amount_is_total else "amount_excl_tax"
            printed = money_of(doc, name) if _printed(doc, name) is not None else None
            if printed is not None and printed != qr.amount:
                checks.append((name, "金额", f"{qr.amount:.2f}", False))
        for name, zh, qr_value, agrees in checks:
            if agrees:
                continue
            printed = fld(doc, name)
            yield Hit(
                f"{doc_zh(doc)} 二维码中的{zh}「{qr_value}」与票面「{printed.value if printed else '?'}」不一致 / "
                f"the QR code's {name} {qr_value} differs from the printed {printed.value if printed else '?'}",
                evs(doc, name),
            )


# --- the payout form ----------------------------------------------------------------


def _rows_add_up(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for doc in ctx.of_type(DocType.APPLICATION_FORM):
        rows, total = fld(doc, "rows"), money_of(doc, "total_payout")
        if rows is None or total is None or not isinstance(rows.value, list):
            continue
        payouts = [to_money(r.get("payout_amount")) if isinstance(r, dict) else None for r in rows.value]
        known = [p for p in payouts if p is not None]
        if not known:
            continue
        s = sum(known, Decimal("0.00"))
        if ctx.money_equal(s, total):
            continue
        partial = len(known) < len(payouts)
        yield Hit(
            f"{doc_zh(doc)} 各行兑付金额合计 {yuan(s)} 与兑付总金额 {yuan(total)} 不符"
            f"{'（部分行金额未识别）' if partial else ''} / the rows' payouts add up to {yuan(s)}, "
            f"not the total {yuan(total)}{' (some rows unread)' if partial else ''}",
            evs(doc, "rows", "total_payout"),
            at_most=Severity.WARNING if partial else None,
        )


def _sealed(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for doc in ctx.of_type(DocType.CONTRACT):
        f = fld(doc, "has_seal")
        if f is not None and f.value is False:
            yield Hit(f"{doc_zh(doc)} 未见印章 / no seal found on {doc_en(doc)}", evs(doc, "has_seal"))


RULES: tuple[Rule, ...] = (
    Rule("field.credit_code_valid", RuleKind.FIELD, "统一社会信用代码（注册号）校验位正确",
         "credit codes (and old registration numbers) pass their check digit", _credit_codes),
    Rule("field.amount_in_words_matches", RuleKind.FIELD, "大写金额与小写金额一致",
         "amounts in words equal the amounts in figures", _words_match),
    Rule("invoice.total_equals_amount_plus_tax", RuleKind.FIELD, "发票金额 + 税额 = 价税合计",
         "invoice amount + tax = total", _total_is_sum),
    Rule("invoice.items_add_up", RuleKind.FIELD, "发票明细金额、税额之和等于合计",
         "invoice line amounts and taxes add up to the totals", _items_add_up),
    Rule("field.dates_valid", RuleKind.FIELD, "日期有效且不晚于今天",
         "dates exist and events are not in the future", _dates_valid),
    Rule("contract.service_period_valid", RuleKind.FIELD, "合同服务期起止顺序正确",
         "the contract's service period starts before it ends, after signing", _service_period),
    Rule("licence.valid_on_application", RuleKind.FIELD, "营业执照在申报日有效",
         "the business licence's term covers the application date", _licence_valid),
    Rule("invoice.qr_matches_print", RuleKind.FIELD, "发票二维码与票面信息一致",
         "the invoice QR code agrees with the printed invoice", _qr_matches),
    Rule("application_form.rows_add_up", RuleKind.FIELD, "兑付申请表各行金额之和等于兑付总金额",
         "the payout form's rows add up to its total", _rows_add_up),
    Rule("contract.sealed", RuleKind.FIELD, "合同加盖印章", "the contract carries a seal", _sealed),
)
