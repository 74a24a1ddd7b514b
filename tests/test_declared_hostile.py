"""Hostile declared.json: every one is a DeclaredError with code ``declared_invalid``,
quickly and in little memory — never a RecursionError, MemoryError, a decimal signal
or a hang, and never a value that cannot be printed back as UTF-8.
"""

from __future__ import annotations

import json
import math
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.cli import main
from intake.errors import ErrorCode
from validators.declared import MAX_BYTES, Declared, DeclaredError, parse_declared, parse_declared_bytes

pytestmark = pytest.mark.timeout(120)

BASE: dict[str, Any] = {
    "program": "hebei-2018-benchmark",
    "submitted_on": "2018-12-01",
    "applicant": {"name": "河北力方汽车零部件有限责任公司", "credit_code": "91130606016634753D",
                  "established_on": "2012-08-18", "revenue_last_year": "1000000.00"},
    "supplier": {"name": "石家庄云帆数据科技有限公司"},
    "contracts": [{"number": "BPRZ-YS-201705-0904", "signed_on": "2018-04-26", "amount": "96000.00"}],
    "invoices": [{"number": "76842673", "total": "48000.00"}],
    "payments": [{"amount": "96000.00", "paid_on": "2018-05-19"}],
    "requested_subsidy": "9600.00",
}
BASE_TEXT = json.dumps(BASE, ensure_ascii=False)


def _with(path: str, literal: str) -> bytes:
    """BASE with the JSON value at ``path`` (``a.b`` or ``a[0].b``) replaced by ``literal``
    (raw JSON text, so it can be something json.dumps would never write)."""
    marker = "\u2603MARK\u2603"
    data = json.loads(BASE_TEXT)
    node: Any = data
    parts = path.replace("[", ".[").split(".")
    for part in parts[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node.setdefault(part, {})
    last = parts[-1]
    if last.startswith("["):
        node[int(last[1:-1])] = marker
    else:
        node[last] = marker
    return json.dumps(data, ensure_ascii=False).replace(json.dumps(marker, ensure_ascii=False), literal).encode()


def _nest(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


HOSTILE: list[tuple[str, bytes, str]] = [
    # wrong types
    ("top_level_list", b"[]", "top level must be an object"),
    ("top_level_string", b'"declared"', "top level must be an object"),
    ("top_level_null", b"null", "top level must be an object"),
    ("program_number", _with("program", "5"), "expected a string"),
    ("applicant_list", _with("applicant", "[]"), "expected an object"),
    ("name_object", _with("applicant.name", "{}"), "expected a string"),
    ("contracts_object", _with("contracts", "{}"), "expected a list"),
    ("contract_number_entry", _with("contracts[0]", "5"), "expected an object"),
    ("amount_true", _with("contracts[0].amount", "true"), "expected money"),
    ("amount_list", _with("contracts[0].amount", "[1, 2]"), "expected money"),
    ("date_number", _with("contracts[0].signed_on", "20180426"), "expected a date"),
    ("date_impossible", _with("contracts[0].signed_on", '"2018-02-30"'), "no such date"),
    ("flag_string", _with("applicant.integration_certified", '"yes"'), "true or false"),
    ("supplier_string", _with("supplier", '"x"'), "expected an object"),
    # huge, tiny and special numbers
    ("money_1e400", _with("requested_subsidy", "1e400"), "too large"),
    ("money_minus_1e400", _with("requested_subsidy", "-1e400"), "too large"),
    ("money_1e-400", _with("requested_subsidy", "1e-400"), "at most 2 decimals"),
    ("money_exponent_beyond_decimal", _with("requested_subsidy", "1e999999999999999999999"), "out of range"),
    ("money_string_1e9999999", _with("requested_subsidy", '"1e9999999"'), "too large"),
    ("money_string_minus_1e9999999", _with("requested_subsidy", '"-1e9999999"'), "too large"),
    ("money_string_1e400", _with("requested_subsidy", '"1e400"'), "too large"),
    ("int_5000_digits", _with("requested_subsidy", "9" * 5000), "too long"),
    ("int_21_digits", _with("requested_subsidy", "1" * 21), "too long"),
    ("fraction_100000_digits", _with("requested_subsidy", "0." + "0" * 100_000 + "1"), "too long"),
    ("zero_with_100000_digits", _with("requested_subsidy", "0." + "0" * 100_000), "too long"),
    ("money_40_char_string", _with("requested_subsidy", '"' + "9" * 41 + '"'), "too large"),
    ("money_negative", _with("requested_subsidy", '"-5.00"'), "negative"),
    ("money_three_decimals", _with("requested_subsidy", '"5.001"'), "at most 2 decimals"),
    ("NaN_literal", _with("requested_subsidy", "NaN"), "not a number JSON allows"),
    ("Infinity_literal", _with("requested_subsidy", "Infinity"), "not a number JSON allows"),
    ("minus_Infinity_literal", _with("requested_subsidy", "-Infinity"), "not a number JSON allows"),
    ("NaN_string", _with("requested_subsidy", '"NaN"'), "at most 2 decimals"),
    ("sNaN_string", _with("requested_subsidy", '"sNaN"'), "at most 2 decimals"),
    ("Infinity_string", _with("requested_subsidy", '"Infinity"'), "too large"),
    # deep nesting
    ("arrays_100000_deep", _with("x", _nest(100_000)), "nested too deeply"),
    ("objects_100000_deep", ('{"a":' * 100_000 + "1" + "}" * 100_000).encode(), "nested too deeply"),
    ("unclosed_100000_deep", b"[" * 100_000, "nested too deeply"),
    ("nine_deep", _with("x", _nest(8)), "nested too deeply"),
    # not UTF-8
    ("latin1_byte", BASE_TEXT.replace("河北", "Caf\u00e9").encode("latin-1", "replace"), "not UTF-8"),
    ("gbk_encoded", BASE_TEXT.encode("gbk"), "not UTF-8"),
    ("utf16_with_bom", BASE_TEXT.encode("utf-16"), "not UTF-8"),
    ("overlong_slash", b'{"program": "\xc0\xaf"}', "not UTF-8"),
    ("cesu_surrogate", b'{"program": "\xed\xa0\x80"}', "not UTF-8"),
    ("truncated_multibyte", BASE_TEXT.encode()[:-2] + b"\xe6\xb2", "not UTF-8"),
    # escapes that decode to something unprintable
    ("lone_surrogate_value", _with("applicant.name", '"\\ud800"'), "lone UTF-16 surrogate"),
    ("lone_surrogate_key", _with("applicant", '{"name": "x", "\\udc80": "y"}'), "lone UTF-16 surrogate"),
    ("lone_surrogate_unknown_key", BASE_TEXT[:-1].encode() + b', "\\udfff": 1}', "lone UTF-16 surrogate"),
    ("control_in_name", _with("applicant.name", '"\\u001b[2J\\u001b[H"'), "control characters"),
    ("nul_in_number", _with("contracts[0].number", '"BPRZ\\u0000"'), "control characters"),
    # duplicates, lengths, counts, syntax
    ("duplicate_top_key", BASE_TEXT[:-1].encode() + b', "program": "yichun-2023"}', "twice"),
    ("duplicate_nested_key", _with("applicant", '{"name": "a", "name": "b"}'), "twice"),
    ("name_500k", _with("applicant.name", '"' + "长" * 200_000 + '"'), "too long"),
    ("over_max_bytes", _with("x", '"' + "a" * (MAX_BYTES + 10) + '"'), "too large"),
    ("too_many_payments", _with("payments", "[" + ",".join(["{}"] * 201) + "]"), "too many entries"),
    ("empty", b"", "malformed JSON"),
    ("bom_only", b"\xef\xbb\xbf", "malformed JSON"),
    ("trailing_garbage", BASE_TEXT.encode() + b"}", "malformed JSON"),
    ("single_quotes", b"{'program': 'x'}", "malformed JSON"),
    ("comment", b"// declared\n" + BASE_TEXT.encode(), "malformed JSON"),
    ("program_not_an_id", _with("program", '"../../etc/passwd"'), "not a program id"),
    ("program_missing", b'{"applicant": {"name": "x"}}', "required"),
]


@pytest.mark.parametrize("raw,reason", [(r, why) for _, r, why in HOSTILE], ids=[n for n, _, _ in HOSTILE])
def test_hostile_declaration_is_a_declared_error(raw: bytes, reason: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(DeclaredError) as exc:
            parse_declared_bytes(raw, source="bundle/declared.json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    err = exc.value
    assert reason in err.message
    assert err.code is ErrorCode.DECLARED_INVALID and str(err.code) == "declared_invalid"
    assert err.exit_code == 2 and err.http_status == 422
    assert err.file == "bundle/declared.json"
    err.message.encode("utf-8")  # printable anywhere
    assert len(err.message) < 1000
    # Bounded memory: a few times the input at most (the input is capped at 1 MB).
    assert peak < 40 * max(len(raw), 1 << 20), peak


def test_odd_but_valid_declarations_are_read() -> None:
    # A valid surrogate pair, an emoji, a BOM, zero as 0E-5, deep nesting inside a string.
    raw = _with("applicant.name", '"\\ud83d\\ude00 公司"').replace(b'"9600.00"', b"0E-5")
    d = parse_declared_bytes(b"\xef\xbb\xbf" + raw)
    assert d.applicant.name == "\U0001f600 公司"
    assert d.requested_subsidy == Decimal("0.00")
    d = parse_declared_bytes(_with("x", '"' + "[" * 100_000 + '"'))
    assert d.unknown_keys == ("x",)


def test_a_huge_unknown_key_is_kept_short() -> None:
    d = parse_declared_bytes(BASE_TEXT[:-1].encode() + b', "' + b"k" * 500_000 + b'": 1}')
    assert len(d.unknown_keys) == 1 and len(d.unknown_keys[0]) <= 300


def test_python_objects_from_an_api_are_checked_too() -> None:
    """parse_declared gets already-parsed JSON from the service: floats, huge ints,
    deeply nested lists it never walks."""
    deep: list = []
    node = deep
    for _ in range(100_000):
        node.append([])
        node = node[0]
    data = json.loads(BASE_TEXT)
    data["x"] = deep
    assert parse_declared(data).unknown_keys == ("x",)
    for value in (10**5000, 1e308, math.inf, math.nan, -0.0, [10**5000], {"a": deep}):
        data = json.loads(BASE_TEXT)
        data["requested_subsidy"] = value
        with pytest.raises(DeclaredError):
            parse_declared(data)
    data = json.loads(BASE_TEXT)
    data["applicant"]["name"] = "\udcff"
    with pytest.raises(DeclaredError, match="control characters or lone surrogates"):
        parse_declared(data)
    data = json.loads(BASE_TEXT)
    data["\udcff\x1b"] = 1
    assert parse_declared(data).unknown_keys[0].encode("utf-8") == "\ufffd\ufffd".encode()


# --- hypothesis ---------------------------------------------------------------------------

_FIELDS = ["program", "applicant", "supplier", "contracts", "invoices", "payments", "requested_subsidy",
           "submitted_on", "name", "credit_code", "amount", "total", "paid_on", "signed_on", "number",
           "integration_certified", "established_on", "revenue_last_year", "[0]"]

_number_literals = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["1e400", "-1e400", "1e-400", "1E+999999999", "0.0000000000000000000000001", "-0",
                     "NaN", "Infinity", "-Infinity", "1" * 30, "1." + "5" * 50, "0e999999999"]),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-99, 99), st.integers(-(10**12), 10**12)),
)
_string_literals = st.one_of(
    st.text(max_size=30).map(lambda s: json.dumps(s)),
    st.text(max_size=30).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.sampled_from(['"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', '"\\u001b[31m"', '"2018-02-29"', '"2020-02-29"',
                     '"99999-01-01"', '"1e9999999"', '"  50000.00  "', '"50,000.00"', '"５００００"', '"sNaN"']),
)
_scalars = st.one_of(_number_literals, _string_literals, st.sampled_from(["true", "false", "null"]))


def _compose(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(children, max_size=4).map(lambda xs: "[" + ",".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(_FIELDS) | st.text(max_size=8).map(json.dumps), children), max_size=4)
        .map(lambda kv: "{" + ",".join(f"{json.dumps(k) if not k.startswith(chr(34)) else k}:{v}" for k, v in kv) + "}"),
    )


_json_text = st.recursive(_scalars, _compose, max_leaves=25)
_paths = st.sampled_from([
    "program", "applicant", "applicant.name", "applicant.credit_code", "applicant.established_on",
    "applicant.revenue_last_year", "applicant.integration_certified", "supplier", "supplier.credit_code",
    "contracts", "contracts[0]", "contracts[0].amount", "contracts[0].signed_on", "contracts[0].number",
    "invoices[0].total", "invoices[0].number", "payments", "payments[0].amount", "payments[0].paid_on",
    "requested_subsidy", "submitted_on", "unknown_key",
])


def _outcome(raw: bytes) -> Declared | None:
    try:
        declared = parse_declared_bytes(raw)
    except DeclaredError as exc:
        assert exc.code is ErrorCode.DECLARED_INVALID and exc.message
        exc.message.encode("utf-8")
        return None
    # Whatever is accepted can be printed back as UTF-8.
    repr(declared).encode("utf-8")
    for key in declared.unknown_keys:
        key.encode("utf-8")
    return declared


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_paths, _json_text)
def test_any_value_anywhere_gives_a_declaration_or_our_error(path: str, literal: str) -> None:
    _outcome(_with(path, literal))


@settings(max_examples=200, deadline=None)
@given(_json_text)
def test_any_json_text_gives_a_declaration_or_our_error(text: str) -> None:
    _outcome(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(BASE_TEXT.encode())), st.integers(0, 40), st.binary(max_size=40))
def test_spliced_bytes_give_a_declaration_or_our_error(at: int, cut: int, junk: bytes) -> None:
    raw = BASE_TEXT.encode()
    _outcome(raw[:at] + junk + raw[at + cut:])


_python_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.decimals()
    | st.sampled_from([10**400, "\udcff", "\x00", float("nan")]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_FIELDS) | st.text(max_size=5), inner,
                                                               max_size=4),
    max_leaves=15,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(_FIELDS), _python_values, max_size=8))
def test_any_python_object_gives_a_declaration_or_our_error(data: dict[str, Any]) -> None:
    try:
        declared = parse_declared(data)
    except DeclaredError as exc:
        assert exc.code is ErrorCode.DECLARED_INVALID
        return
    repr(declared).encode("utf-8")


# --- through the CLI ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["money_string_1e9999999", "arrays_100000_deep", "lone_surrogate_value",
                                  "gbk_encoded", "money_exponent_beyond_decimal"])
def test_check_cli_refuses_a_hostile_declaration(name: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    raw = next(r for n, r, _ in HOSTILE if n == name)
    (tmp_path / "declared.json").write_bytes(raw)
    code = main(["check", str(tmp_path), "--json"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "declared_invalid" in err and "declared.json" in err
