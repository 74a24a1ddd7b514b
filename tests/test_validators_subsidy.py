"""The subsidy formulas: the numbers of the notices, caps never exceeded, monotone in
the fee, rounding as the policy says."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validators.params import ROUNDING_MODES
from validators.rules.subsidy import capped_ratio, catalogue_amount, per_year_capped
from validators.testing import clean_application, run_application

money = st.decimals(min_value=0, max_value=Decimal("1e11"), places=2, allow_nan=False, allow_infinity=False)
ratios = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)
roundings = st.sampled_from(sorted(ROUNDING_MODES))


@settings(max_examples=500)
@given(money, money, ratios, money, roundings)
def test_capped_ratio_never_exceeds_cap_and_is_monotone(a: Decimal, b: Decimal, ratio: Decimal, cap: Decimal,
                                                        rounding: str) -> None:
    lo, hi = sorted((a, b))
    x, y = capped_ratio(lo, ratio, cap, rounding), capped_ratio(hi, ratio, cap, rounding)
    assert Decimal(0) <= x <= y <= cap
    assert x.as_tuple().exponent == -2  # always to the fen


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(2018, 2021), money, st.sampled_from(
    [Decimal("0.15"), Decimal("0.20"), Decimal("0.25")])), max_size=6), money, roundings)
def test_per_year_cap_holds_for_every_year(items: list[tuple[int, Decimal, Decimal]], cap: Decimal,
                                           rounding: str) -> None:
    total = per_year_capped(items, cap, rounding)
    assert total <= cap * len({y for y, _, _ in items})
    if items:  # raising one fee never lowers the amount
        year, fee, ratio = items[0]
        more = [(year, fee + Decimal("1000.00"), ratio)] + items[1:]
        assert per_year_capped(more, cap, rounding) >= total


@settings(max_examples=300)
@given(st.lists(st.tuples(money, money), max_size=5), st.none() | money, money, money)
def test_catalogue_amount_caps_and_monotone(items: list[tuple[Decimal, Decimal]], period_cap: Decimal | None,
                                            bonus: Decimal, extra: Decimal) -> None:
    total = catalogue_amount(items, period_cap, bonus)
    assert total - bonus <= sum((c for c, _ in items), Decimal(0))
    if period_cap is not None:
        assert total - bonus <= period_cap
    if items:
        cap, fee = items[0]
        assert catalogue_amount([(cap, fee + extra)] + items[1:], period_cap, bonus) >= total


@pytest.mark.parametrize("rounding,expected", [("half_up", "0.13"), ("half_even", "0.12"), ("down", "0.12")])
def test_rounding_is_a_parameter(rounding: str, expected: str) -> None:
    assert capped_ratio(Decimal("0.50"), Decimal("0.25"), None, rounding) == Decimal(expected)


# --- the programs, end to end on hand-made documents -------------------------------------


def _eligible(program: str, change: object = None) -> Decimal | None:
    app = clean_application(program)
    if callable(change):
        change(app)
    return run_application(app).eligible_subsidy


def test_hebei_20_percent_of_the_annual_fee_capped_at_50000() -> None:
    assert _eligible("hebei-2018-benchmark") == Decimal("24000.00")

    def big(app):  # type: ignore[no-untyped-def]
        app.set("contract.pdf", "annual_fee", "300000.00")
    assert _eligible("hebei-2018-benchmark", big) == Decimal("50000.00")


def test_hebei_uses_the_contract_valid_on_the_date() -> None:
    def expired(app):  # type: ignore[no-untyped-def]
        app.set("contract.pdf", "service_end", "2018-10-31")
        app.declared["contracts"][0]["service_end"] = "2018-10-31"
    assert _eligible("hebei-2018-benchmark", expired) == Decimal("0.00")


def test_hebei_annual_fee_falls_back_to_a_one_year_total() -> None:
    def no_annual(app):  # type: ignore[no-untyped-def]
        app.drop("contract.pdf", "annual_fee")
        del app.declared["contracts"][0]["annual_fee"]
    assert _eligible("hebei-2018-benchmark", no_annual) == Decimal("24000.00")


def test_inner_mongolia_ratio_by_category_and_yearly_cap() -> None:
    assert _eligible("inner-mongolia-2019-voucher") == Decimal("12000.00")  # 20 % business application

    def platform(app):  # type: ignore[no-untyped-def]
        app.declared["contracts"][0]["category"] = "platform"
    assert _eligible("inner-mongolia-2019-voucher", platform) == Decimal("15000.00")

    def infrastructure_big(app):  # type: ignore[no-untyped-def]
        app.declared["contracts"][0].update(category="infrastructure", amount="200000.00")
        app.set("contract.pdf", "total_amount", "200000.00")
    assert _eligible("inner-mongolia-2019-voucher", infrastructure_big) == Decimal("20000.00")


def test_yichun_half_the_contract_capped_at_100000() -> None:
    assert _eligible("yichun-2023") == Decimal("40000.00")

    def big(app):  # type: ignore[no-untyped-def]
        app.set("contract.pdf", "total_amount", "500000.00")
    assert _eligible("yichun-2023", big) == Decimal("100000.00")


def test_guangdong_catalogue_min_and_bonus() -> None:
    assert _eligible("guangdong-2018-voucher") == Decimal("100000.00")

    def cheaper_service(app):  # type: ignore[no-untyped-def]
        app.declared["contracts"][0]["service"] = "工业SaaS生产管理"
    assert _eligible("guangdong-2018-voucher", cheaper_service) == Decimal("50000.00")

    def certified(app):  # type: ignore[no-untyped-def]
        app.declared["applicant"]["integration_certified"] = True
    assert _eligible("guangdong-2018-voucher", certified) == Decimal("300000.00")

    def already_had_it(app):  # type: ignore[no-untyped-def]
        app.declared["applicant"].update(integration_certified=True, integration_bonus_received=True)
    assert _eligible("guangdong-2018-voucher", already_had_it) == Decimal("100000.00")

    def not_in_catalogue(app):  # type: ignore[no-untyped-def]
        app.list_rows[:] = [{"name": "深圳鹏城云服务有限公司", "credit_code": "91440305572253919U",
                             "service": "云主机与存储资源", "cap": "30000.00"}]
    assert _eligible("guangdong-2018-voucher", not_in_catalogue) == Decimal("0.00")
