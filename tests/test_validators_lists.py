"""Deployment lists: CSV files checked on load (file:line), matched by code or name;
the example lists in samples/lists fit their programs' policies."""

from __future__ import annotations

from pathlib import Path

import pytest

from validators.catalogue import default_table
from validators.lists import ListError, load_program_list
from validators.programs import builtin_programs, load_policy
from validators.testing import clean_application, run_application

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "lists"


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "demo.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_lists_load_for_every_program() -> None:
    for pid in builtin_programs():
        program = load_policy(pid, default_table())
        assert program.deployment_list is not None
        lst = load_program_list(SAMPLES / f"{pid}.csv", program.deployment_list.columns)
        assert lst.rows, pid


def test_find_by_code_then_by_name(tmp_path: Path) -> None:
    lst = load_program_list(_csv(tmp_path, "name,credit_code\n石家庄云帆数据科技有限公司,911301007294364829\n"
                                           "唐山智联云计算有限公司,\n"), ["name", "credit_code"])
    assert [m.row.line for m in lst.find("whatever", "911301007294364829")] == [2]
    assert [m.exact for m in lst.find("唐山智聯雲計算有限公司", None)] == [True]  # traditional script
    assert [m.exact for m in lst.find("唐山智联云计算公司", None)] == [False]  # near: a clerk confirms
    assert lst.find("石家庄云帆数据科技有限公司", "91440305572253919U") == []  # listed code differs


@pytest.mark.parametrize("text,line,reason", [
    ("", 1, "empty list"),
    ("name\n", 1, "missing column(s) credit_code"),
    ("name,credit_code\n某公司,911301007294364828\n", 2, "invalid credit code"),
    ("name,credit_code\n,911301007294364829\n", 2, "empty name"),
    ("name,credit_code\n某公司\n", 2, "1 cells"),
    ("name,credit_code,filed_on\n\n某公司,,2023-13-01\n", 3, "filed_on"),
    ("name,credit_code,cap\n某公司,,十万\n", 2, "cap"),
])
def test_bad_lists_name_file_and_line(tmp_path: Path, text: str, line: int, reason: str) -> None:
    with pytest.raises(ListError) as exc:
        load_program_list(_csv(tmp_path, text), ["name", "credit_code"])
    assert f"demo.csv:{line}:" in exc.value.message and reason in exc.value.message
    assert exc.value.exit_code == 2


def test_bom_and_extra_columns_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "demo.csv"
    path.write_bytes("\ufeffname,credit_code,note\n某某科技有限公司,,备注\n".encode())
    lst = load_program_list(path, ["name", "credit_code"])
    assert lst.rows[0].name == "某某科技有限公司" and lst.rows[0].get("note") == "备注"


def test_supplier_missing_from_a_configured_list_is_an_error() -> None:
    app = clean_application("inner-mongolia-2019-voucher")
    app.list_rows[:] = [{"name": "包头钢城数据服务有限公司", "credit_code": "9115020059363303XG"}]
    [hit] = [f for f in run_application(app).findings if f.rule == "program.provider_in_list"]
    assert hit.severity == "error" and hit.declared is not None and hit.declared.path == "supplier.name"


def test_no_list_is_manual_never_a_pass_or_a_guess() -> None:
    for pid in builtin_programs():
        result = run_application(clean_application(pid), with_list=False)
        assert "program.provider_in_list" in {c.rule for c in result.checklist}, pid
        assert not [f for f in result.findings if f.rule == "program.provider_in_list"]
