"""The engine: verdicts, severities lowered for doubt, a crashing rule reported, and the
``check --json`` shape of CONTRACT.md."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.model import DocType, Document
from validators.catalogue import default_table, describe_rules
from validators.engine import RULE_FAILED, RuleTable, run_checks
from validators.model import DeclaredRef, Evidence, Finding, Severity, Verdict, verdict_of
from validators.policy import RuleSpec
from validators.programs import load_policy
from validators.rule import Hit, Outcome, Params, Rule, RuleKind
from validators.testing import clean_application, fld, make_doc, run_application

HB = "hebei-2018-benchmark"


@pytest.mark.parametrize("severities,verdict", [
    ([], Verdict.PASS),
    ([Severity.INFO], Verdict.PASS),
    ([Severity.INFO, Severity.WARNING], Verdict.FLAGGED),
    ([Severity.WARNING, Severity.ERROR, Severity.INFO], Verdict.FAIL),
])
def test_verdict_rule(severities: list[Severity], verdict: Verdict) -> None:
    assert verdict_of([Finding("x.y", s, "m") for s in severities]) is verdict


def _table_with(rule: Rule) -> RuleTable:
    base = default_table()
    return RuleTable({**base.rules, rule.id: rule}, base.formulas)


def _run_one(rule: Rule, severity: Severity = Severity.ERROR) -> list[Finding]:
    app = clean_application(HB)
    table = _table_with(rule)
    program = load_policy(HB, table)
    program = replace(program, rules=(RuleSpec(rule.id, severity, {}, 1),))
    result = run_checks(list(app.documents.values()), app.declared_obj(), program, table, today=date(2024, 1, 1))
    return result.findings


def test_a_crashing_rule_is_reported_not_hidden() -> None:
    def boom(ctx: object, params: Params) -> Iterable[Outcome]:
        raise KeyError("oops")

    [finding] = _run_one(Rule("test.boom", RuleKind.FIELD, "炸", "boom", boom))
    assert finding.rule == RULE_FAILED and finding.severity is Severity.WARNING and "test.boom" in finding.message


def test_a_crashing_formula_leaves_the_amount_to_the_clerk() -> None:
    from validators.context import CheckContext, SubsidyOutcome
    from validators.rule import Formula

    def broken(ctx: CheckContext, params: Params) -> SubsidyOutcome:
        raise ZeroDivisionError("x")

    base = default_table()
    table = RuleTable(base.rules, {**base.formulas, "contract_ratio": Formula("contract_ratio", "z", "e", broken)})
    app = clean_application("yichun-2023")
    program = load_policy("yichun-2023", base)
    result = run_checks(list(app.documents.values()), app.declared_obj(), program, table, today=date(2024, 1, 1))
    assert result.eligible_subsidy is None
    assert any(f.rule == RULE_FAILED for f in result.findings)
    assert any(c.rule == "subsidy.eligible_computed" for c in result.checklist)


def test_low_confidence_lowers_only_errors_and_says_so() -> None:
    weak = Evidence("a.pdf", 1, "total", "1.00", (0, 0, 1, 1), 0.5)

    def hit(ctx: object, params: Params) -> Iterable[Outcome]:
        yield Hit("金额不符 / amounts differ", (weak,))

    [as_error] = _run_one(Rule("test.hit", RuleKind.FIELD, "z", "e", hit))
    assert as_error.severity is Severity.WARNING
    assert as_error.message.startswith("金额不符（a.pdf 的 total 识别置信度低：0.50")
    assert as_error.message.endswith("(low OCR confidence 0.50 on total in a.pdf: check the original)")
    [as_info] = _run_one(Rule("test.hit", RuleKind.FIELD, "z", "e", hit), Severity.INFO)
    assert as_info.severity is Severity.INFO and as_info.message == "金额不符 / amounts differ"


def test_at_most_caps_the_policy_severity() -> None:
    def near(ctx: object, params: Params) -> Iterable[Outcome]:
        yield Hit("近似 / near", at_most=Severity.WARNING)

    assert [f.severity for f in _run_one(Rule("test.near", RuleKind.CHAIN, "z", "e", near))] == [Severity.WARNING]
    assert [f.severity for f in _run_one(Rule("test.near", RuleKind.CHAIN, "z", "e", near), Severity.INFO)] == [
        Severity.INFO]


def test_findings_are_sorted_errors_first() -> None:
    app = clean_application(HB)
    app.set("contract.pdf", "has_seal", False)  # warning
    app.declared["requested_subsidy"] = "30000.00"  # error
    ranks = [f.severity.rank for f in run_application(app).findings]
    assert ranks == sorted(ranks, reverse=True)


def test_check_json_shape() -> None:
    app = clean_application(HB)
    app.drop("invoice.pdf", "seller_tax_id")
    app.set("invoice.pdf", "seller_name", fld("北京星河云服务股份有限公司", confidence=0.97))
    out = json.loads(json.dumps(run_application(app).to_json(), ensure_ascii=False))
    assert set(out) >= {"version", "program", "verdict", "eligible_subsidy", "documents", "findings", "checklist"}
    assert out["version"] == 1 and out["program"] == HB and out["verdict"] == "fail"
    assert out["eligible_subsidy"] == "24000.00"
    finding = next(f for f in out["findings"] if f["rule"] == "invoice.seller_matches_supplier")
    assert finding["severity"] == "error"
    assert finding["message"].startswith("发票销售方「北京星河云服务股份有限公司」与申报供应商「石家庄云帆数据科技有限公司」不一致 / ")
    [ev] = finding["evidence"]
    assert ev == {"file": "invoice.pdf", "page": 1, "field": "seller_name", "value": "北京星河云服务股份有限公司",
                  "bbox": [10, 10, 200, 40], "confidence": 0.97}
    assert finding["declared"] == {"path": "supplier.name", "value": "石家庄云帆数据科技有限公司"}
    assert {"rule": "applicant.no_credit_violations", "status": "manual"}.items() <= out["checklist"][0].items()
    assert out["documents"][0]["file"] == "licence.jpg" and "fields" in out["documents"][0]


def test_declared_ref_renders_money_and_dates() -> None:
    from decimal import Decimal

    assert DeclaredRef("a", Decimal("5")).to_json() == {"path": "a", "value": "5.00"}
    assert DeclaredRef("b", date(2018, 1, 2)).to_json() == {"path": "b", "value": "2018-01-02"}


def test_every_rule_has_a_bilingual_description_and_a_dotted_id() -> None:
    entries = describe_rules(default_table())
    assert len({e["rule"] for e in entries}) == len(entries)
    for e in entries:
        assert "." in e["rule"] and e["rule"] == e["rule"].lower()
        assert any("\u4e00" <= c <= "\u9fff" for c in e["zh"]) and e["en"].isascii()


# --- robustness: whatever extraction hands over, every rule runs ------------------------

_FIELDS = {
    DocType.BUSINESS_LICENCE: ["company_name", "credit_code", "registration_number", "company_type",
                               "established_on", "term_start", "term_end", "address", "issued_on"],
    DocType.CONTRACT: ["contract_number", "party_a_name", "party_a_credit_code", "party_b_name",
                       "party_b_credit_code", "signed_on", "service_start", "service_end", "total_amount",
                       "total_amount_in_words", "cloud_fee", "annual_fee", "services", "has_seal"],
    DocType.VAT_INVOICE: ["invoice_kind", "invoice_code", "invoice_number", "issued_on", "buyer_name",
                          "buyer_tax_id", "seller_name", "seller_tax_id", "amount_excl_tax", "tax_amount", "total",
                          "total_in_words", "items", "check_code"],
    DocType.PAYMENT_RECEIPT: ["payer_name", "payee_name", "amount", "paid_on", "serial_number"],
    DocType.APPLICATION_FORM: ["company_name", "credit_code", "provider_name", "contract_amount",
                               "requested_amount", "rows", "total_payout"],
}
_scalar = st.one_of(
    st.text(max_size=12), st.sampled_from(["2018-05-02", "2018-02-30", "120000.00", "-1", "1e999", "NaN",
                                           "壹拾贰万元整", "91131000453331478A", "廊坊恒信建材有限公司", ""]),
    st.booleans(), st.none(), st.integers(), st.floats(allow_nan=True),
)
_value = st.one_of(_scalar, st.lists(st.one_of(_scalar, st.dictionaries(
    st.sampled_from(["name", "amount", "tax", "company_name", "payout_amount", "contract_amount"]), _scalar,
    max_size=4)), max_size=3))


@st.composite
def _documents(draw: st.DrawFn) -> list[Document]:
    docs = []
    for i in range(draw(st.integers(0, 5))):
        dtype = draw(st.sampled_from(sorted(_FIELDS)))
        names = draw(st.lists(st.sampled_from(_FIELDS[dtype]), max_size=8, unique=True))
        fields = {n: fld(draw(_value), confidence=draw(st.floats(0, 1))) for n in names}
        qr = draw(st.lists(st.sampled_from(["01,10,033001700211,20800628,113207.55,20180520,1234,", "junk", ""]),
                           max_size=1))
        docs.append(make_doc(dtype, f"f{i}.pdf", fields, legible=draw(st.booleans()), qr=qr))
    return docs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents(), st.sampled_from(["hebei-2018-benchmark", "inner-mongolia-2019-voucher", "yichun-2023",
                                      "guangdong-2018-voucher"]), st.booleans())
def test_no_rule_crashes_on_odd_extractions(docs: list[Document], program: str, with_list: bool) -> None:
    app = clean_application(program)
    table = default_table()
    policy = load_policy(program, table)
    result = run_checks(docs, app.declared_obj(), policy, table, today=date(2024, 1, 1),
                        program_list=app.program_list() if with_list else None)
    assert [f.message for f in result.findings if f.rule == RULE_FAILED] == []
    json.dumps(result.to_json(), ensure_ascii=False)
