"""Golden cases: every folder under samples/documents is input files, the truth the
generator rendered them from (truth.json), and the pipeline's committed output
(expected.json). Regenerate with ``pytest tests/test_golden.py --regen-goldens`` and
review the diff like code."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from intake.pipeline import extract_files
from tests.conftest import SAMPLES
from tests.golden import diff_documents

CASES = sorted(p for p in (SAMPLES / "documents").iterdir() if p.is_dir()) if (SAMPLES / "documents").exists() else []


def _inputs(case: Path) -> list[Path]:
    return sorted(p for p in case.iterdir() if p.is_file() and p.suffix != ".json")


def _same(a: object, b: object) -> bool:
    """Truth and output agree (money compared as numbers: '50000.0' is '50000.00')."""
    if isinstance(a, str) and isinstance(b, str):
        try:
            return Decimal(a) == Decimal(b)
        except ArithmeticError:
            return a == b
    return a == b


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, regen_goldens: bool) -> None:
    actual = extract_files(_inputs(case)).to_json()
    golden = case / "expected.json"
    if regen_goldens or not golden.exists():
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not regen_goldens:
            pytest.fail(f"{golden} was missing and has been written: review and commit it")
    problems = diff_documents(json.loads(golden.read_text(encoding="utf-8")), actual)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_confident_values_are_true(case: Path) -> None:
    """The contract's promise on the committed samples: a value given confidence
    >= 0.9 equals the truth the document was rendered from."""
    truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    truth_docs = truth["documents"] if "documents" in truth else [truth]
    wrong = []
    for t in truth_docs:
        docs = [d for d in expected["documents"] if d["type"] == t["doc_type"]]
        if not docs:
            continue
        for name, f in docs[0]["fields"].items():
            if name in t["fields"] and f["confidence"] >= 0.9 and not _same(f["value"], t["fields"][name]):
                wrong.append(f"{t['doc_type']}.{name}: read {f['value']!r} at {f['confidence']}, truth {t['fields'][name]!r}")
    assert not wrong, "\n".join(wrong)
