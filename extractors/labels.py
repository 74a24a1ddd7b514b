"""Printed labels per document type and field: the data the extractors match against.

Each alias is written as printed; matching (``extractors.layout``) folds script,
width, ``：``/``:`` and spacing, so ``名    称：`` and ``名稱:`` are both ``名称:``.
Long aliases also match with one or two OCR edits; short ones must match exactly,
so their usual OCR manglings are listed here (``税颜``/``税领`` for ``税额``).

``TITLES`` hold the words that make a page look like its type (``score_page``),
with a weight each: a word only one document type prints weighs 1.0, a word
shared with neighbours less.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- invoice

INVOICE = {
    "invoice_code": ["发票代码"],
    "invoice_number": ["发票号码", "No", "№", "N0", "NO"],
    "issued_on": ["开票日期", "开票时间"],
    "name": ["名称", "名 称", "购买方名称", "销售方名称", "名杯", "名秋"],
    "tax_id": [
        "统一社会信用代码/纳税人识别号",
        "纳税人识别号",
        "纳税人识别码",
        "纳税人登记号",
        "识别号",
    ],
    "amount_col": ["金额", "全额", "金领", "全领", "金颜"],
    "tax_col": ["税额", "税颜", "税领", "税顿", "税硕"],
    "rate_col": ["税率", "税率/征收率", "征收率"],
    "item_col": [
        "货物或应税劳务、服务名称",
        "货物或应税劳务名称",
        "项目名称",
        "货物或应税劳务、服务",
    ],
    "sum_row": ["合计", "合 计"],
    "total_words": ["价税合计(大写)", "价税合计（大写）", "价税合计", "(大写)", "大写"],
    "total_figures": ["(小写)", "（小写）", "小写"],
    "check_code": ["校验码", "校 验 码", "校验玛"],
    "buyer_header": ["购买方", "购货单位", "购买方信息", "购方"],
    "seller_header": ["销售方", "销货单位", "销售方信息", "销方"],
}

# Title words -> invoice kind. Checked longest first; the digital (数电) titles are
# ``电子发票（…）`` with the kind in brackets.
INVOICE_KIND_TITLES: list[tuple[str, str]] = [
    ("电子发票(增值税专用发票)", "digital"),
    ("电子发票(普通发票)", "digital"),
    ("电子发票(增值税普通发票)", "digital"),
    ("增值税电子专用发票", "electronic"),
    ("增值税电子普通发票", "electronic"),
    ("增值税专用发票", "special"),
    ("增值税普通发票", "ordinary"),
]

# Parts of the paper forms that exist on one kind only: the 抵扣联 copy is printed
# on special invoices alone, so it names the kind when the title is covered by a seal.
INVOICE_KIND_HINTS: list[tuple[str, str]] = [
    ("抵扣联", "special"),
    ("购买方扣税凭证", "special"),
]

# QR type field -> kind (national standard payload, field 2).
QR_KIND = {
    "01": "special",
    "04": "ordinary",
    "10": "electronic",  # 增值税电子普通发票
    "08": "electronic",  # 增值税电子专用发票
    "11": "ordinary",  # 卷式
    "14": "electronic",  # 通行费电子普通发票
    "31": "digital",  # 数电专票
    "32": "digital",  # 数电普票
}

INVOICE_TITLES: dict[str, float] = {
    "增值税专用发票": 1.0,
    "增值税普通发票": 1.0,
    "增值税电子普通发票": 1.0,
    "电子发票": 0.6,
    "发票代码": 0.8,
    "发票号码": 0.8,
    "开票日期": 0.8,
    "价税合计": 1.0,
    "纳税人识别号": 0.4,
    "校验码": 0.5,
    "密码区": 0.5,
    "货物或应税劳务": 0.8,
    "规格型号": 0.4,
    "税率": 0.3,
    "税额": 0.3,
    "销售方": 0.3,
    "购买方": 0.3,
    "开票人": 0.4,
    "抵扣联": 0.6,
    "发票联": 0.6,
}

# --------------------------------------------------------------------------- licence

LICENCE = {
    "credit_code": ["统一社会信用代码", "社会信用代码", "信用代码"],
    "registration_number": ["注册号", "注 册 号"],
    "company_name": ["名称", "名 称", "企业名称", "字号名称", "公司名称"],
    "company_type": ["类型", "主体类型", "公司类型", "企业类型", "组成形式"],
    "legal_representative": [
        "法定代表人姓名",
        "法定代表人",
        "执行事务合伙人",
        "负责人",
        "经营者姓名",
        "经营者",
        "投资人",
        "首席代表",
    ],
    "registered_capital": ["注册资本", "注册资金", "出资额", "出资总额", "资金数额"],
    "paid_capital": ["实收资本"],
    "established_on": ["成立日期", "注册日期", "成立时间"],
    "term": ["营业期限", "经营期限", "合伙期限", "营业期", "执照有效期", "有效期"],
    "address": ["住所", "住 所", "经营场所", "主要经营场所", "营业场所", "地址"],
    "scope": ["经营范围", "经营范围及方式", "业务范围"],
    "registration_authority": ["登记机关", "发照机关"],
    "number": ["编号", "证照编号"],
}

# Labels printed spaced out on two lines of a column whose first characters OCR
# read as one vertical run (``名类住`` | ``称型所``): the second character alone
# then starts the value's row.
LICENCE_SPLIT_TAILS = {"称": "company_name", "型": "company_type", "所": "address"}
# ... and the other way round: the label's first character read alone at the row's
# start (``名`` | ``黑龙江某某有限公司``), its last one lost.
LICENCE_SPLIT_HEADS = {"名": "company_name", "类": "company_type", "住": "address"}

# Company types as printed (longest first when matching).
COMPANY_TYPES = [
    "有限责任公司(自然人投资或控股的法人独资)",
    "有限责任公司(自然人投资或控股)",
    "有限责任公司(非自然人投资或控股的法人独资)",
    "有限责任公司(外商投资企业法人独资)",
    "有限责任公司(台港澳法人独资)",
    "有限责任公司(外国法人独资)",
    "有限责任公司(自然人独资)",
    "有限责任公司(法人独资)",
    "有限责任公司(国有独资)",
    "有限责任公司(国有控股)",
    "有限责任公司(国内合资)",
    "有限责任公司(中外合资)",
    "有限责任公司(港澳台投资、非独资)",
    "有限责任公司分公司",
    "其他有限责任公司分公司",
    "其他有限责任公司",
    "有限责任公司",
    "股份有限公司(上市、自然人投资或控股)",
    "股份有限公司(非上市、自然人投资或控股)",
    "股份有限公司(非上市)",
    "股份有限公司(上市)",
    "其他股份有限公司(非上市)",
    "股份有限公司分公司",
    "股份有限公司",
    "私营有限责任公司",
    "有限公司",
    "个人独资企业",
    "普通合伙企业",
    "有限合伙企业",
    "合伙企业",
    "个体工商户",
    "全民所有制",
    "集体所有制",
    "农民专业合作社",
    "外商独资企业",
    "中外合资经营企业",
    "非公司企业法人",
    "个人经营",
    "家庭经营",
]

LICENCE_TITLES: dict[str, float] = {
    "营业执照": 1.0,
    "统一社会信用代码": 0.5,
    "注册号": 0.4,
    "法定代表人": 0.5,
    "注册资本": 0.5,
    "成立日期": 0.5,
    "营业期限": 0.6,
    "经营范围": 0.6,
    "登记机关": 0.6,
    "住所": 0.3,
    "国家企业信用信息公示系统": 0.6,
    "企业信用信息公示系统": 0.5,
    "监制": 0.3,
}

# --------------------------------------------------------------------------- receipt

RECEIPT = {
    "payer_name": [
        "付款人名称",
        "付款人户名",
        "付款方户名",
        "付款方名称",
        "付款单位",
        "付款户名",
        "付款人",
        "付款方",
        "汇款人",
        "汇款人名称",
        "出票人全称",
        "付款人全称",
    ],
    "payer_account": [
        "付款人账号",
        "付款方账号",
        "付款账号",
        "付款人帐号",
        "付款帐号",
        "汇款人账号",
        "出票人账号",
    ],
    "payee_name": [
        "收款人名称",
        "收款人户名",
        "收款方户名",
        "收款方名称",
        "收款单位",
        "收款户名",
        "收款人",
        "收款方",
        "收款人全称",
    ],
    "payee_account": [
        "收款人账号",
        "收款方账号",
        "收款账号",
        "收款人帐号",
        "收款帐号",
    ],
    "generic_name": ["户名", "全称", "名称", "账户名称", "账户名"],
    "generic_account": ["账号", "帐号", "账户", "卡号"],
    "generic_bank": ["开户行", "开户银行", "开户行名称", "开户机构"],
    "payer_bank": ["付款人开户行", "付款行", "付款人开户银行", "付款银行", "付款行名称"],
    "payee_bank": ["收款人开户行", "收款行", "收款人开户银行", "收款银行", "收款行名称"],
    "amount": [
        "金额(小写)",
        "小写金额",
        "交易金额",
        "转账金额",
        "汇款金额",
        "付款金额",
        "支付金额",
        "金额",
        "小写",
    ],
    "amount_words": ["金额(大写)", "大写金额", "人民币(大写)", "大写", "金额大写"],
    "paid_on": [
        "交易日期",
        "转账日期",
        "支付日期",
        "付款日期",
        "记账日期",
        "入账日期",
        "交易时间",
        "回单日期",
        "日期",
    ],
    # in order of preference: the transaction's own serial before the receipt's number
    "serial_number": [
        "交易流水号",
        "业务流水号",
        "流水号",
        "交易序号",
        "凭证号",
        "凭证号码",
        "交易编号",
        "回单编号",
        "电子回单号码",
        "回单号",
    ],
    # In order of preference: 用途 says what the money is for; 附言/备注 often
    # carry the contract reference; 摘要 is usually the bank's own transaction
    # summary (网银转账, 转账支出), the last resort.
    "purpose": [["用途", "交易用途", "汇款用途", "资金用途"], ["附言", "备注"], ["摘要"]],
    "payer_header": ["付款人", "付款方", "付款单位", "付款"],
    "payee_header": ["收款人", "收款方", "收款单位", "收款"],
}

RECEIPT_TITLES: dict[str, float] = {
    "回单": 1.0,
    "电子回单": 1.0,
    "业务回单": 1.0,
    "付款凭证": 0.8,
    "转账凭证": 0.7,
    "付款人": 0.4,
    "收款人": 0.3,
    "付款账号": 0.5,
    "收款账号": 0.5,
    "交易流水号": 0.6,
    "流水号": 0.4,
    "银行": 0.2,
    "用途": 0.3,
    "附言": 0.4,
    "摘要": 0.2,
    "户名": 0.3,
    "账号": 0.2,
    "开户行": 0.2,
}

# --------------------------------------------------------------------------- application form

APPLICATION = {
    "company_name": [
        "申请单位名称",
        "申报单位名称",
        "申请单位",
        "申报单位",
        "企业名称",
        "单位名称",
        "申请企业",
        "申报企业",
    ],
    "credit_code": ["统一社会信用代码", "社会信用代码", "信用代码"],
    "provider_name": [
        "服务商名称",
        "云服务商名称",
        "云服务商",
        "服务商",
        "服务提供商",
        "供应商名称",
        "供应商",
        "服务机构名称",
        "服务单位",
    ],
    "contract_amount": ["合同金额", "合同总金额", "服务合同金额", "合同额"],
    "requested_amount": [
        "申请补助金额",
        "申请兑付金额",
        "申请资助金额",
        "申请补贴金额",
        "申请金额",
        "申请奖补金额",
        "申报金额",
    ],
    "total_payout": ["合计", "总计", "合 计"],
    # table columns
    "col_company": ["企业名称", "单位名称", "用云企业", "上云企业名称", "企业"],
    "col_services": ["服务内容", "服务项目", "云服务内容", "上云服务内容", "服务产品", "购买服务"],
    "col_term": ["合同期限", "服务期限", "合同期", "服务期", "合同起止时间", "服务时间"],
    "col_contract": ["合同金额", "合同额", "合同总额"],
    "col_payout": ["兑付金额", "补助金额", "资助金额", "补贴金额", "申请兑付金额", "奖补金额", "兑现金额"],
    "col_index": ["序号"],
}

APPLICATION_TITLES: dict[str, float] = {
    "申报表": 1.0,
    "申请表": 0.9,
    "兑付申请": 1.0,
    "兑付": 0.5,
    "申请单位": 0.4,
    "申报单位": 0.4,
    "服务商": 0.4,
    "申请金额": 0.5,
    "兑付金额": 0.6,
    "补助金额": 0.5,
    "上云": 0.4,
    "合同金额": 0.3,
    "序号": 0.2,
    "盖章": 0.2,
}

# --------------------------------------------------------------------------- id card

ID_CARD = {
    "name": ["姓名", "姓 名"],
    "id_number": ["公民身份号码", "身份证号码", "身份证号", "公民身份号"],
    "stop": ["性别", "民族", "出生", "住址", "公民身份号码"],
}

ID_CARD_TITLES: dict[str, float] = {
    "公民身份号码": 1.0,
    "居民身份证": 1.0,
    "姓名": 0.3,
    "性别": 0.4,
    "民族": 0.4,
    "出生": 0.3,
    "住址": 0.3,
    "签发机关": 0.7,
    "有效期限": 0.4,
}
