"""What only a clerk can decide, or history the service does not keep (yearly caps,
voucher counts). These rules always put an item on the checklist: never a guess,
never a silent pass. Checks the service's history can decide live in
``validators.rules.history`` (invoices, payments, files, one application per company).
"""

from __future__ import annotations

from validators.rule import Rule, manual_rule

_CREDIT = ("信用中国、国家企业信用信息公示系统等外部记录，材料中没有", "external records (信用中国, the national "
           "enterprise credit system), not in the documents")
_HISTORY = ("需要历史申报记录，系统尚未保存", "needs the history of earlier applications, which is not stored yet")

RULES: tuple[Rule, ...] = (
    manual_rule("applicant.no_credit_violations", "企业无不良信用记录、无失信行为",
                "the applicant has no bad credit or dishonesty record", *_CREDIT),
    manual_rule("applicant.no_fiscal_violations", "企业近5年无财政资金严重违法违规",
                "no serious fiscal-fund violations in the last 5 years", *_CREDIT),
    manual_rule("applicant.industrial_enterprise", "企业为工业企业（或服务于工业生产）",
                "the applicant is an industrial enterprise (or serves industrial production)",
                "需核对经营范围与实际业务", "check the business scope and actual business"),
    manual_rule("contract.first_cloud_purchase", "为企业首次购买云服务",
                "this is the company's first purchase of cloud services", *_HISTORY),
    manual_rule("program.company_year_cap_history", "同一企业同一年度累计补助不超过上限",
                "all of one company's vouchers in a year stay under the cap", *_HISTORY),
    manual_rule("program.voucher_history", "累计未兑现服务券次数（两次暂停、三次取消）",
                "unredeemed vouchers so far (two suspend, three disqualify)", *_HISTORY),
    manual_rule("program.period_cap", "本周期累计补助上限（先到先得）",
                "the period's cumulative cap, first come first served",
                "取决于本周期已核定的服务券", "depends on the vouchers already granted this period"),
    manual_rule("contract.market_price", "云产品价格不高于市场价格",
                "the provider's prices do not exceed market prices",
                "需人工比价", "needs a price comparison by a clerk"),
    manual_rule("contract.performed", "合同已实际履行（使用情况）",
                "the contract was actually performed (usage records)",
                "需查看使用记录", "needs the usage records"),
    manual_rule("supplier.related_party_disclosed", "供应商与企业的关联关系已披露",
                "any related-party relation between supplier and applicant is disclosed",
                "需查询股权关系", "needs the ownership records"),
    manual_rule("program.no_double_funding", "同一项目未重复申报其他专项资金（就高不重复）",
                "the project is not funded twice (the higher subsidy only)",
                "需查询其他专项资金记录", "needs the records of other funds"),
    manual_rule("program.implemented_in_province", "项目实施地点在省内",
                "the project is implemented in the province",
                "材料中没有实施地点的可靠依据", "the documents do not reliably show where it is implemented"),
    manual_rule("program.no_duplicate_content", "重复内容不重复计算",
                "the same content is not counted twice",
                "需比对服务内容", "needs a comparison of the services"),
    manual_rule("application_form.spend_matches_contracts", "申报表分年度上云投入与所附合同一致",
                "the form's cloud spend by year agrees with the attached contracts",
                "申报表在线填写，分年度数据未提取", "the yearly figures are typed online and not extracted"),
    manual_rule("application.adoption_summary", "附上云情况总结与评价",
                "a summary and evaluation of the cloud adoption is attached",
                "总结为自由文本，需人工阅读", "free text for a clerk to read"),
    manual_rule("id_card.contact_person", "联系人身份证正反面与联系人一致",
                "the contact's ID card (front and back) is the contact person's",
                "身份证号不在日志和申报数据中比对", "ID numbers are never logged or compared automatically"),
)
