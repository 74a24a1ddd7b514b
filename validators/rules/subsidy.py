"""The subsidy: per-program formulas (code) with every number a policy parameter.

- ``annual_fee_ratio`` (Hebei): ratio × the annual fee of the currently valid
  contract, capped.
- ``category_ratio`` (Inner Mongolia): each contract's fee × the ratio of its
  category, capped per company and year.
- ``contract_ratio`` (Yichun): ratio × the contract amount, capped.
- ``catalogue_min`` (Guangdong): per contract min(catalogue cap, cloud fee), plus a
  one-off bonus for a certified company that has not had it.

All money is ``Decimal``; each ratio product is rounded to the fen with the
policy's rounding mode before the cap applies, so the cap is never exceeded and the
amount never falls when a fee rises. Inputs come from the documents where they
show them, else from the declaration (and the basis says which).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from validators.context import CheckContext, SubsidyOutcome
from validators.facts import yuan
from validators.lists import cap_of
from validators.matching import ContractView, contract_views, earliest_contract, latest_contract
from validators.model import DeclaredRef, Evidence, Severity
from validators.names import NameMatch, compare_names
from validators.params import ROUNDING_PARAM, Param, ParamType, quantize_fen
from validators.parties import supplier_reference
from validators.rule import Formula, Hit, Manual, Outcome, Params, Rule, RuleKind

ZERO = Decimal("0.00")

# --- pure formulas (property-tested) ------------------------------------------------


def capped_ratio(fee: Decimal, ratio: Decimal, cap: Decimal | None, rounding: str) -> Decimal:
    """min(round(fee × ratio), cap); a negative fee counts as nothing."""
    amount = quantize_fen(max(fee, ZERO) * ratio, rounding)
    return min(amount, cap) if cap is not None else amount


def per_year_capped(items: Iterable[tuple[int, Decimal, Decimal]], cap: Decimal, rounding: str) -> Decimal:
    """Sum of round(fee × ratio) per year, each year capped, years added up."""
    by_year: dict[int, Decimal] = {}
    for year, fee, ratio in items:
        by_year[year] = by_year.get(year, ZERO) + quantize_fen(max(fee, ZERO) * ratio, rounding)
    return sum((min(v, cap) for v in by_year.values()), ZERO)


def catalogue_amount(items: Iterable[tuple[Decimal, Decimal]], period_cap: Decimal | None, bonus: Decimal) -> Decimal:
    """Σ min(catalogue cap, fee), capped by the period cap when there is one, plus a bonus."""
    total = sum((min(cap, max(fee, ZERO)) for cap, fee in items), ZERO)
    if period_cap is not None:
        total = min(total, period_cap)
    return total + bonus


# --- inputs -------------------------------------------------------------------------

_SOURCE = {"document": ("材料", "document"), "declared": ("申报", "declared"),
           "total": ("合同总额，服务期不足一年", "the contract total, term within a year"),
           "prorated": ("合同总额按天折算", "the contract total prorated by days")}


def _fee(view: ContractView, name: str) -> tuple[Decimal | None, tuple[Evidence, ...], str]:
    """A contract figure, its evidence, and where it came from (a ``_SOURCE`` key)."""
    fact = view.fact(name)
    if fact is None:
        return None, (), ""
    return fact.value, fact.evidence_tuple, "document" if fact.evidence is not None else "declared"


def _annual_fee(view: ContractView, fallback: str) -> tuple[Decimal | None, tuple[Evidence, ...], str]:
    fee, evidence, source = _fee(view, "annual_fee")
    if fee is not None or fallback == "none":
        return fee, evidence, source
    total, evidence, _ = _fee(view, "amount")
    start, end = view.value("service_start"), view.value("service_end")
    if total is None or start is None or end is None:
        return None, (), ""
    days = (end - start).days + 1
    if fallback == "total_if_within_one_year" and 0 < days <= 366:
        return total, evidence, "total"
    if fallback == "prorate_by_days" and days > 0:
        return total * Decimal(365) / Decimal(days), evidence, "prorated"
    return None, (), ""


def _missing(what_zh: str, what_en: str, view: ContractView | None = None) -> str:
    if view is None:
        return f"缺少{what_zh} / {what_en} missing"
    return f"{view.label_zh}：缺少{what_zh} / {view.label_en}: {what_en} missing"


def _basis(zh: list[str], en: list[str]) -> str:
    return "；".join(zh) + " / " + "; ".join(en)


# --- the four formulas --------------------------------------------------------------


def _hebei(ctx: CheckContext, p: Params) -> SubsidyOutcome:
    on: date = p["valid_on"] or ctx.reference_date
    views = contract_views(ctx)
    if not views:
        return SubsidyOutcome(None, missing=(_missing("合同", "a contract"),))
    current = [v for v in views if v.value("service_start") and v.value("service_end")
               and v.value("service_start") <= on <= v.value("service_end")]
    if not current and all(v.value("service_start") and v.value("service_end") for v in views):
        return SubsidyOutcome(ZERO, basis=f"{on} 无在服务期内的合同 / no contract in service on {on}")
    view = latest_contract(current or views)
    if view is None:
        return SubsidyOutcome(None, missing=(_missing("可判断的合同日期", "contract dates"),))
    fee, evidence, source = _annual_fee(view, p["annual_fee_fallback"])
    if fee is None:
        return SubsidyOutcome(None, missing=(_missing("年服务费", "the annual fee", view),))
    amount = capped_ratio(fee, p["ratio"], p["cap"], p["rounding"])
    src_zh, src_en = _SOURCE[source]
    return SubsidyOutcome(
        amount,
        basis=_basis(
            [f"{view.label_zh} 年服务费 {yuan(fee)}（{src_zh}）× {p['ratio']:%}，上限 {yuan(p['cap'])}"],
            [f"annual fee {yuan(fee)} of {view.label_en} ({src_en}) × {p['ratio']:%}, capped at {yuan(p['cap'])}"],
        ),
        evidence=evidence,
    )


def _dedupe(views: list[ContractView]) -> list[ContractView]:
    """The same contract twice (two copies uploaded) counts once."""
    seen: set[str] = set()
    out = []
    for v in views:
        number = v.value("number")
        if number and number in seen:
            continue
        if number:
            seen.add(number)
        out.append(v)
    return out


def _inner_mongolia(ctx: CheckContext, p: Params) -> SubsidyOutcome:
    ratios: dict[str, Decimal] = p["ratios"]
    items: list[tuple[int, Decimal, Decimal]] = []
    missing: list[str] = []
    evidence: list[Evidence] = []
    zh: list[str] = []
    en: list[str] = []
    for view in _dedupe(contract_views(ctx)):
        category = view.declared.category if view.declared else None
        fee, ev, _ = _fee(view, p["fee"])
        when = ctx.declared.submitted_on if p["year_of"] == "submitted_on" else view.value(p["year_of"])
        if category is None:
            missing.append(_missing("上云类别", "the category", view))
        elif category not in ratios:  # program.category_allowed reports it; it earns nothing
            zh.append(f"{view.label_zh} 类别 {category} 不在补助范围")
            en.append(f"{view.label_en}: category {category} not covered")
        elif fee is None or when is None:
            missing.append(_missing("合同费用或日期", "the fee or date", view))
        else:
            items.append((when.year, fee, ratios[category]))
            evidence += ev
            zh.append(f"{view.label_zh} {yuan(fee)} × {ratios[category]:%}（{category}）")
            en.append(f"{view.label_en} {yuan(fee)} × {ratios[category]:%} ({category})")
    if missing:
        return SubsidyOutcome(None, missing=tuple(missing))
    amount = per_year_capped(items, p["cap_per_year"], p["rounding"])
    zh.append(f"每企业每年上限 {yuan(p['cap_per_year'])}")
    en.append(f"capped at {yuan(p['cap_per_year'])} per company and year")
    return SubsidyOutcome(amount, basis=_basis(zh, en), evidence=tuple(evidence))


def _yichun(ctx: CheckContext, p: Params) -> SubsidyOutcome:
    views = contract_views(ctx)
    if p["contracts"] == "first":
        first = earliest_contract(views)
        chosen = [first] if first is not None else []
    else:
        chosen = _dedupe(views)
    if not chosen:
        return SubsidyOutcome(None, missing=(_missing("合同", "a contract"),))
    total, evidence = ZERO, list[Evidence]()
    for view in chosen:
        fee, ev, _ = _fee(view, p["fee"])
        if fee is None:
            return SubsidyOutcome(None, missing=(_missing("合同金额", "the contract amount", view),))
        total += fee
        evidence += ev
    amount = capped_ratio(total, p["ratio"], p["cap"], p["rounding"])
    return SubsidyOutcome(
        amount,
        basis=_basis([f"合同金额 {yuan(total)} × {p['ratio']:%}，上限 {yuan(p['cap'])}"],
                     [f"contract amount {yuan(total)} × {p['ratio']:%}, capped at {yuan(p['cap'])}"]),
        evidence=tuple(evidence),
    )


def _guangdong(ctx: CheckContext, p: Params) -> SubsidyOutcome:
    views = contract_views(ctx)
    if not views:
        return SubsidyOutcome(None, missing=(_missing("合同", "a contract"),))
    if ctx.program_list is None:
        return SubsidyOutcome(None, manual=(
            f"服务目录上限未配置（{ctx.list_unavailable_zh}），无法计算服务券金额，请人工核定 / the service catalogue "
            f"caps are not configured ({ctx.list_unavailable_en}): the voucher amount needs a clerk",))
    supplier = supplier_reference(ctx)
    rows = ctx.program_list.find(supplier.name, supplier.credit_code) if supplier else []
    items: list[tuple[Decimal, Decimal]] = []
    missing: list[str] = []
    manual: list[str] = []
    evidence: list[Evidence] = []
    zh: list[str] = []
    en: list[str] = []
    for view in views:
        fee, ev, _ = _fee(view, p["fee"])
        if fee is None:
            missing.append(_missing("上云上平台费用", "the cloud fee", view))
            continue
        if not rows:  # program.provider_in_list reports the supplier; nothing in the catalogue, nothing paid
            zh.append(f"{view.label_zh} 供应商不在服务目录中，金额为 0")
            en.append(f"{view.label_en}: the supplier is not in the catalogue, nothing is paid")
            continue
        service = view.declared.service if view.declared else None
        options = [m.row for m in rows if service is None
                   or compare_names(str(m.row.get("service") or ""), service).match is NameMatch.SAME]
        caps = {cap_of(r) for r in options}
        if len(caps) != 1 or None in caps:
            manual.append(f"{view.label_zh}：无法在服务目录中唯一确定服务「{service or '?'}」的上限 / {view.label_en}: "
                          f"the catalogue cap of service {service or '?'} is not listed or not unique")
            continue
        cap = caps.pop()
        assert cap is not None
        items.append((cap, fee))
        evidence += ev
        zh.append(f"{view.label_zh} min(目录上限 {yuan(cap)}，上云上平台费用 {yuan(fee)})")
        en.append(f"{view.label_en} min(catalogue cap {yuan(cap)}, cloud fee {yuan(fee)})")
    certified = ctx.declared.applicant.integration_certified is True
    bonus = p["bonus"] if certified and ctx.declared.applicant.integration_bonus_received is not True else ZERO
    if missing or manual:
        return SubsidyOutcome(None, missing=tuple(missing), manual=tuple(manual))
    amount = catalogue_amount(items, p["period_cap"], bonus)
    if bonus:
        zh.append(f"两化融合贯标奖补 +{yuan(bonus)}")
        en.append(f"certification bonus +{yuan(bonus)}")
    return SubsidyOutcome(amount, basis=_basis(zh, en), evidence=tuple(evidence))


_FEE = Param(ParamType.CHOICE, "which contract figure is the fee: amount (合同金额) or cloud_fee (上云上平台费用)",
             default="amount", choices=("amount", "cloud_fee"))

FORMULAS: tuple[Formula, ...] = (
    Formula("annual_fee_ratio", "当前有效合同年服务费 × 比例，封顶", "ratio × the annual fee of the valid contract, "
            "capped", _hebei, {
                "ratio": Param(ParamType.RATIO, "share of the annual fee"),
                "cap": Param(ParamType.MONEY, "most paid per company"),
                "rounding": ROUNDING_PARAM,
                "valid_on": Param(ParamType.DATE, "the day the contract must be valid (null: the application date)",
                                  default=None, nullable=True),
                "annual_fee_fallback": Param(
                    ParamType.CHOICE, "when no annual fee is stated: none, total_if_within_one_year, prorate_by_days",
                    default="total_if_within_one_year",
                    choices=("none", "total_if_within_one_year", "prorate_by_days")),
            }),
    Formula("category_ratio", "合同费用 × 类别比例，每企业每年封顶", "fee × ratio by category, capped per company-year",
            _inner_mongolia, {
                "ratios": Param(ParamType.RATIO_MAP, "ratio per category"),
                "cap_per_year": Param(ParamType.MONEY, "most paid per company and year"),
                "rounding": ROUNDING_PARAM,
                "fee": _FEE,
                "year_of": Param(ParamType.CHOICE, "the date whose year a contract counts in",
                                 default="signed_on", choices=("signed_on", "service_start", "submitted_on")),
            }),
    Formula("contract_ratio", "合同金额 × 比例，封顶", "ratio × the contract amount, capped", _yichun, {
        "ratio": Param(ParamType.RATIO, "share of the contract amount"),
        "cap": Param(ParamType.MONEY, "most paid per company"),
        "rounding": ROUNDING_PARAM,
        "fee": _FEE,
        "contracts": Param(ParamType.CHOICE, "first (the first purchase only) or all contracts",
                           default="first", choices=("first", "all")),
    }),
    Formula("catalogue_min", "min(目录上限, 合同上云费用) + 贯标奖补", "min(catalogue cap, cloud fee) + certification "
            "bonus", _guangdong, {
                "bonus": Param(ParamType.MONEY, "one-off bonus for a certified company that has not had it"),
                "period_cap": Param(ParamType.MONEY, "cumulative cap per period (null: checked by a clerk)",
                                    default=None, nullable=True),
                "rounding": ROUNDING_PARAM,
                "fee": Param(ParamType.CHOICE, "which contract figure is the fee", default="cloud_fee",
                             choices=("amount", "cloud_fee")),
            }),
)


# --- rules about the amount ---------------------------------------------------------


def _eligible(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    s = ctx.subsidy
    if s is None:
        return
    for why in s.manual:
        yield Manual(why)
    for what in s.missing:
        what_zh, _, what_en = what.partition(" / ")
        yield Hit(f"无法计算可补贴金额：{what_zh} / the eligible subsidy cannot be computed: {what_en}",
                  s.evidence, at_most=Severity.WARNING)
    if s.amount is not None and params["explain"]:
        basis_zh, _, basis_en = s.basis.partition(" / ")
        yield Hit(f"可补贴金额 {yuan(s.amount)}：{basis_zh} / eligible subsidy {yuan(s.amount)}: {basis_en}",
                  s.evidence, at_most=Severity.INFO)


def _requested(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    requested, s = ctx.declared.requested_subsidy, ctx.subsidy
    if requested is None or s is None or s.amount is None:
        return
    ref = DeclaredRef("requested_subsidy", requested)
    if requested > s.amount:
        yield Hit(f"申请金额 {yuan(requested)} 超过可补贴金额 {yuan(s.amount)} / requested {yuan(requested)} exceeds "
                  f"the eligible {yuan(s.amount)}", s.evidence, ref)
    elif requested < s.amount:
        yield Hit(f"申请金额 {yuan(requested)} 低于可补贴金额 {yuan(s.amount)} / requested {yuan(requested)} is below "
                  f"the eligible {yuan(s.amount)}", s.evidence, ref, at_most=Severity.INFO)


RULES: tuple[Rule, ...] = (
    Rule("subsidy.eligible_computed", RuleKind.SUBSIDY, "按项目公式计算可补贴金额",
         "the eligible subsidy is computed with the program's formula", _eligible,
         {"explain": Param(ParamType.BOOL, "add an info finding with the computation", default=True)}),
    Rule("subsidy.requested_within_eligible", RuleKind.SUBSIDY, "申请金额不超过可补贴金额",
         "the requested subsidy does not exceed the eligible amount", _requested),
)
