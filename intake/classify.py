"""Page classification: which kind of document is this page part of?

Each extractor module knows what its own documents look like and exposes
``score_page(text) -> 0..1``; the classifier asks every one of them and keeps the
best. Keeping the knowledge beside the extractor means a new document type is one
new module, not an edit here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from extractors.normalize.text import fold_width, to_simplified
from intake.model import DocType

Scorer = Callable[[str], float]

# Below this best score a page is "other": nothing claims it with conviction.
MIN_SCORE = 0.25


@dataclass(frozen=True)
class PageClass:
    type: DocType
    confidence: float
    scores: dict[str, float]


def default_scorers() -> dict[DocType, Scorer]:
    # Imported here so that importing intake does not load every extractor
    # (and spaCy) until classification is actually needed.
    from extractors import application_form, business_licence, contract, id_card
    from extractors import payment_receipt, vat_invoice

    return {
        DocType.VAT_INVOICE: vat_invoice.score_page,
        DocType.BUSINESS_LICENCE: business_licence.score_page,
        DocType.CONTRACT: contract.score_page,
        DocType.PAYMENT_RECEIPT: payment_receipt.score_page,
        DocType.APPLICATION_FORM: application_form.score_page,
        DocType.ID_CARD: id_card.score_page,
    }


def classify_text(text: str, scorers: Mapping[DocType, Scorer]) -> PageClass:
    """Classify one page's text. Confidence grows with the winner's score and its
    margin over the runner-up: two types scoring alike is a doubtful page."""
    plain = fold_width(to_simplified(text))
    scores = {t: max(0.0, min(1.0, float(f(plain)))) for t, f in scorers.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best_type, best = ranked[0] if ranked else (DocType.OTHER, 0.0)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    named = {str(t): round(s, 3) for t, s in scores.items()}
    if best < MIN_SCORE:
        return PageClass(DocType.OTHER, round(1.0 - best, 3), named)
    margin = best - runner_up
    confidence = best * (0.5 + 0.5 * min(1.0, margin / 0.3))
    return PageClass(best_type, round(min(confidence, 0.99), 3), named)
