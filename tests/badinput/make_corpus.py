"""Generate a corpus of hostile and broken uploads, with what loading each must give.

Everything is made here from nothing (no downloads, no real documents) and is small
on disk: the decompression bombs are a few hundred KB that claim gigapixels.

    python tests/badinput/make_corpus.py OUT_DIR     # writes the files + manifest.json

``CASES`` lists each file, the error code ``load_file`` must raise (``None``: it
must load, with ``pages`` pages) and any tighter ``Limits`` the case is run under.
"""

from __future__ import annotations

import io
import json
import random
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pikepdf
from PIL import Image


# --- small builders ------------------------------------------------------------------------


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies (object 1 is the catalogue), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text_pdf(text: str = "Service contract between Party A and Party B, total 50000.00") -> bytes:
    """One A4 page with a Helvetica text line: a minimal text-layer PDF."""
    content = f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode()
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )


def image_pdf() -> bytes:
    """A one-page PDF holding a JPEG (what a scanner app produces), via PIL."""
    buf = io.BytesIO()
    Image.new("RGB", (400, 560), "white").save(buf, "PDF", resolution=50)
    return buf.getvalue()


def _zeros_deflated(row_bytes: int, rows: int) -> bytes:
    # Rows of zero bytes, each with PNG filter byte 0: compresses ~1000:1.
    compressor = zlib.compressobj(9)
    block = (b"\x00" * (row_bytes + 1)) * 256
    parts = [compressor.compress(block) for _ in range(rows // 256)]
    parts.append(compressor.compress((b"\x00" * (row_bytes + 1)) * (rows % 256)))
    parts.append(compressor.flush())
    return b"".join(parts)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of ``width``×``height`` that is small on disk."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = _zeros_deflated((width + 7) // 8, height)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def _image_bytes(fmt: str, size: tuple[int, int] = (300, 200), **save: object) -> bytes:
    im = Image.new("RGB", size, "white")
    for x in range(20, size[0] - 20, 7):  # some texture so compressed data is not trivial
        im.putpixel((x, size[1] // 2), (0, 0, 0))
    buf = io.BytesIO()
    im.save(buf, fmt, **save)
    return buf.getvalue()


def _frames(fmt: str, count: int, **save: object) -> bytes:
    frames = [Image.new("RGB", (120 + 10 * i, 160), (255, 255 - 40 * i, 255)) for i in range(count)]
    if fmt == "GIF":
        frames = [f.convert("P") for f in frames]
    buf = io.BytesIO()
    frames[0].save(buf, fmt, save_all=True, append_images=frames[1:], **save)
    return buf.getvalue()


def _pikepdf_bytes(pdf: pikepdf.Pdf, **save: object) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf, **save)
    return buf.getvalue()


# --- the cases -----------------------------------------------------------------------------


def zero_bytes() -> bytes:
    return b""


def truncated_pdf() -> bytes:
    data = image_pdf()
    return data[: len(data) // 2]  # page objects gone: nothing can recover a page


def truncated_trailer_pdf() -> bytes:
    data = image_pdf()
    return data[: int(len(data) * 0.95)]  # qpdf rebuilds it, pdfium refuses it


def header_then_garbage_pdf() -> bytes:
    return b"%PDF-1.7\n" + random.Random(7).randbytes(4000)


def garbage_named_pdf() -> bytes:
    return b"\x00\x13" + random.Random(3).randbytes(4000)


def zip_named_pdf() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def elf_named_pdf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + struct.pack("<HHI", 2, 0x3E, 1) + bytes(200)


def mz_named_pdf() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50) + b"This program cannot be run in DOS mode." + bytes(100)


def html_named_pdf() -> bytes:
    return "<!DOCTYPE html><html><head><title>登录</title></head><body>会话已过期</body></html>".encode()


def encrypted_pdf() -> bytes:
    pdf = pikepdf.Pdf.open(io.BytesIO(text_pdf()))
    return _pikepdf_bytes(pdf, encryption=pikepdf.Encryption(user="secret", owner="owner-secret", R=6))


def owner_password_pdf() -> bytes:
    # Printing/copying restricted, but no password needed to open: must be read.
    pdf = pikepdf.Pdf.open(io.BytesIO(text_pdf()))
    perms = pikepdf.Permissions(extract=False, modify_other=False)
    return _pikepdf_bytes(pdf, encryption=pikepdf.Encryption(user="", owner="owner-secret", R=6, allow=perms))


def many_pages_pdf(count: int = 5000) -> bytes:
    # One page object listed ``count`` times: thousands of pages in 30 KB.
    kids = b" ".join([b"3 0 R"] * count)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count %d /Kids [" % count + kids + b"] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def no_pages_pdf() -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 0 /Kids [] >>"])


def huge_page_box_pdf() -> bytes:
    # 14400 pt is PDF's largest allowed size: a 5 m × 5 m page.
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>",
        ]
    )


def pdf_image_bomb() -> bytes:
    # A normal A4 page whose image claims 30000×30000 pixels (900 Mpx).
    side = 30000
    data = _zeros_deflated(side // 8 - 1, side)  # -1: the PNG filter byte is part of the row here
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 1 "
            b"/ColorSpace /DeviceGray /Filter /FlateDecode /Length %d >>\nstream\n" % (side, side, len(data))
            + data
            + b"\nendstream",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )


def png_bomb_giant() -> bytes:
    return png_bomb(30000, 30000)  # 900 Mpx: PIL itself refuses it at open


def png_bomb_over_limit() -> bytes:
    return png_bomb(10000, 9000)  # 90 Mpx: PIL only warns; our 80 Mpx limit refuses it


def truncated_png() -> bytes:
    data = _image_bytes("PNG", (600, 400))
    return data[: len(data) // 2]


def png_header_only() -> bytes:
    return _image_bytes("PNG")[:20]


def truncated_jpeg() -> bytes:
    data = _image_bytes("JPEG", (600, 400), quality=90)
    return data[: len(data) // 2]


def corrupt_jpeg() -> bytes:
    data = bytearray(_image_bytes("JPEG", (600, 400), quality=90))
    rng = random.Random(11)
    for i in rng.sample(range(200, len(data) - 2), 400):  # leave the headers, wreck the scan data
        data[i] = 0xFF
    return bytes(data)


def png_named_jpg() -> bytes:
    return _image_bytes("PNG")


def single_gif() -> bytes:
    return _image_bytes("GIF")


def animated_gif() -> bytes:
    return _frames("GIF", 3, duration=100)


def multi_frame_tiff() -> bytes:
    return _frames("TIFF", 4, compression="tiff_deflate")


def plain_bmp() -> bytes:
    return _image_bytes("BMP")


def plain_webp() -> bytes:
    return _image_bytes("WEBP", quality=80)


def oversized_png() -> bytes:
    return _image_bytes("PNG", (800, 600))


@dataclass(frozen=True)
class Case:
    name: str  # file name written (its extension is deliberately often wrong)
    make: Callable[[], bytes]
    expect: str | None  # ErrorCode value load_file must raise; None: must load
    pages: int | None = None  # pages when it loads
    limits: dict[str, int] = field(default_factory=dict)  # Limits(**limits) for this case


CASES: list[Case] = [
    Case("zero_bytes.pdf", zero_bytes, "file_empty"),
    Case("truncated.pdf", truncated_pdf, "pdf_unreadable"),
    Case("truncated_trailer.pdf", truncated_trailer_pdf, "pdf_unreadable"),
    Case("header_then_garbage.pdf", header_then_garbage_pdf, "pdf_unreadable"),
    Case("garbage.pdf", garbage_named_pdf, "unsupported_type"),
    Case("word_document.pdf", zip_named_pdf, "unsupported_type"),
    Case("linux_program.pdf", elf_named_pdf, "unsupported_type"),
    Case("windows_program.pdf", mz_named_pdf, "unsupported_type"),
    Case("login_page.pdf", html_named_pdf, "unsupported_type"),
    Case("encrypted.pdf", encrypted_pdf, "pdf_encrypted"),
    Case("owner_password_only.pdf", owner_password_pdf, None, pages=1),
    Case("five_thousand_pages.pdf", many_pages_pdf, "too_many_pages"),
    Case("no_pages.pdf", no_pages_pdf, "pdf_unreadable"),
    Case("huge_page_box.pdf", huge_page_box_pdf, "page_too_large"),
    Case("pdf_image_bomb.pdf", pdf_image_bomb, "image_too_large"),
    Case("bomb_900mpx.png", png_bomb_giant, "image_too_large"),
    Case("bomb_90mpx.png", png_bomb_over_limit, "image_too_large"),
    Case("truncated.png", truncated_png, "image_unreadable"),
    Case("png_header_only.png", png_header_only, "image_unreadable"),
    Case("truncated.jpg", truncated_jpeg, "image_unreadable"),
    Case("corrupt.jpg", corrupt_jpeg, "image_unreadable"),
    Case("really_a_png.jpg", png_named_jpg, None, pages=1),
    Case("single.gif", single_gif, None, pages=1),
    Case("animated.gif", animated_gif, None, pages=3),
    Case("four_frames.tiff", multi_frame_tiff, None, pages=4),
    Case("four_frames_over_limit.tiff", multi_frame_tiff, "too_many_pages", limits={"max_pages": 3}),
    Case("plain.bmp", plain_bmp, None, pages=1),
    Case("plain.webp", plain_webp, None, pages=1),
    Case("over_byte_limit.png", oversized_png, "file_too_large", limits={"max_bytes": 1024}),
]


def write_corpus(out_dir: Path) -> list[Case]:
    """Write every case's file into ``out_dir``; returns ``CASES``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (out_dir / case.name).write_bytes(case.make())
    return CASES


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_corpus.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    write_corpus(out)
    manifest = {c.name: {"expect": c.expect, "pages": c.pages, "limits": c.limits} for c in CASES}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(CASES)} files to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
