"""Comparing pipeline output with a committed golden file.

Values, types and page numbers must match exactly. Confidences and boxes may move a
little between library versions and machines (onnxruntime's float maths), so they
are compared within a tolerance: a golden test is about what was read, not about
the third decimal of a score.
"""

from __future__ import annotations

from typing import Any

CONFIDENCE_TOLERANCE = 0.05
BBOX_TOLERANCE_PX = 12


def _close_bbox(a: list[int] | None, b: list[int] | None) -> bool:
    if a is None or b is None:
        return a is b
    return len(a) == len(b) and all(abs(x - y) <= BBOX_TOLERANCE_PX for x, y in zip(a, b))


def diff_documents(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Human-readable differences between two ``extract --json`` objects."""
    problems: list[str] = []
    exp_docs, act_docs = expected["documents"], actual["documents"]
    if [(d["file"], d["pages"], d["type"]) for d in exp_docs] != [
        (d["file"], d["pages"], d["type"]) for d in act_docs
    ]:
        problems.append(
            "documents differ: expected "
            f"{[(d['file'], d['pages'], d['type']) for d in exp_docs]}, got "
            f"{[(d['file'], d['pages'], d['type']) for d in act_docs]}"
        )
        return problems
    for e, a in zip(exp_docs, act_docs):
        where = f"{e['file']} p{e['pages']}"
        if e["quality"]["legible"] != a["quality"]["legible"]:
            problems.append(f"{where}: legible {e['quality']['legible']} -> {a['quality']['legible']}")
        ef, af = e["fields"], a["fields"]
        for name in sorted(set(ef) | set(af)):
            if name not in af:
                problems.append(f"{where}: field {name} missing (expected {ef[name]['value']!r})")
            elif name not in ef:
                problems.append(f"{where}: field {name} new: {af[name]['value']!r}")
            elif ef[name]["value"] != af[name]["value"]:
                problems.append(f"{where}: {name}: {ef[name]['value']!r} -> {af[name]['value']!r}")
            else:
                if abs(ef[name]["confidence"] - af[name]["confidence"]) > CONFIDENCE_TOLERANCE:
                    problems.append(
                        f"{where}: {name} confidence {ef[name]['confidence']} -> {af[name]['confidence']}"
                    )
                if not _close_bbox(ef[name].get("bbox"), af[name].get("bbox")):
                    problems.append(f"{where}: {name} bbox {ef[name].get('bbox')} -> {af[name].get('bbox')}")
    exp_err = [(x["file"], x["error"]) for x in expected["errors"]]
    act_err = [(x["file"], x["error"]) for x in actual["errors"]]
    if exp_err != act_err:
        problems.append(f"errors differ: {exp_err} -> {act_err}")
    return problems
