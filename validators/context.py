"""Everything a rule may look at, handed in — rules read no settings, files or clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from intake.model import DocType, Document, FileError
from validators.declared import Declared
from validators.history import History
from validators.lists import ProgramList
from validators.model import Evidence
from validators.policy import Program


@dataclass(frozen=True)
class SubsidyOutcome:
    """The eligible amount under the program's formula, and how it was reached."""

    amount: Decimal | None  # None: not computable from what was given
    basis: str = ""  # Chinese / English: the figures used
    missing: tuple[str, ...] = ()  # inputs that were absent (Chinese / English each)
    manual: tuple[str, ...] = ()  # inputs that only deployment data or a clerk can give
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class CheckContext:
    documents: tuple[Document, ...]
    declared: Declared
    program: Program
    today: date
    program_list: ProgramList | None = None
    # Why there is no list (shown on the checklist): not configured, or no file for
    # this program in the configured directory.
    list_unavailable: str = "未配置部署名单 / no deployment list configured"
    file_errors: tuple[FileError, ...] = ()
    subsidy: SubsidyOutcome | None = None  # set by the engine before the rules run
    history: History | None = None  # earlier applications (the service); None: checklist

    @property
    def list_unavailable_zh(self) -> str:
        return self.list_unavailable.partition(" / ")[0]

    @property
    def list_unavailable_en(self) -> str:
        zh, sep, en = self.list_unavailable.partition(" / ")
        return en if sep else zh

    def of_type(self, doc_type: DocType) -> list[Document]:
        return [d for d in self.documents if d.type is doc_type]

    @property
    def reference_date(self) -> date:
        """The application date where declared, else the day of the check."""
        return self.declared.submitted_on or self.today

    @property
    def low_confidence(self) -> float:
        return float(self.program.parameters["low_confidence_below"])

    @property
    def tolerance(self) -> Decimal:
        return self.program.parameters["money_tolerance"]

    def money_equal(self, a: Decimal, b: Decimal) -> bool:
        return abs(a - b) <= self.tolerance
