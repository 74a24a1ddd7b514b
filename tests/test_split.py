"""Page classification and cutting a bundle into documents, with stand-in scorers."""

from __future__ import annotations

from intake.classify import MIN_SCORE, classify_text
from intake.model import DocType, Method, Page, Quality, Segment
from intake.split import split_pages


def _page(n: int, text: str) -> Page:
    return Page("bundle.pdf", n, 100, 100, 300, [Segment(text, (0, 0, 10, 10), 1.0)], Method.TEXT_LAYER, Quality())


# Stand-in scorers keyed on one word each, so the tests say what they mean.
SCORERS = {
    DocType.VAT_INVOICE: lambda t: 0.9 if "发票" in t else 0.0,
    DocType.BUSINESS_LICENCE: lambda t: 0.9 if "营业执照" in t else 0.0,
    DocType.CONTRACT: lambda t: 0.8 if "合同" in t else 0.0,
    DocType.ID_CARD: lambda t: 0.9 if "身份" in t else 0.0,
}


def test_classify_picks_best_and_falls_back_to_other() -> None:
    assert classify_text("营业执照 名称", SCORERS).type is DocType.BUSINESS_LICENCE
    other = classify_text("一些无关的文字", SCORERS)
    assert other.type is DocType.OTHER and other.confidence >= 1 - MIN_SCORE


def test_classify_reads_traditional_script() -> None:
    assert classify_text("營業執照", SCORERS).type is DocType.BUSINESS_LICENCE


def test_close_scores_lower_confidence() -> None:
    clear = classify_text("发票", SCORERS)
    doubtful = classify_text("发票 营业执照", SCORERS)
    assert doubtful.confidence < clear.confidence


def _split(texts: list[str]) -> list[tuple[DocType, list[int]]]:
    pages = [_page(i + 1, t) for i, t in enumerate(texts)]
    runs = split_pages(pages, [classify_text(p.text, SCORERS) for p in pages])
    return [(r.type, [p.number for p in r.pages]) for r in runs]


def test_bundle_is_cut_by_type_and_one_page_types() -> None:
    texts = ["营业执照", "合同 第一页", "第二条 违约责任", "合同 签字页", "发票 1", "发票 2", "身份 正面", "身份 背面"]
    assert _split(texts) == [
        (DocType.BUSINESS_LICENCE, [1]),
        (DocType.CONTRACT, [2, 3, 4]),
        (DocType.VAT_INVOICE, [5]),
        (DocType.VAT_INVOICE, [6]),
        (DocType.ID_CARD, [7, 8]),
    ]


def test_invoice_goods_list_joins_its_invoice() -> None:
    texts = ["发票 价税合计", "发票 销货清单"]
    assert _split(texts) == [(DocType.VAT_INVOICE, [1, 2])]


def test_featureless_page_alone_is_other() -> None:
    assert _split(["说明材料"]) == [(DocType.OTHER, [1])]
    assert _split(["营业执照", "说明材料"]) == [(DocType.BUSINESS_LICENCE, [1]), (DocType.OTHER, [2])]


def test_three_id_pages_make_two_documents() -> None:
    assert _split(["身份 A", "身份 B", "身份 C"]) == [(DocType.ID_CARD, [1, 2]), (DocType.ID_CARD, [3])]
