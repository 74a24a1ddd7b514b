"""Fictitious companies, people, accounts and cloud deals for the generated documents.

Everything is built from syllable and word lists with a seeded ``random.Random``;
codes carry valid check digits (GB 32100 credit codes with a GB 11714 organisation
code inside, ISO 7064 MOD 11,10 registration numbers, GB 11643 ID numbers) over random
bodies. Regions and administrative division codes are the public ones of the four
programs' areas (PROGRAMS.md); banks are real bank names with invented branches.
All characters used survive simplified → traditional (HK) → simplified unchanged,
so a traditional rendering has one simplified truth.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from stdnum.cn import ric, uscc
from stdnum.iso7064 import mod_11_10

from samplegen.textfmt import add_years, money, random_date

# --- regions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    province: str  # as written in addresses: 河北省, 内蒙古自治区, ...
    short: str  # as used in company names and invoice titles: 河北, 内蒙古, ...
    city: str
    district: str
    code: str  # administrative division code (6 digits)
    area_code: str  # telephone
    postcode: str

    @property
    def city_short(self) -> str:
        return self.city.removesuffix("市")


def _regions(province: str, short: str, rows: list[tuple[str, str, str, str, str]]
             ) -> list[Region]:
    return [Region(province, short, *r) for r in rows]


REGIONS: dict[str, list[Region]] = {
    "hebei": _regions("河北省", "河北", [
        ("石家庄市", "长安区", "130102", "0311", "050000"),
        ("石家庄市", "裕华区", "130108", "0311", "050000"),
        ("石家庄市", "桥西区", "130104", "0311", "050000"),
        ("唐山市", "路北区", "130203", "0315", "063000"),
        ("唐山市", "丰润区", "130208", "0315", "064000"),
        ("保定市", "莲池区", "130606", "0312", "071000"),
        ("廊坊市", "广阳区", "131003", "0316", "065000"),
        ("邯郸市", "丛台区", "130403", "0310", "056000"),
        ("沧州市", "运河区", "130903", "0317", "061000"),
    ]),
    "inner_mongolia": _regions("内蒙古自治区", "内蒙古", [
        ("呼和浩特市", "新城区", "150102", "0471", "010000"),
        ("呼和浩特市", "赛罕区", "150105", "0471", "010000"),
        ("包头市", "昆都仑区", "150203", "0472", "014000"),
        ("包头市", "青山区", "150204", "0472", "014000"),
        ("鄂尔多斯市", "东胜区", "150602", "0477", "017000"),
        ("赤峰市", "红山区", "150402", "0476", "024000"),
    ]),
    "yichun": _regions("黑龙江省", "黑龙江", [
        ("伊春市", "伊美区", "230717", "0458", "153000"),
        ("伊春市", "乌翠区", "230718", "0458", "153000"),
        ("伊春市", "友好区", "230719", "0458", "153000"),
        ("伊春市", "金林区", "230751", "0458", "153000"),
        ("伊春市", "铁力市", "230781", "0458", "152500"),
    ]),
    "guangdong": _regions("广东省", "广东", [
        ("广州市", "天河区", "440106", "020", "510000"),
        ("广州市", "番禺区", "440113", "020", "511400"),
        ("广州市", "黄埔区", "440112", "020", "510700"),
        ("深圳市", "南山区", "440305", "0755", "518000"),
        ("深圳市", "宝安区", "440306", "0755", "518100"),
        ("佛山市", "顺德区", "440606", "0757", "528300"),
        ("佛山市", "南海区", "440605", "0757", "528200"),
        ("东莞市", "", "441900", "0769", "523000"),
        ("中山市", "", "442000", "0760", "528400"),
    ]),
    # providers may sit elsewhere
    "elsewhere": [
        Region("北京市", "北京", "北京市", "海淀区", "110108", "010", "100080"),
        Region("北京市", "北京", "北京市", "朝阳区", "110105", "010", "100020"),
        Region("浙江省", "浙江", "杭州市", "西湖区", "330106", "0571", "310000"),
        Region("浙江省", "浙江", "杭州市", "滨江区", "330108", "0571", "310051"),
        Region("上海市", "上海", "上海市", "浦东新区", "310115", "021", "200120"),
        Region("黑龙江省", "黑龙江", "哈尔滨市", "南岗区", "230103", "0451", "150000"),
    ],
}

PROGRAM_AREA = {
    "hebei-2018-benchmark": "hebei",
    "inner-mongolia-2019-voucher": "inner_mongolia",
    "yichun-2023": "yichun",
    "guangdong-2018-voucher": "guangdong",
}

# (first signing date, last signing date, contract years) per program
PROGRAM_DATES = {
    "hebei-2018-benchmark": (dt.date(2016, 3, 1), dt.date(2018, 8, 30), (1, 2, 3)),
    "inner-mongolia-2019-voucher": (dt.date(2019, 1, 5), dt.date(2019, 12, 20), (1, 1, 2)),
    "yichun-2023": (dt.date(2023, 1, 5), dt.date(2024, 6, 30), (1, 1, 2)),
    "guangdong-2018-voucher": (dt.date(2018, 3, 21), dt.date(2018, 12, 20), (1, 1, 2)),
}

# --- names ---------------------------------------------------------------------------

_BRAND_A = list("云华瑞恒鑫宏盛博泰嘉润天新远金正佳德信安中海兴隆昌丰达通锦凯永辰宇晨星"
                "翔鸿飞祥源诚卓维睿航帆尚辉力智易迅铭启朗拓峰悦越川北东合和康明")
_BRAND_B = list("帆达科源泰通联创鑫宇航信瑞成晟邦拓宏辉盛阳峰图博捷远泽诺润途昊弘铭朗"
                "岳方晨新海川石杰骏耀")
_AVOID = {"华为", "中兴", "联想", "海尔", "腾讯", "京东", "阿里", "中海", "华润", "中信",
          "中通", "申通", "安信", "华泰", "中泰", "华安", "国泰", "兴业", "天安", "海通",
          "宏达", "德邦", "中航", "中远", "华信", "方正", "华宇", "东方"}

APPLICANT_INDUSTRY = ["机械制造", "钢铁", "化工", "食品", "纺织", "新材料", "电子科技",
                      "汽车零部件", "建材", "医药", "木业", "林产品", "乳业", "装备制造",
                      "塑料制品", "电气设备", "包装材料", "铸造", "农机", "精密仪器"]
PROVIDER_INDUSTRY = ["信息技术", "网络科技", "云计算科技", "数据科技", "软件", "信息科技",
                     "通信技术", "数字科技", "智能科技"]
COMPANY_TYPES = {
    "有限公司": ["有限责任公司（自然人投资或控股）", "有限责任公司（法人独资）",
                 "有限责任公司（自然人独资）", "其他有限责任公司"],
    "有限责任公司": ["有限责任公司（自然人投资或控股）", "其他有限责任公司"],
    "股份有限公司": ["股份有限公司（非上市、自然人投资或控股）", "股份有限公司（非上市）"],
}

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田"
                "董潘袁蔡蒋余杜叶程魏苏吕丁任姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白"
                "邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向常")
GIVEN = list("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉建文斌"
             "浩宇欣怡晨阳鑫佳琳雪梅海波丹峰志国亮飞龙凤婷琴云莉倩颖博健俊凯")
ETHNICITIES = ["汉"] * 12 + ["蒙古", "满", "回", "朝鲜", "壮"]

_ROAD_WORDS = ["建设", "新华", "中山", "人民", "和平", "胜利", "友谊", "解放", "光明", "长江",
               "朝阳", "文化", "青年", "育才", "翠屏", "金桥", "锦绣", "创业", "科技", "学府",
               "迎宾", "振兴", "富强", "园林", "林海", "兴安", "阳光", "春风", "滨河", "工业",
               "开发", "纬一", "经二", "北环", "东环", "南湖", "长安", "天山", "槐安", "裕华"]
_ROAD_SUFFIX = ["路", "大街", "大道", "街", "东路", "西路", "南路", "北大街"]
_BUILDING = ["科技大厦", "创业园", "国际中心", "商务楼", "产业园", "大厦", "工业园"]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _brand(rng: random.Random) -> str:
    while True:
        b = rng.choice(_BRAND_A) + rng.choice(_BRAND_B)
        if b[0] != b[1] and b not in _AVOID:
            return b


def road(rng: random.Random) -> str:
    return rng.choice(_ROAD_WORDS) + rng.choice(_ROAD_SUFFIX)


def address(rng: random.Random, region: Region) -> str:
    head = region.province + region.city if region.province != region.city else region.city
    s = head + region.district + road(rng) + f"{rng.randint(1, 399)}号"
    if rng.random() < 0.5:
        s += rng.choice(_BUILDING) + rng.choice(["A座", "B座", "", "1号楼", "2号楼"]) + \
            f"{rng.randint(2, 23)}{rng.randint(1, 20):02d}室"
    return s


def phone(rng: random.Random, region: Region) -> str:
    n = 8 if len(region.area_code) == 3 or region.area_code == "0311" else 7
    return f"{region.area_code}-" + str(rng.randint(2, 8)) + "".join(
        str(rng.randint(0, 9)) for _ in range(n - 1))


def mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(str(rng.randint(0, 9)) for _ in range(9))


# --- codes ---------------------------------------------------------------------------

_USCC_ALNUM = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def org_code_check(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body8, weights))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def org_code(rng: random.Random, new_style: bool) -> str:
    if new_style:  # codes issued with the 2015 reform start with MA
        body = "MA" + "".join(rng.choice(_USCC_ALNUM) for _ in range(6))
    else:
        body = "".join(str(rng.randint(0, 9)) for _ in range(8))
    return body + org_code_check(body)


def credit_code(rng: random.Random, region: Region, *, new_style: bool) -> str:
    """统一社会信用代码: 9 (market regulator) 1 (enterprise) + division + org code + check."""
    body = "91" + region.code + org_code(rng, new_style)
    code = body + uscc.calc_check_digit(body)
    assert uscc.is_valid(code)
    return code


def registration_number(rng: random.Random, region: Region) -> str:
    """Old 15-digit 注册号: division + 8 digits (first 0-3: domestic) + MOD 11,10 check."""
    body = region.code + str(rng.randint(0, 3)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return body + mod_11_10.calc_check_digit(body)


# Long-standing division codes: an ID number keeps the code of the place where it was
# first issued, so people born before a district was created carry an older code.
_OLD_ID_CODES = {"13": ["130102", "130104", "130203", "130402", "131002", "130903"],
                 "15": ["150102", "150105", "150203", "150204", "150402"],
                 "23": ["230702", "230703", "230781", "230103"],
                 "44": ["440106", "440305", "440306", "440606", "442000"],
                 "11": ["110108", "110105"], "33": ["330106"], "31": ["310115"]}


def id_number(rng: random.Random, region: Region, birth: dt.date, male: bool) -> str:
    """GB 11643 citizen number: division + birth date + sequence (odd: male) + check."""
    seq = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    for code in [region.code] + _OLD_ID_CODES.get(region.code[:2], []):
        body = code + f"{birth:%Y%m%d}" + f"{seq:03d}"
        n = body + ric.calc_check_digit(body + "0")
        if ric.is_valid(n):
            return n
    raise ValueError(f"no valid division code for {region}")


# --- banks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bank:
    name: str  # 中国工商银行
    legal: str  # 中国工商银行股份有限公司
    short: str  # 工行
    digits: int  # corporate account length


BANKS = [
    Bank("中国工商银行", "中国工商银行股份有限公司", "工行", 19),
    Bank("中国建设银行", "中国建设银行股份有限公司", "建行", 20),
    Bank("中国农业银行", "中国农业银行股份有限公司", "农行", 19),
    Bank("中国银行", "中国银行股份有限公司", "中行", 12),
    Bank("交通银行", "交通银行股份有限公司", "交行", 21),
    Bank("招商银行", "招商银行股份有限公司", "招行", 15),
    Bank("中国民生银行", "中国民生银行股份有限公司", "民生银行", 9),
    Bank("兴业银行", "兴业银行股份有限公司", "兴业银行", 18),
]
REGIONAL_BANKS = {"hebei": Bank("河北银行", "河北银行股份有限公司", "河北银行", 16),
                  "inner_mongolia": Bank("内蒙古银行", "内蒙古银行股份有限公司", "内蒙古银行", 17),
                  "yichun": Bank("龙江银行", "龙江银行股份有限公司", "龙江银行", 18),
                  "guangdong": Bank("广发银行", "广发银行股份有限公司", "广发银行", 19)}


def account_number(rng: random.Random, bank: Bank) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(bank.digits - 1))


# --- cloud services --------------------------------------------------------------------

# (name in contracts, invoice item name, category, typical yearly price in yuan)
SERVICES: list[tuple[str, str, str, int]] = [
    ("云服务器ECS", "*信息技术服务*云服务器租用费", "infrastructure", 24000),
    ("弹性云主机", "*信息技术服务*云主机服务费", "infrastructure", 18000),
    ("对象存储", "*信息技术服务*对象存储服务", "infrastructure", 6000),
    ("云硬盘", "*信息技术服务*云存储服务费", "infrastructure", 4000),
    ("负载均衡", "*信息技术服务*负载均衡服务", "infrastructure", 5000),
    ("云防火墙", "*信息技术服务*云安全服务", "infrastructure", 12000),
    ("专有网络VPC", "*信息技术服务*网络服务费", "infrastructure", 3000),
    ("CDN加速", "*信息技术服务*CDN加速服务", "infrastructure", 8000),
    ("云备份", "*信息技术服务*数据备份服务", "infrastructure", 6000),
    ("云数据库", "*信息技术服务*云数据库服务", "platform", 20000),
    ("云数据库RDS", "*信息技术服务*云数据库服务", "platform", 22000),
    ("大数据分析平台", "*信息技术服务*大数据平台服务", "platform", 60000),
    ("物联网平台", "*信息技术服务*物联网平台服务", "platform", 45000),
    ("工业互联网平台", "*信息技术服务*工业互联网平台服务", "platform", 80000),
    ("容器服务", "*信息技术服务*容器云服务", "platform", 15000),
    ("人工智能图像识别", "*信息技术服务*人工智能服务", "platform", 30000),
    ("企业邮箱", "*信息技术服务*企业邮箱服务", "business_application", 5000),
    ("云ERP", "*软件*云ERP软件服务", "business_application", 48000),
    ("协同办公平台", "*信息技术服务*协同办公云服务", "business_application", 12000),
    ("财务云", "*信息技术服务*财务云服务", "business_application", 16000),
    ("客户关系管理CRM", "*信息技术服务*CRM云服务", "business_application", 20000),
    ("云MES", "*信息技术服务*生产管理云服务", "business_application", 70000),
    ("供应链管理系统", "*信息技术服务*供应链云服务", "business_application", 36000),
    ("设备远程运维平台", "*信息技术服务*设备上云服务", "equipment_product", 40000),
]


# --- companies -------------------------------------------------------------------------


@dataclass
class Company:
    name: str
    region: Region
    credit_code: str
    reg_number: str  # old 注册号 (for licences issued before the 2015 reform)
    address: str
    phone: str
    legal_rep: str
    bank: Bank
    bank_branch: str  # full 开户行: 中国工商银行股份有限公司石家庄裕华支行
    account: str
    company_type: str
    capital: Decimal
    established: dt.date
    brackets: str = "（）"  # how the printed name writes its brackets


def company_name(rng: random.Random, region: Region, role: str) -> str:
    brand = _brand(rng)
    industry = rng.choice(APPLICANT_INDUSTRY if role == "applicant" else PROVIDER_INDUSTRY)
    form = rng.choice(["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"])
    r = rng.random()
    if r < 0.12:  # 云帆数据科技（河北）有限公司
        return f"{brand}{industry}（{region.short}）{form}"
    if r < 0.2:
        return f"{region.short}{brand}{industry}（集团）{form}"
    if r < 0.55:
        head = region.city if region.city.endswith("市") and rng.random() < 0.5 else region.city_short
        return f"{head}{brand}{industry}{form}"
    return f"{region.short}{brand}{industry}{form}"


def registration_authority(rng: random.Random, region: Region, issued: dt.date) -> str:
    """登记机关 as of the issue date: 工商行政管理局 before the 2018 merger into
    市场监督管理局 (some cities licence through a 行政审批局)."""
    city, district = region.city, region.district
    if district.endswith("市"):  # a county-level city has its own bureau
        city, district = district, ""
    if issued.year < 2015 or (issued.year < 2018 and rng.random() < 0.7):
        return city + "工商行政管理局" + (district + "分局" if district and rng.random() < 0.4
                                        else "")
    if rng.random() < 0.25:
        return city + "行政审批局"
    return city + (district if district and rng.random() < 0.4 else "") + "市场监督管理局"


def make_company(rng: random.Random, region: Region, role: str, *,
                 founded_before: dt.date) -> Company:
    name = company_name(rng, region, role)
    form = next(f for f in ("股份有限公司", "有限责任公司", "有限公司") if name.endswith(f))
    established = random_date(rng, add_years(founded_before, -18), add_years(founded_before, -1))
    area = next(k for k, v in REGIONS.items() if region in v)
    bank = REGIONAL_BANKS[area] if area in REGIONAL_BANKS and rng.random() < 0.2 \
        else rng.choice(BANKS)
    branch_place = region.city_short + (region.district.removesuffix("区").removesuffix("市")
                                        if region.district and rng.random() < 0.6 else
                                        rng.choice(["分行营业部", "高新", "开发区", "城东", "新华路"]))
    branch = bank.legal + branch_place + ("" if branch_place.endswith("营业部") else "支行")
    capital = money(rng.choice([50, 100, 200, 300, 500, 800, 1000, 1200, 2000, 3000, 5000, 10000])
                    * 10000)
    return Company(
        name=name, region=region,
        credit_code=credit_code(rng, region, new_style=established.year >= 2015 or rng.random() < 0.2),
        reg_number=registration_number(rng, region),
        address=address(rng, region), phone=phone(rng, region), legal_rep=person_name(rng),
        bank=bank, bank_branch=branch, account=account_number(rng, bank),
        company_type=rng.choice(COMPANY_TYPES[form]), capital=capital,
        established=established,
        brackets="（）" if rng.random() < 0.75 else "()",
    )


def printed_name(c: Company) -> str:
    return c.name.replace("（", c.brackets[0]).replace("）", c.brackets[1])


# --- people ----------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    male: bool
    ethnicity: str
    birth: dt.date
    address: str
    id_number: str
    issuer: str  # 签发机关
    valid_from: dt.date
    valid_to: dt.date | None  # None: 长期


def make_person(rng: random.Random, region: Region, *, as_of: dt.date) -> Person:
    male = rng.random() < 0.55
    # stdnum's division table starts in 1983 and checks codes against the birth year;
    # contact persons born from 1984 on keep every generated number valid there too
    birth = random_date(rng, max(dt.date(1984, 1, 1), dt.date(as_of.year - 55, 1, 1)),
                        dt.date(as_of.year - 22, 12, 31))
    valid_from = random_date(rng, add_years(as_of, -9), as_of - dt.timedelta(days=30))
    age = (valid_from - birth).days // 365
    years = 10 if age < 26 else 20 if age < 46 else 0
    addr = address(rng, region).split("号")[0] + "号"
    if rng.random() < 0.5:
        addr += f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 28)}0{rng.randint(1, 4)}号"
    issuer = region.city + "公安局" + (region.district + "分局" if region.district and
                                     rng.random() < 0.7 else "")
    return Person(name=person_name(rng), male=male, ethnicity=rng.choice(ETHNICITIES),
                  birth=birth, address=addr, id_number=id_number(rng, region, birth, male),
                  issuer=issuer, valid_from=valid_from,
                  valid_to=add_years(valid_from, years) if years else None)


# --- a cloud deal: who bought what from whom, when, for how much ----------------------------


@dataclass
class ServiceLine:
    name: str  # as contracts list it
    item: str  # as invoices name it
    category: str
    yearly: Decimal  # yuan per year


@dataclass
class Scenario:
    program: str
    applicant: Company
    provider: Company
    contact: Person
    contract_number: str
    contract_title: str
    signed_on: dt.date
    service_start: dt.date
    service_end: dt.date
    years: int
    services: list[ServiceLine]
    total: Decimal  # whole contract, tax included
    annual_fee: Decimal
    cloud_fee: Decimal | None  # stated 上云上平台费用 (always in Guangdong contracts)
    invoice_date: dt.date
    paid_on: dt.date
    requested: Decimal  # subsidy asked for
    extra: dict = field(default_factory=dict)


SUBSIDY = {  # (ratio, cap) by program, for the requested amount on forms (PROGRAMS.md)
    "hebei-2018-benchmark": (Decimal("0.20"), Decimal(50000)),
    "inner-mongolia-2019-voucher": (Decimal("0.20"), Decimal(20000)),
    "yichun-2023": (Decimal("0.50"), Decimal(100000)),
    "guangdong-2018-voucher": (Decimal("1.00"), Decimal(500000)),
}

CONTRACT_TITLES = ["云服务合同", "技术服务合同", "企业上云服务合同", "云计算服务协议",
                   "云平台服务合同", "信息化云服务合同", "上云服务协议"]


def contract_number(rng: random.Random, provider: Company, signed: dt.date) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPQRSTWXYZ") for _ in range(rng.choice((2, 3, 4))))
    seq = rng.randint(1, 999)
    style = rng.randrange(4)
    if style == 0:
        return f"{letters}-{signed.year}-{seq:03d}"
    if style == 1:
        return f"{letters}{signed:%Y%m%d}{seq:02d}"[:18]
    if style == 2:
        return f"{letters}-YS-{signed:%Y%m}-{seq:04d}"
    return f"{provider.region.short[:1]}{letters}〔{signed.year}〕{seq}号"


def make_scenario(rng: random.Random, program: str | None = None) -> Scenario:
    program = program or rng.choice(list(PROGRAM_AREA))
    area = PROGRAM_AREA[program]
    first, last, year_choices = PROGRAM_DATES[program]
    signed = random_date(rng, first, last)
    a_region = rng.choice(REGIONS[area])
    p_region = rng.choice(REGIONS[area]) if rng.random() < 0.5 else rng.choice(REGIONS["elsewhere"])
    applicant = make_company(rng, a_region, "applicant", founded_before=signed)
    provider = make_company(rng, p_region, "provider", founded_before=signed)
    years = rng.choice(year_choices)
    start = signed + dt.timedelta(days=rng.choice([0, 1, 3, 7, 10, 14, 30]))
    if rng.random() < 0.4:  # many contracts start on the first of a month
        start = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    end = add_years(start, years) - dt.timedelta(days=1)
    picks = rng.sample(SERVICES, rng.choice((1, 2, 2, 3, 3, 4)))
    lines = []
    for name, item, cat, price in picks:
        scale = rng.choice([0.5, 1, 1, 1.5, 2, 3, 4])
        lines.append(ServiceLine(name, item, cat, money(round(price * scale / 100) * 100)))
    annual = sum((ln.yearly for ln in lines), Decimal(0))
    if rng.random() < 0.6:  # round contracts are common
        annual = money(max(1000, round(annual / 1000) * 1000))
    annual = max(annual, money(5000))  # below this nobody applies for a subsidy
    total = money(annual * years)
    cloud_fee = None
    if program == "guangdong-2018-voucher" or rng.random() < 0.25:
        cloud_fee = money(round(total * Decimal(rng.choice(["1", "0.9", "0.85", "0.8"])) / 100) * 100)
    invoice_date = random_date(rng, signed, min(start + dt.timedelta(days=60), end))
    paid_on = invoice_date + dt.timedelta(days=rng.randint(-5, 20))
    paid_on = max(paid_on, signed)
    ratio, cap = SUBSIDY[program]
    base = cloud_fee if program == "guangdong-2018-voucher" and cloud_fee else annual
    requested = money(min(base * ratio, cap))
    contact = make_person(rng, a_region, as_of=signed)
    return Scenario(program=program, applicant=applicant, provider=provider, contact=contact,
                    contract_number=contract_number(rng, provider, signed),
                    contract_title=rng.choice(CONTRACT_TITLES), signed_on=signed,
                    service_start=start, service_end=end, years=years, services=lines,
                    total=total, annual_fee=annual, cloud_fee=cloud_fee,
                    invoice_date=invoice_date, paid_on=paid_on, requested=requested)
