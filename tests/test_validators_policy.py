"""Policy files: the four programs load; every mistake fails at load with file:line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from intake.model import DocType
from validators.catalogue import default_table
from validators.policy import PolicyError, load_program
from validators.programs import POLICY_DIR, builtin_programs, load_policy, policy_path

PROGRAMS = ["guangdong-2018-voucher", "hebei-2018-benchmark", "inner-mongolia-2019-voucher", "yichun-2023"]

MINIMAL = """\
id: demo-program
name: 示例 / demo
notice: none
parameters: {low_confidence_below: 0.85}
required_documents:
  - {type: contract, label: 合同}
subsidy:
  formula: contract_ratio
  ratio: 0.5
  cap: 100000.00
rules:
  - {id: invoice.seller_matches_supplier, severity: error}
  - id: program.contract_signed_window
    severity: warning
    params: {not_before: 2018-03-20, inclusive: false}
  - {id: applicant.no_credit_violations}
"""


def _load(tmp_path: Path, text: str, name: str = "demo-program") -> object:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    table = default_table()
    return load_program(path, table.rules, table.formulas)


def test_the_four_programs_load() -> None:
    assert builtin_programs() == PROGRAMS
    for pid in PROGRAMS:
        program = load_policy(pid, default_table())
        assert program.id == pid and program.subsidy is not None and program.rules
        assert program.deployment_list is not None and "name" in program.deployment_list.columns


def test_numbers_from_the_notices() -> None:
    t = default_table()
    hb = load_policy("hebei-2018-benchmark", t).subsidy
    assert hb is not None and hb.params["ratio"] == Decimal("0.20") and hb.params["cap"] == Decimal("50000.00")
    im = load_policy("inner-mongolia-2019-voucher", t).subsidy
    assert im is not None and im.params["ratios"] == {
        "infrastructure": Decimal("0.15"), "business_application": Decimal("0.20"), "platform": Decimal("0.25")}
    assert im.params["cap_per_year"] == Decimal("20000.00")
    yc = load_policy("yichun-2023", t).subsidy
    assert yc is not None and yc.params["ratio"] == Decimal("0.50") and yc.params["cap"] == Decimal("100000.00")
    gd = load_policy("guangdong-2018-voucher", t)
    assert gd.subsidy is not None and gd.subsidy.params["bonus"] == Decimal("200000.00")
    revenue = gd.rule("program.applicant_min_revenue")
    assert revenue is not None and revenue.params["min_revenue"] == Decimal("10000000.00")
    legible = load_policy("inner-mongolia-2019-voucher", t).rule("document.legible")
    assert legible is not None and legible.severity == "error"
    hb_legible = load_policy("hebei-2018-benchmark", t).rule("document.legible")
    assert hb_legible is not None and hb_legible.severity == "warning"
    im_docs = {r.type for r in load_policy("inner-mongolia-2019-voucher", t).required_documents}
    assert DocType.ID_CARD in im_docs


def test_a_new_program_is_a_new_file(tmp_path: Path) -> None:
    program = _load(tmp_path, MINIMAL)
    assert program.parameters["low_confidence_below"] == Decimal("0.85")  # type: ignore[attr-defined]
    spec = program.rule("program.contract_signed_window")  # type: ignore[attr-defined]
    assert spec.params["inclusive"] is False and spec.params["applies_to"] == "each"  # defaults filled in
    assert program.rule("applicant.no_credit_violations").severity is None  # type: ignore[attr-defined]


def test_a_path_works_as_program(tmp_path: Path) -> None:
    path = tmp_path / "demo-program.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_policy(str(path), default_table()).id == "demo-program"


MISTAKES = [
    ("  - {id: invoice.seller_matches_suplier, severity: error}", 12,
     "unknown rule id 'invoice.seller_matches_suplier'"),
    ("  - {id: invoice.seller_matches_supplier, severity: fatal}", 12, "severity"),
    ("  - {id: invoice.seller_matches_supplier}", 12, "missing 'severity'"),
    ("  - {id: invoice.seller_matches_supplier, severity: error, colour: red}", 12, "unknown key 'colour'"),
    ("  - {id: engine.rule_failed, severity: error}", 12, "reported by the engine"),
    ("  - {id: applicant.no_credit_violations}", 17, "listed twice"),
]


@pytest.mark.parametrize("line,lineno,reason", MISTAKES, ids=[m[2] for m in MISTAKES])
def test_rule_mistakes_name_file_and_line(tmp_path: Path, line: str, lineno: int, reason: str) -> None:
    text = MINIMAL.replace("  - {id: invoice.seller_matches_supplier, severity: error}", line)
    if "listed twice" in reason:
        text = MINIMAL + line + "\n"
    with pytest.raises(PolicyError) as exc:
        _load(tmp_path, text)
    assert f"demo-program.yaml:{lineno}:" in exc.value.message
    assert reason in exc.value.message


@pytest.mark.parametrize("old,new,lineno,reason", [
    ("inclusive: false", "inclusive: maybe", 15, "true or false"),
    ("not_before: 2018-03-20", "not_before: 2018-02-30", 15, "no such date"),
    ("not_before: 2018-03-20", "not_before: 20.3.2018", 15, "YYYY-MM-DD"),
    ("not_before: 2018-03-20, ", "colour: red, ", 15, "unknown key 'colour'"),
    ("ratio: 0.5", "ratio: 1.5", 9, "above 1"),
    ("ratio: 0.5", "ratio: fifty", 9, "ratio"),
    ("cap: 100000.00", "cap: -1", 10, "yuan"),
    ("cap: 100000.00", "cap: 1.234", 10, "yuan"),
    ("  cap: 100000.00\n", "", 8, "missing parameter 'cap'"),
    ("formula: contract_ratio", "formula: contract_ration", 8, "unknown subsidy formula"),
    ("  ratio: 0.5", "  ratio: 0.5\n  colour: red", 10, "no parameter 'colour'"),
    ("{type: contract, label: 合同}", "{type: contrakt, label: 合同}", 6, "unknown document type"),
    ("parameters: {low_confidence_below: 0.85}", "parameters: {low_confidence: 0.85}", 4, "unknown key"),
    ("notice: none", "notice: none\nnotise: typo", 4, "unknown key 'notise'"),
    ("id: demo-program", "id: other-program", 1, "does not match the file name"),
    ("name: 示例 / demo\n", "", 1, "missing 'name'"),
])
def test_value_mistakes_name_file_and_line(tmp_path: Path, old: str, new: str, lineno: int, reason: str) -> None:
    assert old in MINIMAL
    with pytest.raises(PolicyError) as exc:
        _load(tmp_path, MINIMAL.replace(old, new))
    assert f"demo-program.yaml:{lineno}:" in exc.value.message, exc.value.message
    assert reason in exc.value.message


def test_rules_must_be_a_list_and_yaml_errors_have_a_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"demo-program.yaml:11: .*must be a list"):
        _load(tmp_path, MINIMAL.split("rules:\n")[0] + "rules: {}\n")
    with pytest.raises(PolicyError, match=r"demo-program.yaml:\d+: YAML"):
        _load(tmp_path, MINIMAL + "  - {id: applicant.no_fiscal_violations\n")


def test_missing_rule_parameter_names_the_rule_entry(tmp_path: Path) -> None:
    text = MINIMAL + "  - {id: program.contract_in_service_on, severity: error}\n"
    with pytest.raises(PolicyError, match=r"demo-program.yaml:17: .*missing parameter 'on'"):
        _load(tmp_path, text)


def test_aliases_duplicates_and_junk(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="aliases"):
        _load(tmp_path, MINIMAL.replace("parameters: {low_confidence_below: 0.85}",
                                        "parameters: &p {low_confidence_below: 0.85}\ndates: *p"))
    with pytest.raises(PolicyError, match="duplicate key 'name'"):
        _load(tmp_path, MINIMAL + "name: again\n")
    with pytest.raises(PolicyError, match=":1: .*empty"):
        _load(tmp_path, "")
    with pytest.raises(PolicyError, match="not UTF-8"):
        (tmp_path / "demo-program.yaml").write_bytes(b"\xff\xfe")
        table = default_table()
        load_program(tmp_path / "demo-program.yaml", table.rules, table.formulas)


def test_unknown_program_lists_the_known_ones() -> None:
    with pytest.raises(PolicyError, match="unknown program 'beijing-2020'.*yichun-2023"):
        policy_path("beijing-2020")
    assert policy_path("yichun-2023") == POLICY_DIR / "yichun-2023.yaml"
