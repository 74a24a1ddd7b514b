"""Programs as data: one YAML policy file per subsidy program.

The loader walks YAML *nodes* (``yaml.compose``), not loaded Python values, so that
every error names ``file:line`` and every number keeps the text it was written
with (``0.20`` → ``Decimal("0.20")``). Anything it does not know — a key, a rule id,
a formula, a parameter, a severity — fails at load time, never silently.

File layout (see ``validators/policies/*.yaml``)::

    id: yichun-2023                  # must equal the file name
    name: …                          # Chinese / English
    notice: …                        # where the numbers come from
    dates: {published: 2023-01-01}   # milestones, for the record
    parameters: {low_confidence_below: 0.9}
    required_documents:
      - {type: contract, label: 上云服务合同}
    deployment_list:                 # a CSV the deployment keeps (optional)
      columns: [name, credit_code, filed_on]
      description: …
    subsidy: {formula: contract_ratio, ratio: 0.5, cap: "100000.00"}
    rules:
      - {id: invoice.seller_matches_supplier, severity: error}
      - id: program.contract_signed_window
        severity: error
        params: {not_before: 2018-03-20, inclusive: false}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import yaml

from intake.errors import ErrorCode, IntakeError
from intake.model import DocType
from validators.model import Severity
from validators.params import Param, ParamType, parse_date_param

MAX_POLICY_BYTES = 256_000


class PolicyError(IntakeError):
    """A policy file that cannot be used; the message starts with ``file:line``."""

    code = ErrorCode.BAD_ARGUMENTS
    http_status = 422
    exit_code = 2


class HasParams(Protocol):
    @property
    def params(self) -> Mapping[str, Param]: ...


@dataclass(frozen=True)
class RuleSpec:
    id: str
    severity: Severity | None  # None for manual rules: they go to the checklist
    params: Mapping[str, Any]
    line: int


@dataclass(frozen=True)
class RequiredDocument:
    type: DocType
    label: str
    min_count: int = 1


@dataclass(frozen=True)
class ListSpec:
    columns: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class SubsidySpec:
    formula: str
    params: Mapping[str, Any]


# Program-wide knobs every rule may read.
PROGRAM_PARAMS: Mapping[str, Param] = {
    "low_confidence_below": Param(
        ParamType.RATIO,
        "an error about a value read with confidence below this becomes a warning saying so",
        default=Decimal("0.9"),
    ),
    "money_tolerance": Param(
        ParamType.MONEY,
        "amounts closer than this count as equal (0.00: to the fen)",
        default=Decimal("0.00"),
    ),
}


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    notice: str
    source: str  # the file it was loaded from
    dates: Mapping[str, date]
    parameters: Mapping[str, Any]
    required_documents: tuple[RequiredDocument, ...]
    rules: tuple[RuleSpec, ...]
    subsidy: SubsidySpec | None = None
    deployment_list: ListSpec | None = None
    region: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def rule(self, rule_id: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.id == rule_id), None)


# --- node helpers -----------------------------------------------------------------


class _Walker:
    """Reads YAML nodes with ``file:line`` on every error; refuses aliases."""

    def __init__(self, source: str):
        self.source = source
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node | None, reason: str) -> PolicyError:
        line = node.start_mark.line + 1 if node is not None else 1
        return PolicyError(f"{self.source}:{line}: {reason}", file=self.source)

    def _visit(self, node: yaml.Node) -> None:
        if id(node) in self.seen:  # an alias: would let a small file expand hugely
            raise self.fail(node, "不支持 YAML 别名 / YAML aliases are not allowed in policy files")
        self.seen.add(id(node))

    def mapping(self, node: yaml.Node, what: str,
                known: set[str] | None = None) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        self._visit(node)
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} 应为映射 / {what} must be a mapping")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in node.value:
            key = self.scalar(k, f"{what} key")
            if key is None:
                raise self.fail(k, f"{what}: 空键 / empty key")
            if key in out:
                raise self.fail(k, f"{what}: 重复的键 / duplicate key {key!r}")
            if known is not None and key not in known:
                raise self.fail(k, f"{what}: 未知的键 / unknown key {key!r} (known: {', '.join(sorted(known))})")
            out[key] = (k, v)
        return out

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        self._visit(node)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} 应为列表 / {what} must be a list")
        return list(node.value)

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} 应为单个值 / {what} must be a single value")
        if node.tag == "tag:yaml.org,2002:null" or (node.style is None and node.value in ("", "~", "null")):
            return None
        return node.value

    def text(self, node: yaml.Node, what: str) -> str:
        value = self.scalar(node, what)
        if not value:
            raise self.fail(node, f"{what} 不能为空 / {what} must not be empty")
        return value

    def param(self, spec: Param, node: yaml.Node, what: str) -> Any:
        try:
            if isinstance(node, yaml.SequenceNode):
                return spec.convert_list([self.text(n, what) for n in self.sequence(node, what)])
            if isinstance(node, yaml.MappingNode):
                items = {k: self.text(v, f"{what}.{k}") for k, (_, v) in self.mapping(node, what).items()}
                return spec.convert_map(items)
            return spec.convert_scalar(self.scalar(node, what))
        except ValueError as exc:
            raise self.fail(node, f"{what}: {exc}") from None

    def params(self, specs: Mapping[str, Param], node: yaml.Node | None, what: str,
               anchor: yaml.Node) -> dict[str, Any]:
        given = self.mapping(node, what, set(specs)) if node is not None else {}
        out: dict[str, Any] = {}
        for name, spec in specs.items():
            if name in given:
                out[name] = self.param(spec, given[name][1], f"{what}.{name}")
            elif spec.required:
                raise self.fail(anchor, f"{what}: 缺少参数 / missing parameter {name!r} ({spec.doc})")
            else:
                out[name] = spec.default
        return out


# --- loading ----------------------------------------------------------------------

_TOP_KEYS = {"id", "name", "notice", "region", "dates", "parameters", "required_documents",
             "deployment_list", "subsidy", "rules", "notes"}


def load_program(path: Path, rules: Mapping[str, HasParams], formulas: Mapping[str, HasParams]) -> Program:
    """Load and validate one policy file against the known rules and formulas."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"{source}: 无法读取 / cannot read: {exc.strerror or exc}", file=source) from exc
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(f"{source}: 文件过大 / file too large", file=source)
    try:
        root = yaml.compose(raw.decode("utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{source}: 不是 UTF-8 文本 / not UTF-8 text", file=source) from exc
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise PolicyError(f"{source}:{line}: YAML 语法错误 / YAML syntax: {exc.problem}", file=source) from exc
    if root is None:
        raise PolicyError(f"{source}:1: 空文件 / empty policy file", file=source)
    return _program(_Walker(source), root, path.stem, rules, formulas)


def _program(w: _Walker, root: yaml.Node, stem: str, rules: Mapping[str, HasParams],
             formulas: Mapping[str, HasParams]) -> Program:
    top = w.mapping(root, "policy", _TOP_KEYS)
    for key in ("id", "name", "notice", "rules"):
        if key not in top:
            raise w.fail(root, f"缺少 / missing {key!r}")
    pid = w.text(top["id"][1], "id")
    if pid != stem:
        raise w.fail(top["id"][1], f"id {pid!r} 与文件名不符 / does not match the file name {stem!r}")
    dates: dict[str, date] = {}
    if "dates" in top:
        for k, (_, v) in w.mapping(top["dates"][1], "dates").items():
            try:
                dates[k] = parse_date_param(w.text(v, f"dates.{k}"))
            except ValueError as exc:
                raise w.fail(v, f"dates.{k}: {exc}") from None
    par_node = top.get("parameters", (None, None))[1]
    parameters = w.params(PROGRAM_PARAMS, par_node, "parameters", root)
    return Program(
        id=pid,
        name=w.text(top["name"][1], "name"),
        notice=w.text(top["notice"][1], "notice"),
        source=w.source,
        region=w.scalar(top["region"][1], "region") if "region" in top else None,
        dates=dates,
        parameters=parameters,
        required_documents=_required(w, top.get("required_documents", (None, None))[1]),
        deployment_list=_list_spec(w, top.get("deployment_list", (None, None))[1]),
        subsidy=_subsidy(w, top.get("subsidy", (None, None))[1], formulas),
        rules=_rules(w, top["rules"][1], rules),
    )


def _required(w: _Walker, node: yaml.Node | None) -> tuple[RequiredDocument, ...]:
    if node is None:
        return ()
    out = []
    for item in w.sequence(node, "required_documents"):
        m = w.mapping(item, "required_documents[]", {"type", "label", "min"})
        if "type" not in m:
            raise w.fail(item, "required_documents[]: 缺少 / missing 'type'")
        type_node = m["type"][1]
        try:
            dtype = DocType(w.text(type_node, "type"))
        except ValueError:
            raise w.fail(type_node, f"未知文档类型 / unknown document type {type_node.value!r}") from None
        count = w.param(Param(ParamType.INT, "min", default=1), m["min"][1], "min") if "min" in m else 1
        if count < 1:
            raise w.fail(m["min"][1], "min 应至少为 1 / min must be at least 1")
        label = w.text(m["label"][1], "label") if "label" in m else dtype.value
        out.append(RequiredDocument(dtype, label, count))
    return tuple(out)


def _list_spec(w: _Walker, node: yaml.Node | None) -> ListSpec | None:
    if node is None:
        return None
    m = w.mapping(node, "deployment_list", {"columns", "description"})
    if "columns" not in m:
        raise w.fail(node, "deployment_list: 缺少 / missing 'columns'")
    cols = tuple(w.text(c, "columns[]") for c in w.sequence(m["columns"][1], "deployment_list.columns"))
    if "name" not in cols:
        raise w.fail(m["columns"][1], "deployment_list.columns 必须包含 name / must include 'name'")
    desc = w.text(m["description"][1], "description") if "description" in m else ""
    return ListSpec(cols, desc)


def _subsidy(w: _Walker, node: yaml.Node | None, formulas: Mapping[str, HasParams]) -> SubsidySpec | None:
    if node is None:
        return None
    m = w.mapping(node, "subsidy")
    if "formula" not in m:
        raise w.fail(node, "subsidy: 缺少 / missing 'formula'")
    fnode = m.pop("formula")[1]
    name = w.text(fnode, "subsidy.formula")
    if name not in formulas:
        raise w.fail(fnode, f"未知的补贴公式 / unknown subsidy formula {name!r} (known: {', '.join(sorted(formulas))})")
    specs = formulas[name].params
    for key, (knode, _) in m.items():
        if key not in specs:
            raise w.fail(knode, f"subsidy: 公式 {name} 没有参数 / formula {name} has no parameter {key!r} "
                                f"(known: {', '.join(sorted(specs))})")
    params: dict[str, Any] = {}
    for pname, spec in specs.items():
        if pname in m:
            params[pname] = w.param(spec, m[pname][1], f"subsidy.{pname}")
        elif spec.required:
            raise w.fail(node, f"subsidy: 缺少参数 / missing parameter {pname!r} ({spec.doc})")
        else:
            params[pname] = spec.default
    return SubsidySpec(name, params)


def _rules(w: _Walker, node: yaml.Node, rules: Mapping[str, HasParams]) -> tuple[RuleSpec, ...]:
    out: list[RuleSpec] = []
    seen: set[str] = set()
    for item in w.sequence(node, "rules"):
        m = w.mapping(item, "rules[]", {"id", "severity", "params", "why"})
        if "id" not in m:
            raise w.fail(item, "rules[]: 缺少 / missing 'id'")
        id_node = m["id"][1]
        rid = w.text(id_node, "rules[].id")
        if rid not in rules:
            raise w.fail(id_node, f"未知的规则 / unknown rule id {rid!r} (see `docintake rules`)")
        if rid in seen:
            raise w.fail(id_node, f"规则重复 / rule {rid!r} listed twice")
        seen.add(rid)
        severity = None
        if "severity" in m:
            snode = m["severity"][1]
            try:
                severity = Severity(w.text(snode, "severity"))
            except ValueError:
                raise w.fail(snode, f"severity 应为 error/warning/info / must be error, warning or info, "
                                    f"got {snode.value!r}") from None
        kind = getattr(rules[rid], "kind", None)
        if kind == "engine":
            raise w.fail(id_node, f"{rid} 由引擎报告，不能列入项目 / {rid} is reported by the engine, not a policy rule")
        manual = kind == "manual"
        if severity is None and not manual:
            raise w.fail(item, f"{rid}: 缺少 severity / missing 'severity'")
        params = w.params(rules[rid].params, m.get("params", (None, None))[1], f"{rid}.params", item)
        out.append(RuleSpec(rid, severity, params, item.start_mark.line + 1))
    return tuple(out)
