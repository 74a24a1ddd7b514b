"""Comparing ``check --json`` output with a committed golden file.

Verdict, eligible subsidy, rule ids, severities, evidence values and declared values
must match exactly; the documents are compared as ``tests/golden.py`` compares
``extract --json`` (values exact, confidences and boxes within its tolerances).
Messages are compared with the confidence and legibility figures they quote masked,
since those move a little between machines.
"""

from __future__ import annotations

import re
from typing import Any

from tests.golden import CONFIDENCE_TOLERANCE, _close_bbox, diff_documents

# "置信度低：0.85", "low OCR confidence 0.85", "清晰度 0.31", "legibility 0.31"
_FIGURES = re.compile(r"(置信度低：|low OCR confidence |清晰度 |legibility )\d+\.\d+")


def _mask(message: str) -> str:
    return _FIGURES.sub(lambda m: m.group(1) + "#", message)


def _finding_key(f: dict[str, Any]) -> tuple[Any, ...]:
    return (f["rule"], f["severity"], _mask(f["message"]),
            tuple((e.get("file"), e.get("page"), e.get("field"), repr(e.get("value")))
                  for e in f.get("evidence", [])),
            repr(f.get("declared")))


def diff_checks(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Human-readable differences between two ``check --json`` objects."""
    problems: list[str] = []
    for key in ("version", "program", "verdict", "eligible_subsidy"):
        if expected.get(key) != actual.get(key):
            problems.append(f"{key}: {expected.get(key)!r} -> {actual.get(key)!r}")
    problems += diff_documents(expected, actual)
    exp_f, act_f = expected["findings"], actual["findings"]
    exp_keys, act_keys = [_finding_key(f) for f in exp_f], [_finding_key(f) for f in act_f]
    if exp_keys != act_keys:
        gone = [k for k in exp_keys if k not in act_keys]
        new = [k for k in act_keys if k not in exp_keys]
        for k in gone:
            problems.append(f"finding gone: {k[0]} ({k[1]}): {k[2]}")
        for k in new:
            problems.append(f"finding new: {k[0]} ({k[1]}): {k[2]}")
        if not gone and not new:
            problems.append(f"findings reordered: {[k[0] for k in exp_keys]} -> {[k[0] for k in act_keys]}")
    else:
        for e, a in zip(exp_f, act_f):
            for ee, ae in zip(e.get("evidence", []), a.get("evidence", [])):
                ec, ac = ee.get("confidence"), ae.get("confidence")
                if (ec is None) != (ac is None) or (
                        ec is not None and ac is not None and abs(ec - ac) > CONFIDENCE_TOLERANCE):
                    problems.append(f"{e['rule']}: {ee.get('field')} confidence {ec} -> {ac}")
                if not _close_bbox(ee.get("bbox"), ae.get("bbox")):
                    problems.append(f"{e['rule']}: {ee.get('field')} bbox {ee.get('bbox')} -> {ae.get('bbox')}")
    exp_c = [(c["rule"], c["status"], _mask(c["message"])) for c in expected["checklist"]]
    act_c = [(c["rule"], c["status"], _mask(c["message"])) for c in actual["checklist"]]
    if exp_c != act_c:
        problems.append(f"checklist differs: {[c for c in exp_c if c not in act_c]} -> "
                        f"{[c for c in act_c if c not in exp_c]}")
    return problems


# What a golden expands onto lines of its own: the top level, each document and its
# fields, each finding, checklist item and error; everything deeper stays on one
# line (a field's value/raw/confidence/box, a finding's evidence). A diff then shows
# one changed field or finding per line, at about half the size of indent=1.
_EXPANDED = {(), ("documents",), ("documents", "*"), ("documents", "*", "fields"),
             ("findings",), ("checklist",), ("errors",)}


def dump_check(obj: dict[str, Any]) -> str:
    """``check --json`` output as committed in expected.json (see _EXPANDED)."""
    import json

    def fmt(value: Any, path: tuple[str, ...], depth: int) -> str:
        key = tuple("*" if p.isdigit() else p for p in path)
        if key not in _EXPANDED or not isinstance(value, (dict, list)) or not value:
            return json.dumps(value, ensure_ascii=False)
        pad, inner = " " * depth, " " * (depth + 1)
        if isinstance(value, dict):
            items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {fmt(v, path + (k,), depth + 1)}"
                     for k, v in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        items = [f"{inner}{fmt(v, path + (str(i),), depth + 1)}" for i, v in enumerate(value)]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"

    return fmt(obj, (), 0) + "\n"
