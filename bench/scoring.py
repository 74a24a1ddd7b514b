"""Pure scoring for the accuracy benchmark: no OCR, no files read but truth JSON.

A *group* is what one truth entry set is scored against: one real file, or one
generated document (all its files). Within a group each truth document is matched
to one extracted document of its type; its fields are compared value by value
(values are already normalised on both sides, so "right" means equal).

Calibration (CONTRACT.md): of all values given confidence >= 0.9, at least 99 %
must be right; the benchmark target is <= 0.5 % wrong. A confident value counts as
wrong when it differs from the truth, or when the document has no true value for
that field (``absent``: not on the document; ``illegible``: blurred out by the
uploader, placeholders).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stdnum.cn import uscc

from intake.model import CONTRACT_FIELDS, Document

CONFIDENT = 0.9

# The fields the product is judged on, per type; printed first with targets.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "vat_invoice": ("invoice_code", "invoice_number", "issued_on", "buyer_name",
                    "buyer_tax_id", "seller_name", "seller_tax_id", "total"),
    "business_licence": ("company_name", "credit_code", "registration_number"),
}

# CONTRACT.md fields per type: on a generated document every one of these that its
# truth leaves out is absent from the document, so a value given for it is wrong.


# ---------------------------------------------------------------- truth

@dataclass(frozen=True)
class TruthDoc:
    """What one document in a group really says.

    ``fields`` maps a field to its true value; ``None`` means unknown (not scored).
    ``absent`` / ``illegible`` name fields with no true value (see module doc).
    """

    group: str
    doc_type: str
    fields: Mapping[str, Any]
    absent: frozenset[str] = frozenset()
    illegible: frozenset[str] = frozenset()
    accept_types: frozenset[str] = frozenset()  # other types not counted as wrong
    pages: tuple[int, ...] | None = None
    label: str = ""  # e.g. "正本" when a group holds two documents of one type


def load_truth_file(path: Path, file_map: Mapping[str, str] | None = None) -> dict[str, list[TruthDoc]]:
    """Read a ``bench/truth/*.json`` file into truth documents per group.

    ``file_map`` renames groups (e.g. ``x.pdf`` -> ``x.png`` for rasterised copies).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[TruthDoc]] = {}
    for entry in data["documents"]:
        group = entry["file"]
        if file_map is not None:
            group = file_map.get(group, group)
        out.setdefault(group, []).append(TruthDoc(
            group=group,
            doc_type=entry["doc_type"],
            fields=dict(entry.get("fields", {})),
            absent=frozenset(entry.get("absent", ())),
            illegible=frozenset(entry.get("illegible", ())),
            accept_types=frozenset(entry.get("accept_types", ())),
            label=entry.get("copy", ""),
        ))
    return out


def truths_from_generated(name: str, doc_type: str, fields: Mapping[str, Any],
                          parts: Sequence[Any] = ()) -> list[TruthDoc]:
    """Truth documents of one generated document (``samplegen.GeneratedDoc``).

    A generated truth lists every field the document shows, so the type's other
    contract fields are absent. A ``bundle`` has one truth document per part.
    """
    def one(dtype: str, fl: Mapping[str, Any], pages: Sequence[int] | None) -> TruthDoc:
        absent = frozenset(f for f in CONTRACT_FIELDS.get(dtype, ()) if f not in fl)
        return TruthDoc(group=name, doc_type=dtype, fields=dict(fl), absent=absent,
                        pages=tuple(pages) if pages else None)

    if parts:
        return [one(p.doc_type, p.fields, p.pages) for p in parts]
    return [one(doc_type, fields, None)]


def is_degraded(variant: Mapping[str, Any]) -> bool:
    """Whether a generated document was degraded (scanned look, photo, noise...)."""
    deg = variant.get("degradation")
    if not deg:
        return False
    if isinstance(deg, Mapping):
        level = deg.get("level")
        return level not in (None, 0, "0", "none", "clean")
    if isinstance(deg, str):
        return deg not in ("none", "clean")
    return bool(deg)


# ---------------------------------------------------------------- matching

def _agreement(truth: TruthDoc, doc: Document) -> int:
    return sum(1 for k, v in truth.fields.items()
               if v is not None and k in doc.fields and values_equal(doc.fields[k].value, v))


def _page_overlap(truth: TruthDoc, doc: Document) -> int:
    if truth.pages is None:
        return 0
    return len(set(truth.pages) & {p.number for p in doc.pages})


def match_documents(truths: Sequence[TruthDoc], docs: Sequence[Document]) -> list[tuple[TruthDoc, Document | None]]:
    """Pair each truth document with an extracted document of its type, or None.

    Default is the first unused document of the truth's type; when a group holds
    more than one candidate, page overlap and then the number of agreeing fields
    decide (two licences in one photo), earlier documents winning ties.
    """
    used: set[int] = set()
    pairs: list[tuple[TruthDoc, Document | None]] = []
    for truth in truths:
        if truth.doc_type == "other":
            pairs.append((truth, None))
            continue
        cands = [(i, d) for i, d in enumerate(docs) if i not in used and str(d.type) == truth.doc_type]
        if not cands:
            pairs.append((truth, None))
            continue
        best_i, best_d = max(cands, key=lambda c: (_page_overlap(truth, c[1]), _agreement(truth, c[1]), -c[0]))
        used.add(best_i)
        pairs.append((truth, best_d))
    return pairs


# ---------------------------------------------------------------- comparing

def values_equal(got: Any, want: Any) -> bool:
    """Exact comparison of normalised values; strings compare as strings."""
    if isinstance(want, str):
        return isinstance(got, str) and got == want
    return bool(got == want)


@dataclass(frozen=True)
class FieldOutcome:
    set_name: str
    group: str
    doc_type: str
    field: str
    kind: str  # "scored" (true value known) | "absent" | "illegible"
    truth: Any
    value: Any  # None when not given
    confidence: float | None

    @property
    def given(self) -> bool:
        return self.value is not None

    @property
    def right(self) -> bool:
        return self.kind == "scored" and self.given and values_equal(self.value, self.truth)

    @property
    def confident(self) -> bool:
        return self.given and self.confidence is not None and self.confidence >= CONFIDENT

    @property
    def wrong_given(self) -> bool:
        """A value given that should not be: differs from the truth, or no truth exists."""
        return self.given and not self.right


@dataclass(frozen=True)
class DocOutcome:
    set_name: str
    group: str
    doc_type: str  # truth type, or the extracted type for a spurious document
    found: bool  # truth: a document of its (or an accepted) type was extracted
    spurious: bool = False  # an extracted typed document no truth accounts for
    type_confidence: float | None = None
    only_other: bool = False  # the group's truth holds no typed document


@dataclass
class GroupScore:
    fields: list[FieldOutcome] = field(default_factory=list)
    docs: list[DocOutcome] = field(default_factory=list)


def score_group(set_name: str, truths: Sequence[TruthDoc], docs: Sequence[Document]) -> GroupScore:
    """Compare one group's extracted documents with its truth."""
    out = GroupScore()
    pairs = match_documents(truths, docs)
    matched_ids = {id(d) for _, d in pairs if d is not None}
    accepted = {t for tr in truths for t in tr.accept_types}
    only_other = all(t.doc_type == "other" for t in truths)
    unmatched = [d for d in docs if id(d) not in matched_ids and str(d.type) != "other"]
    for truth, doc in pairs:
        if truth.doc_type == "other":
            continue
        found = doc is not None or any(str(d.type) in truth.accept_types for d in docs)
        out.docs.append(DocOutcome(set_name, truth.group, truth.doc_type, found,
                                   type_confidence=doc.type_confidence if doc else None))
        out.fields.extend(_field_outcomes(set_name, truth, doc))
    for d in unmatched:
        if str(d.type) in accepted:
            continue
        out.docs.append(DocOutcome(set_name, d.file, str(d.type), found=False, spurious=True,
                                   type_confidence=d.type_confidence, only_other=only_other))
    return out


def _field_outcomes(set_name: str, truth: TruthDoc, doc: Document | None) -> list[FieldOutcome]:
    got = doc.fields if doc is not None else {}
    outs: list[FieldOutcome] = []

    def add(name: str, kind: str, want: Any) -> None:
        ef = got.get(name)
        outs.append(FieldOutcome(set_name, truth.group, truth.doc_type, name, kind, want,
                                 ef.value if ef is not None else None,
                                 ef.confidence if ef is not None else None))

    for name, want in truth.fields.items():
        if want is not None and name not in truth.illegible:
            add(name, "scored", want)
    for name in sorted(truth.absent - set(truth.fields)):
        add(name, "absent", None)
    for name in sorted(truth.illegible):
        add(name, "illegible", None)
    # Unknown truth (null) is not scored: the clerk's view is what we cannot verify.
    return [o for o in outs if o.kind == "scored" or o.given]


# ---------------------------------------------------------------- tallies

@dataclass
class Tally:
    n_truth: int = 0  # values with a known true value
    n_right: int = 0
    n_given: int = 0
    n_spurious: int = 0  # values given where the document has none
    n_confident: int = 0
    n_confident_wrong: int = 0

    def add(self, o: FieldOutcome) -> None:
        if o.kind == "scored":
            self.n_truth += 1
            self.n_right += o.right
        self.n_given += o.given
        self.n_spurious += o.given and o.kind != "scored"
        if o.confident:
            self.n_confident += 1
            self.n_confident_wrong += o.wrong_given

    def merge(self, other: Tally) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @property
    def right_share(self) -> float | None:
        return self.n_right / self.n_truth if self.n_truth else None

    @property
    def confident_wrong_share(self) -> float | None:
        return self.n_confident_wrong / self.n_confident if self.n_confident else None


def tally_fields(outcomes: Iterable[FieldOutcome]) -> dict[tuple[str, str, str], Tally]:
    """Tallies per (set, doc type, field)."""
    out: dict[tuple[str, str, str], Tally] = {}
    for o in outcomes:
        out.setdefault((o.set_name, o.doc_type, o.field), Tally()).add(o)
    return out


def tally_by_set(outcomes: Iterable[FieldOutcome]) -> dict[str, Tally]:
    out: dict[str, Tally] = {}
    for o in outcomes:
        out.setdefault(o.set_name, Tally()).add(o)
    return out


@dataclass
class DocTally:
    n_truth: int = 0
    n_found: int = 0
    n_spurious: int = 0
    n_spurious_confident: int = 0  # wrong type given with type confidence >= 0.9
    n_other_groups: int = 0  # groups whose truth holds no typed document
    n_other_groups_typed: int = 0  # ... that got a typed document anyway
    spurious_types: dict[str, int] = field(default_factory=dict)


def tally_docs(outcomes: Iterable[DocOutcome], other_groups: Mapping[str, int] | None = None) -> dict[str, DocTally]:
    """Document-level tallies per set; ``other_groups`` gives each set's count of
    groups whose truth holds only ``other`` documents (not visible in outcomes)."""
    out: dict[str, DocTally] = {}
    typed_other_groups: dict[str, set[str]] = {}
    for o in outcomes:
        t = out.setdefault(o.set_name, DocTally())
        if o.spurious:
            t.n_spurious += 1
            t.spurious_types[o.doc_type] = t.spurious_types.get(o.doc_type, 0) + 1
            if o.type_confidence is not None and o.type_confidence >= CONFIDENT:
                t.n_spurious_confident += 1
            if o.only_other:
                typed_other_groups.setdefault(o.set_name, set()).add(o.group)
        else:
            t.n_truth += 1
            t.n_found += o.found
    for set_name, n in (other_groups or {}).items():
        t = out.setdefault(set_name, DocTally())
        t.n_other_groups = n
        t.n_other_groups_typed = len(typed_other_groups.get(set_name, ()))
    return out


# ---------------------------------------------------------------- checksums

def registration_number_valid(code: str) -> bool:
    """15-digit 注册号: ISO 7064 MOD 11,10 check digit (GB/T 17710)."""
    if len(code) != 15 or not code.isdigit():
        return False
    p = 10
    for ch in code[:-1]:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return (p + int(code[-1])) % 10 == 1


def checksum_pass(docs: Iterable[Document], field_name: str = "credit_code") -> tuple[int, int]:
    """(passing, given) over every value extracted for ``field_name`` on licences,
    truth or not: a check-digit failure is wrong whatever the truth file knows."""
    check = uscc.is_valid if field_name != "registration_number" else registration_number_valid
    vals = [d.fields[field_name].value for d in docs
            if str(d.type) == "business_licence" and field_name in d.fields]
    vals = [v for v in vals if isinstance(v, str)]
    return sum(1 for v in vals if check(v)), len(vals)


# ---------------------------------------------------------------- tables

def pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f} %"


def frac(n: int, d: int) -> str:
    return f"{n}/{d}" if d else "—"


def md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(share: float | None, target: float | None, higher_is_better: bool = True) -> str:
    if share is None or target is None:
        return ""
    ok = share >= target - 1e-12 if higher_is_better else share <= target + 1e-12
    return "ok" if ok else "**miss**"


def key_field_table(tallies: Mapping[tuple[str, str, str], Tally], set_order: Sequence[str],
                    targets: Mapping[str, float | None]) -> str:
    rows = []
    for set_name in set_order:
        for doc_type, names in KEY_FIELDS.items():
            for name in names:
                t = tallies.get((set_name, doc_type, name))
                if t is None or t.n_truth == 0 and t.n_confident == 0:
                    continue
                target = targets.get(set_name)
                rows.append((set_name, doc_type, name, frac(t.n_right, t.n_truth), pct(t.right_share),
                             "—" if target is None else f"≥ {100 * target:g} %",
                             verdict(t.right_share, target),
                             frac(t.n_confident_wrong, t.n_confident), pct(t.confident_wrong_share)))
    return md_table(("set", "type", "field", "right", "right %", "target", "", "confident wrong",
                     "conf. wrong % (≤ 0.5 %)"), rows)


def calibration_table(by_set: Mapping[str, Tally], set_order: Sequence[str], max_wrong: float) -> str:
    rows = []
    total = Tally()
    for set_name in set_order:
        t = by_set.get(set_name)
        if t is None:
            continue
        total.merge(t)
        rows.append((set_name, t.n_given, t.n_confident, t.n_confident_wrong, pct(t.confident_wrong_share),
                     verdict(t.confident_wrong_share, max_wrong, higher_is_better=False), t.n_spurious))
    rows.append(("**all**", total.n_given, total.n_confident, total.n_confident_wrong,
                 pct(total.confident_wrong_share),
                 verdict(total.confident_wrong_share, max_wrong, higher_is_better=False), total.n_spurious))
    return md_table(("set", "values given", "confident (≥ 0.9)", "confident wrong", "share",
                     f"≤ {100 * max_wrong:g} %", "given where none exists"), rows)


def all_fields_table(tallies: Mapping[tuple[str, str, str], Tally], set_order: Sequence[str]) -> str:
    rows = []
    for set_name in set_order:
        keys = sorted(k for k in tallies if k[0] == set_name)
        for key in keys:
            t = tallies[key]
            rows.append((set_name, key[1], key[2], frac(t.n_right, t.n_truth), pct(t.right_share),
                         t.n_given, t.n_spurious, frac(t.n_confident_wrong, t.n_confident),
                         pct(t.confident_wrong_share)))
    return md_table(("set", "type", "field", "right", "right %", "given", "given, none exists",
                     "confident wrong", "conf. wrong %"), rows)


def docs_table(doc_tallies: Mapping[str, DocTally], set_order: Sequence[str]) -> str:
    rows = []
    for set_name in set_order:
        t = doc_tallies.get(set_name)
        if t is None:
            continue
        types = ", ".join(f"{k}×{v}" for k, v in sorted(t.spurious_types.items())) or "—"
        rows.append((set_name, frac(t.n_found, t.n_truth), t.n_spurious, types, t.n_spurious_confident,
                     frac(t.n_other_groups_typed, t.n_other_groups)))
    return md_table(("set", "documents found (right type)", "extra typed documents", "their types",
                     "… with type conf. ≥ 0.9", "non-documents given a type"), rows)


def speed_table(speed: Mapping[str, tuple[int, int, float]], set_order: Sequence[str]) -> str:
    rows = []
    for set_name in set_order:
        if set_name not in speed:
            continue
        files, pages, secs = speed[set_name]
        rows.append((set_name, files, pages, f"{secs:.1f}", f"{secs / pages:.2f}" if pages else "—"))
    return md_table(("set", "files", "pages", "seconds", "s / page"), rows)


def misses(outcomes: Iterable[FieldOutcome], key_only: bool = True) -> list[FieldOutcome]:
    """Outcomes worth a look: wrong or missing key values, and spurious ones."""
    out = []
    for o in outcomes:
        if key_only and o.field not in KEY_FIELDS.get(o.doc_type, ()):
            continue
        if (o.kind == "scored" and not o.right) or (o.kind != "scored" and o.given):
            out.append(o)
    return out


def doc_misses_table(outcomes: Iterable[DocOutcome]) -> str:
    """Truth documents not found, and typed documents no truth accounts for."""
    rows = [(o.set_name, o.group, o.doc_type, "extra document" if o.spurious else "not found",
             "—" if o.type_confidence is None else f"{o.type_confidence:.2f}")
            for o in outcomes if o.spurious or not o.found]
    return md_table(("set", "file", "type", "what", "type conf."), rows)


def misses_table(items: Sequence[FieldOutcome]) -> str:
    rows = [(o.set_name, o.group, o.field, o.kind, repr(o.truth) if o.kind == "scored" else "(none)",
             repr(o.value) if o.given else "(missing)",
             "—" if o.confidence is None else f"{o.confidence:.2f}") for o in items]
    return md_table(("set", "file", "field", "kind", "truth", "got", "conf."), rows)
