"""``docintake check`` and ``docintake rules`` through the real CLI entry point.

The end-to-end case runs the real extraction on an e-invoice-like text-layer PDF
made by the sample generator (no OCR needed), so it exercises files → extraction →
checks → JSON. The rest checks exit codes and messages for bad input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from intake.cli import main
from validators.catalogue import default_table

SAMPLES_LISTS = Path(__file__).resolve().parent.parent / "samples" / "lists"


@pytest.fixture(scope="module")
def e_invoice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    try:
        import samplegen
    except Exception as exc:  # the generator needs fonts set up by scripts/setup.sh
        pytest.skip(f"sample generator unavailable: {exc}")
    doc = samplegen.generate("vat_invoice", 7, degrade="clean", fmt="electronic", program="hebei-2018-benchmark")
    folder = tmp_path_factory.mktemp("einvoice")
    [(name, data)] = doc.files.items()
    (folder / name).write_bytes(data)
    return folder / name, doc.fields


def _bundle(tmp_path: Path, pdf: Path, truth: dict[str, Any], **declared_changes: Any) -> Path:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / pdf.name).write_bytes(pdf.read_bytes())
    declared: dict[str, Any] = {
        "program": "hebei-2018-benchmark", "submitted_on": "2018-12-01",
        "applicant": {"name": truth["buyer_name"], "credit_code": truth["buyer_tax_id"]},
        "supplier": {"name": truth["seller_name"]},
        "invoices": [{"number": truth["invoice_number"], "total": truth["total"]}],
    }
    for key, value in declared_changes.items():
        declared[key] = value
    (bundle / "declared.json").write_text(json.dumps(declared, ensure_ascii=False), encoding="utf-8")
    return bundle


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_end_to_end_on_an_e_invoice(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          e_invoice: tuple[Path, dict[str, Any]]) -> None:
    pdf, truth = e_invoice
    bundle = _bundle(tmp_path, pdf, truth)
    code, out, _ = _run(capsys, "check", str(bundle), "--json", "--today", "2024-01-01")
    assert code == 0
    result = json.loads(out)
    assert result["version"] == 1 and result["program"] == "hebei-2018-benchmark"
    assert [d["type"] for d in result["documents"]] == ["vat_invoice"]
    rules = {f["rule"]: f for f in result["findings"]}
    assert "invoice.seller_matches_supplier" not in rules
    assert "invoice.buyer_matches_applicant" not in rules
    assert "declared.invoices_match" not in rules
    assert rules["program.required_documents"]["severity"] == "error"  # licence, contract, receipt missing
    assert result["verdict"] == "fail"
    manual = {c["rule"] for c in result["checklist"]}
    assert "program.provider_in_list" in manual  # no lists configured: the clerk checks it


def test_check_finds_a_different_supplier(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          e_invoice: tuple[Path, dict[str, Any]]) -> None:
    pdf, truth = e_invoice
    bundle = _bundle(tmp_path, pdf, truth, supplier={"name": "北京星河云服务股份有限公司"})
    code, out, _ = _run(capsys, "check", str(bundle), "--json", "--today", "2024-01-01")
    assert code == 0
    [finding] = [f for f in json.loads(out)["findings"] if f["rule"] == "invoice.seller_matches_supplier"]
    assert finding["severity"] in ("error", "warning")  # warning only if the seller name was read doubtfully
    assert finding["declared"] == {"path": "supplier.name", "value": "北京星河云服务股份有限公司"}
    [ev] = [e for e in finding["evidence"] if e["field"] == "seller_name"]
    assert ev["file"] == pdf.name and ev["page"] == 1 and ev["value"] == truth["seller_name"] and len(ev["bbox"]) == 4


def test_check_text_report_and_lists_from_the_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          e_invoice: tuple[Path, dict[str, Any]]) -> None:
    pdf, truth = e_invoice
    bundle = _bundle(tmp_path, pdf, truth)
    monkeypatch.setenv("DOCINTAKE_LISTS_DIR", str(SAMPLES_LISTS))
    code, out, _ = _run(capsys, "check", str(bundle), "--today", "2024-01-01")
    assert code == 0
    assert "结论 / verdict: 不通过 / FAIL" in out
    assert "[program.provider_in_list]" in out and "不在本项目供应商名单内" in out  # the generated seller is not listed
    assert out.index("错误（须处理）") < out.index("人工核对清单")


def test_missing_declared_json_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    code, out, err = _run(capsys, "check", str(tmp_path))
    assert code == 2 and out == ""
    assert "declared.json" in err and "not found" in err


def test_malformed_declared_json_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "declared.json").write_text('{"program": "yichun-2023", "applicant": {"name": 5}}')
    code, _, err = _run(capsys, "check", str(tmp_path), "--json")
    assert code == 2 and "declared.json" in err and "applicant.name" in err and "expected a string" in err


def test_declared_elsewhere_and_program_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = tmp_path / "b"
    bundle.mkdir()
    declared = tmp_path / "portal.json"
    declared.write_text('{"program": "yichun-2023", "applicant": {"name": "伊春林海木业有限公司"}}', encoding="utf-8")
    code, out, _ = _run(capsys, "check", str(bundle), "--declared", str(declared), "--program",
                        "guangdong-2018-voucher", "--json")
    assert code == 0 and json.loads(out)["program"] == "guangdong-2018-voucher"
    assert json.loads(out)["documents"] == []


@pytest.mark.parametrize("argv,needle", [
    (["check", "/nonexistent/bundle"], "not a directory"),
    (["check", "{tmp}", "--program", "beijing-2020"], "unknown program"),
    (["check", "{tmp}", "--lists", "/nonexistent/lists"], "list directory not found"),
    (["rules", "--program", "beijing-2020"], "unknown program"),
])
def test_bad_arguments_are_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                  needle: str) -> None:
    (tmp_path / "declared.json").write_text('{"program": "yichun-2023", "applicant": {"name": "x"}}')
    code, out, err = _run(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert code == 2 and out == "" and needle in err


def test_a_bad_date_argument_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", str(tmp_path), "--today", "yesterday"])
    assert exc.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "rules")
    assert code == 0
    for rule_id in default_table().rules:
        assert rule_id in out
    assert "invoice.seller_matches_supplier" in out and "发票销售方" in out and "invoice seller" in out
    code, out, _ = _run(capsys, "rules", "--json", "--program", "inner-mongolia-2019-voucher")
    entries = {e["rule"]: e for e in json.loads(out)["rules"]}
    assert entries["document.legible"]["severity"] == "error"
    assert entries["contract.market_price"]["severity"] == "manual"
    assert "program.applicant_min_revenue" not in entries
