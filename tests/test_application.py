"""The application generator and its planted defects, checked on the generator's own
truth (bench.checking.truth_check: the documents as a perfect extractor would read
them), so that no OCR is needed: a clean application passes every automatic rule with
the subsidy the generator expects; each defect kind is reported by its rules and by
nothing else that is an error (side effects it lists aside)."""

from __future__ import annotations

import json

import pytest

from bench.checking import truth_check
from samplegen.application import PROGRAMS, generate_application, make_plan, render_plan
from samplegen.defects import KINDS, kinds_for

CASES = [(p, k.name) for p in PROGRAMS for k in kinds_for(p)]


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("seed", [1, 2])
def test_clean_application_passes_on_its_truth(program: str, seed: int) -> None:
    app = generate_application(program, seed, files_too=False)
    result = truth_check(app)
    doubts = [(f.rule, str(f.severity), f.message[:120]) for f in result.findings
              if str(f.severity) != "info"]
    assert not doubts
    assert app.expected_subsidy is not None and result.eligible_subsidy == app.expected_subsidy
    assert app.declared["requested_subsidy"] == f"{app.expected_subsidy:.2f}"


@pytest.mark.parametrize("program,kind", CASES, ids=[f"{p}-{k}" for p, k in CASES])
def test_defect_is_reported_on_its_truth(program: str, kind: str) -> None:
    k = KINDS[kind]
    app = generate_application(program, 5, defect=kind, files_too=False)
    assert app.planted is not None and app.planted.kind == kind
    result = truth_check(app)
    rules = {f.rule for f in result.findings}
    assert set(k.rules) <= rules, f"{kind}: {sorted(rules)}"
    if k.severity != "info":
        assert str(result.verdict) != "pass"
    errors = {f.rule for f in result.findings if str(f.severity) == "error"}
    assert errors <= set(k.rules) | set(k.side_rules), f"{kind}: also {sorted(errors - set(k.rules))}"


def test_twins_share_untouched_files() -> None:
    """A defect changes only what it must: the clean twin's other files are identical."""
    clean = generate_application("yichun-2023", 3)
    twin = generate_application("yichun-2023", 3, defect="invoice_seller_mismatch")
    changed = sorted(n for n in clean.files if clean.files[n] != twin.files.get(n))
    assert changed == ["invoice.pdf"]


def test_deterministic() -> None:
    a = render_plan(make_plan("guangdong-2018-voucher", 9, compact=True))
    b = render_plan(make_plan("guangdong-2018-voucher", 9, compact=True))
    assert a.files == b.files and a.declared == b.declared
    json.loads(a.declared_json())


def test_every_kind_applies_somewhere_and_names_known_rules() -> None:
    from validators import default_table

    known = set(default_table().rules)
    for k in KINDS.values():
        assert k.programs and set(k.rules) <= known and set(k.side_rules) <= known, k.name
