"""intake.loaders: every format into pages, text layers into segments, boxes into pixels.

All inputs are made here: PDFs by hand with pikepdf (Helvetica, and the non-embedded
STSong-Light CJK font that real e-invoices use), images with PIL.
"""

from __future__ import annotations

import io
import math
import pickle
import zlib
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from PIL import Image

from intake.errors import ErrorCode, InputError
from intake.loaders import Limits, SourcePage, load_file, sniff
from intake.loaders.images import image_dpi, to_bgr
from intake.loaders.pdf import dpi_within
from intake.loaders.pdf_geometry import PageFrame
from intake.loaders.textlayer import Glyph, assess, build_segments

# --- PDF building ------------------------------------------------------------------------------


def _fonts() -> Dictionary:
    helvetica = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)

    def cid_font(base: str, encoding: str, ordering: str, subtype: Name) -> Dictionary:
        descriptor = Dictionary(
            Type=Name.FontDescriptor, FontName=Name("/" + base), Flags=6,
            FontBBox=Array([0, -120, 1000, 880]), ItalicAngle=0, Ascent=880, Descent=-120,
            CapHeight=880, StemV=93,
        )
        descendant = Dictionary(
            Type=Name.Font, Subtype=subtype, BaseFont=Name("/" + base), DW=1000, FontDescriptor=descriptor,
            CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String(ordering), Supplement=0),
        )
        return Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/" + base),
            Encoding=Name("/" + encoding), DescendantFonts=Array([descendant]),
        )

    return Dictionary(
        F1=helvetica,
        # What real e-invoices use: a standard CJK font, not embedded, Unicode codes.
        F2=cid_font("STSong-Light", "UniGB-UCS2-H", "GB1", Name.CIDFontType0),
        # Glyph ids without a ToUnicode map: pdfminer can only say "(cid:65)".
        F3=cid_font("NoUnicode", "Identity-H", "Identity", Name.CIDFontType2),
    )


def cjk(text: str) -> str:
    """A PDF hex string for the UniGB-UCS2-H font: UCS-2 big-endian codes."""
    return "<" + text.encode("utf-16-be").hex() + ">"


def make_pdf(pages: list[dict]) -> bytes:
    """Pages given as dicts: content (str), size, images {name: PIL}, rotate, cropbox, mediabox, annots."""
    pdf = pikepdf.new()
    fonts = pdf.make_indirect(_fonts())
    for spec in pages:
        w, h = spec.get("size", (595, 842))
        pdf.add_blank_page(page_size=(w, h))
        page = pdf.pages[-1].obj
        if "mediabox" in spec:
            page.MediaBox = Array(list(spec["mediabox"]))
        if "cropbox" in spec:
            page.CropBox = Array(list(spec["cropbox"]))
        if spec.get("rotate"):
            page.Rotate = spec["rotate"]
        xobjects = Dictionary()
        for name, im in spec.get("images", {}).items():
            rgb = im.convert("RGB")
            xobjects[Name("/" + name)] = pdf.make_stream(
                zlib.compress(rgb.tobytes()), Type=Name.XObject, Subtype=Name.Image, Width=rgb.width,
                Height=rgb.height, ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.FlateDecode,
            )
        page.Resources = Dictionary(Font=fonts, XObject=xobjects)
        page.Contents = pdf.make_stream(spec.get("content", "").encode("latin-1"))
        if "annots" in spec:
            widgets = [pdf.make_indirect(a) for a in spec["annots"]]
            page.Annots = pdf.make_indirect(Array(widgets))
            pdf.Root.AcroForm = Dictionary(Fields=Array(widgets))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def helvetica_line(text: str, x: float, y: float, size: float = 12) -> str:
    return f"BT /F1 {size} Tf {x} {y} Td ({text}) Tj ET\n"


def cjk_at(text: str, x: float, y: float, size: float = 12) -> str:
    return f"BT /F2 {size} Tf {x} {y} Td {cjk(text)} Tj ET\n"


def full_page_scan(w: int = 595, h: int = 842) -> dict:
    """A page that is one image, like a scanner's output."""
    im = Image.new("RGB", (w // 4, h // 4), "white")
    im.paste((40, 40, 40), (20, 20, 120, 30))  # a "line of text"
    return {"size": (w, h), "images": {"Scan": im}, "content": f"q {w} 0 0 {h} 0 0 cm /Scan Do Q\n"}


def ink_box(image: np.ndarray, threshold: int = 128) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(image.min(axis=2) < threshold)
    assert len(xs), "nothing was drawn"
    return (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


def texts(page: SourcePage) -> list[str]:
    assert page.segments is not None
    return [s.text for s in page.segments]


# --- text-layer PDFs -------------------------------------------------------------------------


def test_text_pdf_gives_segments_scaled_to_the_page_dpi(tmp_path: Path) -> None:
    path = write(tmp_path, "contract.pdf", make_pdf([{"content": helvetica_line("SERVICE FEE 50000.00", 72, 700, 24)}]))
    at300 = load_file(path)
    at150 = load_file(path, dpi=150)
    assert len(at300) == 1
    page = at300[0]
    assert (page.kind, page.number, page.dpi) == ("pdf_text", 1, 300)
    assert (page.width, page.height) == (2480, 3509)  # ceil(595 / 72 * 300), ceil(842 / 72 * 300)
    assert texts(page) == ["SERVICE FEE 50000.00"]
    seg = page.segments[0]
    assert seg.confidence == 1.0
    # x: 72 pt is one inch = 300 px; y: the baseline at 700 pt is 142 pt from the top.
    assert abs(seg.bbox[0] - 300) <= 2
    assert seg.bbox[1] < (842 - 700) * 300 / 72 < seg.bbox[3]
    half = at150[0].segments[0].bbox
    assert all(abs(a - 2 * b) <= 3 for a, b in zip(seg.bbox, half))

    image = page.render()
    assert image.shape == (page.height, page.width, 3) and image.dtype == np.uint8
    ix0, iy0, ix1, iy1 = ink_box(image)
    x0, y0, x1, y1 = seg.bbox
    assert x0 - 3 <= ix0 and iy0 >= y0 - 3 and ix1 <= x1 + 3 and iy1 <= y1 + 3
    assert (ix1 - ix0) > 0.9 * (x1 - x0)


def test_chinese_labels_and_values_come_out_clean(tmp_path: Path) -> None:
    content = (
        # label and value in separate text objects, touching, as on the e-invoices
        cjk_at("名称：", 72, 700) + cjk_at("内江市天润商贸有限公司", 108, 700)
        # a label spread over its column with spaces, as 名        称:
        + cjk_at("地", 72, 680) + cjk_at("址：", 120, 680) + cjk_at("广州市天河区体育西路 1 号", 144, 680)
        # a vertical side label next to the rows
        + cjk_at("购", 40, 703) + cjk_at("买", 40, 690) + cjk_at("方", 40, 677)
        + cjk_at("统一社会信用代码/纳税人识别号：91440101MA5ABCDE1X", 72, 660)
        + cjk_at("开票日期：2024年09月25日 14:30", 72, 640)
    )
    path = write(tmp_path, "invoice.pdf", make_pdf([{"content": content}]))
    page = load_file(path)[0]
    assert page.kind == "pdf_text"
    got = texts(page)
    for expected in [
        "名称：", "内江市天润商贸有限公司", "地址：", "广州市天河区体育西路 1 号", "购买方",
        "统一社会信用代码/纳税人识别号：", "91440101MA5ABCDE1X", "开票日期：", "2024年09月25日 14:30",
    ]:
        assert expected in got, (expected, got)
    by_text = {s.text: s.bbox for s in page.segments}
    label, value = by_text["名称："], by_text["内江市天润商贸有限公司"]
    assert label[2] <= value[0] + 2  # the value's box starts where the label's ends
    assert abs(value[0] - round(108 * 300 / 72)) <= 2
    stack = by_text["购买方"]
    assert stack[3] - stack[1] > 2.5 * (stack[2] - stack[0])  # tall: a vertical segment


def test_mixed_pdf_reads_text_pages_and_leaves_scans_to_ocr(tmp_path: Path) -> None:
    scan_with_header = full_page_scan()
    scan_with_header["content"] += helvetica_line("Scanned by OfficeLens 2024-05-01", 20, 830, 8)
    pdf = make_pdf([
        {"content": helvetica_line("Cloud platform service contract, page one of three", 72, 760)},
        scan_with_header,
        {"content": cjk_at("甲方（盖章）：广州某某科技有限公司", 72, 760)},
    ])
    pages = load_file(write(tmp_path, "bundle.pdf", pdf))
    assert [p.kind for p in pages] == ["pdf_text", "pdf_scan", "pdf_text"]
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[1].segments is None
    assert texts(pages[2]) == ["甲方（盖章）：", "广州某某科技有限公司"]
    scan = pages[1].render()
    assert scan.shape == (pages[1].height, pages[1].width, 3)
    assert scan.min() < 100  # the scanned "line" is there


def test_invisible_ocr_layer_over_a_scan_is_not_trusted(tmp_path: Path) -> None:
    page = full_page_scan()
    for i in range(40):  # a full page of someone else's OCR, drawn invisibly (3 Tr)
        page["content"] += f"BT 3 Tr /F1 10 Tf 40 {800 - i * 19} Td (line {i} of recognised text here) Tj ET\n"
    assert load_file(write(tmp_path, "ocrd.pdf", make_pdf([page])))[0].kind == "pdf_scan"


def test_visible_text_over_a_background_image_is_used(tmp_path: Path) -> None:
    page = full_page_scan()
    for i in range(40):
        page["content"] += helvetica_line(f"line {i} of a form printed over a background", 40, 800 - i * 19, 10)
    assert load_file(write(tmp_path, "form.pdf", make_pdf([page])))[0].kind == "pdf_text"


def test_unmapped_glyphs_and_near_empty_pages_are_scans(tmp_path: Path) -> None:
    glyph_ids = "<" + "".join(f"{0x41 + i:04x}" for i in range(26)) + ">"
    cid_page = {"content": f"BT /F3 12 Tf 72 700 Td {glyph_ids} Tj ET\n"}
    tiny_page = {"content": helvetica_line("p. 2", 500, 40)}
    pages = load_file(write(tmp_path, "cid.pdf", make_pdf([cid_page, tiny_page])))
    assert [p.kind for p in pages] == ["pdf_scan", "pdf_scan"]
    assert all(p.segments is None for p in pages)


def test_a_page_listed_twice_never_gets_another_pages_text(tmp_path: Path) -> None:
    # Kids [A B A C]: pdfminer lists A once, so pairing pages by position would give
    # the third page C's text. Pages are paired by object; the repeat is OCR'd.
    def obj(n: int, body: bytes) -> bytes:
        return b"%d 0 obj\n" % n + body + b"\nendobj\n"

    def page(contents: int) -> bytes:
        return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 9 0 R >> >> /Contents %d 0 R >>" % contents

    def stream(text: bytes) -> bytes:
        content = b"BT /F1 12 Tf 72 700 Td (" + text + b") Tj ET"
        return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"

    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 4 /Kids [3 0 R 4 0 R 3 0 R 5 0 R] >>",
        page(6), page(7), page(8),
        stream(b"Page A of the contract"), stream(b"Page B of the contract"), stream(b"Page C of the contract"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(bodies, start=1):
        offsets.append(len(data))
        data += obj(n, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    pages = load_file(write(tmp_path, "dup.pdf", bytes(data)), dpi=72)
    got = [(p.kind, p.segments and p.segments[0].text) for p in pages]
    assert got[:2] == [("pdf_text", "Page A of the contract"), ("pdf_text", "Page B of the contract")]
    assert got[3] == ("pdf_text", "Page C of the contract")
    assert got[2][0] == "pdf_scan" or got[2][1] == "Page A of the contract"


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_boxes_match_the_render_on_rotated_and_cropped_pages(tmp_path: Path, rotate: int) -> None:
    # Text drawn turned against /Rotate so it reads upright on screen; the crop box
    # and a media box off the origin shift everything the renderer shows.
    cos, sin = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}[rotate]
    x, y = 300, 450
    content = f"BT /F1 20 Tf {cos} {sin} {-sin} {cos} {x} {y} Tm (UPRIGHT TEXT 12345) Tj ET\n"
    spec = {"content": content, "mediabox": (10, 20, 605, 862), "cropbox": (60, 80, 560, 800), "rotate": rotate}
    page = load_file(write(tmp_path, f"rot{rotate}.pdf", make_pdf([spec])), dpi=100)[0]
    assert page.kind == "pdf_text"
    assert texts(page) == ["UPRIGHT TEXT 12345"]
    portrait = rotate in (0, 180)
    assert (page.width, page.height) == ((695, 1000) if portrait else (1000, 695))
    image = page.render()
    assert image.shape == (page.height, page.width, 3)
    ix0, iy0, ix1, iy1 = ink_box(image)
    x0, y0, x1, y1 = page.segments[0].bbox
    assert x0 - 3 <= ix0 and y0 - 3 <= iy0 and ix1 <= x1 + 3 and iy1 <= y1 + 3
    assert ix1 - ix0 > 0.9 * (x1 - x0)


def test_frame_maps_pdf_points_to_the_rendered_page() -> None:
    frame = PageFrame.from_boxes((0, 0, 600, 800), (100, 100, 500, 700), 90)
    assert frame.size == (600, 400)
    assert frame.pdf_to_page(100, 100) == (0, 0)  # turned clockwise: bottom-left goes top-left
    assert frame.pdf_to_page(500, 700) == (600, 400)
    assert PageFrame.from_boxes((0, 0, 600, 800), (-50, -50, 900, 900), 0).cropbox == (0, 0, 600, 800)


def test_filled_form_fields_become_segments(tmp_path: Path) -> None:
    widget = Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=pikepdf.String("company"),
        V=pikepdf.String("广州某某科技有限公司"), Rect=Array([200, 690, 450, 712]),
    )
    spec = {"content": cjk_at("申请单位名称：", 72, 700) + cjk_at("兑付申请表（企业填写）", 72, 760), "annots": [widget]}
    page = load_file(write(tmp_path, "form.pdf", make_pdf([spec])))[0]
    assert page.kind == "pdf_text"
    boxes = {s.text: s.bbox for s in page.segments}
    expected = (200 * 300 / 72, (842 - 712) * 300 / 72, 450 * 300 / 72, (842 - 690) * 300 / 72)
    assert boxes["广州某某科技有限公司"] == pytest.approx(expected, abs=1.5)


def test_large_pages_are_rendered_at_a_lower_dpi(tmp_path: Path) -> None:
    w_pt, h_pt = 60 * 72, 40 * 72  # 60 × 40 in: under the area limit, over 80 Mpx at 300 dpi
    page = load_file(write(tmp_path, "plan.pdf", make_pdf([{"size": (w_pt, h_pt)}])))[0]
    assert page.dpi < 300 and page.width * page.height <= Limits().max_pixels
    assert page.width == pytest.approx(60 * page.dpi, abs=1)
    assert dpi_within(595, 842, 300, 80_000_000) == 300
    low = dpi_within(595, 842, 300, 1_000_000)  # the highest dpi that fits a megapixel
    pixels = lambda d: math.ceil(595 * d / 72) * math.ceil(842 * d / 72)  # noqa: E731
    assert pixels(low) <= 1_000_000 < pixels(low + 1)


def test_pdf_page_render_pickles_and_fails_cleanly_when_the_file_is_gone(tmp_path: Path) -> None:
    path = write(tmp_path, "one.pdf", make_pdf([{"content": helvetica_line("Service agreement text", 72, 700)}]))
    page = load_file(path, dpi=72)[0]
    again = pickle.loads(pickle.dumps(page.render))
    assert again().shape == (842, 595, 3)
    path.unlink()
    with pytest.raises(InputError) as err:
        page.render()
    assert err.value.code == ErrorCode.PDF_UNREADABLE
    assert str(tmp_path) not in err.value.message


# --- images ------------------------------------------------------------------------------


def _save(im: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def test_png_is_one_bgr_page(tmp_path: Path) -> None:
    im = Image.new("RGB", (120, 80), (255, 0, 0))
    page = load_file(write(tmp_path, "red.png", _save(im, "PNG", dpi=(200, 200))))[0]
    assert (page.kind, page.width, page.height, page.dpi, page.segments) == ("image", 120, 80, 200, None)
    image = page.render()
    assert image.shape == (80, 120, 3) and image.dtype == np.uint8
    assert image[0, 0].tolist() == [0, 0, 255]  # BGR


def test_png_named_jpg_is_read_by_its_bytes(tmp_path: Path) -> None:
    page = load_file(write(tmp_path, "licence.jpg", _save(Image.new("L", (50, 70), 200), "PNG")))[0]
    assert (page.width, page.height) == (50, 70)
    assert page.render()[0, 0].tolist() == [200, 200, 200]


def test_jpeg_exif_orientation_is_applied(tmp_path: Path) -> None:
    im = Image.new("RGB", (200, 100), "white")
    im.paste((255, 0, 0), (0, 0, 40, 40))  # stored top-left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": phone held upright
    page = load_file(write(tmp_path, "photo.jpg", _save(im, "JPEG", exif=exif, quality=95)))[0]
    assert (page.width, page.height) == (100, 200)
    image = page.render()
    assert image.shape == (200, 100, 3)
    assert image[10, 90].tolist() == pytest.approx([0, 0, 255], abs=40)  # now top-right
    assert image[10, 10].min() > 200


def test_tiff_every_frame_is_a_page_with_its_own_size_and_dpi(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (100, 140), "white"), Image.new("L", (140, 100), 0), Image.new("1", (60, 60), 1)]
    data = _save(frames[0], "TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300), compression="tiff_lzw")
    pages = load_file(write(tmp_path, "bundle.tif", data))
    assert [p.number for p in pages] == [1, 2, 3]
    assert [(p.width, p.height) for p in pages] == [(100, 140), (140, 100), (60, 60)]
    renders = [p.render() for p in pages]
    assert [r.shape for r in renders] == [(140, 100, 3), (100, 140, 3), (60, 60, 3)]
    assert renders[1].max() == 0 and renders[2].min() == 255


@pytest.mark.parametrize("fmt,suffix", [("BMP", "bmp"), ("WEBP", "webp"), ("GIF", "gif"), ("JPEG", "jpeg")])
def test_other_formats_load(tmp_path: Path, fmt: str, suffix: str) -> None:
    im = Image.new("RGB", (64, 48), (0, 128, 255))
    page = load_file(write(tmp_path, f"x.{suffix}", _save(im, fmt)))[0]
    image = page.render()
    assert image.shape == (48, 64, 3)
    assert image[24, 32].tolist() == pytest.approx([255, 128, 0], abs=12)


@pytest.mark.parametrize(
    "info,size,expected",
    [
        ((300, 300), (2480, 3508), 300),  # the file's own, plausible
        ((204, 196), (1728, 2200), 200),  # fax: one number for both
        ((72, 72), (3120, 4208), 360),  # phone default: estimated, 4208 px over 297 mm
        (None, (2480, 3508), 300),  # none given: A4 estimate
        ((96, 96), (500, 700), 72),  # tiny web image: clamped up
        ((5000, 5000), (20000, 28000), 600),  # nonsense dpi, huge image: clamped down
    ],
)
def test_image_dpi(info: object, size: tuple[int, int], expected: int) -> None:
    assert image_dpi(info, *size) == expected


@pytest.mark.parametrize("mode", ["1", "L", "P", "RGB", "RGBA", "LA", "CMYK", "I;16", "I", "F", "YCbCr"])
def test_every_mode_becomes_bgr_uint8(mode: str) -> None:
    im = Image.new("RGB", (8, 6), (10, 20, 30)).convert(mode)
    out = to_bgr(im)
    assert out.shape == (6, 8, 3) and out.dtype == np.uint8


def test_transparency_is_white_paper_and_16_bit_is_scaled() -> None:
    clear = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    assert to_bgr(clear).min() == 255
    deep = Image.frombytes("I;16", (2, 1), np.array([0, 65535], dtype="<u2").tobytes())
    assert to_bgr(deep)[0, :, 0].tolist() == [0, 255]


def test_image_render_pickles(tmp_path: Path) -> None:
    page = load_file(write(tmp_path, "a.png", _save(Image.new("RGB", (30, 20), "white"), "PNG")))[0]
    assert pickle.loads(pickle.dumps(page.render))().shape == (20, 30, 3)


# --- load_file's own checks and sniffing ----------------------------------------------------------


def test_missing_file_directory_and_display_name(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_file(tmp_path / "nope.pdf", display_name="发票1.pdf")
    assert err.value.code == ErrorCode.FILE_NOT_FOUND
    assert "「发票1.pdf」" in err.value.message and "nope" not in err.value.message
    assert err.value.file == "发票1.pdf"
    with pytest.raises(InputError) as err:
        load_file(tmp_path)
    assert err.value.code == ErrorCode.FILE_NOT_FOUND
    with pytest.raises(InputError) as err:
        load_file(write(tmp_path, "a.png", _save(Image.new("L", (5, 5)), "PNG")), dpi=5000)
    assert err.value.code == ErrorCode.BAD_ARGUMENTS


@pytest.mark.parametrize(
    "head,kind",
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\r\n\x00junk before the header %PDF-1.4\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"\xff\xd8\xff\xe1\x00\x10Exif", "jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (b"BM" + bytes(12) + (40).to_bytes(4, "little"), "bmp"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"GIF89a\x01\x00", "gif"),
    ],
)
def test_sniff_supported(head: bytes, kind: str) -> None:
    assert sniff(head) == kind


@pytest.mark.parametrize(
    "head,says",
    [
        (b"PK\x03\x04" + bytes(22) + (7).to_bytes(2, "little") + bytes(2) + b"OFD.xml", "OFD"),
        (b"PK\x03\x04" + bytes(22) + (17).to_bytes(2, "little") + bytes(2) + b"word/document.xml", "Word"),
        (b"PK\x03\x04" + bytes(22) + (5).to_bytes(2, "little") + bytes(2) + b"a.txt", "ZIP"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "HEIC"),
        (b"MZ\x90\x00", "Windows executable"),
        (b"\x7fELF\x02\x01", "ELF"),
        (b"  <!DOCTYPE html><html>", "HTML"),
        (b"<?xml version='1.0'?><EInvoice>", "XML"),
        (b"BM this is just a note", "plain text"),
        ("发票号码 12345".encode("gb18030"), "plain text"),
    ],
)
def test_sniff_names_what_it_refuses(head: bytes, says: str) -> None:
    with pytest.raises(InputError) as err:
        sniff(head)
    assert err.value.code == ErrorCode.UNSUPPORTED_TYPE
    assert says in err.value.message


def test_sniff_empty() -> None:
    with pytest.raises(InputError) as err:
        sniff(b"")
    assert err.value.code == ErrorCode.FILE_EMPTY


# --- segment building and the usability decision, on synthetic glyphs -----------------------------


def glyphs(text: str, x: float, top: float, size: float = 10, advance: float | None = None) -> list[Glyph]:
    step = size if advance is None else advance
    out = []
    for ch in text:
        width = size if ord(ch) > 0x2000 else size * 0.55
        out.append(Glyph(ch, x, top, x + width, top + size))
        x += width if advance is None else step
    return out


def seg_texts(gs: list[Glyph]) -> list[str]:
    return [s.text for s in build_segments(gs, scale=1.0, width_px=1000, height_px=1000)]


def test_spread_labels_join_but_neighbouring_headers_do_not() -> None:
    row = glyphs("名", 10, 10) + glyphs("称:", 50, 10) + glyphs("个人", 72, 10)
    assert seg_texts(row) == ["名称:", "个人"]
    header = glyphs("数", 10, 10) + glyphs("量", 30, 10) + glyphs("单", 90, 10) + glyphs("价", 110, 10)
    assert seg_texts(header) == ["数量", "单价"]


def test_columns_seals_and_spaces() -> None:
    numbers = glyphs("7.44", 10, 10) + glyphs("3589.38", 10 + 4 * 5.5 + 6.7, 10)  # 0.67 em apart
    assert seg_texts(numbers) == ["7.44", "3589.38"]
    title = glyphs("增值税电子普通发票", 10, 10, size=20)
    seal = glyphs("监制", 60, 14, size=12)
    assert seg_texts(title + seal) == ["增值税电子普通发票", "监制"]
    bank = glyphs("中国银行支行", 10, 10) + [Glyph(" ", 70, 10, 72, 20)] + glyphs("280487", 72, 10)
    assert seg_texts(bank) == ["中国银行支行 280487"]


def test_colon_splits_labels_only() -> None:
    assert seg_texts(glyphs("订单号:1000685", 10, 10)) == ["订单号:", "1000685"]
    assert seg_texts(glyphs("时间14:30", 10, 10)) == ["时间14:30"]


def test_assess() -> None:
    page = glyphs("购买方名称内江市天润商贸有限公司", 10, 10)
    assert assess(page, 800).usable
    assert not assess(page[:5], 800).usable
    garbage = [Glyph("(cid:12)", 0, 0, 5, 5)] * 10
    assert "cid" in assess(page + garbage, 800).reason
    mojibake = glyphs("ÄÃÂÖÜàáâãäåæçèéê", 10, 40)
    assert "mojibake" in assess(mojibake, 800).reason
    sideways = [Glyph(g.text, g.x0, g.top, g.x1, g.bottom, upright=False) for g in page]
    assert not assess(sideways, 800).usable
    assert not assess(page, 800, image_cover=0.9).usable  # a header over a scan
    assert not assess(page, 800, invisible_text=True).usable


def test_a_forked_child_gets_a_free_pdf_render_lock() -> None:
    # pebble forks replacement OCR workers from a thread while the parent may be
    # rendering: the child must not inherit the lock held (every render would hang)
    import os

    import intake.loaders.pdf as pdf_loader

    with pdf_loader._PDFIUM_LOCK:
        pid = os.fork()
        if pid == 0:  # the child: exit 0 only if it can take the lock at once
            os._exit(0 if pdf_loader._PDFIUM_LOCK.acquire(timeout=2) else 1)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_jpeg_is_refused_at_load_not_in_the_ocr_worker(tmp_path: Path, keep: float) -> None:
    # the loader checks a JPEG at 1/8 scale (check_only): every byte is still decoded
    rng = np.random.default_rng(7)
    noisy = rng.integers(0, 255, (900, 1200, 3), dtype=np.uint8)  # no run of easy bytes
    buf = io.BytesIO()
    Image.fromarray(noisy).save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(InputError) as err:
        load_file(path)
    assert err.value.code is ErrorCode.IMAGE_UNREADABLE


def test_a_jpeg_checked_at_load_renders_at_full_size(tmp_path: Path) -> None:
    path = tmp_path / "page.jpg"
    Image.new("RGB", (1600, 1200), "white").save(path, "JPEG")
    (page,) = load_file(path)
    assert (page.width, page.height) == (1600, 1200)
    assert page.render().shape == (1200, 1600, 3)
