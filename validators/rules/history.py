"""Checks against earlier applications: an invoice, a bank payment or a file used twice,
a company applying twice where the program allows one application.

They run on the ``History`` the service hands in; without one (the command line)
each goes to the clerk's checklist, as it did before the service kept history.
"""

from __future__ import annotations

from collections.abc import Iterable

from intake.model import DocType
from validators.context import CheckContext
from validators.history import Key, KeyKind, PriorUse, keys_of
from validators.rule import Hit, Manual, Outcome, Params, Rule, RuleKind

# Without the service (the command line) there is no history to compare with.
_NO_HISTORY = ("需要历史申报记录；命令行检查没有，由服务比对",
               "needs the history of earlier applications; a command-line check has none (the service compares)")

_WHAT = {
    KeyKind.INVOICE: ("发票", "invoice"),
    KeyKind.BANK_SERIAL: ("银行流水号", "bank serial"),
    KeyKind.FILE: ("文件", "file"),
}


def _one(u: PriorUse) -> tuple[str, str]:
    if not u.application_id:
        return f"另一门户的申请（{u.program}，{u.created_on}）", f"an application from another portal ({u.program}, {u.created_on})"
    return (f"{u.application_id[:8]}（{u.program}，{u.created_on}，{u.status}）",
            f"{u.application_id[:8]} ({u.program}, {u.created_on}, {u.status})")


def _others(uses: Iterable[PriorUse]) -> tuple[str, str]:
    items = list(uses)
    shown = [_one(u) for u in items[:5]]
    zh = "、".join(z for z, _ in shown)
    en = ", ".join(e for _, e in shown)
    if len(items) > 5:
        zh += f" 等 {len(items)} 份"
        en += f" and {len(items) - 5} more"
    return zh, en


def _used_before(kind: KeyKind, rule_zh: str, rule_en: str):  # type: ignore[no-untyped-def]
    what_zh, what_en = _WHAT[kind]

    def check(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
        if ctx.history is None:
            yield Manual(f"{rule_zh}：{_NO_HISTORY[0]} / {rule_en}: {_NO_HISTORY[1]}")
            return
        for key in keys_of(ctx.documents, ctx.declared, ctx.history.file_hashes):
            if key.kind is not kind:
                continue
            if kind is KeyKind.FILE and key.evidence and _identity_only(ctx, key.evidence.file):
                continue  # a licence or ID card scan is rightly sent with every application
            uses = ctx.history.prior(key)
            if uses:
                zh, en = _others(uses)
                label = key.evidence.file if kind is KeyKind.FILE and key.evidence else key.value
                yield Hit(
                    f"{what_zh} {label} 已在其他申请中使用：{zh} / {what_en} {label} was already used in "
                    f"another application: {en}",
                    (key.evidence,) if key.evidence else (),
                )

    return check


_IDENTITY = {DocType.BUSINESS_LICENCE, DocType.ID_CARD}


def _identity_only(ctx: CheckContext, file: str) -> bool:
    types = {d.type for d in ctx.documents if d.file == file}
    return bool(types) and types <= _IDENTITY


def _one_per_company(ctx: CheckContext, params: Params) -> Iterable[Outcome]:
    zh_rule, en_rule = "一户企业只能申领一次", "one application per company, ever"
    if ctx.history is None:
        yield Manual(f"{zh_rule}：{_NO_HISTORY[0]} / {en_rule}: {_NO_HISTORY[1]}")
        return
    for key in keys_of(ctx.documents, ctx.declared):
        if key.kind is KeyKind.COMPANY:
            uses = ctx.history.prior(key)
            if uses:
                zh, en = _others(uses)
                code = key.value.partition(":")[2]
                yield Hit(
                    f"企业 {code} 已在本项目申请过：{zh} / the company {code} has already applied to this "
                    f"program: {en}",
                )
            return
    yield Manual(f"{zh_rule}：未找到企业信用代码，无法比对 / {en_rule}: no credit code to compare with")


RULES: tuple[Rule, ...] = (
    Rule("invoice.not_used_before", RuleKind.HISTORY, "发票未在其他申报中使用过",
         "the invoices were not used in another application",
         _used_before(KeyKind.INVOICE, "发票未在其他申报中使用过", "the invoices were not used in another application")),
    Rule("payment.not_used_before", RuleKind.HISTORY, "付款凭证（银行流水号）未在其他申报中使用过",
         "the bank payments (serial numbers) were not used in another application",
         _used_before(KeyKind.BANK_SERIAL, "付款凭证未在其他申报中使用过",
                      "the bank payments were not used in another application")),
    Rule("upload.not_used_before", RuleKind.HISTORY, "同一文件未在其他申报中上传过",
         "the same file was not uploaded to another application",
         _used_before(KeyKind.FILE, "同一文件未在其他申报中上传过",
                      "the same file was not uploaded to another application")),
    Rule("application.one_per_company", RuleKind.HISTORY, "一户企业只能申领一次",
         "one application per company, ever", _one_per_company),
)
