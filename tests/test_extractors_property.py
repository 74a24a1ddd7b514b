"""Every extractor, and every normaliser, on generated text: values or a typed error,
never a crash, never a hang.

Three kinds of page: random text in random boxes; text assembled from the labels the
extractors themselves look for (harvested from their source) with dates, amounts,
codes and names next to them; and real text-layer pages of the sample documents,
mutated (segments dropped, duplicated, cut, shifted, scribbled on). Hangs are
caught by pytest-timeout; a slow example (catastrophic regex backtracking) by the
hypothesis deadline.
"""

from __future__ import annotations

import ast
import json
import math
import string
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import extractors.normalize as normalize
from extractors.registry import _table
from intake.errors import IntakeError
from intake.loaders import load_file
from intake.model import DocType, ExtractedField, Method, Page, Quality, Segment

pytestmark = pytest.mark.timeout(300)

ROOT = Path(__file__).resolve().parent.parent
EXTRACTOR_DIR = ROOT / "extractors"
SAMPLE_PDFS = [
    *sorted((ROOT / "samples" / "documents").glob("*_pdf/*.pdf")),
    *sorted((ROOT / "samples" / "bundles" / "hebei-2018-benchmark" / "clean").glob("*.pdf")),
]
WIDTH, HEIGHT, DPI = 2480, 3508, 300
DEADLINE_MS = 5000  # per example, all six extractors; a backtracking regex takes minutes
SETTINGS = dict(deadline=DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

EXTRACTORS = _table()
SCORERS = {}
for _doc_type, _ex in EXTRACTORS.items():
    import importlib

    SCORERS[_doc_type] = importlib.import_module(type(_ex).__module__).score_page


# --- what near-real text is made of ----------------------------------------------------------


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@cache
def labels() -> tuple[str, ...]:
    """Every short CJK string literal in the extractors' source (labels, titles, keywords)."""
    found: set[str] = set()
    for path in sorted(EXTRACTOR_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if _has_cjk(text) and len(text) <= 16 and "\\" not in text and "(?" not in text:
                    found.add(text)
    for path in sorted(EXTRACTOR_DIR.rglob("*.json")):
        def walk(value: object) -> None:
            if isinstance(value, str) and _has_cjk(value) and len(value) <= 16:
                found.add(value)
            elif isinstance(value, list):
                for v in value:
                    walk(v)
            elif isinstance(value, dict):
                for v in value.values():
                    walk(v)
        walk(json.loads(path.read_text(encoding="utf-8")))
    return tuple(sorted(found))


@cache
def real_pages() -> tuple[tuple[str, tuple[Segment, ...]], ...]:
    """(file name, text-layer segments) of every sample text PDF page."""
    out = []
    for path in SAMPLE_PDFS:
        for src in load_file(path):
            if src.segments:
                out.append((path.name, tuple(src.segments)))
    return tuple(out)


_digits = st.text("0123456789", min_size=1, max_size=24)
_code_chars = "0123456789ABCDEFGHJKLMNPQRTUWXYOIZSV"
_dates = st.one_of(
    st.dates().map(lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日"),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.year}.{d.month}.{d.day}"),
    st.dates().map(lambda d: f"{d.year}{d.month:02d}{d.day:02d}"),
    st.builds(lambda y, m, d: f"{y}年{m}月{d}日", st.integers(-10, 99999), st.integers(-1, 99), st.integers(-1, 99)),
    st.sampled_from(["二〇一八年五月十一日", "贰零壹捌年伍月", "2018年13月45日", "0000-00-00", "长期", "至今",
                     "2018年05月11日至2020年05月10日", "自2018-05-26起至2020-05-25止"]),
)
_money = st.one_of(
    st.decimals(min_value=-(10**16), max_value=10**16, places=2).map(lambda d: f"¥{d:,}"),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["肆万捌仟圆整", "壹拾贰万元整", "⊗叁仟肆佰玖拾伍圆整", "零元整", "壹亿亿亿亿元", "￥-0.00",
                     "48,000.00元", "4.8万元", "1e400", "NaN", "玖" * 60 + "圆", "¥" + "9" * 200]),
)
_codes = st.one_of(
    st.text(_code_chars, min_size=15, max_size=20),
    _digits,
    st.sampled_from(["91130606016634753D", "911301007294364829", "9144 0106 5792 469577", "110101199003074477",
                     "11010119900307447X", "4400154130", "No 12269563"]),
)
_names = st.builds(
    lambda a, b: a + b,
    st.text("河北力方汽车零部件石家庄云帆数据科技广州珠江工业互联网（）()·", min_size=0, max_size=20),
    st.sampled_from(["有限公司", "有限责任公司", "股份有限公司", "分公司", "", "（普通合伙）"]),
)
_noise = st.text(max_size=40)
_separators = st.sampled_from(["", "：", ":", " ", "  ", "\t", "：\n", "|", "¥"])


@st.composite
def _label_text(draw: st.DrawFn) -> str:
    label = draw(st.sampled_from(labels()))
    value = draw(st.one_of(_dates, _money, _codes, _names, _noise))
    return label + draw(_separators) + value




@st.composite
def _boxes(draw: st.DrawFn, *, sane: bool = True) -> tuple[int, int, int, int]:
    if not sane:
        return tuple(draw(st.integers(-(10**6), 10**6)) for _ in range(4))  # type: ignore[return-value]
    x0, y0 = draw(st.integers(0, WIDTH - 1)), draw(st.integers(0, HEIGHT - 1))
    return (x0, y0, x0 + draw(st.integers(0, 1500)), y0 + draw(st.integers(0, 200)))


def _segments(text: st.SearchStrategy[str], *, sane: bool = True, max_size: int = 40) -> st.SearchStrategy:
    conf = st.floats(0.0, 1.0, allow_nan=False)
    return st.lists(st.builds(Segment, text, _boxes(sane=sane), conf), max_size=max_size)


def _page(segments: list[Segment], number: int = 1, qr: list[str] | None = None,
          seal: tuple | None = None, method: Method = Method.RAPIDOCR) -> Page:
    return Page("generated.pdf", number, WIDTH, HEIGHT, DPI, list(segments), method, Quality(dpi=DPI),
                qr_payloads=qr or [], seal=seal)


_qr = st.one_of(
    st.text(max_size=80),
    st.builds(lambda code, num, amt, date, check: f"01,10,{code},{num},{amt},{date},{check},ABCD",
              _digits, _digits, _money, _digits, _digits),
)
_seal = st.one_of(st.none(), st.tuples(st.booleans(), st.floats(0, 1), st.one_of(st.none(), _boxes())))


@st.composite
def _mutated_real(draw: st.DrawFn) -> list[Segment]:
    _, segments = draw(st.sampled_from(real_pages()))
    start = draw(st.integers(0, max(len(segments) - 1, 0)))
    out = list(segments[start : start + draw(st.integers(1, 30))])  # a window: labels sit by their values
    for _ in range(draw(st.integers(0, 8))):
        if not out:
            break
        i = draw(st.integers(0, len(out) - 1))
        seg = out[i]
        how = draw(st.sampled_from(["drop", "dup", "cut", "shift", "scribble", "swap", "replace"]))
        if how == "drop":
            del out[i]
        elif how == "dup":
            out.insert(i, seg)
        elif how == "cut":
            k = draw(st.integers(0, len(seg.text)))
            out[i] = Segment(seg.text[:k], seg.bbox, seg.confidence)
        elif how == "shift":
            dx, dy = draw(st.integers(-500, 500)), draw(st.integers(-500, 500))
            x0, y0, x1, y1 = seg.bbox
            out[i] = Segment(seg.text, (x0 + dx, y0 + dy, x1 + dx, y1 + dy), seg.confidence)
        elif how == "scribble":
            k = draw(st.integers(0, len(seg.text)))
            out[i] = Segment(seg.text[:k] + draw(st.text(max_size=6)) + seg.text[k + 1 :], seg.bbox,
                             draw(st.floats(0, 1)))
        elif how == "swap":
            j = draw(st.integers(0, len(out) - 1))
            out[i], out[j] = Segment(out[j].text, seg.bbox, seg.confidence), Segment(seg.text, out[j].bbox,
                                                                                    out[j].confidence)
        else:
            out[i] = Segment(draw(_label_text()), seg.bbox, seg.confidence)
    return out


# --- the property ------------------------------------------------------------------------------


def _check_fields(doc_type: DocType, fields: object, pages: list[Page]) -> None:
    assert isinstance(fields, dict), (doc_type, type(fields))
    numbers = {p.number for p in pages}
    for name, f in fields.items():
        assert isinstance(name, str) and isinstance(f, ExtractedField), (doc_type, name, f)
        assert f.value is not None, (doc_type, name)
        assert isinstance(f.confidence, (int, float)) and 0.0 <= f.confidence <= 1.0, (doc_type, name, f.confidence)
        assert f.page is None or f.page in numbers, (doc_type, name, f.page)
        assert f.bbox is None or (len(f.bbox) == 4 and all(isinstance(v, int) for v in f.bbox)), (doc_type, name)
        # The contract's JSON, writable as UTF-8.
        json.dumps(f.to_json(), ensure_ascii=False).encode("utf-8")


def _run_all(pages: list[Page]) -> None:
    for doc_type, extractor in EXTRACTORS.items():
        try:
            fields = extractor.extract(pages)
        except IntakeError as exc:  # a typed error is allowed; anything else is a bug
            assert exc.code
            continue
        _check_fields(doc_type, fields, pages)
    for doc_type, score in SCORERS.items():
        for page in pages:
            value = score(page.text)
            assert isinstance(value, (int, float)) and math.isfinite(value) and 0.0 <= value <= 1.0, (doc_type, value)


@settings(max_examples=25, **SETTINGS)
@given(_segments(st.text(max_size=60), max_size=30), _qr.map(lambda q: [q]), _seal)
def test_random_text(segments: list[Segment], qr: list[str], seal: tuple | None) -> None:
    _run_all([_page(segments, qr=qr, seal=seal)])


@settings(max_examples=10, **SETTINGS)
@given(_segments(st.text(max_size=30), sane=False, max_size=15))
def test_random_text_in_absurd_boxes(segments: list[Segment]) -> None:
    _run_all([_page(segments)])


@settings(max_examples=30, **SETTINGS)
@given(_segments(_label_text(), max_size=30), _qr.map(lambda q: [q]), _seal)
def test_labels_and_values(segments: list[Segment], qr: list[str], seal: tuple | None) -> None:
    _run_all([_page(segments, qr=qr, seal=seal)])


@settings(max_examples=20, **SETTINGS)
@given(st.lists(_mutated_real(), min_size=1, max_size=2), st.sampled_from([Method.TEXT_LAYER, Method.RAPIDOCR]))
def test_mutated_real_pages(pages: list[list[Segment]], method: Method) -> None:
    _run_all([_page(segs, number=i + 1, method=method) for i, segs in enumerate(pages)])


def test_empty_and_degenerate_pages() -> None:
    # Lengths are moderate on purpose: extractors.layout.approx_find grows faster than
    # the row's length (8 s for one 16,000-character row on this machine; see
    # docs/reliability.md), so a 1,000-character row is what a test can afford.
    _run_all([])
    _run_all([_page([])])
    _run_all([_page([Segment("", (0, 0, 0, 0), 0.0)] * 5)])
    _run_all([_page([Segment("发票号码：" + "9" * 1000, (0, 0, 10, 10), 1.0)])])
    _run_all([_page([Segment("价税合计（大写）" + "壹" * 500, (0, 0, WIDTH, 40), 1.0)])])
    _run_all([_page([Segment("甲方：" + "有限公司" * 200, (0, 0, WIDTH, 40), 0.5)])])
    _run_all([_page([Segment(lbl, (10, 40 * i, 400, 40 * i + 30), 0.9) for i, lbl in enumerate(labels()[::8])])])


def test_real_pages_still_read() -> None:
    """The near-real seed is real: unmutated sample pages give fields."""
    assert real_pages(), "no sample text PDFs found"
    got = 0
    for _, segments in real_pages()[::3]:
        page = _page(list(segments), method=Method.TEXT_LAYER)
        for doc_type, extractor in EXTRACTORS.items():
            fields = extractor.extract([page])
            _check_fields(doc_type, fields, [page])
            got += len(fields)
    assert got > 10


# --- every public normaliser ------------------------------------------------------------------

_hostile_text = st.one_of(
    st.text(max_size=80),
    _dates, _money, _codes, _names,
    st.builds(lambda a, n: a * n, st.sampled_from(["9", "壹", "拾", "0.", "年", "-", "¥", "１", "〇"]),
              st.integers(100, 3000)),
)

TEXT_NORMALISERS = {
    "compact": (normalize.compact, str),
    "fold_width": (normalize.fold_width, str),
    "to_simplified": (normalize.to_simplified, str),
    "normalize_name": (normalize.normalize_name, str),
    "normalize_code": (normalize.normalize_code, str),
    "normalize_tax_id": (normalize.normalize_tax_id, (str, type(None))),
    "is_valid_credit_code": (normalize.is_valid_credit_code, bool),
    "is_valid_id_number": (normalize.is_valid_id_number, bool),
    "is_valid_registration_number": (normalize.is_valid_registration_number, bool),
    "repair_credit_code": (normalize.repair_credit_code, (tuple, type(None))),
    "find_dates": (normalize.find_dates, list),
    "parse_date": (normalize.parse_date, object),
    "parse_period": (normalize.parse_period, tuple),
    "parse_amount": (normalize.parse_amount, (Decimal, type(None))),
    "parse_uppercase_amount": (normalize.parse_uppercase_amount, (Decimal, type(None))),
}


def test_every_public_normaliser_is_covered() -> None:
    others = {"format_date", "format_amount", "amount_to_uppercase", "uppercase_matches", "names_equal"}
    assert set(normalize.__all__) == set(TEXT_NORMALISERS) | others


@settings(max_examples=100, **SETTINGS)
@given(_hostile_text)
def test_text_normalisers(text: str) -> None:
    for name, (fn, kind) in TEXT_NORMALISERS.items():
        result = fn(text)
        assert isinstance(result, kind), (name, result)
    normalize.parse_uppercase_amount(text, tolerant=True)
    assert isinstance(normalize.names_equal(text, text[::-1]), bool)


@settings(max_examples=100, **SETTINGS)
@given(st.decimals(allow_nan=True, allow_infinity=True), _hostile_text)
def test_money_normalisers(amount: Decimal, text: str) -> None:
    for fn, args in ((normalize.format_amount, (amount,)), (normalize.amount_to_uppercase, (amount,)),
                     (normalize.uppercase_matches, (text, amount))):
        try:
            result = fn(*args)
        except (ValueError, ArithmeticError):  # typed refusals of NaN, infinity, absurd magnitudes
            continue
        assert isinstance(result, (str, bool))


@settings(max_examples=50, **SETTINGS)
@given(st.dates())
def test_format_date(d) -> None:
    assert normalize.parse_date(normalize.format_date(d)) == d


def test_normalisers_on_long_runs_are_linear() -> None:
    """Long runs of the characters regexes repeat on: a backtracking pattern would hang here."""
    for ch in ("9", "壹", "0.", "年", "１", "-", "A", " ", "〇"):
        text = ch * 20_000
        for fn, _ in TEXT_NORMALISERS.values():
            fn(text)
        normalize.parse_uppercase_amount(text, tolerant=True)


def test_printable_alphabet_is_harmless() -> None:
    text = string.printable * 50
    for fn, _ in TEXT_NORMALISERS.values():
        fn(text)
