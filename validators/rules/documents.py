"""The bundle itself: the documents a program requires, and whether they can be read.

An illegible scan is a finding in its own right: Inner Mongolia's notice requires
uploads to be 清晰可辨认 (the policy makes it an error there), elsewhere a warning.
"""

from __future__ import annotations

from collections.abc import Iterable

from validators.context import CheckContext
from validators.model import Evidence
from validators.rule import Hit, Outcome, Params, Rule, RuleKind
from validators.rules.fields import doc_en, doc_zh


def _legible(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for doc in ctx.documents:
        q = doc.quality
        if not q.legible:
            yield Hit(
                f"{doc_zh(doc)} 不清晰，无法辨认（清晰度 {q.legibility:.2f}），请要求重新上传 / "
                f"{doc_en(doc)} is not legible (legibility {q.legibility:.2f}); ask for a clearer upload",
                (Evidence.of_document(doc),),
            )


def _readable(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for err in ctx.file_errors:
        yield Hit(
            f"文件 {err.file} 无法读取（{err.error}：{err.message}）/ file {err.file} could not be read "
            f"({err.error}: {err.message})",
            (Evidence(err.file),),
        )


def _required(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    for req in ctx.program.required_documents:
        have = len(ctx.of_type(req.type))
        if have < req.min_count:
            yield Hit(
                f"缺少{req.label}（需要 {req.min_count} 份，找到 {have} 份）/ missing {req.type.value} "
                f"(need {req.min_count}, found {have})",
            )


RULES: tuple[Rule, ...] = (
    Rule("program.required_documents", RuleKind.PROGRAM, "项目要求的材料齐全",
         "every document the program requires is in the bundle", _required),
    Rule("document.legible", RuleKind.FIELD, "上传材料清晰可辨认",
         "every uploaded document is legible", _legible),
    Rule("bundle.file_readable", RuleKind.FIELD, "上传文件均可读取",
         "every uploaded file could be read", _readable),
)
