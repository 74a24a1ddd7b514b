"""Application form (申报表 / 兑付申请表) extraction on synthetic tables."""

from __future__ import annotations

import pytest

from intake.model import Method, Page, Quality, Segment

from extractors.application_form import ApplicationFormExtractor, score_page

CODE = "91440300MA5F0ABC5R"


def seg(text: str, x: int, y: int, conf: float = 0.99, cw: int = 22, h: int = 28) -> Segment:
    return Segment(text, (x, y, x + cw * len(text), y + h), conf)


def form(total: str = "30000.00") -> list[Segment]:
    return [
        seg("上云服务券兑付申请表", 500, 40, cw=40, h=40),
        seg("申请单位名称", 60, 120), seg("深圳市某某云科技有限公司", 300, 120),
        seg("统一社会信用代码", 900, 120), seg(CODE, 1100, 120),
        seg("服务商名称", 60, 170), seg("某某云计算有限公司", 300, 170),
        seg("合同金额（万元）", 60, 220), seg("12", 300, 220), seg("申请兑付金额", 900, 220), seg("30000.00", 1100, 220),
        seg("序号", 60, 300), seg("企业名称", 160, 300), seg("服务内容", 500, 300), seg("合同期限", 760, 300),
        seg("合同金额", 1060, 300), seg("兑付金额", 1300, 300),
        seg("1", 70, 350), seg("甲某科技有限公司", 160, 350), seg("云主机、云存储", 500, 350),
        seg("2018.06.01-2019.05.31", 760, 350, cw=12), seg("100,000.00", 1060, 350, cw=12), seg("20,000.00", 1300, 350, cw=12),
        seg("2", 70, 400), seg("乙某网络有限公司", 160, 400), seg("云数据库", 500, 400),
        seg("2018.07.01-2019.06.30", 760, 400, cw=12), seg("50,000.00", 1060, 400, cw=12), seg("10,000.00", 1300, 400, cw=12),
        seg("合计", 70, 450), seg("150,000.00", 1060, 450, cw=12), seg(total, 1300, 450, cw=12),
        seg("申请单位（盖章）", 60, 600),
    ]


def page(segments, method=Method.RAPIDOCR) -> Page:
    return Page("a.png", 1, 1600, 900, 300, segments, method, Quality())


def test_form_fields_and_rows():
    f = ApplicationFormExtractor().extract([page(form())])
    v = {k: x.value for k, x in f.items()}
    assert v["company_name"] == "深圳市某某云科技有限公司"
    assert v["credit_code"] == CODE and f["credit_code"].confidence >= 0.95
    assert v["provider_name"] == "某某云计算有限公司"
    assert v["contract_amount"] == "120000.00"  # 万元 in the label
    assert v["requested_amount"] == "30000.00"
    assert v["total_payout"] == "30000.00"
    assert v["rows"] == [
        {"company_name": "甲某科技有限公司", "services": ["云主机", "云存储"], "contract_term": "2018-06-01/2019-05-31",
         "contract_amount": "100000.00", "payout_amount": "20000.00"},
        {"company_name": "乙某网络有限公司", "services": ["云数据库"], "contract_term": "2018-07-01/2019-06-30",
         "contract_amount": "50000.00", "payout_amount": "10000.00"},
    ]
    # rows add up to the total, which equals the request
    assert f["total_payout"].confidence >= 0.95 and f["requested_amount"].confidence >= 0.95
    # OCR'd rows: only the payouts are cross-checked, so the table stays below 0.9
    assert f["rows"].confidence < 0.9


def test_total_not_matching_rows_is_doubted():
    f = ApplicationFormExtractor().extract([page(form(total="31000.00"))])
    assert f["total_payout"].confidence <= 0.5 and f["rows"].confidence <= 0.5


def test_odd_pages_never_raise():
    X = ApplicationFormExtractor()
    assert X.extract([]) == {}
    X.extract([page([seg("企业名称", 0, 0), seg("服务内容", 300, 0), seg("兑付金额", 600, 0), seg("合计", 0, 40)])])
    X.extract([page([seg("企业名称", 0, 0), seg("服务内容", 300, 0), seg("兑付金额", 600, 0),
                     seg("甲公司 云主机 100.00 200.00 300.00", 0, 40), seg("", 0, 80)])])


def test_score_page():
    assert score_page("兑付申请表 申请单位 服务商 申请金额 兑付金额") > 0.9
    assert score_page("营业执照") == 0.0


# --------------------------------------------------------------------------- the payout table
# Yichun's 兑付申请表 as a word processor prints it: titles centred in their cells,
# cell text left-aligned after a small padding. A cell's text therefore starts well
# left of its title, nearer the previous column's title than its own.

CW, H = 40, 43  # character width and line height (300 dpi)
# column: (left edge, width)
COLS = [(220, 160), (380, 690), (1070, 700), (1770, 620), (2390, 340), (2730, 340), (3070, 400)]
TITLES = ["序号", "企业名称", "上云产品及服务", "合同期限", "合同金额（元）", "兑付金额（元）", "上云效果评价"]
ROWS = [
    ("伊春明拓汽车零部件股份有限公司", "大数据分析平台", "2023.07.12-2024.07.11", "79000.00", "39500.00", "较好"),
    ("黑龙江康峰医药有限公司", "供应链管理系统、专有网络VPC、云ERP", "2024.1.11-2025.1.10", "232000.00", "100000.00", "满意"),
    ("伊春市凯川精密仪器有限公司", "企业邮箱", "2023年4月11日至2025年4月10日", "31000.00", "15500.00", "良好"),
]
WANT = [
    {"company_name": "伊春明拓汽车零部件股份有限公司", "services": ["大数据分析平台"],
     "contract_term": "2023-07-12/2024-07-11", "contract_amount": "79000.00", "payout_amount": "39500.00"},
    {"company_name": "黑龙江康峰医药有限公司", "services": ["供应链管理系统", "专有网络VPC", "云ERP"],
     "contract_term": "2024-01-11/2025-01-10", "contract_amount": "232000.00", "payout_amount": "100000.00"},
    {"company_name": "伊春市凯川精密仪器有限公司", "services": ["企业邮箱"],
     "contract_term": "2023-04-11/2025-04-10", "contract_amount": "31000.00", "payout_amount": "15500.00"},
]


def width(text: str) -> int:
    return sum(CW if ord(c) > 0x2000 else CW // 2 for c in text)


def centred(text: str, col: int, y: int) -> Segment:
    left, w = COLS[col]
    x = left + (w - width(text)) // 2
    return Segment(text, (x, y, x + width(text), y + H), 1.0)


def cell(text: str, col: int, y: int) -> Segment:
    left, _ = COLS[col]
    return Segment(text, (left + 14, y, left + 14 + width(text), y + H), 1.0)


def payout_form(rows=ROWS, total: str = "155000.00", header=None, titles=TITLES) -> list[Segment]:
    segs = [
        Segment("伊春市工业企业上云补助兑付申请表", (1187, 197, 2321, 269), 1.0),
        cell("云服务商名称", 1, 385), cell("伊春市维方通信技术股份有限公司", 2, 385),
        cell("服务企业数量", 3, 491), cell(f"{len(rows)}家", 4, 491),
    ]
    segs += header if header is not None else [centred(t, i, 798) for i, t in enumerate(titles)]
    y = 905
    for i, r in enumerate(rows):
        segs.append(centred(str(i + 1), 0, y))
        segs += [cell(text, c + 1, y) for c, text in enumerate(r) if text]
        y += 106
    segs += [centred("合计", 2, y), cell(total, 5, y), cell("云服务商（盖章）：", 4, y + 180)]
    return segs


def rows_of(segs, method=Method.TEXT_LAYER):
    f = ApplicationFormExtractor().extract([Page("f.pdf", 1, 3508, 2481, 300, segs, method, Quality())])
    return f, f.get("rows")


def test_columns_mapped_by_their_titles():
    f, rows = rows_of(payout_form())
    assert rows.value == WANT  # names under 企业名称, not the services
    assert f["total_payout"].value == "155000.00"
    # a text layer, every title found, payouts adding up to the total: confident
    assert rows.confidence >= 0.9 and f["total_payout"].confidence >= 0.95
    assert f["provider_name"].value == "伊春市维方通信技术股份有限公司"


def test_columns_in_another_order_follow_the_titles():
    # services printed left of the names: the titles say which is which
    order = [0, 2, 1, 3, 4, 5, 6]
    titles = [TITLES[i] for i in order]
    rows = [(r[1], r[0], *r[2:]) for r in ROWS]
    _, got = rows_of(payout_form(rows=rows, titles=titles))
    assert got.value == WANT


def test_wrapped_header_titles():
    # 上云产品/及服务 and 兑付/金额（元） over two lines; one-line titles centred between them
    y1, y2, ym = 780, 830, 805
    header = [
        centred("序号", 0, ym), centred("企业名称", 1, ym),
        centred("上云产品", 2, y1), centred("及服务", 2, y2),
        centred("合同期限", 3, ym), centred("合同金额", 4, y1), centred("（元）", 4, y2),
        centred("兑付", 5, y1), centred("金额（元）", 5, y2), centred("上云效果评价", 6, ym),
    ]
    _, rows = rows_of(payout_form(header=header))
    assert rows.value == WANT
    assert rows.confidence >= 0.9


def test_noisy_titles_from_ocr():
    # OCR's usual damage: a wrong character, a lost bracket, traditional script
    titles = ["序号", "企業名稱", "上云产晶及服务", "合同期限", "合同金额(元", "兌付金額（元）", "上云效果评价"]
    f, rows = rows_of(payout_form(titles=titles), method=Method.RAPIDOCR)
    assert rows.value == WANT
    assert f["total_payout"].value == "155000.00"
    # OCR'd names, services and terms have no second source: never confident
    assert rows.confidence < 0.9


def test_services_are_a_list():
    rows = [
        ("甲某科技有限公司", "云主机，云存储;云数据库", "2023.01.01-2023.12.31", "10000.00", "5000.00", "好"),
        ("乙某网络有限公司", "对象存储、负载均衡", "2023.01.01-2023.12.31", "20000.00", "10000.00", "好"),
    ]
    segs = payout_form(rows=rows, total="15000.00")
    _, got = rows_of(segs)
    assert got.value[0]["services"] == ["云主机", "云存储", "云数据库"]
    assert got.value[1]["services"] == ["对象存储", "负载均衡"]


def test_services_over_lines_in_one_cell():
    # one service a line; and a 、 list wrapped inside an item (工业互联网|平台)
    base = payout_form(rows=[(n, "", t, c, p, e) for n, _, t, c, p, e in ROWS])
    y0, y1 = 905, 1011
    extra = [cell("云主机", 2, y0 - 24), cell("云存储", 2, y0 + 24),
             cell("对象存储、工业互联网", 2, y1 - 24), cell("平台、云ERP", 2, y1 + 24)]
    _, got = rows_of(base + extra)
    assert got.value[0]["services"] == ["云主机", "云存储"]
    assert got.value[1]["services"] == ["对象存储", "工业互联网平台", "云ERP"]
    assert "services" not in got.value[2]
    assert got.confidence < 0.9  # a row without services is not a whole reading


def test_contract_term_is_an_iso_interval():
    terms = ["2023.07.12-2024.07.11", "2023年7月12日至2024年7月11日", "2023-7-12 至 2024-7-11", "2023/07/12～2024/07/11"]
    rows = [(f"甲{i}科技有限公司", "云主机", t, "1000.00", "500.00", "好") for i, t in enumerate(terms)]
    _, got = rows_of(payout_form(rows=rows, total="2000.00"))
    assert [r["contract_term"] for r in got.value] == ["2023-07-12/2024-07-11"] * 4


def test_rows_not_adding_up_are_doubted():
    f, rows = rows_of(payout_form(total="165000.00"))
    assert rows.value == WANT  # read as printed
    assert rows.confidence < 0.9 and f["total_payout"].confidence < 0.9


def test_rows_without_a_total_or_a_title_are_not_confident():
    segs = [s for s in payout_form() if s.text not in ("合计", "155000.00")]
    _, rows = rows_of(segs)
    assert rows.value == WANT and rows.confidence < 0.9
    titles = [t if t != "合同期限" else "备注" for t in TITLES]
    _, rows = rows_of(payout_form(titles=titles))
    assert all("contract_term" not in r for r in rows.value) and rows.confidence < 0.9


def test_row_count_differs_from_printed_number_of_enterprises():
    segs = [s if s.text != "3家" else Segment("4家", s.bbox, 1.0) for s in payout_form()]
    _, rows = rows_of(segs)
    assert rows.confidence <= 0.5


@pytest.mark.parametrize("s", [0.05, 0.12, -0.1])
def test_skewed_photo_of_the_table(s: float):
    # a photo 3° to 7° off: rows drift down (or up) to the right, columns lean; at
    # 7° a row's next cell sits level with the next row's cell, and the rows must
    # be regrouped at the right slope

    def turn(g: Segment) -> Segment:
        x0, y0, x1, y1 = g.bbox
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        dx, dy = int(-s * cy), int(s * cx)
        return Segment(g.text, (x0 + dx, y0 + dy, x1 + dx, y1 + dy), 0.98)

    f, rows = rows_of([turn(g) for g in payout_form()], method=Method.RAPIDOCR)
    assert rows.value == WANT
    assert f["total_payout"].value == "155000.00"


# --- issue 3: label cells wrapped over two lines (Hebei's 申报表, text layer) -------


def declaration_form() -> list[Segment]:
    """The boxes pdfplumber gives for samples/bundles/hebei-2018-benchmark/*/form.pdf:
    a label cell wraps (统一社会信用代码（ / 组织机构代码）), and its value, centred
    in the next cell, stands on a row of its own between the label's two lines."""
    def at(text: str, x0: int, y0: int, x1: int, y1: int) -> Segment:
        return Segment(text, (x0, y0, x1, y1), 1.0)

    return [
        at("河北省上云标杆企业申报表", 815, 279, 1666, 350),
        at("企业名称", 392, 562, 559, 605), at("河北力方汽车零部件有限责任公司", 708, 562, 1334, 605),
        at("统一社会信用代码（", 288, 656, 664, 698),
        at("91130606016634753D", 708, 681, 1067, 723), at("法定代表人", 1190, 681, 1400, 723),
        at("卢亮", 1460, 681, 1540, 723),
        at("组织机构代码）", 329, 706, 622, 748),
        at("上年度主营业务收入", 288, 1140, 664, 1182),
        at("24462", 708, 1165, 810, 1207), at("员工总数", 1190, 1165, 1360, 1207), at("300", 1460, 1165, 1520, 1207),
        at("（万元）", 392, 1190, 559, 1232),
        at("云服务商名称", 350, 1295, 600, 1337), at("石家庄云帆数据科技有限公司", 708, 1295, 1251, 1337),
        at("合同编号", 392, 1767, 559, 1810), at("BPRZ-YS-201705-0904", 708, 1767, 1100, 1810),
        at("上云服务合同金额（", 288, 1872, 664, 1915), at("申请补助金额（", 1240, 1872, 1651, 1915),
        at("9.6万元", 708, 1897, 841, 1940), at("0.96万元", 1689, 1897, 1841, 1940),
        at("元）", 433, 1922, 519, 1965), at("元）", 1400, 1922, 1486, 1965),
    ]


def test_wrapped_labels_are_paired_with_their_values():
    f = ApplicationFormExtractor().extract([page(declaration_form(), Method.TEXT_LAYER)])
    v = {k: x.value for k, x in f.items()}
    assert v["credit_code"] == "91130606016634753D"
    assert v["contract_amount"] == "96000.00"
    assert v["requested_amount"] == "9600.00"
    assert f["requested_amount"].bbox == (1689, 1897, 1841, 1940)  # the value's own cell
    assert v["company_name"] == "河北力方汽车零部件有限责任公司"
    assert v["provider_name"] == "石家庄云帆数据科技有限公司"


def test_wrapped_label_in_wan_scales_a_bare_figure_only():
    segs = [s for s in declaration_form() if s.text not in ("9.6万元", "0.96万元", "元）")]
    segs += [Segment("9.6", (708, 1897, 760, 1940), 1.0), Segment("9600.00元", (1689, 1897, 1900, 1940), 1.0),
             Segment("万元）", (420, 1922, 540, 1965), 1.0), Segment("万元）", (1390, 1922, 1500, 1965), 1.0)]
    f = ApplicationFormExtractor().extract([page(segs, Method.TEXT_LAYER)])
    assert f["contract_amount"].value == "96000.00"  # 9.6 under （万元）
    assert f["requested_amount"].value == "9600.00"  # its own unit, 元, wins


def test_wrapped_label_without_a_value_stays_absent():
    segs = [s for s in declaration_form() if s.text not in ("9.6万元", "0.96万元")]
    f = ApplicationFormExtractor().extract([page(segs, Method.TEXT_LAYER)])
    assert "contract_amount" not in f and "requested_amount" not in f
