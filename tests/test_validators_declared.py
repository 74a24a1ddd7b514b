"""declared.json: typed on the way in, and every bad file refused with a message that
names the file, the path inside it and the reason — never a TypeError, never a hang."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validators.declared import MAX_BYTES, DeclaredError, load_declared, parse_declared, parse_declared_bytes

GOOD = {
    "program": "guangdong-2018-voucher", "submitted_on": "2018-10-08",
    "applicant": {"name": "佛山顺达五金制品有限公司", "credit_code": "914406045118487327", "region": "佛山市",
                  "established_on": "2015-04-01", "revenue_last_year": "23000000.00",
                  "integration_certified": True},
    "supplier": {"name": "广州珠江工业互联网科技有限公司", "credit_code": " 9144 0106 5792 469577 "},
    "contracts": [{"number": "YF-2018-031", "signed_on": "2018-05-02", "service_start": "2018-06-01",
                   "service_end": "2019-05-31", "amount": "120000.00", "cloud_fee": "100000.00",
                   "annual_fee": "120000.00", "category": "platform", "service": "设备联网与数据采集"}],
    "invoices": [{"number": "20800628", "total": "120000.00"}],
    "payments": [{"amount": "120000.00", "paid_on": "2018-05-20"}],
    "requested_subsidy": "100000.00",
}


def _bytes(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode()


def test_good_declaration_is_typed() -> None:
    d = parse_declared_bytes(_bytes(GOOD))
    assert d.program == "guangdong-2018-voucher"
    assert d.submitted_on == date(2018, 10, 8)
    assert d.applicant.revenue_last_year == Decimal("23000000.00")
    assert d.applicant.integration_certified is True
    assert d.supplier is not None and d.supplier.credit_code == "914401065792469577"
    assert d.contracts[0].cloud_fee == Decimal("100000.00") and d.contracts[0].path("amount") == "contracts[0].amount"
    assert d.requested_subsidy == Decimal("100000.00")
    assert d.unknown_keys == ()


def test_only_program_and_applicant_name_are_required() -> None:
    d = parse_declared({"program": "yichun-2023", "applicant": {"name": "某公司"}})
    assert d.contracts == () and d.supplier is None and d.requested_subsidy is None


def test_json_numbers_are_exact_money() -> None:
    d = parse_declared_bytes(b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": 40000.1}')
    assert d.requested_subsidy == Decimal("40000.10")


def test_unknown_keys_are_kept_for_an_info_finding() -> None:
    applicant: dict[str, object] = {**GOOD["applicant"], "nickname": "x"}  # type: ignore[dict-item]
    d = parse_declared({**GOOD, "contact": {"phone": "1"}, "applicant": applicant})
    assert set(d.unknown_keys) == {"contact", "applicant.nickname"}


BAD: list[tuple[bytes, str]] = [
    (b"", "malformed JSON"),
    (b"\xff\xfe{", "not UTF-8"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"},}', "line 1"),
    (b"[1, 2]", "top level must be an object"),
    (b'"just a string"', "top level must be an object"),
    (b'{"applicant": {"name": "x"}}', "program: 必填 / required"),
    (b'{"program": "yichun-2023"}', "applicant: 必填 / required"),
    (b'{"program": "yichun-2023", "applicant": {"name": ""}}', "applicant.name"),
    (b'{"program": "../../etc/passwd", "applicant": {"name": "x"}}', "not a program id"),
    (b'{"program": 7, "applicant": {"name": "x"}}', "expected a string, got a number"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": [1]}', "requested_subsidy"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": "1,000"}', "at most 2 decimals"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": "-5.00"}', "negative"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": "5.001"}', "at most 2 decimals"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": 1e999999}', "too large"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": 1e-999999}', "2 decimals"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": "99999999999999999999"}',
     "too large"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": ' + b"9" * 5000 + b"}",
     "too long"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": NaN}', "NaN"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "requested_subsidy": true}', "requested_subsidy"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "submitted_on": "2018/10/08"}', "YYYY-MM-DD"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "submitted_on": "2018-02-30"}', "no such date"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "contracts": {"amount": "1"}}', "expected a list"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "contracts": ["x"]}', "contracts[0]"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x"}, "contracts": [{"amount": 5, "signed_on": 20180502}]}',
     "contracts[0].signed_on"),
    (b'{"program": "yichun-2023", "applicant": {"name": "x", "integration_certified": "yes"}}', "true or false"),
    (b'{"program": "yichun-2023", "program": "hebei-2018-benchmark", "applicant": {"name": "x"}}', "twice"),
    (b'{"program": "yichun-2023", "applicant": {"name": "' + "长".encode() * 400 + b'"}}', "too long"),
]


@pytest.mark.parametrize("raw,reason", BAD, ids=[r for _, r in BAD])
def test_bad_declarations_are_refused_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(DeclaredError) as exc:
        parse_declared_bytes(raw, source="bundle/declared.json")
    assert reason in exc.value.message
    assert exc.value.file == "bundle/declared.json"
    assert exc.value.exit_code == 2


def test_deep_nesting_is_refused_before_parsing() -> None:
    raw = b'{"program": "yichun-2023", "applicant": {"name": "x"}, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(DeclaredError, match="nested too deeply"):
        parse_declared_bytes(raw)


def test_too_many_entries() -> None:
    raw = _bytes({"program": "yichun-2023", "applicant": {"name": "x"}, "payments": [{}] * 1000})
    with pytest.raises(DeclaredError, match="too many entries"):
        parse_declared_bytes(raw)


def test_files(tmp_path: Path) -> None:
    with pytest.raises(DeclaredError, match="not found") as exc:
        load_declared(tmp_path / "declared.json")
    assert exc.value.file == str(tmp_path / "declared.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_BYTES + 1))
    with pytest.raises(DeclaredError, match="too large"):
        load_declared(big)
    with pytest.raises(DeclaredError, match="cannot read|not found"):
        load_declared(tmp_path)  # a directory
    good = tmp_path / "declared.json"
    good.write_bytes(b"\xef\xbb\xbf" + _bytes(GOOD))  # a BOM, as Windows editors save it
    assert load_declared(good).program == "guangdong-2018-voucher"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
_keys = st.sampled_from(["program", "applicant", "supplier", "contracts", "invoices", "payments",
                         "requested_subsidy", "submitted_on", "name", "amount", "paid_on", "credit_code"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _json, max_size=8))
def test_any_json_gives_a_declaration_or_our_error(data: dict[str, object]) -> None:
    """The invoice2data-style contract: a value or our own error, nothing else."""
    try:
        parse_declared_bytes(json.dumps(data).encode())
    except DeclaredError as exc:
        assert exc.message


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_a_declaration_or_our_error(raw: bytes) -> None:
    try:
        parse_declared_bytes(raw)
    except DeclaredError:
        pass
