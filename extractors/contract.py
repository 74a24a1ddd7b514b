"""Cloud-service contract (上云服务合同) -> contract fields, each with its evidence.

Reading is done by :mod:`extractors.nlp` (reading text + spaCy pipeline: cue ents,
entity shapes, party label constructs). Which entity fills which field is the
**binding step**, :mod:`extractors.contract_binding` (its module docstring lists the
binding rules); how a binding becomes confidence is :mod:`extractors.contract_evidence`
(:func:`contract_evidence`, re-exported here).

This module holds the extractor (:class:`ContractExtractor`, which runs the binding
steps and never raises), the page score for the classifier (:func:`score_page`) and
``has_seal`` from the seal detector's readings (:data:`SealReading`).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from extractors.contract_binding import _Binder
from extractors.contract_evidence import contract_evidence
from extractors.nlp import load_patterns
from extractors.normalize.text import compact, fold_width, to_simplified
from intake.model import BBox, DocType, ExtractedField, Page

__all__ = ["ContractExtractor", "SealReading", "score_page", "contract_evidence"]

log = logging.getLogger(__name__)

# What ``extractors.seal.detect_seal`` returns for one page image:
# (seal found, confidence in that answer 0..1, box of the seal or None).
SealReading = tuple[bool, float, BBox | None]


# --------------------------------------------------------------------------- page score


@cache
def _page_features() -> tuple[list[tuple[re.Pattern[str], float, int]], list[tuple[re.Pattern[str], float, int]]]:
    cfg = load_patterns()["page_score"]

    def comp(items: list[dict[str, Any]]) -> list[tuple[re.Pattern[str], float, int]]:
        return [(re.compile(f["regex"]), float(f["weight"]), int(f["max_hits"])) for f in items]

    return comp(cfg["features"]), comp(cfg.get("negative", []))


def score_page(text: str) -> float:
    """How contract-like a page's text is, 0..1 (for the page classifier).

    A weighted count of contract vocabulary (合同/协议, 甲方/乙方, 第…条, 违约责任,
    服务期限, 盖章 …) minus other documents' vocabulary (发票代码, 营业执照, 回单 …),
    squashed with ``1 - exp(-x)``: a typical contract page scores above 0.9, a page
    with one stray 甲方 about 0.45.
    """
    try:
        t = compact(fold_width(to_simplified(text or "")))[:50_000]
    except Exception:  # noqa: BLE001 -- a score never raises on odd text
        return 0.0
    pos, neg = _page_features()
    x = sum(w * min(len(rx.findall(t)), cap) for rx, w, cap in pos)
    x -= sum(w * min(len(rx.findall(t)), cap) for rx, w, cap in neg)
    return round(1.0 - math.exp(-x), 3) if x > 0 else 0.0


# --------------------------------------------------------------------------- extractor


class ContractExtractor:
    """Reads a contract's pages (the binding rules: :mod:`extractors.contract_binding`)."""

    doc_type = DocType.CONTRACT

    def extract(self, pages: list[Page], *, seal: Mapping[int, SealReading] | None = None
                ) -> dict[str, ExtractedField]:
        """Fields found (absent ones left out). Never raises on odd text.

        ``seal``: the seal detector's reading per page, keyed by ``Page.number``,
        as returned by ``extractors.seal.detect_seal`` on that page's image. By
        default the readings the pipeline stored on the pages (``Page.seal``) are
        used; without any, ``has_seal`` is absent (text alone cannot tell a printed
        ``（盖章）`` placeholder from a stamped one).
        """
        if seal is None:
            seal = {p.number: p.seal for p in pages if p.seal is not None}
        out: dict[str, ExtractedField] = {}
        try:
            binder = _Binder(pages)
        except Exception:  # noqa: BLE001 -- the Extractor protocol: never raise
            log.exception("contract reading failed")
            binder = None
        if binder is not None:
            for name, step in binder.steps():
                try:
                    for key, cand in step().items():
                        if cand is not None:
                            out[key] = cand.to_field()
                except Exception:  # noqa: BLE001 -- one broken rule must not lose the others
                    log.exception("contract binding step %s failed", name)
        if seal:
            found = _seal_field(pages, seal)
            if found is not None:
                out["has_seal"] = found
        return out


def _seal_field(pages: Sequence[Page], seal: Mapping[int, SealReading]) -> ExtractedField | None:
    """``has_seal`` from the detector's readings: True, on the page with the surest
    seal; False only as sure as the least sure page, and unsure when some page was
    not looked at."""
    numbers = [p.number for p in pages]
    readings = [(n, seal[n]) for n in numbers if n in seal]
    if not readings:
        return None
    hits = [(n, r) for n, r in readings if r[0]]
    if hits:
        n, (_, conf, box) = max(hits, key=lambda h: h[1][1])
        return ExtractedField(True, None, round(min(max(conf, 0.0), 0.99), 3), n, box, "opencv:seal")
    conf = min(max(r[1], 0.0) for _, r in readings)
    if len(readings) < len(numbers):
        conf = min(conf, 0.5)  # a page nobody looked at may hold the seal
    return ExtractedField(False, None, round(min(conf, 0.99), 3), None, None, "opencv:seal")
