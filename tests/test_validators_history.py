"""History rules: an invoice, payment or file used twice; one application per company."""

from __future__ import annotations

import pytest

from validators import Severity, default_table
from validators.history import History, KeyKind, PriorUse, keys_of
from validators.rule import RuleKind
from validators.testing import clean_application, run_application

HB, IM, YC, GD = "hebei-2018-benchmark", "inner-mongolia-2019-voucher", "yichun-2023", "guangdong-2018-voucher"
OTHER = PriorUse("0f1e2d3c-aaaa-bbbb-cccc-000000000001", "hebei-2018-benchmark", "checked", "2024-01-02")


def _history_of(program: str, kind: KeyKind, *, files: dict[str, str] | None = None) -> History:
    app = clean_application(program)
    keys = keys_of(list(app.documents.values()), app.declared_obj(), files)
    wanted = [k for k in keys if k.kind is kind]
    assert wanted, f"the clean {program} application has no {kind} key"
    return History({(str(k.kind), k.value): (OTHER,) for k in wanted}, files or {})


def _hits(program: str, rule: str, history: History | None):
    result = run_application(clean_application(program), history=history)
    return result, [f for f in result.findings if f.rule == rule]


@pytest.mark.parametrize("program", [HB, IM, GD])
def test_invoice_used_before_is_an_error_naming_the_other_application(program: str) -> None:
    _, hits = _hits(program, "invoice.not_used_before", _history_of(program, KeyKind.INVOICE))
    assert [f.severity for f in hits] == [Severity.ERROR]
    assert "0f1e2d3c" in hits[0].message and "/ invoice" in hits[0].message
    assert hits[0].evidence[0].field == "invoice_number"


@pytest.mark.parametrize("program", [HB, IM, GD])
def test_invoice_not_seen_before_passes(program: str) -> None:
    result, hits = _hits(program, "invoice.not_used_before", History())
    assert hits == []
    assert "invoice.not_used_before" not in {c.rule for c in result.checklist}


@pytest.mark.parametrize("program", [HB, YC])
def test_without_history_the_rule_goes_to_the_checklist(program: str) -> None:
    rule = "invoice.not_used_before" if program == HB else "application.one_per_company"
    result, hits = _hits(program, rule, None)
    assert hits == []
    assert rule in {c.rule for c in result.checklist}


def test_yichun_company_applying_twice_is_an_error() -> None:
    result, hits = _hits(YC, "application.one_per_company", _history_of(YC, KeyKind.COMPANY))
    assert [f.severity for f in hits] == [Severity.ERROR]
    assert "91" in hits[0].message  # the credit code is named


def test_company_key_is_per_program() -> None:
    app = clean_application(YC)
    (company,) = [k for k in keys_of(list(app.documents.values()), app.declared_obj()) if k.kind is KeyKind.COMPANY]
    assert company.value.startswith("yichun-2023:")


@pytest.mark.parametrize(("kind", "rule", "severity"), [
    (KeyKind.BANK_SERIAL, "payment.not_used_before", Severity.ERROR),
    (KeyKind.FILE, "upload.not_used_before", Severity.WARNING),  # the policies' choice: a clerk looks
])
def test_payment_and_file_used_before(kind: KeyKind, rule: str, severity: Severity) -> None:
    files = {"invoice.pdf": "a" * 64}
    _, hits = _hits(HB, rule, _history_of(HB, kind, files=files))
    assert [f.severity for f in hits] == [severity]
    assert "0f1e2d3c" in hits[0].message


def test_every_history_rule_is_tested_here() -> None:
    history_rules = {r.id for r in default_table().rules.values() if r.kind is RuleKind.HISTORY}
    assert history_rules == {"invoice.not_used_before", "payment.not_used_before", "upload.not_used_before",
                             "application.one_per_company"}


def test_a_licence_file_sent_again_is_not_a_reuse() -> None:
    files = {"licence.jpg": "b" * 64}
    _, hits = _hits(HB, "upload.not_used_before", _history_of(HB, KeyKind.FILE, files=files))
    assert hits == []
