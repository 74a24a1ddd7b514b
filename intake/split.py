"""Cutting one file's pages into documents.

A scanned bundle arrives as one PDF holding a licence, a contract and a few
invoices. Pages are classified one by one (``intake.classify``); this module
decides where one document ends and the next begins, from the page classes alone:

- a change of type starts a new document;
- invoices, licences and bank receipts are one page each, so each such page starts
  a new document — except an invoice's goods-list page (销货清单), which belongs to
  the invoice before it;
- an ID card is a front and a back: at most two pages;
- contracts and application forms run over several pages, and their middle pages
  (clauses, tables) often look like nothing in particular: a page classified
  ``other`` right after one of them continues it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from intake.classify import PageClass
from intake.model import DocType, Page

ONE_PAGE_TYPES = {DocType.VAT_INVOICE, DocType.BUSINESS_LICENCE, DocType.PAYMENT_RECEIPT}
MULTI_PAGE_TYPES = {DocType.CONTRACT, DocType.APPLICATION_FORM}
MAX_PAGES = {DocType.ID_CARD: 2}

_GOODS_LIST = re.compile(r"销货清单|销售货物或者提供应税劳务清单|清单")


@dataclass
class PageRun:
    """Pages of one file that form one document, with their classification."""

    type: DocType
    pages: list[Page] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return min(self.confidences) if self.confidences else 0.0


def _continues(run: PageRun, page: Page, cls: PageClass) -> bool:
    if cls.type is DocType.OTHER:
        return run.type in MULTI_PAGE_TYPES
    if cls.type is not run.type:
        return False
    if run.type is DocType.VAT_INVOICE:
        return bool(_GOODS_LIST.search(page.text)) and "价税合计" not in page.text
    if run.type in ONE_PAGE_TYPES:
        return False
    limit = MAX_PAGES.get(run.type)
    return limit is None or len(run.pages) < limit


def split_pages(pages: list[Page], classes: list[PageClass]) -> list[PageRun]:
    """Group consecutive ``pages`` (of one file, in order) into documents."""
    runs: list[PageRun] = []
    for page, cls in zip(pages, classes, strict=True):
        if runs and _continues(runs[-1], page, cls):
            runs[-1].pages.append(page)
            # A continuation page inherits the document's type; it does not
            # lower the document's confidence for being featureless.
            if cls.type is runs[-1].type:
                runs[-1].confidences.append(cls.confidence)
            continue
        runs.append(PageRun(cls.type, [page], [cls.confidence]))
    return runs
