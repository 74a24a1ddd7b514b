"""``declared.json`` — what the applicant typed into the portal — into typed objects.

The file comes from outside, so every value is checked for its type and size and a
bad one stops the check with a message naming the file, the path inside it
(``contracts[0].amount``) and the reason (CONTRACT.md: exit 2). Keys this version
does not know are kept in ``unknown_keys`` (reported as an info finding) rather
than refused: portals add fields before we read them, and a typo must not pass
unseen either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, DecimalException
from pathlib import Path
from typing import Any, TypeVar

from extractors.normalize import normalize_code
from intake.errors import ErrorCode, IntakeError

MAX_BYTES = 1_000_000  # a portal form is a few kB; anything larger is not one
MAX_DEPTH = 8  # the deepest legitimate path is declared → contracts → [i] → key
MAX_ITEMS = 200  # contracts, invoices or payments in one application
MAX_TEXT = 300  # characters in a name, number or category
MAX_MONEY = Decimal("1e12")  # a trillion yuan: above it the number is an error

_PROGRAM_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONEY_RE = re.compile(r"-?\d{1,13}(?:\.\d{1,2})?")
MAX_NUMBER_CHARS = 40  # a JSON number literal; money needs at most 16
# Lone UTF-16 surrogates ("\ud800" escapes) cannot be written as UTF-8: the report
# would fail to print. Control characters have no place in a name or a number.
_LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class DeclaredError(IntakeError):
    """declared.json is missing, malformed or hostile: bad input (exit 2, HTTP 422).

    Always this error, with code ``declared_invalid``: never a RecursionError,
    MemoryError or a decimal signal, whatever the bytes.
    """

    code = ErrorCode.DECLARED_INVALID
    http_status = 422
    exit_code = 2


@dataclass(frozen=True)
class DeclaredApplicant:
    name: str
    credit_code: str | None = None
    region: str | None = None
    established_on: date | None = None
    revenue_last_year: Decimal | None = None
    # Guangdong's +200,000 bonus: certified under 两化融合管理体系, bonus not yet had.
    integration_certified: bool | None = None
    integration_bonus_received: bool | None = None


@dataclass(frozen=True)
class DeclaredSupplier:
    name: str | None = None
    credit_code: str | None = None


@dataclass(frozen=True)
class DeclaredContract:
    index: int
    number: str | None = None
    signed_on: date | None = None
    service_start: date | None = None
    service_end: date | None = None
    amount: Decimal | None = None
    cloud_fee: Decimal | None = None
    annual_fee: Decimal | None = None
    category: str | None = None
    service: str | None = None  # Guangdong: the catalogue entry the voucher is for

    def path(self, key: str) -> str:
        return f"contracts[{self.index}].{key}"


@dataclass(frozen=True)
class DeclaredInvoice:
    index: int
    number: str | None = None
    code: str | None = None
    total: Decimal | None = None
    issued_on: date | None = None

    def path(self, key: str) -> str:
        return f"invoices[{self.index}].{key}"


@dataclass(frozen=True)
class DeclaredPayment:
    index: int
    amount: Decimal | None = None
    paid_on: date | None = None
    serial_number: str | None = None

    def path(self, key: str) -> str:
        return f"payments[{self.index}].{key}"


@dataclass(frozen=True)
class Declared:
    program: str
    applicant: DeclaredApplicant
    submitted_on: date | None = None
    supplier: DeclaredSupplier | None = None
    contracts: tuple[DeclaredContract, ...] = ()
    invoices: tuple[DeclaredInvoice, ...] = ()
    payments: tuple[DeclaredPayment, ...] = ()
    requested_subsidy: Decimal | None = None
    unknown_keys: tuple[str, ...] = ()


# --- reading the file -------------------------------------------------------------


def load_declared(path: Path) -> Declared:
    """Read and validate ``path``; every problem is a ``DeclaredError`` naming it."""
    name = str(path)
    try:
        if not path.is_file():
            raise DeclaredError("文件不存在 / file not found", file=name)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DeclaredError(f"文件过大 / file too large: {size} bytes > {MAX_BYTES}", file=name)
        raw = path.read_bytes()
    except OSError as exc:
        raise DeclaredError(f"无法读取 / cannot read: {exc.strerror or exc}", file=name) from exc
    return parse_declared_bytes(raw, source=name)


def parse_declared_bytes(raw: bytes, *, source: str = "declared.json") -> Declared:
    if len(raw) > MAX_BYTES:
        raise DeclaredError(f"文件过大 / file too large: {len(raw)} bytes > {MAX_BYTES}", file=source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DeclaredError(f"不是 UTF-8 文本 / not UTF-8 text (byte {exc.start})", file=source) from exc
    depth = _max_depth(text)
    if depth > MAX_DEPTH:
        raise DeclaredError(f"嵌套过深 / nested too deeply ({depth} levels > {MAX_DEPTH})", file=source)
    try:
        data = json.loads(
            text,
            parse_float=_parse_float,  # exact: 0.1 stays 0.1, never a binary float
            parse_int=_parse_int,
            parse_constant=_refuse_constant,
            object_pairs_hook=_no_duplicate_keys,
        )
    except json.JSONDecodeError as exc:
        raise DeclaredError(
            f"JSON 格式错误 / malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", file=source
        ) from exc
    except _JsonValueError as exc:
        raise DeclaredError(f"JSON 格式错误 / malformed JSON: {exc}", file=source) from exc
    except RecursionError as exc:  # belt and braces: the depth scan should catch it first
        raise DeclaredError("嵌套过深 / nested too deeply", file=source) from exc
    where = _lone_surrogate(data, "")
    if where is not None:
        raise DeclaredError(
            f"{where or '(key)'}: 含有无效字符（孤立的 UTF-16 代理项）/ contains an invalid character (a lone UTF-16 surrogate)",
            file=source,
        )
    return parse_declared(data, source=source)


def _lone_surrogate(value: Any, path: str) -> str | None:
    """The path of the first string (key or value) holding a lone surrogate.
    Recursive, but only ever called on JSON already checked to be ``MAX_DEPTH`` deep."""
    if isinstance(value, str):
        return path if _LONE_SURROGATE_RE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if _LONE_SURROGATE_RE.search(key):
                return _LONE_SURROGATE_RE.sub("\ufffd", sub)
            found = _lone_surrogate(item, sub)
            if found is not None:
                return _LONE_SURROGATE_RE.sub("\ufffd", found)
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _lone_surrogate(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


class _JsonValueError(ValueError):
    pass


def _parse_int(s: str) -> Decimal:
    if len(s) > 20:
        raise _JsonValueError(f"number too long ({len(s)} digits)")
    return Decimal(s)


def _parse_float(s: str) -> Decimal:
    # 1e400 is a fine Decimal; 1e999999999999999999999 is beyond any Decimal
    # context and a million-digit fraction is not a number anyone typed.
    if len(s) > MAX_NUMBER_CHARS:
        raise _JsonValueError(f"number too long ({len(s)} characters)")
    try:
        return Decimal(s)
    except DecimalException:
        raise _JsonValueError(f"number out of range: {s}") from None


def _refuse_constant(name: str) -> Any:
    raise _JsonValueError(f"{name} is not a number JSON allows")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonValueError(f"key {key!r} appears twice in one object")
        out[key] = value
    return out


def _max_depth(text: str) -> int:
    """Deepest ``[``/``{`` nesting, strings skipped: linear, and before json.loads
    so a hostile file cannot exhaust the parser's recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


# --- typed values -----------------------------------------------------------------


class _Reader:
    """Typed access to one JSON object, errors naming the path and the source file."""

    def __init__(self, data: dict[str, Any], path: str, source: str, unknown: list[str]):
        self.data, self.path, self.source, self.unknown = data, path, source, unknown
        self.used: set[str] = set()

    def fail(self, key: str, reason: str) -> DeclaredError:
        return DeclaredError(f"{self._p(key)}: {reason}", file=self.source)

    def _p(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str) -> Any:
        self.used.add(key)
        value = self.data.get(key)
        return value

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.get(key)
        if value is None:
            if required:
                raise self.fail(key, "必填 / required")
            return None
        if not isinstance(value, str):
            raise self.fail(key, f"应为字符串 / expected a string, got {_kind(value)}")
        value = value.strip()
        if len(value) > MAX_TEXT:
            raise self.fail(key, f"过长 / too long ({len(value)} characters > {MAX_TEXT})")
        if _LONE_SURROGATE_RE.search(value) or _CONTROL_RE.search(value):
            raise self.fail(key, "含有无效字符（控制字符或孤立代理项）/ contains control characters or lone surrogates")
        if required and not value:
            raise self.fail(key, "不能为空 / must not be empty")
        return value or None

    def money(self, key: str) -> Decimal | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, Decimal)):
            raise self.fail(key, f'应为金额字符串 / expected money like "50000.00", got {_kind(value)}')
        if isinstance(value, Decimal):
            # Check the magnitude before formatting: 1e999999 would print a million digits.
            if not value.is_finite() or value.adjusted() >= 13:
                raise self.fail(key, f"数值过大 / number too large: {value:.3e}")
            if value.is_zero():
                value = Decimal(0)  # 0E-999999 is zero, not a million-digit string
            elif value.adjusted() < -20:
                raise self.fail(key, f"应为金额（元，最多两位小数）/ expected yuan with at most 2 decimals, got {value:.3e}")
            text = format(value, "f")
        else:
            text = value.strip()
        if len(text) > MAX_NUMBER_CHARS:
            raise self.fail(key, "数值过大 / number too large")
        if not _MONEY_RE.fullmatch(text):
            try:
                # copy_abs and comparison do not round: "1e9999999" cannot overflow here
                big = Decimal(text).copy_abs() >= MAX_MONEY
            except (DecimalException, ValueError):
                big = False  # not a number at all ("NaN" compares with a signal)
            reason = "数值过大 / number too large" if big else (
                f'应为金额（元，最多两位小数）/ expected yuan with at most 2 decimals like "50000.00", got {text!r}'
            )
            raise self.fail(key, reason)
        amount = Decimal(text).quantize(Decimal("0.01"))
        if amount < 0:
            raise self.fail(key, f"金额不能为负 / must not be negative: {text}")
        if amount >= MAX_MONEY:
            raise self.fail(key, f"数值过大 / number too large: {text}")
        return amount

    def date(self, key: str) -> date | None:
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, f'应为日期字符串 / expected a date "YYYY-MM-DD", got {_kind(value)}')
        if not _ISO_DATE_RE.fullmatch(value.strip()):
            raise self.fail(key, f'应为 YYYY-MM-DD / expected "YYYY-MM-DD", got {value[:40]!r}')
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise self.fail(key, f"不存在的日期 / no such date: {value!r}") from None

    def flag(self, key: str) -> bool | None:
        value = self.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.fail(key, f"应为 true/false / expected true or false, got {_kind(value)}")

    def obj(self, key: str) -> _Reader | None:
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, f"应为对象 / expected an object, got {_kind(value)}")
        return _Reader(value, self._p(key), self.source, self.unknown)

    def items(self, key: str) -> list[_Reader]:
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"应为数组 / expected a list, got {_kind(value)}")
        if len(value) > MAX_ITEMS:
            raise self.fail(key, f"条目过多 / too many entries ({len(value)} > {MAX_ITEMS})")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{key}[{i}]", f"应为对象 / expected an object, got {_kind(item)}")
            out.append(_Reader(item, f"{self._p(key)}[{i}]", self.source, self.unknown))
        return out

    def done(self) -> None:
        """Record keys nobody asked for (see the module doc), printable."""
        self.unknown.extend(
            _CONTROL_RE.sub("\ufffd", _LONE_SURROGATE_RE.sub("\ufffd", self._p(str(k))))[:MAX_TEXT]
            for k in self.data if k not in self.used
        )


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", str: "a string", Decimal: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


T = TypeVar("T")


def _each(readers: list[_Reader], build: Callable[[int, _Reader], T]) -> tuple[T, ...]:
    out = []
    for i, r in enumerate(readers):
        out.append(build(i, r))
        r.done()
    return tuple(out)


def parse_declared(data: Any, *, source: str = "declared.json") -> Declared:
    """Typed ``Declared`` from already-parsed JSON (numbers as ``Decimal``)."""
    if not isinstance(data, dict):
        raise DeclaredError(f"顶层应为对象 / the top level must be an object, got {_kind(data)}", file=source)
    unknown: list[str] = []
    top = _Reader(data, "", source, unknown)
    program = top.text("program", required=True)
    assert program is not None
    if not _PROGRAM_ID_RE.fullmatch(program):
        raise top.fail("program", f"不是有效的项目编号 / not a program id: {program[:64]!r}")
    app_r = top.obj("applicant")
    if app_r is None:
        raise top.fail("applicant", "必填 / required")
    applicant = DeclaredApplicant(
        name=app_r.text("name", required=True) or "",
        credit_code=_code(app_r.text("credit_code")),
        region=app_r.text("region"),
        established_on=app_r.date("established_on"),
        revenue_last_year=app_r.money("revenue_last_year"),
        integration_certified=app_r.flag("integration_certified"),
        integration_bonus_received=app_r.flag("integration_bonus_received"),
    )
    app_r.done()
    sup_r = top.obj("supplier")
    supplier = None
    if sup_r is not None:
        supplier = DeclaredSupplier(name=sup_r.text("name"), credit_code=_code(sup_r.text("credit_code")))
        sup_r.done()
    contracts = _each(top.items("contracts"), lambda i, r: DeclaredContract(
        index=i, number=r.text("number"), signed_on=r.date("signed_on"),
        service_start=r.date("service_start"), service_end=r.date("service_end"),
        amount=r.money("amount"), cloud_fee=r.money("cloud_fee"), annual_fee=r.money("annual_fee"),
        category=r.text("category"), service=r.text("service"),
    ))
    invoices = _each(top.items("invoices"), lambda i, r: DeclaredInvoice(
        index=i, number=_code(r.text("number")), code=_code(r.text("code")),
        total=r.money("total"), issued_on=r.date("issued_on"),
    ))
    payments = _each(top.items("payments"), lambda i, r: DeclaredPayment(
        index=i, amount=r.money("amount"), paid_on=r.date("paid_on"), serial_number=r.text("serial_number"),
    ))
    declared = Declared(
        program=program,
        applicant=applicant,
        submitted_on=top.date("submitted_on"),
        supplier=supplier,
        contracts=contracts,
        invoices=invoices,
        payments=payments,
        requested_subsidy=top.money("requested_subsidy"),
    )
    top.done()
    return replace(declared, unknown_keys=tuple(unknown))


def _code(text: str | None) -> str | None:
    """Codes compare upper-case without spaces, as the extractor gives them."""
    if text is None:
        return None
    return normalize_code(text) or None
