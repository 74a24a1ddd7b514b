"""The programs' own conditions: region, age, revenue, dates and windows, contract
terms, provider lists, voucher coverage. Every number is a parameter from the
policy file; the code only knows what kind of condition it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from extractors.normalize import is_valid_credit_code, is_valid_registration_number
from intake.model import DocType, Document
from validators.context import CheckContext
from validators.facts import code_of, date_of, evs, money_of, text_of, yuan
from validators.lists import filed_on
from validators.matching import ContractView, contract_views, earliest_contract, latest_contract
from validators.model import DeclaredRef, Evidence, Severity
from validators.names import NameMatch, compare_names
from validators.params import Param, ParamType
from validators.parties import supplier_reference
from validators.rule import CheckFn, Hit, Manual, Outcome, Params, Rule, RuleKind


def _applicant_licences(ctx: CheckContext) -> list[Document]:
    """Licences of the applicant (a bundle may also carry the supplier's)."""
    out = []
    for doc in ctx.of_type(DocType.BUSINESS_LICENCE):
        m = compare_names(text_of(doc, "company_name"), ctx.declared.applicant.name).match
        if m is not NameMatch.DIFFERENT:
            out.append(doc)
    return out


# --- the applicant ------------------------------------------------------------------


def _region(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    prefixes: tuple[str, ...] = params["region_codes"]
    keywords: tuple[str, ...] = params["address_keywords"]
    for doc in _applicant_licences(ctx):
        code = code_of(doc, "credit_code")
        if code and is_valid_credit_code(code):
            region, fld_name = code[2:8], "credit_code"
        else:
            number = code_of(doc, "registration_number")
            if not (number and is_valid_registration_number(number)):
                continue
            region, fld_name = number[:6], "registration_number"
        if not region.startswith(prefixes):
            yield Hit(
                f"营业执照登记机关地区代码 {region} 不在本项目地区（{'、'.join(prefixes)}）/ the licence was registered "
                f"in region {region}, outside the program's ({', '.join(prefixes)})",
                evs(doc, fld_name),
            )
        return
    code = ctx.declared.applicant.credit_code
    if code and is_valid_credit_code(code):
        if not code[2:8].startswith(prefixes):
            yield Hit(
                f"申报统一社会信用代码的地区代码 {code[2:8]} 不在本项目地区 / the declared credit code's region "
                f"{code[2:8]} is outside the program's ({', '.join(prefixes)})",
                declared=DeclaredRef("applicant.credit_code", code),
            )
        return
    for doc in _applicant_licences(ctx):
        address = text_of(doc, "address") or ""
        if address and keywords:
            if not any(k in address for k in keywords):
                yield Hit(
                    f"营业执照住所「{address}」不在本项目地区 / the licence address is outside the program's region",
                    evs(doc, "address"), at_most=Severity.WARNING,
                )
            return
    yield Manual("无法从材料判断企业注册地，请人工核对 / the registration region could not be read: check by hand")


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _established(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    years: int = params["min_years"]
    ref = ctx.declared.submitted_on if params["reference"] == "submitted_on" else None
    ref = ref or ctx.today
    found: tuple[date, tuple[Evidence, ...], DeclaredRef | None] | None = None
    for doc in _applicant_licences(ctx):
        d = date_of(doc, "established_on")
        if d is not None:
            found = (d, evs(doc, "established_on"), None)
            break
    if found is None and ctx.declared.applicant.established_on is not None:
        d = ctx.declared.applicant.established_on
        found = (d, (), DeclaredRef("applicant.established_on", d))
    if found is None:
        yield Hit("成立日期未知（营业执照未识别、也未申报）/ founding date unknown (not read, not declared)",
                  at_most=Severity.WARNING)
        return
    d, evidence, declared = found
    if _add_years(d, years) > ref:
        yield Hit(
            f"企业成立于 {d}，至 {ref} 不满 {years} 年 / established {d}: less than {years} year(s) before {ref}",
            evidence, declared,
        )


def _revenue(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    minimum: Decimal = params["min_revenue"]
    revenue = ctx.declared.applicant.revenue_last_year
    if revenue is None:
        yield Hit(f"未申报上年度主营业务收入（要求不低于 {yuan(minimum)}）/ last year's revenue not declared "
                  f"(at least {yuan(minimum)} required)")
        return
    if revenue < minimum:
        yield Hit(
            f"上年度主营业务收入 {yuan(revenue)} 低于 {yuan(minimum)} / last year's revenue {yuan(revenue)} is below "
            f"{yuan(minimum)}",
            declared=DeclaredRef("applicant.revenue_last_year", revenue),
        )
    else:
        yield Manual("营业收入为申报数，材料中无财务报表，请人工核对 / revenue is as declared; no financial "
                     "statement is among the documents: verify by hand")


def _independent(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    markers: tuple[str, ...] = params["not_legal_person_markers"]
    licences = _applicant_licences(ctx)
    for doc in licences:
        kind = text_of(doc, "company_type") or ""
        name = text_of(doc, "company_name") or ""
        hit = next((m for m in markers if m in kind or name.endswith(m)), None)
        if hit:
            yield Hit(
                f"{doc.file}：企业类型/名称含「{hit}」，不是独立法人 / the licence says {hit}: not an independent "
                f"legal person",
                evs(doc, "company_type", "company_name"),
            )
            return
        if kind:
            return
    what_zh, what_en = ("营业执照企业类型未识别", "the company type was not read") if licences else (
        "未找到申报企业的营业执照", "no licence of the applicant was found")
    yield Manual(f"{what_zh}，请人工确认独立法人资格 / {what_en}: confirm it is an independent legal person")


# --- contracts and dates ------------------------------------------------------------


def _targets(views: list[ContractView], applies_to: str) -> list[ContractView]:
    if applies_to == "each":
        return views
    pick = earliest_contract(views) if applies_to == "first" else latest_contract(views)
    return [pick] if pick is not None else []


def _window_text(lo: date | None, hi: date | None, inclusive: bool) -> tuple[str, str]:
    op = "" if inclusive else "（不含当日）"
    en_op = "" if inclusive else " (exclusive)"
    parts_zh, parts_en = [], []
    if lo:
        parts_zh.append(f"{lo} 之后{op}")
        parts_en.append(f"after {lo}{en_op}")
    if hi:
        parts_zh.append(f"{hi} 之前{op}")
        parts_en.append(f"before {hi}{en_op}")
    return "、".join(parts_zh), " and ".join(parts_en)


def _signed_window(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    lo, hi, inclusive = params["not_before"], params["not_after"], params["inclusive"]
    views = contract_views(ctx)
    for view in _targets(views, params["applies_to"]):
        fact = view.fact("signed_on")
        want_zh, want_en = _window_text(lo, hi, inclusive)
        if fact is None:
            yield Hit(f"{view.label_zh}：签订日期未知，无法核对是否在 {want_zh} / "
                      f"{view.label_en}: signing date unknown; cannot check it "
                      f"is {want_en}", at_most=Severity.WARNING)
            continue
        d: date = fact.value
        too_early = lo is not None and (d < lo if inclusive else d <= lo)
        too_late = hi is not None and (d > hi if inclusive else d >= hi)
        if too_early or too_late:
            yield Hit(f"{view.label_zh}：签订日期 {d} 不在 {want_zh} / {view.label_en}: signed {d}, must be {want_en}",
                      fact.evidence_tuple, fact.declared)


def _in_service(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    on: date = params["on"]
    views = contract_views(ctx)
    targets = _targets(views, params["applies_to"])
    for view in targets:
        start, end = view.fact("service_start"), view.fact("service_end")
        if start is None or end is None:
            yield Hit(f"{view.label_zh}：服务期未知，无法核对 {on} 是否在服务期内 / "
                      f"{view.label_en}: service period unknown; cannot check "
                      f"it covers {on}", at_most=Severity.WARNING)
            continue
        if not (start.value <= on <= end.value):
            yield Hit(
                f"{view.label_zh}：服务期 {start.value} 至 {end.value} 不含 {on} / "
                f"{view.label_en}: service {start.value} – {end.value} "
                f"does not cover {on}",
                start.evidence_tuple + end.evidence_tuple, end.declared or start.declared,
            )


def _submitted(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    opens, closes = params["opens"], params["closes"]
    submitted = ctx.declared.submitted_on
    if submitted is None:
        yield Hit("未申报申报日期，无法核对申报期限 / submission date not declared: the deadline cannot be checked",
                  at_most=Severity.WARNING)
        return
    if (opens and submitted < opens) or (closes and submitted > closes):
        yield Hit(
            f"申报日期 {submitted} 不在申报期（{opens or '…'} 至 {closes or '…'}）内 / submitted {submitted}, outside "
            f"{opens or '…'} – {closes or '…'}",
            declared=DeclaredRef("submitted_on", submitted),
        )


def _states_cloud_fee(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for doc in ctx.of_type(DocType.CONTRACT):
        if money_of(doc, "cloud_fee") is None:
            yield Hit(f"合同 {doc.file} 未写明“上云上平台费用” / contract {doc.file} does not state the cloud fee "
                      f"(上云上平台费用) explicitly", (Evidence.of_document(doc),))


def _max_contracts(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    limit: int = params["max"]
    declared, found = len(ctx.declared.contracts), len(ctx.of_type(DocType.CONTRACT))
    if max(declared, found) > limit:
        yield Hit(f"一张服务券只对应 {limit} 份合同，申报 {declared} 份、材料 {found} 份 / one voucher is for {limit} "
                  f"contract(s): {declared} declared, {found} uploaded",
                  tuple(Evidence.of_document(d) for d in ctx.of_type(DocType.CONTRACT)))


def _categories(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    allowed: tuple[str, ...] = params["categories"]
    for c in ctx.declared.contracts:
        if c.category is None:
            if params["required"]:
                yield Hit(f"申报合同 #{c.index + 1} 未填写上云类别（{'/'.join(allowed)}）/ declared contract "
                          f"#{c.index + 1} has no category", declared=DeclaredRef(c.path("category"), None))
        elif c.category not in allowed:
            yield Hit(f"上云类别「{c.category}」不在本项目范围（{'、'.join(allowed)}）/ category {c.category} is not "
                      f"covered ({', '.join(allowed)})", declared=DeclaredRef(c.path("category"), c.category))


# --- the provider lists (deployment data) --------------------------------------------


def _provider_in_list(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    supplier = supplier_reference(ctx)
    if ctx.program_list is None:
        yield Manual(f"供应商名单未配置（{ctx.list_unavailable_zh}），请人工核对「{supplier.shown if supplier else '?'}」"
                     f"是否在本项目名单内 / the provider list is not configured ({ctx.list_unavailable_en}): check "
                     f"{supplier.shown if supplier else 'the supplier'} is on it")
        return
    if supplier is None:
        yield Hit("无法确定供应商（未申报，合同、发票也未识别）/ the supplier is unknown (not declared, not read)",
                  at_most=Severity.WARNING)
        return
    matches = ctx.program_list.find(supplier.name, supplier.credit_code)
    ref = supplier.name_ref or supplier.code_ref
    if not matches:
        yield Hit(f"{supplier.role_zh}「{supplier.shown}」不在本项目供应商名单内 / {supplier.role_en} {supplier.shown} "
                  f"is not on the program's provider list ({ctx.program_list.path})", supplier.evidence, ref)
    elif not any(m.exact for m in matches):
        row = matches[0].row
        yield Hit(f"{supplier.role_zh}「{supplier.shown}」与名单中的「{row.name}」（第 {row.line} 行）相近但不完全相同 / "
                  f"{supplier.role_en} {supplier.shown} is close to {row.name} on the list (line {row.line})",
                  supplier.evidence, ref, at_most=Severity.WARNING)


def _filed_before(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    supplier = supplier_reference(ctx)
    if ctx.program_list is None:
        yield Manual(f"供应商备案名单未配置（{ctx.list_unavailable_zh}），请人工核对备案日期不晚于合同签订日期 / the "
                     f"filing list is not configured ({ctx.list_unavailable_en}): check the provider was filed before "
                     f"the contract was signed")
        return
    if supplier is None:
        return
    matches = ctx.program_list.find(supplier.name, supplier.credit_code)
    if not matches:
        return  # program.provider_in_list reports it
    filed = filed_on(matches[0].row)
    if filed is None:
        yield Manual(f"名单第 {matches[0].row.line} 行没有备案日期 / line {matches[0].row.line} of the list has no "
                     f"filing date: check by hand")
        return
    for view in contract_views(ctx):
        signed = view.fact("signed_on")
        if signed is not None and signed.value < filed:
            yield Hit(f"{view.label_zh}：签订于 {signed.value}，早于供应商备案日期 {filed} / "
                      f"{view.label_en}: signed {signed.value}, before "
                      f"the provider was filed on {filed}", signed.evidence_tuple, signed.declared)


# --- vouchers: invoices and payments cover the amount ---------------------------------


def _voucher_amount(ctx: CheckContext, against: str) -> Decimal | None:
    if against == "requested" and ctx.declared.requested_subsidy is not None:
        return ctx.declared.requested_subsidy
    return ctx.subsidy.amount if ctx.subsidy else None


def _covers(doc_type: DocType, field: str, zh: str, en: str) -> CheckFn:
    def check(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
        voucher = _voucher_amount(ctx, params["against"])
        docs = ctx.of_type(doc_type)
        if voucher is None or not docs:
            return
        amounts = [money_of(d, field) for d in docs]
        total = sum((a for a in amounts if a is not None), Decimal("0.00"))
        if total >= voucher:
            return
        unread = sum(a is None for a in amounts)
        yield Hit(
            f"{zh}合计 {yuan(total)} 低于服务券金额 {yuan(voucher)}{f'（{unread} 份金额未识别）' if unread else ''} / "
            f"{en} add up to {yuan(total)}, less than the voucher {yuan(voucher)}"
            f"{f' ({unread} unread)' if unread else ''}",
            tuple(e for d in docs for e in evs(d, field)),
            DeclaredRef("requested_subsidy", voucher) if params["against"] == "requested" else None,
            at_most=Severity.WARNING if unread else None,
        )

    return check


_AGAINST = Param(ParamType.CHOICE, "the voucher amount compared with: requested (declared) or eligible (computed)",
                 default="requested", choices=("requested", "eligible"))
_APPLIES = Param(ParamType.CHOICE, "which contracts: first (earliest signed), latest, or each",
                 default="each", choices=("first", "latest", "each"))

RULES: tuple[Rule, ...] = (
    Rule("program.applicant_region", RuleKind.PROGRAM, "企业在本项目地区注册", "the applicant is registered in the "
         "program's region", _region, {
             "region_codes": Param(ParamType.TEXT_LIST, "GB/T 2260 region-code prefixes (credit code digits 3-8)"),
             "address_keywords": Param(ParamType.TEXT_LIST, "words of the address when no code can be read",
                                       default=()),
         }),
    Rule("program.applicant_established_min_years", RuleKind.PROGRAM, "企业成立时间满足年限要求",
         "the applicant was established long enough before applying", _established, {
             "min_years": Param(ParamType.INT, "years the company must have existed"),
             "reference": Param(ParamType.CHOICE, "counted up to: submitted_on (declared; the day of the check when "
                                "absent) or today", default="submitted_on", choices=("submitted_on", "today")),
         }),
    Rule("program.applicant_min_revenue", RuleKind.PROGRAM, "上年度主营业务收入达到要求",
         "last year's main revenue reaches the minimum", _revenue, {
             "min_revenue": Param(ParamType.MONEY, "minimum main revenue last year, yuan"),
         }),
    Rule("licence.independent_legal_person", RuleKind.PROGRAM, "企业具有独立法人资格",
         "the applicant is an independent legal person", _independent, {
             "not_legal_person_markers": Param(ParamType.TEXT_LIST, "words in the company type or at the end of the "
                                               "name that mean no legal personality",
                                               default=("分公司", "非法人", "个体工商户", "个人独资", "合伙企业")),
         }),
    Rule("program.contract_signed_window", RuleKind.PROGRAM, "合同签订日期在规定期间内",
         "contracts were signed within the program's window", _signed_window, {
             "not_before": Param(ParamType.DATE, "earliest signing date", default=None, nullable=True),
             "not_after": Param(ParamType.DATE, "latest signing date", default=None, nullable=True),
             "inclusive": Param(ParamType.BOOL, "whether the boundary days themselves count", default=True),
             "applies_to": _APPLIES,
         }),
    Rule("program.contract_in_service_on", RuleKind.PROGRAM, "合同在规定日期仍在服务期内",
         "a contract is still in service on the program's date", _in_service, {
             "on": Param(ParamType.DATE, "the day the contract must be in service"),
             "applies_to": _APPLIES,
         }),
    Rule("program.submitted_within", RuleKind.PROGRAM, "在申报期内申报", "submitted within the application "
         "period", _submitted, {
             "opens": Param(ParamType.DATE, "first day of applications", default=None, nullable=True),
             "closes": Param(ParamType.DATE, "last day of applications", default=None, nullable=True),
         }),
    Rule("program.contract_states_cloud_fee", RuleKind.PROGRAM, "合同写明上云上平台费用",
         "the contract states the cloud fee explicitly", _states_cloud_fee),
    Rule("program.max_contracts", RuleKind.PROGRAM, "服务券与合同一一对应", "one voucher, one contract",
         _max_contracts, {"max": Param(ParamType.INT, "contracts allowed per application", default=1)}),
    Rule("program.category_allowed", RuleKind.PROGRAM, "上云类别在本项目范围内", "the cloud category is one the "
         "program covers", _categories, {
             "categories": Param(ParamType.TEXT_LIST, "categories covered"),
             "required": Param(ParamType.BOOL, "whether every declared contract must name one", default=False),
         }),
    Rule("program.provider_in_list", RuleKind.PROGRAM, "供应商在本项目名单内（部署名单）",
         "the supplier is on the program's provider list (deployment list)", _provider_in_list),
    Rule("program.provider_filed_before_contract", RuleKind.PROGRAM, "供应商在合同签订前已备案（部署名单）",
         "the provider was filed before the contract was signed (deployment list)", _filed_before),
    Rule("program.invoices_cover_voucher", RuleKind.PROGRAM, "发票总金额不低于服务券金额",
         "invoice totals are at least the voucher amount",
         _covers(DocType.VAT_INVOICE, "total", "发票价税", "invoice totals"), {"against": _AGAINST}),
    Rule("program.payments_cover_voucher", RuleKind.PROGRAM, "付款总金额不低于服务券金额",
         "payments are at least the voucher amount",
         _covers(DocType.PAYMENT_RECEIPT, "amount", "付款", "payments"), {"against": _AGAINST}),
)
