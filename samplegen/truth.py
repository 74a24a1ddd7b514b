"""What a generator returns: the files of one document and the truth about them.

Truth ``fields`` use exactly the field names of CONTRACT.md for the document type and
its normal forms: dates ``YYYY-MM-DD``; money ``"50000.00"``; names in simplified
script with full-width brackets （）and no spaces; credit codes / tax ids upper-case.
``total_amount_in_words`` / ``total_in_words`` are the 大写 words as printed (without
the ⓧ sign), in simplified script even when the page is printed in traditional.
A field the document does not show is absent (``term_end`` when 长期, ``check_code``
on paper special invoices and 数电票, ``invoice_code`` on 数电票); every field it
does show is present, so the type's other fields are known to be absent.
Choices where CONTRACT.md says nothing: ``registered_capital`` is money in yuan;
invoice ``items[].tax_rate`` is as printed (``"6%"``); bank accounts are digits only
(receipts sometimes print them in groups of four); payout ``rows[].contract_term`` is
an ISO interval ``"2023-05-01/2024-04-30"`` and ``rows[].services`` a list of names;
``registration_authority`` is the name inside the 登记机关 seal (licences print it
nowhere else).

``variant`` says how the document was made: ``format``, ``script``, ``degradation``
(level and each artefact with its parameters, per page) and format details.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from samplegen.pdfout import PdfInfo
from samplegen.sheet import Sheet



@dataclass
class Rendered:
    """A renderer's output before degradation and packaging."""

    doc_type: str
    sheets: list[Sheet]  # one per page
    fields: dict[str, Any]
    digital: bool  # born digital: its clean form is a text-layer PDF
    variant: dict[str, Any] = field(default_factory=dict)
    pdf_info: PdfInfo | None = None
    pages: list[Image.Image] | None = None  # pre-painted pages (layered print), at page_dpi
    page_dpi: int = 300
    page_names: list[str] | None = None  # file stems when pages go to separate files


@dataclass
class BundlePart:
    doc_type: str
    pages: list[int]  # 1-based pages of the bundle file
    fields: dict[str, Any]
    variant: dict[str, Any] = field(default_factory=dict)


@dataclass
class GeneratedDoc:
    name: str
    files: dict[str, bytes]  # file name -> bytes (.png/.jpg/.pdf/.tiff)
    doc_type: str  # a CONTRACT.md type, or "bundle" (see ``parts``)
    fields: dict[str, Any]
    variant: dict[str, Any]
    parts: list[BundlePart] = field(default_factory=list)

    def truth(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "doc_type": self.doc_type,
                               "files": sorted(self.files), "fields": self.fields,
                               "variant": self.variant}
        if self.parts:
            out["documents"] = [{"doc_type": p.doc_type, "pages": p.pages,
                                 "fields": p.fields, "variant": p.variant}
                                for p in self.parts]
        return out

    def truth_json(self) -> str:
        return json.dumps(self.truth(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"

    def write(self, directory: Path) -> Path:
        """Write the files and ``truth.json`` into ``directory`` (created)."""
        directory.mkdir(parents=True, exist_ok=True)
        for fname, data in self.files.items():
            (directory / fname).write_bytes(data)
        (directory / "truth.json").write_text(self.truth_json(), encoding="utf-8")
        return directory
