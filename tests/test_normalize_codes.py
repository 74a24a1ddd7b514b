"""Credit codes, registration numbers, tax ids and id numbers."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_10

from extractors.normalize import (
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_registration_number,
    normalize_code,
    normalize_tax_id,
    repair_credit_code,
)

# The example in stdnum's documentation (a real Beijing company's code).
KNOWN = "91110000600037341L"
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _gb11714_check(body: str) -> str:
    """Check character of an 8-character organisation code body (GB 11714)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2)))
    return {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))


def _make_code(head: str, region: str, body: str) -> str:
    base = head + region + body + _gb11714_check(body)
    return base + uscc.calc_check_digit(base)


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    """Well-formed codes: authority + type + 6-digit region + organisation
    code (8 characters + its GB 11714 check) + GB 32100 check."""
    head = draw(st.sampled_from("1591Y")) + draw(st.sampled_from("123"))
    region = draw(st.from_regex(r"[1-6][0-9]{5}", fullmatch=True))
    body = draw(st.text(alphabet=_ALPHABET, min_size=8, max_size=8))
    return _make_code(head, region, body)


def test_normalize_code() -> None:
    assert normalize_code(" 9111 0000６０００３７３４１ｌ ") == KNOWN


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        (KNOWN, True),
        ("9111 0000 6000 3734 1L", True),
        ("91110000600037341l", True),
        ("91110000600037341M", False),  # wrong check character
        ("91110000600037341", False),  # 17 characters
        ("9111000060003734IL", False),  # I is not in the alphabet
        ("911A0000600037341L", False),  # letter in the region code
        ("", False),
    ],
)
def test_is_valid_credit_code(code: str, valid: bool) -> None:
    assert is_valid_credit_code(code) is valid


def test_letter_prefixed_codes_are_accepted() -> None:
    # GB 32100 authority codes N (农业) and Y (其他) are legal; stdnum rejects them.
    for head in ("N2", "Y1", "A1"):
        base = head + "440300" + "MA5FXXX3U"
        assert is_valid_credit_code(base + uscc.calc_check_digit(base))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (KNOWN, (KNOWN, 0)),
        ("9111 0000 6000 3734 1L", (KNOWN, 0)),
        ("9111000060003734IL", (KNOWN, 1)),  # I -> 1
        ("911100O0600037341L", (KNOWN, 1)),  # O in the region code -> 0
        ("91110000600037341l", (KNOWN, 0)),  # lower-case is just normalised
        ("9111000060003734lL", (KNOWN, 1)),  # l read for 1 (a valid letter L: optional swap)
        ("统一社会信用代码：9111000060003734IL", (KNOWN, 1)),
        ("91110000600037341M", None),  # check character wrong: no guessing
        ("9111000060003734", None),
        ("ABCDEFGHIJKLMNOPQR", None),
    ],
)
def test_repair_credit_code_examples(text: str, expected: tuple[str, int] | None) -> None:
    assert repair_credit_code(text) == expected


_FORCED = {"0": "O", "1": "I", "2": "Z", "5": "S", "U": "V", "Y": "V"}
_OPTIONAL = {"0": "D", "D": "0", "8": "B", "B": "8", "6": "G", "G": "6", "1": "L", "L": "1", "Q": "0"}


@given(credit_codes(), st.data())
def test_forced_confusion_is_repaired(code: str, data: st.DataObject) -> None:
    """A character OCR turned into one outside the alphabet (O I Z S V) is
    always repaired back, with one substitution."""
    positions = [i for i, c in enumerate(code) if c in _FORCED and (i >= 8 or c.isdigit())]
    assume(positions)
    i = data.draw(st.sampled_from(positions))
    broken = code[:i] + _FORCED[code[i]] + code[i + 1 :]
    assert repair_credit_code(broken) == (code, 1)


@given(credit_codes(), st.data())
def test_letter_in_region_code_is_repaired(code: str, data: st.DataObject) -> None:
    positions = [i for i in range(2, 8) if code[i] in "0186"]
    assume(positions)
    i = data.draw(st.sampled_from(positions))
    broken = code[:i] + {"0": "D", "1": "L", "8": "B", "6": "G"}[code[i]] + code[i + 1 :]
    assert repair_credit_code(broken) == (code, 1)


@given(credit_codes(), st.data())
def test_optional_confusion_never_yields_another_code(code: str, data: st.DataObject) -> None:
    """Swapping a valid look-alike in (8 -> B in the body) is either repaired
    back or refused -- never turned into some other valid code."""
    positions = [i for i in range(8, 18) if code[i] in _OPTIONAL]
    assume(positions)
    i = data.draw(st.sampled_from(positions))
    broken = code[:i] + _OPTIONAL[code[i]] + code[i + 1 :]
    assert repair_credit_code(broken) in ((code, 1), None)


def _random_code(rng: random.Random) -> str:
    head = rng.choice("159") + rng.choice("123")
    region = str(rng.randint(110000, 659999))
    return _make_code(head, region, "".join(rng.choice(_ALPHABET) for _ in range(8)))


def test_repair_error_rates() -> None:
    """Measured, seeded.  A look-alike swap in the organisation code is
    repaired (>= 97 %); an arbitrary misread (not a look-alike) is refused,
    and turned into some other valid code at most 1.5 % of the time -- the
    residue of one optional swap passing both checksums by chance, which is
    why callers must not treat a repaired code as confident."""
    rng = random.Random(20180502)
    wrong = right = 0
    trials = 1500
    for _ in range(trials):
        code = _random_code(rng)
        i = rng.randrange(18)
        c = rng.choice([x for x in (_ALPHABET if i >= 8 else "0123456789") if x != code[i]])
        result = repair_credit_code(code[:i] + c + code[i + 1 :])
        if result is not None:
            right += result[0] == code
            wrong += result[0] != code
    assert wrong / trials <= 0.015

    repaired = tried = 0
    while tried < 500:
        code = _random_code(rng)
        positions = [i for i in range(8, 17) if code[i] in _OPTIONAL]
        if not positions:
            continue
        i = rng.choice(positions)
        tried += 1
        repaired += repair_credit_code(code[:i] + _OPTIONAL[code[i]] + code[i + 1 :]) == (code, 1)
    assert repaired / tried >= 0.97


def test_repaired_code_must_pass_the_organisation_code_check() -> None:
    # A code whose GB 11714 character is wrong but GB 32100 check right is
    # "valid", yet an I in it is not repaired: the second checksum is required.
    base = "91440300" + "MA5FXXX3" + "0"
    assert _gb11714_check("MA5FXXX3") != "0"
    code = base + uscc.calc_check_digit(base)
    assert is_valid_credit_code(code)
    assert code[1] == "1"
    assert repair_credit_code(code[:1] + "I" + code[2:]) is None
    # the same repair on a code that passes both checks works
    good = _make_code("91", "440300", "MA5FXXX3")
    assert repair_credit_code(good[:1] + "I" + good[2:]) == (good, 1)


@given(credit_codes())
def test_generated_codes_are_valid(code: str) -> None:
    assert is_valid_credit_code(code)
    assert repair_credit_code(code) == (code, 0)


@given(st.from_regex(r"[1-6][0-9]{13}", fullmatch=True))
def test_registration_number(body: str) -> None:
    number = body + mod_11_10.calc_check_digit(body)
    assert is_valid_registration_number(number)
    assert is_valid_registration_number(" ".join(number))
    wrong = body + str((int(number[-1]) + 1) % 10)
    assert not is_valid_registration_number(wrong)


def test_registration_number_examples() -> None:
    assert is_valid_registration_number("110108000000016")
    assert not is_valid_registration_number("110108000000017")
    assert not is_valid_registration_number("11010800000001")
    assert not is_valid_registration_number("11010800000001A")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("91110000600037341L", "91110000600037341L"),
        ("9111 0000 6000 3734 1l", "91110000600037341L"),
        ("440301123456789", "440301123456789"),  # 15: old 税务登记号
        ("440301-12345678-9", "440301123456789"),
        ("44030119800101123", "44030119800101123"),  # 17
        ("11010519491231002X01", "11010519491231002X01"),  # 20: id number + 2
        ("１２３", None),
        ("9111000060003734", None),  # 16
        ("纳税人识别号", None),
        ("", None),
    ],
)
def test_normalize_tax_id(text: str, expected: str | None) -> None:
    assert normalize_tax_id(text) == expected


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("11010519491231002X", True),
        ("11010519491231002x", True),
        ("110105 19491231 002X", True),
        ("110105194912310021", False),  # check digit
        ("11010519491331002X", False),  # month 13
        ("11010519491231002", False),
        ("", False),
    ],
)
def test_is_valid_id_number(text: str, valid: bool) -> None:
    assert is_valid_id_number(text) is valid


@given(st.text())
def test_never_raise(text: str) -> None:
    normalize_code(text)
    normalize_tax_id(text)
    repair_credit_code(text)
    assert isinstance(is_valid_credit_code(text), bool)
    assert isinstance(is_valid_registration_number(text), bool)
    assert isinstance(is_valid_id_number(text), bool)


def test_worst_case_repair_is_fast() -> None:
    started = time.perf_counter()
    for text in ("9OOOOOOOOOOOOOOOOO", "9111OOOO6OOO3734IL", "D" * 18, "8" * 18, "O" * 100_000):
        repair_credit_code(text)
    assert time.perf_counter() - started < 2.0


def test_s_read_for_8_is_repaired() -> None:
    # Regression from a real licence photo: dot-matrix 8 read as S (S never occurs
    # in a credit code). A code with 8 at that place is built so that only 8 fits.
    from stdnum.cn import uscc

    body = "92370306MA3DM8BT3"
    code = body + uscc.calc_check_digit(body)
    result = repair_credit_code(code[:13] + "S" + code[14:])
    assert result is not None and result[0] == code
