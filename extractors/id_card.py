"""Resident identity cards (居民身份证): name and id_number.

The number is personal data: it is never logged, not even on failure (log lines
name the file and page only). The 18-character number carries a GB 11643 check
character, a birth date and a region code, so a number that passes is confident;
one that does not is reported with low confidence for the clerk to read.
"""

from __future__ import annotations

import logging
import re

from extractors.fields import Candidate, Evidence, Kind, from_span, sub_by_key
from extractors.labels import ID_CARD, ID_CARD_TITLES
from extractors.layout import Layout, Span, key_of
from extractors.normalize.codes import is_valid_id_number, normalize_code
from extractors.normalize.names import normalize_name
from intake.model import DocType, ExtractedField, Page

log = logging.getLogger(__name__)

__all__ = ["IdCardExtractor", "score_page"]

# 17 digits and a check character; OCR reads the X as x, × or K.
_ID_RE = re.compile(r"(?<![0-9A-Z])\d{17}[\dXx×K](?![0-9A-Z])")


def score_page(text: str) -> float:
    """How much ``text`` looks like an identity card (0..1)."""
    key = key_of(text)
    total = sum(w for word, w in ID_CARD_TITLES.items() if key_of(word) in key)
    if _ID_RE.search(key):
        total += 0.5
    return min(1.0, total / 2.0)


class IdCardExtractor:
    doc_type = DocType.ID_CARD

    def extract(self, pages: list[Page]) -> dict[str, ExtractedField]:
        out: dict[str, ExtractedField] = {}
        for page in pages:
            try:
                cands = _read(page)
            except Exception:  # noqa: BLE001 - never log the text itself
                log.error("id card extraction failed on %s p.%s", page.file, page.number)
                continue
            for k, c in cands.items():
                if k not in out or c.confidence > out[k].confidence:
                    out[k] = c.to_field()
        return out


def _read(page: Page) -> dict[str, Candidate]:
    L = Layout.of(page)
    method = page.method
    out: dict[str, Candidate] = {}
    # name: after 姓名, up to 性别 on the same row (front side)
    for hit in L.find(ID_CARD["name"]):
        span = L.value_right(hit, stop=ID_CARD["stop"], max_gap=2.0)
        if not span:
            span = L.value_below(hit, max_dist=1.5)
        text = normalize_name(Span(span.pieces[:1], span.page).text) if span else ""
        m = re.match(r"[\u4e00-\u9fff·]{2,10}", text)
        if m:
            value = m.group()
            ev = Evidence(fuzzy_label=not hit.exact)
            out["name"] = from_span(value, span, Kind.NAME, method, raw=value, ev=ev)
            break
    # number: after its label, else anywhere on the card
    spans: list[Span] = []
    for hit in L.find(ID_CARD["id_number"]):
        spans.append(L.value_right(hit, max_gap=2.0))
        spans.append(L.value_below(hit, max_dist=1.5))
    labelled = len(spans)
    spans += [s for _, s in L.search(_ID_RE)]
    for i, span in enumerate(spans):
        if not span:
            continue
        key = normalize_code(span.key).replace("×", "X")
        m = _ID_RE.search(key)
        if not m:
            continue
        number = m.group()[:17] + ("X" if m.group()[17] in "Xx×K" else m.group()[17])
        ok = is_valid_id_number(number)
        ev = Evidence(checksum=ok, pattern=True, unlabelled=i >= labelled)
        sub = sub_by_key(span, m.start(), m.end())
        c = from_span(number, sub or span, Kind.CODE, method, raw=None, ev=ev)
        if "id_number" not in out or (ok and not out["id_number"].ev.checksum):
            out["id_number"] = c
        if ok:
            break
    return out
