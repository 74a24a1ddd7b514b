"""Deployment lists: the data a program keeps but its notice does not print.

Hebei's provider pool, Inner Mongolia's approved providers, Yichun's provider
filing dates, Guangdong's service catalogue caps: one CSV per program, named
``<program-id>.csv`` in a directory the deployment configures (the CLI's
``--lists DIR`` or ``DOCINTAKE_LISTS_DIR``; nothing below the CLI reads the
environment). The policy file says which columns its CSV must have.

Columns with a known meaning are checked on load (``credit_code`` a valid GB 32100
code, ``filed_on`` a date, ``cap`` money), each error naming ``file:line``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from extractors.normalize import is_valid_credit_code, normalize_code, normalize_name
from intake.errors import ErrorCode, IntakeError
from validators.names import NameMatch, compare_names
from validators.params import Param, ParamType

MAX_LIST_BYTES = 20_000_000
_TYPED: Mapping[str, Param] = {
    "filed_on": Param(ParamType.DATE, "date the provider was filed with the city"),
    "cap": Param(ParamType.MONEY, "catalogue cap for the service"),
}


class ListError(IntakeError):
    code = ErrorCode.BAD_ARGUMENTS
    http_status = 422
    exit_code = 2


@dataclass(frozen=True)
class ListRow:
    line: int
    name: str  # normalised
    credit_code: str | None
    values: Mapping[str, object]  # typed where the column has a known meaning

    def get(self, column: str) -> object:
        return self.values.get(column)


@dataclass(frozen=True)
class ListMatch:
    row: ListRow
    exact: bool  # False: matched by a near name (a clerk confirms)


@dataclass(frozen=True)
class ProgramList:
    path: str
    rows: tuple[ListRow, ...]

    @classmethod
    def from_rows(cls, source: str, rows: Sequence[Mapping[str, str]]) -> ProgramList:
        """Rows given as dicts (line numbers counted as in a CSV with a header)."""
        return cls(source, tuple(_row(source, i + 2, dict(r)) for i, r in enumerate(rows)))

    def find(self, name: str | None, credit_code: str | None) -> list[ListMatch]:
        """Rows for a provider: by credit code where both sides have one, else by name."""
        code = normalize_code(credit_code) if credit_code else None
        if code and is_valid_credit_code(code):
            by_code = [ListMatch(r, True) for r in self.rows if r.credit_code == code]
            if by_code:
                return by_code
            # A listed row with a code that differs is another company, whatever its name.
            candidates = [r for r in self.rows if r.credit_code is None]
        else:
            candidates = list(self.rows)
        exact, near = [], []
        for r in candidates:
            cmp = compare_names(name, r.name)
            if cmp.match is NameMatch.SAME:
                exact.append(ListMatch(r, True))
            elif cmp.match is NameMatch.NEAR:
                near.append(ListMatch(r, False))
        return exact or near


def list_path(directory: Path, program_id: str) -> Path:
    return directory / f"{program_id}.csv"


def load_program_list(path: Path, columns: Sequence[str]) -> ProgramList:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ListError(f"{source}: 无法读取 / cannot read: {exc.strerror or exc}", file=source) from exc
    if len(raw) > MAX_LIST_BYTES:
        raise ListError(f"{source}: 文件过大 / file too large", file=source)
    try:
        text = raw.decode("utf-8-sig")  # spreadsheets save UTF-8 with a BOM
    except UnicodeDecodeError as exc:
        raise ListError(f"{source}: 不是 UTF-8 文本 / not UTF-8 text", file=source) from exc
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ListError(f"{source}:1: 空文件 / empty list", file=source) from None
    except csv.Error as exc:
        raise ListError(f"{source}:1: CSV 格式错误 / malformed CSV: {exc}", file=source) from exc
    missing = [c for c in columns if c not in header]
    if missing:
        raise ListError(f"{source}:1: 缺少列 / missing column(s) {', '.join(missing)} (have: {', '.join(header)})",
                        file=source)
    rows: list[ListRow] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise ListError(f"{source}:{line}: 列数不符 / {len(record)} cells, header has {len(header)}",
                                file=source)
            rows.append(_row(source, line, dict(zip(header, (c.strip() for c in record)))))
    except csv.Error as exc:
        raise ListError(f"{source}:{reader.line_num}: CSV 格式错误 / malformed CSV: {exc}", file=source) from exc
    return ProgramList(source, tuple(rows))


def _row(source: str, line: int, cells: dict[str, str]) -> ListRow:
    name = normalize_name(cells.get("name", ""))
    if not name:
        raise ListError(f"{source}:{line}: name 为空 / empty name", file=source)
    code = normalize_code(cells.get("credit_code", "")) or None
    if code is not None and not is_valid_credit_code(code):
        raise ListError(f"{source}:{line}: 统一社会信用代码无效 / invalid credit code {code!r}", file=source)
    values: dict[str, object] = dict(cells)
    for column, spec in _TYPED.items():
        if cells.get(column):
            try:
                values[column] = spec.convert_scalar(cells[column])
            except ValueError as exc:
                raise ListError(f"{source}:{line}: {column}: {exc}", file=source) from None
        elif column in cells:
            values[column] = None
    return ListRow(line, name, code, values)


def filed_on(row: ListRow) -> date | None:
    value = row.get("filed_on")
    return value if isinstance(value, date) else None


def cap_of(row: ListRow) -> Decimal | None:
    value = row.get("cap")
    return value if isinstance(value, Decimal) else None
