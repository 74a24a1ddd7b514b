"""Which extractor reads which document type. One explicit table, no import magic."""

from __future__ import annotations

from functools import cache

from extractors.base import Extractor
from intake.model import DocType


@cache
def _table() -> dict[DocType, Extractor]:
    from extractors.application_form import ApplicationFormExtractor
    from extractors.business_licence import BusinessLicenceExtractor
    from extractors.contract import ContractExtractor
    from extractors.id_card import IdCardExtractor
    from extractors.payment_receipt import PaymentReceiptExtractor
    from extractors.vat_invoice import VatInvoiceExtractor

    extractors: list[Extractor] = [
        VatInvoiceExtractor(),
        BusinessLicenceExtractor(),
        ContractExtractor(),
        PaymentReceiptExtractor(),
        ApplicationFormExtractor(),
        IdCardExtractor(),
    ]
    return {e.doc_type: e for e in extractors}


def extractor_for(doc_type: DocType) -> Extractor | None:
    """The extractor for ``doc_type``; None for ``other`` (its text is kept instead)."""
    return _table().get(doc_type)
