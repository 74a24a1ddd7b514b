"""Turned pages are read upright and their boxes reported on the uploaded page."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extractors.contract import ContractExtractor
from intake.model import Method, Page, Quality, Segment
from intake.upright import to_upload_frame, turn_box, unturn_box, upright

W, H = 2480, 3508


@given(
    st.sampled_from([0, 90, 180, 270]),
    st.integers(0, W - 2),
    st.integers(0, H - 2),
    st.integers(1, 400),
    st.integers(1, 400),
)
def test_unturn_inverts_turn(rot: int, x: int, y: int, bw: int, bh: int) -> None:
    box = (x, y, min(W, x + bw), min(H, y + bh))
    assert unturn_box(turn_box(box, rot, W, H), rot, W, H) == box


def _turned_contract(rotation: int) -> Page:
    """A contract page as uploaded upside down or sideways: boxes in the uploaded
    frame, ``rotation`` the clockwise turn clean-up applied to read it."""
    rows = ["甲方：河北某某科技有限公司", "乙方：北京某某云计算有限公司"]
    upright_segs = [Segment(t, (200, 100 + 60 * i, 200 + 40 * len(t), 140 + 60 * i), 0.99) for i, t in enumerate(rows)]
    # The uploaded page is the upright one turned back by `rotation`.
    uw, uh = (H, W) if rotation in (90, 270) else (W, H)
    segs = [Segment(s.text, unturn_box(s.bbox, rotation, uw, uh), s.confidence) for s in upright_segs]
    return Page("c.jpg", 1, uw, uh, 300, segs, Method.RAPIDOCR, Quality(rotation=rotation))


def test_upright_copy_reads_in_order_and_boxes_return_to_the_upload() -> None:
    for rotation in (90, 180, 270):
        page = _turned_contract(rotation)
        fields = to_upload_frame(ContractExtractor().extract([upright(page)]), [page])
        assert fields["party_a_name"].value == "河北某某科技有限公司"
        assert fields["party_b_name"].value == "北京某某云计算有限公司"
        # upright the name sits at x 320..720 of row 0 (after 「甲方：」)
        expected = unturn_box((320, 100, 720, 140), rotation, page.width, page.height)
        assert fields["party_a_name"].bbox == expected


def test_upright_leaves_unturned_pages_alone() -> None:
    page = _turned_contract(180)
    flat = Page("c.jpg", 1, W, H, 300, page.segments, Method.RAPIDOCR, Quality())
    assert upright(flat) is flat
