"""Two licences on one image (a 副本 photographed lying on its 正本, or two format
diagrams side by side): how many a page shows, and the page cut into one per licence.

Told from the labels each licence prints exactly once; kept apart from the reader in
``business_licence.py`` so that the pipeline can use it to cut documents too.
"""

from __future__ import annotations

from dataclasses import replace

from extractors.labels import LICENCE
from extractors.layout import LabelHit, Layout
from intake.model import Page

# Labels every licence prints once, outside its notices (经营范围 and 登记机关 also
# occur in the 须知 prose of one licence, so they do not count).
_ONCE_PER_LICENCE = ("credit_code", "registration_number", "company_type", "legal_representative",
                     "registered_capital", "established_on", "term")


_MAX_SPLIT = 3  # 3! ** 6 sharings at most


def split_licences(page: Page, layout: Layout | None = None) -> list[Page]:
    """The page cut into one page per licence it shows (the page itself when one).

    For the pipeline to make one document per licence (0526: a 副本 lying on its
    正本, printed at half its size). Each label a licence prints once is found once
    per licence; the hits are shared out, one of each label to each licence, so
    that each licence's labels lie closest together (the smallest boxes around
    them). Every segment then goes with the licence of its nearest label: labels
    head each licence's rows, so a value's nearest label is on its own licence."""
    L = layout or Layout.of(page)  # the reader's own, when it has one already
    n = licences_on_page(L)
    if not 2 <= n <= _MAX_SPLIT:
        return [page]  # one licence; or a fan of many, too many to share out: kept whole
    families: list[list[tuple[float, float]]] = []
    for fam in _ONCE_PER_LICENCE:
        hits = _label_places(L, fam)
        if len(hits) == n:
            families.append([((h.bbox[0] + h.bbox[2]) / 2, (h.bbox[1] + h.bbox[3]) / 2) for h in hits])
    groups = _share_out(families, n)
    points = [pt for fam in families for pt in fam]
    owner = [g for fam_groups in groups for g in fam_groups]
    parts: list[list] = [[] for _ in range(n)]
    for seg in page.segments:
        cx, cy = (seg.bbox[0] + seg.bbox[2]) / 2, (seg.bbox[1] + seg.bbox[3]) / 2
        best = min(range(len(points)), key=lambda i: (points[i][0] - cx) ** 2 + (points[i][1] - cy) ** 2)
        parts[owner[best]].append(seg)
    return [replace(page, segments=segs) for segs in parts if segs]


def _share_out(families: list[list[tuple[float, float]]], n: int) -> list[list[int]]:
    """For each family's ``n`` label positions, the licence (0..n-1) each goes to:
    the sharing whose licences' label boxes have the smallest summed diagonals
    (every sharing tried: n! per family after the first; n <= 3, at most 7 families)."""
    from itertools import permutations, product

    perms = list(permutations(range(n)))
    best: tuple[float, list[list[int]]] | None = None
    for choice in product(perms, repeat=max(0, len(families) - 1)):
        sharing = [list(range(n))] + [list(c) for c in choice]
        cost = 0.0
        for g in range(n):
            pts = [fam[sharing[f].index(g)] for f, fam in enumerate(families)]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            cost += ((max(xs) - min(xs)) ** 2 + (max(ys) - min(ys)) ** 2) ** 0.5
        if best is None or cost < best[0]:
            best = (cost, sharing)
    assert best is not None
    # sharing[f][g] = licence of family f's g-th hit
    return best[1]


def _label_places(L: Layout, fam: str) -> list[LabelHit]:
    """The places a label is printed: its hits, one per row, and on one row only
    those far apart (two licences side by side share their rows)."""
    out: list[LabelHit] = []
    for h in sorted(L.find(LICENCE[fam]), key=lambda h: (h.row_index, h.bbox[0])):
        same_row = [o for o in out if o.row_index == h.row_index]
        if any(h.bbox[0] - o.bbox[2] < 8 * L.line_height for o in same_row):
            continue  # the same label again (another alias), or prose beside it
        out.append(h)
    return out


def licences_on_page(L: Layout) -> int:
    """How many licences a page shows, from the labels each prints once: two or
    more of them found in two or more places each means two licences (measured
    on the 47 real licence images: 0526, a 正本 under its 副本, and 0518, two
    format diagrams side by side; no single licence repeats more than one of
    these labels)."""
    repeats = []
    for fam in _ONCE_PER_LICENCE:
        n = len(_label_places(L, fam))
        if n >= 2:
            repeats.append(n)
    return min(repeats) if len(repeats) >= 2 else 1
