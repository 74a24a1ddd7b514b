"""What every extractor is: pages of one document in, named fields with evidence out."""

from __future__ import annotations

from typing import Protocol

from intake.model import DocType, ExtractedField, Page


class Extractor(Protocol):
    doc_type: DocType

    def extract(self, pages: list[Page]) -> dict[str, ExtractedField]:
        """Return the fields found (absent ones are left out, never None).

        Must not raise on odd text: a field that cannot be read is simply absent.
        """
        ...
