"""Re-running the checks on stored documents gives what the pipeline's run gave."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from api.review.recheck import PAGE_ONLY_RULES, apply_correction, documents_from_json, finding_key
from intake.check_cli import program_list_for
from intake.model import FileError
from validators import default_table, load_policy, run_checks
from validators.declared import parse_declared
from tests.review.helpers import SAMPLES

CASES = sorted(p for p in (SAMPLES / "bundles").glob("*/*") if (p / "expected.json").is_file())


def _check(case: Path, result: dict, docs: list) -> dict:
    meta = json.loads((case / "case.json").read_text(encoding="utf-8"))
    declared = parse_declared(json.loads((case / "declared.json").read_text(encoding="utf-8"), parse_float=str),
                              source="declared.json")
    table = default_table()
    program = load_policy(meta["program"], table)
    plist, unavailable = program_list_for(SAMPLES / "lists" if meta.get("lists") else None, program)
    return run_checks(docs, declared, program, table, today=date.fromisoformat(meta["today"]), program_list=plist,
                      list_unavailable=unavailable,
                      file_errors=[FileError(**e) for e in result.get("errors", [])]).to_json()


def test_every_golden_bundle_is_reproduced_from_its_stored_documents() -> None:
    """All programs, every planted defect: the same findings, checklist and subsidy (QR payloads aside)."""
    assert len(CASES) > 100
    for case in CASES:
        expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        got = _check(case, expected, documents_from_json(expected, {}))
        want = [(f["rule"], f["severity"], f["message"]) for f in expected["findings"]
                if f["rule"] not in PAGE_ONLY_RULES]
        root = str(SAMPLES.parent) + "/"  # the lists' path is named in some messages
        assert [(f["rule"], f["severity"], f["message"].replace(root, "")) for f in got["findings"]] == want, case
        assert got["checklist"] == expected["checklist"], case
        assert got["eligible_subsidy"] == expected["eligible_subsidy"], case
        assert [d["fields"] for d in got["documents"]] == [d["fields"] for d in expected["documents"]], case


def test_a_correction_clears_the_finding_it_caused() -> None:
    case = SAMPLES / "bundles" / "yichun-2023" / "payee_near_miss"
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    docs = documents_from_json(expected, {})
    old = apply_correction(docs, "receipt.pdf", "payee_name", "伊春林都云信息技术有限公司")
    assert old == "伊春林都云信息枝术有限公司"
    got = _check(case, expected, docs)
    assert "payment.payee_matches_supplier" not in {f["rule"] for f in got["findings"]}
    receipt = next(d for d in got["documents"] if d["file"] == "receipt.pdf")
    assert receipt["fields"]["payee_name"]["method"] == "clerk"
    assert receipt["fields"]["payee_name"]["confidence"] == 1.0
    assert receipt["fields"]["payee_name"]["bbox"]  # the crop still points at the page
    with pytest.raises(KeyError):
        apply_correction(docs, "receipt.pdf", "no_such_field", "x")


def test_finding_keys_survive_a_rerun_and_tell_findings_apart() -> None:
    a = {"rule": "r", "evidence": [{"file": "a.pdf", "field": "total", "value": "1"}], "message": "m1"}
    b = {"rule": "r", "evidence": [{"file": "a.pdf", "field": "total", "value": "2"}], "message": "m2"}
    c = {"rule": "r", "evidence": [{"file": "b.pdf", "field": "total"}]}
    assert finding_key(a) == finding_key(b) != finding_key(c)
