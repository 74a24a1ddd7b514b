"""Planted defects: one thing wrong with an otherwise clean application.

Each kind names the programs it applies to, the rule ids that must report it, the
rules it may also set off (a wrong contract date can also zero a subsidy), and where
it shows — a document's field or a declared path — so that a benchmark can tell a
finding about the planted fault from one that merely happens to share its rule.
Only faults the uploaded documents or the declaration show are planted: nothing that
needs a credit record or a market price.

    KINDS: dict[str, DefectKind]
    kinds_for(program) -> list[DefectKind]
    plant(plan, kind) -> Planted    (changes the plan; render it afterwards)

A kind changes as little as it can: one document (forked from the deal, drawn from
the same seed as in the clean twin), the declaration, or the deployment list.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from samplegen.application import (GUANGDONG, HEBEI, MONGOLIA, PROGRAMS, YICHUN, DocPlan, Plan,
                                   Planted, Pointer, policy, reschedule, rule_params)
from samplegen.fakedata import REGIONS, Company, Scenario, contract_number, make_company, mobile
from samplegen.invoice_data import InvoiceData
from samplegen.textfmt import add_years, money, random_date, rmb_upper

ALL = PROGRAMS
PlantFn = Callable[[Plan, random.Random], Planted | None]


@dataclass(frozen=True)
class DefectKind:
    name: str
    programs: tuple[str, ...]
    rules: tuple[str, ...]  # every one must report it
    summary: str
    side_rules: tuple[str, ...] = ()  # may report it too (consequences, not false alarms)
    severity: str = "error"  # what the rule reports on confident values ("info": a notice only)
    needs_lists: bool = False  # only visible with the program's deployment list
    plant_fn: PlantFn | None = None


KINDS: dict[str, DefectKind] = {}


def kind(name: str, programs: tuple[str, ...], rules: tuple[str, ...], summary: str, *,
         side: tuple[str, ...] = (), severity: str = "error",
         needs_lists: bool = False) -> Callable[[PlantFn], PlantFn]:
    def register(fn: PlantFn) -> PlantFn:
        KINDS[name] = DefectKind(name, programs, rules, summary, side, severity, needs_lists, fn)
        return fn
    return register


def kinds_for(program: str) -> list[DefectKind]:
    return [k for k in KINDS.values() if program in k.programs]


def plant(plan: Plan, name: str) -> Planted:
    k = KINDS[name]
    if plan.program not in k.programs:
        raise ValueError(f"defect {name} does not apply to {plan.program}")
    rng = random.Random(f"defect:{plan.program}:{plan.seed}:{name}")
    planted = k.plant_fn(plan, rng) if k.plant_fn else None
    assert planted is not None
    plan.planted = planted
    return planted


def _planted(name: str, pointers: list[Pointer], note: str, plan: Plan) -> Planted:
    k = KINDS[name]
    side = tuple(r for r in k.side_rules if _runs(plan.program, r))
    return Planted(name, k.rules, side, pointers, note, k.severity)


def _runs(program: str, rule_id: str) -> bool:
    return any(r["id"] == rule_id and r.get("severity") for r in policy(program)["rules"])


# --- helpers -------------------------------------------------------------------------


def _bump(amount: Decimal | str, rng: random.Random, *, down: bool | None = None) -> Decimal:
    """Another plausible amount: a slip of a few hundred or thousand yuan, or a digit."""
    x = money(amount)
    for _ in range(20):
        step = money(rng.choice([100, 200, 500, 1000, 2000, 5000, 10000]))
        sign = (-1 if down else 1) if down is not None else rng.choice((-1, 1))
        y = x + sign * step
        if y > 0 and y != x:
            return money(y)
    return money(x + 100)


def _other(plan: Plan, rng: random.Random, role: str, region=None) -> Company:
    """Another company, of the same place unless told: a sister firm, another vendor."""
    base = plan.sc.applicant if role == "applicant" else plan.sc.provider
    for _ in range(20):
        c = make_company(rng, region or base.region, role, founded_before=plan.sc.signed_on)
        if c.name not in (plan.sc.applicant.name, plan.sc.provider.name):
            return c
    raise RuntimeError("no other company")


def _invoice_edit(plan: Plan, fn: Callable[[InvoiceData], InvoiceData]) -> None:
    plan.doc("invoice").invoice_edit = fn


def _contract_index(plan: Plan) -> int:
    return len(plan.extra_contracts)  # extra declared contracts come first


# Characters OCR and typists confuse in company names; each pair is one that
# validators.names treats as confusable (a near miss, not another company).
NEAR = {"科": "料", "技": "枝", "网": "冈", "泰": "秦", "迅": "讯", "讯": "迅", "业": "亚",
        "天": "夭", "大": "太", "日": "曰", "木": "本", "千": "干", "晋": "普", "贝": "见",
        "未": "末", "土": "士", "辩": "辨", "历": "厉", "锡": "赐", "王": "玉", "人": "入",
        "限": "很", "司": "同"}


def near_name(name: str, rng: random.Random) -> str:
    """``name`` with one character swapped for a look-alike: in the brand or trade
    where it has one, else in the legal form (有很公司)."""
    spots = [i for i, ch in enumerate(name[:-4]) if ch in NEAR] or \
        [i for i, ch in enumerate(name) if ch in NEAR]
    i = rng.choice(spots)
    return name[:i] + NEAR[name[i]] + name[i + 1:]


# --- the bundle ----------------------------------------------------------------------


@kind("missing_document", ALL, ("program.required_documents",),
      "a document the program requires was typed into the form but not uploaded")
def _missing(plan: Plan, rng: random.Random) -> Planted:
    required = {r["type"] for r in policy(plan.program)["required_documents"]}
    names = [d.name for d in plan.docs if d.doc_type in required and d.doc_type != "contract"]
    d = plan.doc(rng.choice(names))
    d.uploaded = False
    return _planted("missing_document", [Pointer(missing_type=d.doc_type)],
                    f"{d.doc_type} ({d.name}) not uploaded", plan)


@kind("illegible_scan", ALL, ("document.legible",),
      "the payment receipt uploaded as an unreadable phone shot (清晰可辨认)",
      side=("program.required_documents",))
def _illegible(plan: Plan, rng: random.Random) -> Planted:
    plan.doc("receipt").damage = "illegible"
    return _planted("illegible_scan", [Pointer(doc="receipt")], "receipt is an illegible photo", plan)


@kind("unreadable_file", ALL, ("bundle.file_readable",),
      "an extra upload (a copy of the contract) broke off half way: not a readable PDF")
def _unreadable(plan: Plan, rng: random.Random) -> Planted:
    plan.docs.append(DocPlan("attachment", "contract", "pdf", False, damage="truncated",
                             in_declaration=False))
    return _planted("unreadable_file", [Pointer(doc="attachment")], "attachment.pdf truncated", plan)


# --- each document agrees with itself --------------------------------------------------

_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# never swap a check character for one OCR could take it for (the extractor might
# then "repair" the code instead of reporting it)
_LOOKALIKE = {"0": "DQ", "D": "0Q", "Q": "0D", "1": "ILT", "I": "1L", "L": "1I", "5": "S",
              "S": "5", "8": "B", "B": "8", "2": "Z", "Z": "2", "6": "G", "G": "6", "U": "V",
              "T": "1"}


def bad_check_char(code: str, rng: random.Random) -> str:
    last = code[-1]
    pool = [c for c in _CODE_CHARS if c != last and c not in _LOOKALIKE.get(last, "")
            and last not in _LOOKALIKE.get(c, "")]
    return code[:-1] + rng.choice(pool)


@kind("licence_bad_checksum", ALL, ("field.credit_code_valid",),
      "the licence's 统一社会信用代码 fails its GB 32100 check character")
def _bad_code(plan: Plan, rng: random.Random) -> Planted:
    d = plan.doc("licence")
    d.fmt = "new"
    c = copy.deepcopy(plan.sc.applicant)
    c.credit_code = bad_check_char(c.credit_code, rng)
    d.company = c
    return _planted("licence_bad_checksum", [Pointer("licence", "credit_code")],
                    f"licence credit code {plan.sc.applicant.credit_code} printed as {c.credit_code}",
                    plan)


@kind("invoice_words_mismatch", ALL, ("field.amount_in_words_matches",),
      "the invoice's 价税合计（大写） says another amount than its 小写")
def _words(plan: Plan, rng: random.Random) -> Planted:
    def edit(inv: InvoiceData) -> InvoiceData:
        inv.words = rmb_upper(_bump(inv.total, rng), yuan="圆" if "圆" in inv.words else "元")
        return inv

    _invoice_edit(plan, edit)
    return _planted("invoice_words_mismatch", [Pointer("invoice", "total_in_words")],
                    "invoice 大写 ≠ 小写", plan)


@kind("invoice_total_mismatch", ALL, ("invoice.total_equals_amount_plus_tax",),
      "the invoice's 价税合计 is not 金额 + 税额")
def _total(plan: Plan, rng: random.Random) -> Planted:
    def edit(inv: InvoiceData) -> InvoiceData:
        inv.total = _bump(inv.total, rng)
        inv.words = rmb_upper(inv.total, yuan="圆" if "圆" in inv.words else "元")
        return inv

    _invoice_edit(plan, edit)
    return _planted("invoice_total_mismatch",
                    [Pointer("invoice", "total"), Pointer("invoice", "amount_excl_tax"),
                     Pointer("invoice", "tax_amount")], "invoice total ≠ amount + tax", plan)


@kind("invoice_items_mismatch", ALL, ("invoice.items_add_up",),
      "an invoice line's amount does not add up to the 合计 金额", severity="warning")
def _items(plan: Plan, rng: random.Random) -> Planted:
    def edit(inv: InvoiceData) -> InvoiceData:
        it = rng.choice(inv.items)
        it.amount = _bump(it.amount, rng) if it.amount > 1000 else it.amount + 100
        return inv

    _invoice_edit(plan, edit)
    return _planted("invoice_items_mismatch", [Pointer("invoice", "items")],
                    "one invoice line amount changed, totals kept", plan)


@dataclass
class _DoctoredInvoice(InvoiceData):
    """An invoice whose printed number was edited after issue: the QR code still
    carries the number the tax system issued."""

    original_qr: str = ""

    @property
    def qr_payload(self) -> str:  # type: ignore[override]
        return self.original_qr


@kind("invoice_qr_mismatch", ALL, ("invoice.qr_matches_print",),
      "the invoice number printed differs from the one in its QR code (an edited invoice)")
def _qr(plan: Plan, rng: random.Random) -> Planted:
    def edit(inv: InvoiceData) -> InvoiceData:
        values = {f.name: getattr(inv, f.name) for f in dataclasses.fields(InvoiceData)}
        doctored = _DoctoredInvoice(**values, original_qr=inv.qr_payload)
        digits = list(doctored.number)
        i = len(digits) - 1 - rng.randrange(3)
        digits[i] = rng.choice([c for c in "0123456789" if c != digits[i]])
        doctored.number = "".join(digits)
        return doctored

    _invoice_edit(plan, edit)
    return _planted("invoice_qr_mismatch", [Pointer("invoice", "invoice_number")],
                    "printed invoice number edited, QR kept", plan)


@kind("future_date", ALL, ("field.dates_valid",),
      "the payment receipt is dated after the day of the check (a mistyped year)")
def _future(plan: Plan, rng: random.Random) -> Planted:
    sc = plan.fork("receipt")
    sc.paid_on = plan.today + dt.timedelta(days=rng.randint(30, 400))
    return _planted("future_date", [Pointer("receipt", "paid_on")],
                    f"receipt paid_on {sc.paid_on} after {plan.today}", plan)


@kind("contract_period_reversed", ALL, ("contract.service_period_valid",),
      "the contract's service period ends before it starts (服务期限 typed with the wrong year)",
      side=("program.contract_in_service_on", "subsidy.requested_within_eligible"))
def _reversed(plan: Plan, rng: random.Random) -> Planted:
    sc = plan.fork("contract")
    sc.service_end = add_years(sc.service_end, -sc.years)
    return _planted("contract_period_reversed",
                    [Pointer("contract", "service_end"), Pointer("contract", "service_start")],
                    f"service {sc.service_start} – {sc.service_end}", plan)


@kind("licence_expired", ALL, ("licence.valid_on_application",),
      "the licence's 营业期限 ended before the application date")
def _expired(plan: Plan, rng: random.Random) -> Planted:
    d = plan.doc("licence")
    d.licence = "expired"
    # old enough for a 10-year term to have run out (licences draw their own term)
    c = copy.deepcopy(plan.sc.applicant)
    c.established = add_years(plan.submitted_on, -10) - dt.timedelta(days=rng.randint(30, 900))
    d.company = c
    return _planted("licence_expired", [Pointer("licence", "term_end")],
                    f"licence term ends before {plan.submitted_on}", plan)


@kind("contract_unsealed", ALL, ("contract.sealed",),
      "the contract carries no seal at all", severity="warning")
def _unsealed(plan: Plan, rng: random.Random) -> Planted:
    plan.fork("contract").extra["has_seal"] = False
    return _planted("contract_unsealed", [Pointer("contract", "has_seal")], "contract not sealed",
                    plan)


# --- the evidence chain ----------------------------------------------------------------


def _swap_party(plan: Plan, rng: random.Random, name: str, doc: str, role: str,
                fields: tuple[str, ...]) -> Planted:
    other = _other(plan, rng, role)
    sc = plan.fork(doc)
    if role == "applicant":
        sc.applicant = other
    else:
        sc.provider = other
    return _planted(name, [Pointer(doc, f) for f in fields],
                    f"{doc} names {other.name} ({other.credit_code}) as the {role}", plan)


@kind("licence_other_company", ALL, ("licence.company_matches_applicant",),
      "the uploaded licence is another company's (a sister firm's)")
def _licence_other(plan: Plan, rng: random.Random) -> Planted:
    other = _other(plan, rng, "applicant")
    plan.doc("licence").company = other
    return _planted("licence_other_company",
                    [Pointer("licence", "company_name"), Pointer("licence", "credit_code"),
                     Pointer("licence", "registration_number")],
                    f"licence of {other.name}", plan)


@kind("contract_party_a_mismatch", ALL, ("contract.party_a_matches_applicant",),
      "the contract's 甲方 is another company")
def _party_a(plan: Plan, rng: random.Random) -> Planted:
    return _swap_party(plan, rng, "contract_party_a_mismatch", "contract", "applicant",
                       ("party_a_name", "party_a_credit_code"))


@kind("contract_party_b_mismatch", ALL, ("contract.party_b_matches_supplier",),
      "the contract's 乙方 is not the declared supplier")
def _party_b(plan: Plan, rng: random.Random) -> Planted:
    return _swap_party(plan, rng, "contract_party_b_mismatch", "contract", "provider",
                       ("party_b_name", "party_b_credit_code"))


@kind("invoice_buyer_mismatch", ALL, ("invoice.buyer_matches_applicant",),
      "the invoice was issued to another buyer")
def _buyer(plan: Plan, rng: random.Random) -> Planted:
    return _swap_party(plan, rng, "invoice_buyer_mismatch", "invoice", "applicant",
                       ("buyer_name", "buyer_tax_id"))


@kind("invoice_seller_mismatch", ALL, ("invoice.seller_matches_supplier",),
      "the invoice was issued by another company than the supplier")
def _seller(plan: Plan, rng: random.Random) -> Planted:
    return _swap_party(plan, rng, "invoice_seller_mismatch", "invoice", "provider",
                       ("seller_name", "seller_tax_id"))


@kind("payer_mismatch", ALL, ("payment.payer_matches_applicant",),
      "another company paid the supplier")
def _payer(plan: Plan, rng: random.Random) -> Planted:
    return _swap_party(plan, rng, "payer_mismatch", "receipt", "applicant", ("payer_name",))


@kind("payee_mismatch", ALL, ("payment.payee_matches_supplier",),
      "the payment went to another company than the supplier")
def _payee(plan: Plan, rng: random.Random) -> Planted:
    return _swap_party(plan, rng, "payee_mismatch", "receipt", "provider", ("payee_name",))


@kind("payee_near_miss", ALL, ("payment.payee_matches_supplier",),
      "the receipt's payee differs from the supplier by one confusable character",
      severity="warning")
def _payee_near(plan: Plan, rng: random.Random) -> Planted:
    sc = plan.fork("receipt")
    name = near_name(sc.provider.name, rng)
    sc.provider = dataclasses.replace(sc.provider, name=name)
    return _planted("payee_near_miss", [Pointer("receipt", "payee_name")],
                    f"payee {name} for supplier {plan.sc.provider.name}", plan)


@kind("form_company_mismatch", (HEBEI,), ("application_form.company_matches_applicant",),
      "the 申报表 names another company")
def _form_company(plan: Plan, rng: random.Random) -> Planted:
    return _swap_party(plan, rng, "form_company_mismatch", "form", "applicant",
                       ("company_name", "credit_code"))


@kind("form_provider_mismatch", (HEBEI, YICHUN), ("application_form.provider_matches_supplier",),
      "the form's 云服务商 is not the declared supplier")
def _form_provider(plan: Plan, rng: random.Random) -> Planted:
    return _swap_party(plan, rng, "form_provider_mismatch", "form", "provider", ("provider_name",))


# --- declared vs found -----------------------------------------------------------------


def _edit_contract(plan: Plan, name: str, key: str,
                   change: Callable[[Any, random.Random], Any], rng: random.Random) -> Planted:
    i = _contract_index(plan)

    def edit(declared: dict[str, Any], documents: dict[str, dict[str, Any]]) -> None:
        c = declared["contracts"][i]
        c[key] = change(c.get(key), rng)

    plan.declared_edits.append(edit)
    return _planted(name, [Pointer(declared=f"contracts[{i}].{key}")],
                    f"declared contracts[{i}].{key} differs from the contract", plan)


def _money_change(old: Any, rng: random.Random) -> str:
    return f"{_bump(old, rng):.2f}"


@kind("declared_contract_missing", ALL, ("declared.contracts_found",),
      "the declaration lists an earlier contract that was not uploaded",
      side=("program.max_contracts",))
def _extra_contract(plan: Plan, rng: random.Random) -> Planted:
    sc = copy.deepcopy(plan.sc)
    later = plan.program in (YICHUN, GUANGDONG)  # first purchase only / one voucher, one contract
    if later:  # a further contract, signed since
        signed = min(plan.sc.signed_on + dt.timedelta(days=rng.randint(20, 90)),
                     plan.submitted_on - dt.timedelta(days=1))
    else:  # the previous contract, ended before this one
        signed = plan.sc.signed_on - dt.timedelta(days=rng.randint(380, 500))
    reschedule(sc, rng, signed, 1)
    end = sc.service_end if later else min(sc.service_end, plan.sc.signed_on)
    entry: dict[str, Any] = {"number": contract_number(rng, sc.provider, signed),
                             "signed_on": sc.signed_on.isoformat(),
                             "service_start": sc.service_start.isoformat(),
                             "service_end": end.isoformat(), "amount": f"{sc.total:.2f}"}
    if plan.category:
        entry["category"] = plan.category
    if plan.service:
        entry["service"] = plan.service
        entry["cloud_fee"] = f"{money(sc.total * Decimal('0.9')):.2f}"
    plan.extra_contracts.append(entry)
    return _planted("declared_contract_missing", [Pointer(declared="contracts[0].number"),
                                                  Pointer(declared="contracts[0].amount")],
                    f"declared contract {entry['number']} not uploaded", plan)


@kind("declared_contract_number_mismatch", ALL, ("declared.contract_number_matches",),
      "the contract number typed differs from the contract's")
def _number(plan: Plan, rng: random.Random) -> Planted:
    def change(old: Any, rng: random.Random) -> str:
        s = list(str(old))
        digits = [i for i, ch in enumerate(s) if ch.isdigit()]
        i = digits[-1 - rng.randrange(min(3, len(digits)))]
        s[i] = rng.choice([c for c in "0123456789" if c != s[i]])
        return "".join(s)

    return _edit_contract(plan, "declared_contract_number_mismatch", "number", change, rng)


@kind("declared_amount_mismatch", ALL, ("declared.contract_amount_matches",),
      "the contract amount typed differs from the contract's",
      side=("declared.form_matches", "application_form.applicant_row_matches"))
def _amount(plan: Plan, rng: random.Random) -> Planted:
    return _edit_contract(plan, "declared_amount_mismatch", "amount", _money_change, rng)


@kind("declared_cloud_fee_mismatch", (HEBEI, GUANGDONG), ("declared.contract_cloud_fee_matches",),
      "the 上云上平台费用 typed differs from the contract's")
def _cloud_fee(plan: Plan, rng: random.Random) -> Planted:
    if plan.sc.cloud_fee is None:  # the contract must state one to be compared
        sc = plan.fork("contract")
        sc.cloud_fee = money(round(sc.total * Decimal("0.9") / 100) * 100)
    return _edit_contract(plan, "declared_cloud_fee_mismatch", "cloud_fee", _money_change, rng)


@kind("declared_annual_fee_mismatch", (HEBEI,), ("declared.contract_annual_fee_matches",),
      "the annual fee typed differs from the contract's")
def _annual(plan: Plan, rng: random.Random) -> Planted:
    return _edit_contract(plan, "declared_annual_fee_mismatch", "annual_fee", _money_change, rng)


@kind("declared_dates_mismatch", ALL, ("declared.contract_dates_match",),
      "the signing date typed differs from the contract's")
def _dates(plan: Plan, rng: random.Random) -> Planted:
    def change(old: Any, rng: random.Random) -> str:
        d = dt.date.fromisoformat(old)
        return (d + dt.timedelta(days=rng.choice([-30, -7, -3, -1, 1, 2, 10]))).isoformat()

    return _edit_contract(plan, "declared_dates_mismatch", "signed_on", change, rng)


def _declared_money(plan: Plan, name: str, path: tuple[str, int, str], rng: random.Random,
                    down: bool | None = None) -> Planted:
    section, i, key = path

    def edit(declared: dict[str, Any], documents: dict[str, dict[str, Any]]) -> None:
        entry = declared[section][i]
        entry[key] = f"{_bump(entry[key], rng, down=down):.2f}"

    plan.declared_edits.append(edit)
    return _planted(name, [Pointer(declared=f"{section}[{i}].{key}")],
                    f"declared {section}[{i}].{key} differs from the document", plan)


@kind("declared_invoice_mismatch", ALL, ("declared.invoices_match",),
      "the invoice total typed differs from the invoice's")
def _inv_decl(plan: Plan, rng: random.Random) -> Planted:
    return _declared_money(plan, "declared_invoice_mismatch", ("invoices", 0, "total"), rng)


@kind("declared_payment_mismatch", ALL, ("declared.payments_match",),
      "the payment amount typed differs from the receipt's")
def _pay_decl(plan: Plan, rng: random.Random) -> Planted:
    return _declared_money(plan, "declared_payment_mismatch", ("payments", 0, "amount"), rng)


@kind("declared_established_mismatch", ALL, ("declared.established_on_matches",),
      "the founding date typed differs from the licence's")
def _est_decl(plan: Plan, rng: random.Random) -> Planted:
    def edit(declared: dict[str, Any], documents: dict[str, dict[str, Any]]) -> None:
        d = dt.date.fromisoformat(declared["applicant"]["established_on"])
        declared["applicant"]["established_on"] = add_years(
            d, rng.choice([-2, -1, 1])).isoformat()

    plan.declared_edits.append(edit)
    return _planted("declared_established_mismatch",
                    [Pointer(declared="applicant.established_on")],
                    "declared founding date differs from the licence", plan)


def _requested_edit(plan: Plan, rng: random.Random, up: bool) -> None:
    def edit(declared: dict[str, Any], documents: dict[str, dict[str, Any]]) -> None:
        req = money(declared["requested_subsidy"])
        if up:
            declared["requested_subsidy"] = f"{req + money(rng.choice([1000, 2000, 5000, 10000])):.2f}"
        else:
            cut = min(req / 2, money(rng.choice([500, 1000, 2000, 5000])))
            declared["requested_subsidy"] = f"{money(req - cut):.2f}"

    plan.declared_edits.append(edit)


@kind("form_amount_mismatch", (HEBEI,), ("declared.form_matches",),
      "the amount requested in the portal differs from the 申报表's (typed lower)")
def _form_amount(plan: Plan, rng: random.Random) -> Planted:
    _requested_edit(plan, rng, up=False)
    return _planted("form_amount_mismatch", [Pointer(declared="requested_subsidy"),
                                             Pointer("form", "requested_amount")],
                    "declared requested below the form's", plan)


@kind("payout_row_mismatch", (YICHUN,), ("application_form.applicant_row_matches",),
      "the amount requested differs from the applicant's row on the payout form (typed lower)")
def _row_amount(plan: Plan, rng: random.Random) -> Planted:
    _requested_edit(plan, rng, up=False)
    return _planted("payout_row_mismatch", [Pointer(declared="requested_subsidy"),
                                            Pointer("form", "rows")],
                    "declared requested below the payout row", plan)


@kind("payout_rows_not_adding_up", (YICHUN,), ("application_form.rows_add_up",),
      "the payout form's 兑付总金额 is not the sum of its rows")
def _rows_sum(plan: Plan, rng: random.Random) -> Planted:
    sc = plan.fork("form")
    sc.extra["total_payout_delta"] = str(rng.choice([-1, 1]) * rng.choice([500, 1000, 5000, 10000]))
    return _planted("payout_rows_not_adding_up",
                    [Pointer("form", "total_payout"), Pointer("form", "rows")],
                    f"total payout off by {sc.extra['total_payout_delta']}", plan)


@kind("declared_unknown_field", ALL, ("declared.unknown_field",),
      "the declaration carries a key this version does not know (info only)", severity="info")
def _unknown(plan: Plan, rng: random.Random) -> Planted:
    phone = mobile(rng)

    def edit(declared: dict[str, Any], documents: dict[str, dict[str, Any]]) -> None:
        declared["contact_phone"] = phone

    plan.declared_edits.append(edit)
    return _planted("declared_unknown_field", [Pointer(declared="contact_phone")],
                    "declared contact_phone", plan)


# --- the program's conditions ------------------------------------------------------------


def _program_prefixes(program: str) -> tuple[str, ...]:
    return tuple(rule_params(program, "program.applicant_region")["region_codes"])


@kind("applicant_outside_region", ALL, ("program.applicant_region",),
      "the applicant is registered outside the program's region")
def _outside(plan: Plan, rng: random.Random) -> Planted:
    prefixes = _program_prefixes(plan.program)
    regions = [r for rs in REGIONS.values() for r in rs if not r.code.startswith(prefixes)]
    other = _other(plan, rng, "applicant", region=rng.choice(regions))
    plan.set_party("applicant", other)  # the whole application is this company's
    return _planted("applicant_outside_region",
                    [Pointer("licence", "credit_code"), Pointer("licence", "registration_number"),
                     Pointer(declared="applicant.credit_code")],
                    f"applicant registered in {other.region.city}{other.region.district}", plan)


_BRANCH_TYPES = {"有限公司": "有限责任公司分公司（自然人投资或控股）",
                 "有限责任公司": "有限责任公司分公司（自然人投资或控股）",
                 "股份有限公司": "股份有限公司分公司（非上市、自然人投资或控股）"}


@kind("applicant_branch_office", (HEBEI, YICHUN, GUANGDONG), ("licence.independent_legal_person",),
      "the applicant is a 分公司 (a branch, no independent legal personality)")
def _branch(plan: Plan, rng: random.Random) -> Planted:
    a = plan.sc.applicant
    form = next(f for f in ("股份有限公司", "有限责任公司", "有限公司") if a.name.endswith(f))
    name = f"{a.name}{a.region.city_short}分公司"
    plan.set_party("applicant", dataclasses.replace(a, name=name, company_type=_BRANCH_TYPES[form]))
    plan.doc("licence").fmt = "new"
    return _planted("applicant_branch_office",
                    [Pointer("licence", "company_type"), Pointer("licence", "company_name")],
                    f"applicant {name}", plan)


@kind("applicant_too_young", (YICHUN, GUANGDONG), ("program.applicant_established_min_years",),
      "the applicant was founded less than a year before applying")
def _young(plan: Plan, rng: random.Random) -> Planted:
    lo = plan.submitted_on - dt.timedelta(days=360)
    hi = max(lo, min(plan.sc.signed_on - dt.timedelta(days=5), plan.submitted_on - dt.timedelta(days=30)))
    c = copy.deepcopy(plan.sc.applicant)
    c.established = random_date(rng, lo, hi)
    d = plan.doc("licence")
    d.company, d.fmt = c, "new"
    return _planted("applicant_too_young", [Pointer("licence", "established_on")],
                    f"founded {c.established}, applied {plan.submitted_on}", plan)


@kind("revenue_below_minimum", (GUANGDONG,), ("program.applicant_min_revenue",),
      "last year's main revenue declared below the program's minimum")
def _revenue(plan: Plan, rng: random.Random) -> Planted:
    minimum = money(rule_params(plan.program, "program.applicant_min_revenue")["min_revenue"])
    revenue = money(rng.randint(10, int(minimum / 100000) - 1) * 100000)

    def edit(declared: dict[str, Any], documents: dict[str, dict[str, Any]]) -> None:
        declared["applicant"]["revenue_last_year"] = f"{revenue:.2f}"

    plan.declared_edits.append(edit)
    return _planted("revenue_below_minimum", [Pointer(declared="applicant.revenue_last_year")],
                    f"revenue {revenue} < {minimum}", plan)


@kind("contract_signed_outside_window", (HEBEI, GUANGDONG), ("program.contract_signed_window",),
      "the contract was signed outside the program's window")
def _window(plan: Plan, rng: random.Random) -> Planted:
    sc = plan.fork("contract")
    if plan.program == HEBEI:  # after 08-31, but still in service on 11-30
        signed = random_date(rng, dt.date(2018, 9, 1), dt.date(2018, 9, 30))
    else:  # on or before 2018-03-20 (the notice's "after" is strict)
        signed = random_date(rng, dt.date(2018, 1, 2), dt.date(2018, 3, 20))
    reschedule(sc, rng, signed, sc.years)
    return _planted("contract_signed_outside_window", [Pointer("contract", "signed_on")],
                    f"contract signed {signed}", plan)


@kind("contract_not_in_service", (HEBEI,), ("program.contract_in_service_on",),
      "the latest contract's service ended before 2018-11-30",
      side=("subsidy.requested_within_eligible",))
def _ended(plan: Plan, rng: random.Random) -> Planted:
    sc = plan.fork("contract")
    # same length and amounts, two to ten months too early
    signed = add_years(dt.date(2018, 11, 1), -sc.years) - dt.timedelta(days=rng.randint(60, 300))
    reschedule(sc, rng, signed, sc.years)
    return _planted("contract_not_in_service",
                    [Pointer("contract", "service_end"), Pointer("contract", "service_start")],
                    f"service {sc.service_start} – {sc.service_end}", plan)


@kind("submitted_late", (HEBEI,), ("program.submitted_within",),
      "submitted after the application period closed")
def _late(plan: Plan, rng: random.Random) -> Planted:
    closes = dt.date.fromisoformat(str(rule_params(plan.program, "program.submitted_within")["closes"]))
    plan.submitted_on = closes + dt.timedelta(days=rng.randint(1, 12))
    plan.today = max(plan.today, plan.submitted_on + dt.timedelta(days=rng.randint(2, 10)))
    return _planted("submitted_late", [Pointer(declared="submitted_on")],
                    f"submitted {plan.submitted_on} after {closes}", plan)


@kind("category_not_covered", (HEBEI, MONGOLIA), ("program.category_allowed",),
      "the declared 上云类别 is not one the program covers",
      side=("subsidy.requested_within_eligible",))
def _category(plan: Plan, rng: random.Random) -> Planted:
    allowed = rule_params(plan.program, "program.category_allowed")["categories"]
    choices = [c for c in ("equipment_product", "manufacturing_capability", "other") if c not in allowed]
    category = rng.choice(choices)
    i = _contract_index(plan)

    def edit(declared: dict[str, Any], documents: dict[str, dict[str, Any]]) -> None:
        declared["contracts"][i]["category"] = category

    plan.declared_edits.append(edit)
    return _planted("category_not_covered", [Pointer(declared=f"contracts[{i}].category")],
                    f"category {category}", plan)


@kind("category_missing", (MONGOLIA,), ("program.category_allowed", "subsidy.eligible_computed"),
      "no 上云类别 declared: the voucher ratio cannot be chosen")
def _no_category(plan: Plan, rng: random.Random) -> Planted:
    i = _contract_index(plan)

    def edit(declared: dict[str, Any], documents: dict[str, dict[str, Any]]) -> None:
        declared["contracts"][i].pop("category", None)

    plan.declared_edits.append(edit)
    return _planted("category_missing", [Pointer(declared=f"contracts[{i}].category"),
                                         Pointer("contract", "total_amount")],
                    "category left out", plan)


@kind("provider_not_in_list", ALL, ("program.provider_in_list",),
      "the supplier is not on the program's provider list", needs_lists=True,
      side=("subsidy.requested_within_eligible",))
def _unlisted(plan: Plan, rng: random.Random) -> Planted:
    other = _other(plan, rng, "provider")
    if plan.lists_fixed:  # the list is given: the deal goes to an unlisted vendor
        plan.set_party("provider", other)
    else:  # the list is ours: it names other vendors only
        plan.list_rows = [{**r, "name": other.name, "credit_code": other.credit_code}
                          for r in plan.list_rows]
    return _planted("provider_not_in_list", [Pointer(declared="supplier.name"),
                                             Pointer(declared="supplier.credit_code")],
                    f"supplier {plan.sc.provider.name} unlisted", plan)


@kind("provider_filed_after_contract", (YICHUN,), ("program.provider_filed_before_contract",),
      "the contract was signed before the provider was filed with the city", needs_lists=True)
def _filed_late(plan: Plan, rng: random.Random) -> Planted:
    if plan.lists_fixed:
        filed = dt.date.fromisoformat(plan.list_rows[0]["filed_on"])
        sc = plan.fork("contract")
        signed = random_date(rng, max(dt.date(2023, 1, 5), filed - dt.timedelta(days=60)),
                             filed - dt.timedelta(days=1))
        reschedule(sc, rng, signed, sc.years)
        note = f"signed {signed}, filed {filed}"
    else:
        filed = plan.sc.signed_on + dt.timedelta(days=rng.randint(1, 60))
        plan.list_rows = [{**r, "filed_on": filed.isoformat()} for r in plan.list_rows]
        note = f"signed {plan.sc.signed_on}, filed {filed}"
    return _planted("provider_filed_after_contract", [Pointer("contract", "signed_on")], note, plan)


@kind("contract_without_cloud_fee", (GUANGDONG,),
      ("program.contract_states_cloud_fee", "subsidy.eligible_computed"),
      "the contract does not state the 上云上平台费用 (and none could be typed)")
def _no_cloud_fee(plan: Plan, rng: random.Random) -> Planted:
    plan.fork("contract").cloud_fee = None
    return _planted("contract_without_cloud_fee", [Pointer("contract")],
                    "no cloud fee in the contract", plan)


@kind("contract_without_annual_fee", (HEBEI,), ("subsidy.eligible_computed",),
      "a multi-year contract that states no annual fee: the 20 % cannot be computed",
      severity="warning")
def _no_annual(plan: Plan, rng: random.Random) -> Planted:
    sc = plan.fork("contract")
    sc.extra["no_annual_fee"] = True
    if sc.years == 1:
        reschedule(sc, rng, sc.signed_on, 2)
    return _planted("contract_without_annual_fee", [Pointer("contract")],
                    f"{sc.years}-year contract without an annual fee", plan)


@kind("second_contract", (GUANGDONG,), ("program.max_contracts",),
      "two contracts uploaded and declared for one voucher")
def _second(plan: Plan, rng: random.Random) -> Planted:
    sc = copy.deepcopy(plan.sc)
    signed = min(sc.signed_on + dt.timedelta(days=rng.randint(15, 60)),
                 plan.submitted_on - dt.timedelta(days=1))
    reschedule(sc, rng, signed, 1)
    sc.contract_number = contract_number(rng, sc.provider, signed)
    plan.docs.append(DocPlan("contract-2", "contract", plan.doc("contract").fmt,
                             plan.doc("contract").scanned, sc=sc))
    return _planted("second_contract", [Pointer("contract-2"), Pointer("contract")],
                    f"second contract {sc.contract_number}", plan)


def _partial(plan: Plan, rng: random.Random, doc: str) -> Scenario:
    sc = plan.fork(doc)
    part = money(round(plan.sc.requested * Decimal(rng.choice(["0.3", "0.5", "0.6", "0.8"])) / 100)
                 * 100)
    sc.total = sc.annual_fee = part  # a first instalment only
    return sc


@kind("invoices_below_voucher", (GUANGDONG,), ("program.invoices_cover_voucher",),
      "the invoices add up to less than the voucher")
def _few_invoices(plan: Plan, rng: random.Random) -> Planted:
    sc = _partial(plan, rng, "invoice")
    return _planted("invoices_below_voucher", [Pointer("invoice", "total")],
                    f"invoiced {sc.total} < voucher {plan.sc.requested}", plan)


@kind("payments_below_voucher", (GUANGDONG,), ("program.payments_cover_voucher",),
      "the payments add up to less than the voucher")
def _few_payments(plan: Plan, rng: random.Random) -> Planted:
    sc = _partial(plan, rng, "receipt")
    return _planted("payments_below_voucher", [Pointer("receipt", "amount")],
                    f"paid {sc.total} < voucher {plan.sc.requested}", plan)


@kind("requested_above_eligible", ALL, ("subsidy.requested_within_eligible",),
      "the subsidy requested exceeds what the formula allows",
      side=("declared.form_matches", "application_form.applicant_row_matches",
            "program.invoices_cover_voucher", "program.payments_cover_voucher"))
def _greedy(plan: Plan, rng: random.Random) -> Planted:
    _requested_edit(plan, rng, up=True)
    return _planted("requested_above_eligible", [Pointer(declared="requested_subsidy")],
                    "requested above eligible", plan)
