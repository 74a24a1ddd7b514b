"""Generate a corpus of hostile and broken uploads, with what loading each must give.

Everything is made here from nothing (no downloads, no real documents) and is small
on disk: the decompression bombs are a few hundred KB that claim gigapixels.

    python tests/badinput/make_corpus.py OUT_DIR     # writes the files + manifest.json

``CASES`` lists each file, the error code ``load_file`` must raise (``None``: it
must load, with ``pages`` pages) and any tighter ``Limits`` the case is run under.
A case may also carry ``display``: the name the upload claims (with path
separators, control characters, 300 characters…), which is not a valid name on
disk; it is passed as ``display_name`` and must come back as the error's ``file``.
Every case is also listed, with what happened and how to reproduce it, in
docs/reliability.md.
"""

from __future__ import annotations

import base64
import io
import json
import os
import random
import re
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


def _repeat_deflated(unit: bytes, count: int, tail: bytes = b"") -> bytes:
    """zlib data of ``unit * count + tail``, made in milliseconds: after a full
    flush the compressor starts afresh, so every later copy of ``unit`` compresses
    to the same bytes and is pasted instead of compressed again (ratio ~1000:1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate: we frame it
    body = bytearray()
    adler = 1
    if count:
        piece = compressor.compress(unit) + compressor.flush(zlib.Z_FULL_FLUSH)
        body += piece * count
        for _ in range(count):
            adler = zlib.adler32(unit, adler)
    body += compressor.compress(tail) + compressor.flush()
    adler = zlib.adler32(tail, adler)
    return b"\x78\xda" + bytes(body) + struct.pack(">I", adler)


def _zeros_deflated(row_bytes: int, rows: int) -> bytes:
    # Rows of zero bytes, each with PNG filter byte 0: compresses ~1000:1.
    row = b"\x00" * (row_bytes + 1)
    return _repeat_deflated(row * 256, rows // 256, row * (rows % 256))


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


# --- more bombs: TIFF, GIF, JPEG, BMP, WebP headers that claim gigapixels ----------------


def _tiff_ifd(width: int, height: int, strip_offset: int, strip_len: int, next_ifd: int) -> bytes:
    # Little-endian baseline bilevel TIFF, one Deflate strip.
    entries = [
        (256, 4, width), (257, 4, height), (258, 3, 1), (259, 3, 8), (262, 3, 1),
        (273, 4, strip_offset), (277, 3, 1), (278, 4, height), (279, 4, strip_len),
    ]
    out = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        out += struct.pack("<HHIHH", tag, kind, 1, value, 0) if kind == 3 else struct.pack("<HHII", tag, kind, 1, value)
    return out + struct.pack("<I", next_ifd)


_IFD_SIZE = 2 + 9 * 12 + 4


def tiff_frames(sizes: list[tuple[int, int]], *, loop: bool = False) -> bytes:
    """A TIFF whose frames have the given sizes, all sharing one small all-white strip
    (enough data for a frame of up to 100×100; larger frames are never decoded)."""
    strip = zlib.compress(b"\x00" * (13 * 100))
    strip_offset = 8 + len(sizes) * _IFD_SIZE
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for i, (w, h) in enumerate(sizes):
        last = i == len(sizes) - 1
        nxt = (8 if loop else 0) if last else 8 + (i + 1) * _IFD_SIZE
        out += _tiff_ifd(w, h, strip_offset, len(strip), nxt)
    return bytes(out + strip)


def tiff_bomb_giant() -> bytes:
    return tiff_frames([(60000, 60000)])  # 3.6 Gpx: PIL refuses it at open


def tiff_bomb_over_limit() -> bytes:
    return tiff_frames([(10000, 9000)])  # 90 Mpx: our limit refuses it


def tiff_bomb_second_frame() -> bytes:
    return tiff_frames([(100, 100), (60000, 60000)])  # PIL checks the first frame only


def tiff_five_thousand_frames() -> bytes:
    return tiff_frames([(10, 10)] * 5000)


def tiff_ifd_loop() -> bytes:
    return tiff_frames([(100, 100)] * 3, loop=True)  # the last frame points back to the first


def gif_file(screen: tuple[int, int], frame: tuple[int, int] = (10, 10), frames: int = 1) -> bytes:
    out = bytearray(b"GIF89a" + struct.pack("<HH", *screen) + b"\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff")
    for _ in range(frames):
        out += b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # graphic control: 10 ms
        out += b"\x2c" + struct.pack("<HHHH", 0, 0, *frame) + b"\x00"
        out += b"\x02\x02\x44\x01\x00"  # a few LZW codes, then the end of the frame
    return bytes(out + b"\x3b")


def gif_bomb_screen() -> bytes:
    return gif_file((65535, 65535))


def gif_bomb_frame() -> bytes:
    return gif_file((100, 100), frame=(65535, 65535))


def gif_five_thousand_frames() -> bytes:
    return gif_file((20, 20), frames=5000)


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(_image_bytes("JPEG", (16, 16)))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def jpeg_bomb_giant() -> bytes:
    return jpeg_claiming(65500, 65500)


def jpeg_bomb_over_limit() -> bytes:
    return jpeg_claiming(10000, 9000)


def bmp_bomb() -> bytes:
    data = bytearray(_image_bytes("BMP", (16, 16)))
    data[18:26] = struct.pack("<ii", 50000, 50000)
    return bytes(data)


def webp_bomb() -> bytes:
    # Lossless WebP: 14-bit width-1 and height-1 after the 0x2f signature byte.
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buf, "WEBP", lossless=True)
    data = bytearray(buf.getvalue())
    at = data.find(b"VP8L") + 8
    assert data[at] == 0x2F
    bits = int.from_bytes(data[at + 1 : at + 5], "little")
    bits = (bits & ~((1 << 28) - 1)) | (16383 << 14) | 16383
    data[at + 1 : at + 5] = bits.to_bytes(4, "little")
    return bytes(data)


def png_text_bomb() -> bytes:
    # A valid small PNG with a zTXt chunk that inflates to 200 MB of text.
    data = _image_bytes("PNG", (32, 32))
    text = b"Comment\x00\x00" + _repeat_deflated(b"a" * (1 << 20), 200)
    iend = data.rfind(b"IEND") - 4
    return data[:iend] + _png_chunk(b"zTXt", text) + data[iend:]


def png_chunk_length_lies() -> bytes:
    data = bytearray(_image_bytes("PNG", (64, 64)))
    at = data.find(b"IDAT") - 4
    data[at : at + 4] = struct.pack(">I", 0x7FFFFFF0)  # "2 GB of pixel data follow"
    return bytes(data)


# --- more PDFs -----------------------------------------------------------------------------


def one_page_pdf(page_extra: bytes = b"", box: bytes = b"[0 0 595 842]", extra: tuple[bytes, ...] = ()) -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + box + b" " + page_extra + b" >>",
            *extra,
        ]
    )


def thin_long_page_pdf() -> bytes:
    # 1 pt × 3,000,000 pt: 578 in², within the area bound, but a 1 km strip.
    return one_page_pdf(box=b"[0 0 1 3000000]")


def negative_huge_box_pdf() -> bytes:
    return one_page_pdf(box=b"[-14400 -14400 0 0]")


def nan_box_pdf() -> bytes:
    return one_page_pdf(box=b"[0 0 nan 842]")  # every reader falls back to a default page


def box_not_numbers_pdf() -> bytes:
    return one_page_pdf(box=b"[0 0 " + b"9" * 400 + b" 842]")


def self_reference_pdf() -> bytes:
    # Object 4 is "4 0 R": pdfminer's resolve1 used to follow it for ever.
    return one_page_pdf(box=b"4 0 R", extra=(b"4 0 R",))


def reference_ring_pdf() -> bytes:
    return one_page_pdf(b"/Rotate 4 0 R", extra=(b"5 0 R", b"4 0 R"))


def stream_length_ring_pdf() -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length 5 0 R >>\nstream\nBT ET\nendstream",
            b"5 0 R",
        ]
    )


def circular_forms_pdf() -> bytes:
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X0 4 0 R >> >> /Length 6 >>"
    return one_page_pdf(
        b"/Resources << /XObject << /X0 4 0 R >> >> /Contents 5 0 R",
        extra=(form + b"\nstream\n/X0 Do\nendstream", b"<< /Length 6 >>\nstream\n/X0 Do\nendstream"),
    )


def deep_page_tree_pdf(depth: int = 3000) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    objects += [b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % (i + 3) for i in range(depth)]
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] >>")
    return raw_pdf(objects)


def page_tree_loop_pdf() -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 2 /Kids [2 0 R 3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def distinct_pages_pdf(count: int = 5000) -> bytes:
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count %d /Kids [" % count + kids + b"] >>"]
                   + [page] * count)


def deep_array_pdf(depth: int = 100_000) -> bytes:
    return one_page_pdf(b"/Junk " + b"[" * depth + b"]" * depth)


def _content_pdf(stream_dict: bytes, data: bytes) -> bytes:
    return one_page_pdf(
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R",
        extra=(
            b"<< /Length %d " % len(data) + stream_dict + b" >>\nstream\n" + data + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ),
    )


def _spaces_deflated(mib: int, tail: bytes = b"") -> bytes:
    return _repeat_deflated(b" " * (1 << 20), mib, tail)


def content_flate_bomb_pdf() -> bytes:
    # 200 MB of spaces then a line of text, in a 200 KB stream: pdfminer took 25 s
    # and 900 MB on 300 MB of it.
    text = b"BT /F1 12 Tf 72 760 Td (hello) Tj ET"
    return _content_pdf(b"/Filter /FlateDecode", _spaces_deflated(200, text))


def nested_flate_bomb_pdf() -> bytes:
    # Flate inside Flate: 1 GB of spaces in a few KB.
    inner = _spaces_deflated(1024)
    return _content_pdf(b"/Filter [/FlateDecode /FlateDecode]", zlib.compress(inner, 9))


def run_length_bomb_pdf() -> bytes:
    # RunLengthDecode: 2 bytes make 128; 1.1 MB make 70 MB.
    data = b"\x81 " * 550_000 + b"\x80"
    return _content_pdf(b"/Filter /RunLengthDecode", data)


def ascii85_flate_bomb_pdf() -> bytes:
    data = base64.a85encode(_spaces_deflated(200)) + b"~>"
    return _content_pdf(b"/Filter [/ASCII85Decode /FlateDecode]", data)


def font_cmap_bomb_pdf() -> bytes:
    # The bomb is a font's ToUnicode CMap, which pdfminer unpacks to read the text.
    cmap = _spaces_deflated(100)
    content = b"BT /F1 12 Tf 72 760 Td (hello) Tj ET"
    return one_page_pdf(
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R",
        extra=(
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        ),
    )


def flate_bad_checksum_pdf() -> bytes:
    # 12 MB of content whose zlib checksum is wrong: pdfminer unpacked it again one
    # byte at a time into a growing bytes object (quadratic: minutes). Fixed in
    # intake/loaders/pdf.py; the page must load, text layer and all, in well under a second.
    data = bytearray(_spaces_deflated(12, b"BT /F1 12 Tf 72 760 Td (Service contract total 50000.00) Tj ET"))
    data[-1] ^= 0xFF
    return _content_pdf(b"/Filter /FlateDecode", bytes(data))


# Found by fuzz/fuzz_loaders.py (atheris, 2026-11-21, a 33 s "timeout"): an SVG
# prefix and a crossover of the nested Flate bomb with a second copy of itself.
# qpdf reads object 4 as a bare dictionary, so the check over qpdf's objects saw no
# stream; pdfminer found the stream and unpacked 1 GB. Fixed by also scanning the
# raw bytes for every "stream … endstream" (intake/loaders/pdf.py).
_FUZZ_QPDF_BLIND_BOMB = (
    "c-rk(&ui0g6wh`T8c=cUHjqc8xPkWjO`5c;blui<)iK4fRngTkv*x=rqf18eUE6t@C;tI&-"
    "aL5Hg9l*>1HFhB6`3FigP{j6di6SA(z=y(=!BJtG=zR%K6yVrukZW5yd(xH3q>d~*RveEUy{RA8b~I*k_lUfb|E9%>z4|gFP<l4v"
    "|KKS%aO3-nna<L5+o-<*)n(m`63V+PiM}_VO0!${_<{Jl!1aXJ1-"
    "^@K(fn=49Kv~^`c_}8P`qbfr1JXkW7lqHhe{;!Jw)~hMgswgA8QMGCasde7os7!^ob7{;$i>uo{P4W`?DwoC@S90$N;yK2@0pGQm"
    "7&$<1RR-#+7@MIgwa)d>1GlCU{?^FZB2Tdj+JiP<JEfTBiK^k5Y^b0J4EMV+%W%R2^=s(T1>@VLwL1+nt!`-dmT2FJSw-"
    "=FDx5V`xd<JCmr-osm+M^E=WesO%}(aZS8^yZJRYfo>azm0isF07RtVN2;c+54<*vty-Ou!YrT2)1BvcKFL`^TOQeUg=(K!$oLfm"
    "}(YwGykhv7XEU8PAQe3z$~*>n!gsNyyljsRg!<MTUsSK^pX^Kztk$reg)z6k#<24HrB>)X}>y}9{TU*D0R;{O8d<mRgE6_Ad^e8J"
    "b3g$B%jhfR(*4k6-$g;dA-hy);NvD<+?d5l?^D#3S{RXra&x8A!|U-"
    "By&qvo<SZxyLz6(EaPRyY{2CCG7N!k8#Os~7Px~I01by;8m6=tvhy&K^(oY%)W}p^HYZYuigf#esHR0Un1gLhM#{8xULLT3A0*8="
    "GH0F-om#(s?S%R9=KaQsYx~*6So1$^<Nfa(|Bbza;fKc#CXrv7irk>8sIlFc5{t*HSkecv5v(F}gJdSH+YF-"
    "E<&NVYA+^@^ICez9Rq2by#ZYMEN=Ez%{@%PT"
)


def fuzz_qpdf_blind_bomb() -> bytes:
    return zlib.decompress(base64.b85decode("".join(_FUZZ_QPDF_BLIND_BOMB)))


# Found by fuzz/fuzz_loaders.py (atheris, 2026-11-21, a 26 s "timeout" in native
# code): the nested Flate bomb with its outer stream damaged a third of the way in.
# The size check inflated the whole stream in one call, zlib failed, and the check
# counted nothing; pdfminer, qpdf and pdfium all recover what comes before the
# damage (434 MB here). Fixed: the check now inflates in 1 KB steps and counts
# everything before the damage.
_FUZZ_DAMAGED_NESTED_BOMB = (
    "c-"
    "m79aB<T$)HC5yef0SJWiCSn1BLvgEG`=x1^tl9f>Z^4=fsl4ocweJ{eZ;u)M5oApn@O;J3Fq_ycCc^BMc1?b^6ZvrFkU^h6?)LnJ"
    "L8z(Z(Qsu}B(?v1$a7MX5lI5PS4}Q&Tb%o$@Obq78rork17(7A8iq3i?5*#rdU0$v}%h`rYz@I=~D=1yiU4K?vxGyb_>k#R?{9&N"
    "e}^-"
    "6u6Ky(B}y$i&P9XhLRANotWow7y$TVo9n?YI1%G&{0Snupf#`ic%AExhihGy|R(lAwb08qPox`<MwlG$AU7ZEK3mLRMuE~fG>W{L"
    "Cd?b557I$yEW3~jd$@`_q}EL4F8Qp1T}XuK45E*X2@gMK?_D6L*4^65VeDL)-*~tNbg_-QVcY-"
    "2I7l6T80(W7a(dhN=Bn(G)hLJgw9bi8Y+}9;&(a9U5*IjPrn{B8&tbPt7d3DZ;H{%0JjzNgG-"
    "Z2z+8|Zu#w`FSey!x@kq@nOD)MvPDE-gR1~GAaTzF>aT&mYf|;qQv8h6u0$j`xXct%}4<QC@QJ{+%8X2OA0Sz)k7c($2x3olvl@u"
    "jr=A;&Zy%C&Qm8xI{Yy#!ygW6Znc1>|fVo?d$okkXBmRzc;uKsRZ03TTO0{"
)


def fuzz_damaged_nested_bomb() -> bytes:
    return zlib.decompress(base64.b85decode("".join(_FUZZ_DAMAGED_NESTED_BOMB)))


def dense_content_pdf() -> bytes:
    # 8 MB of "1 0 0 1 0 0 cm": within every byte budget, but pdfminer interprets it
    # at ~10 s/MB (100 s here). Pages over 1 MB of content are OCR'd instead.
    unit = b"1 0 0 1 0 0 cm\n" * 69905
    return _content_pdf(b"/Filter /FlateDecode", _repeat_deflated(unit, 8, b"BT /F1 12 Tf 72 760 Td (hello) Tj ET"))


def encrypted_aes128_pdf() -> bytes:
    pdf = pikepdf.Pdf.open(io.BytesIO(text_pdf()))
    return _pikepdf_bytes(pdf, encryption=pikepdf.Encryption(user="pw", owner="owner", R=4, aes=True))


def png_pdf_polyglot() -> bytes:
    return _image_bytes("PNG")[:40] + text_pdf()  # PNG signature first: read as a (broken) PNG


def zip_archive() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("invoice.pdf", text_pdf())
        zf.writestr("zeros.bin", b"\x00" * (20 << 20))  # a zip bomb we never open
    return buf.getvalue()


def heic_photo() -> bytes:
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + bytes(200)


def svg_image() -> bytes:
    return b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>'


def jpeg_bytes() -> bytes:
    return _image_bytes("JPEG", quality=85)


def tiff_bytes() -> bytes:
    return _frames("TIFF", 1)


def nul_name_text() -> bytes:
    return b"\x00" * 64 + b"hello"


# File names a bundle on disk can really have (Linux: any bytes but "/" and NUL,
# at most 255 bytes) and names an upload can claim (anything).
CONTROL_NAME = "esc\x1b[31mred\nline\ttab\x7f.pdf"
NON_UTF8_NAME = os.fsdecode(b"\xff\xfe\xb7\xa2\xc6\xb1.pdf")  # GBK "发票" bytes, not UTF-8
BIDI_NAME = "invoice\u202efdp.exe"  # shows as "invoiceexe.pdf"
LONG_DISK_NAME = "增值税电子普通发票" * 9 + ".pdf"  # 81 CJK characters, 247 bytes
LONG_UPLOAD_NAME = "企业上云补贴申请材料" * 30 + ".pdf"  # 304 characters, 904 bytes
TRAVERSAL_NAME = "../../../etc/passwd.pdf"
WINDOWS_TRAVERSAL_NAME = "..\\..\\Windows\\System32\\evil.pdf"
ABSOLUTE_NAME = "/var/lib/docintake/store/other-bundle/licence.pdf"


@dataclass(frozen=True)
class Case:
    name: str  # file name written (its extension is deliberately often wrong)
    make: Callable[[], bytes]
    expect: str | None  # ErrorCode value load_file must raise; None: must load
    pages: int | None = None  # pages when it loads
    limits: dict[str, int] = field(default_factory=dict)  # Limits(**limits) for this case
    display: str | None = None  # the name the upload claims, if not the name on disk

    @property
    def shown(self) -> str:
        """The name errors must carry in ``file``."""
        return self.display or self.name

    @property
    def test_id(self) -> str:
        """The name on disk as an ASCII pytest id ``-k`` can select: other characters
        as their escapes (``\\u589e`` → ``_u589e``), controls and punctuation as ``_``."""
        text = self.name.encode("ascii", "backslashreplace").decode("ascii")
        return re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9.-]", "_", text))[:60]


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
    # --- issue 6: image bombs of every format ---
    Case("bomb_3600mpx.tif", tiff_bomb_giant, "image_too_large"),
    Case("bomb_90mpx.tif", tiff_bomb_over_limit, "image_too_large"),
    Case("bomb_in_second_frame.tif", tiff_bomb_second_frame, "image_too_large"),
    Case("five_thousand_frames.tif", tiff_five_thousand_frames, "too_many_pages"),
    Case("frame_loop.tif", tiff_ifd_loop, None, pages=3),
    Case("bomb_screen_65535.gif", gif_bomb_screen, "image_too_large"),
    Case("bomb_frame_65535.gif", gif_bomb_frame, "image_too_large"),
    Case("five_thousand_frames.gif", gif_five_thousand_frames, "too_many_pages"),
    Case("bomb_4290mpx.jpg", jpeg_bomb_giant, "image_too_large"),
    Case("bomb_90mpx.jpg", jpeg_bomb_over_limit, "image_too_large"),
    Case("bomb_2500mpx.bmp", bmp_bomb, "image_too_large"),
    Case("bomb_268mpx.webp", webp_bomb, "image_too_large"),
    Case("text_chunk_bomb.png", png_text_bomb, "image_unreadable"),
    Case("chunk_length_lies.png", png_chunk_length_lies, None, pages=1),  # PIL reads what is there
    # --- issue 6: PDFs: page boxes, page trees, reference loops, stream bombs ---
    Case("page_1pt_by_1km.pdf", thin_long_page_pdf, "page_too_large"),
    Case("negative_huge_box.pdf", negative_huge_box_pdf, "page_too_large"),
    Case("nan_page_box.pdf", nan_box_pdf, None, pages=1),
    Case("page_box_400_digits.pdf", box_not_numbers_pdf, "pdf_unreadable"),
    Case("self_reference.pdf", self_reference_pdf, None, pages=1),
    Case("reference_ring.pdf", reference_ring_pdf, None, pages=1),
    Case("stream_length_ring.pdf", stream_length_ring_pdf, None, pages=1),
    Case("circular_forms.pdf", circular_forms_pdf, None, pages=1),
    Case("page_tree_3000_deep.pdf", deep_page_tree_pdf, "pdf_unreadable"),
    Case("page_tree_loop.pdf", page_tree_loop_pdf, "pdf_unreadable"),
    Case("five_thousand_distinct_pages.pdf", distinct_pages_pdf, "too_many_pages"),
    Case("array_100000_deep.pdf", deep_array_pdf, "pdf_unreadable"),
    Case("content_flate_bomb_200mb.pdf", content_flate_bomb_pdf, "file_too_large"),
    Case("nested_flate_bomb_1gb.pdf", nested_flate_bomb_pdf, "file_too_large"),
    Case("run_length_bomb_70mb.pdf", run_length_bomb_pdf, "file_too_large"),
    Case("ascii85_flate_bomb.pdf", ascii85_flate_bomb_pdf, "file_too_large"),
    Case("font_cmap_bomb.pdf", font_cmap_bomb_pdf, "file_too_large"),
    Case("encrypted_aes128.pdf", encrypted_aes128_pdf, "pdf_encrypted"),
    Case("flate_bad_checksum_12mb.pdf", flate_bad_checksum_pdf, None, pages=1),
    Case("fuzz_qpdf_blind_bomb.pdf", fuzz_qpdf_blind_bomb, "file_too_large"),
    Case("fuzz_damaged_nested_bomb.pdf", fuzz_damaged_nested_bomb, "file_too_large"),
    Case("dense_content_8mb.pdf", dense_content_pdf, None, pages=1),
    # --- issue 6: extensions that lie ---
    Case("really_a_jpeg.png", jpeg_bytes, None, pages=1),
    Case("really_a_pdf.png", text_pdf, None, pages=1),
    Case("really_a_tiff.pdf", tiff_bytes, None, pages=1),
    Case("png_then_pdf.pdf", png_pdf_polyglot, "image_unreadable"),
    Case("zip_archive.pdf", zip_archive, "unsupported_type"),
    Case("iphone_photo.jpg", heic_photo, "unsupported_type"),
    Case("vector.png", svg_image, "unsupported_type"),
    Case("nul_bytes.pdf", nul_name_text, "unsupported_type"),
    # --- issue 6: hostile names (on disk, and as the upload claims them) ---
    Case(CONTROL_NAME, zero_bytes, "file_empty"),
    Case(NON_UTF8_NAME, text_pdf, None, pages=1),
    Case("\udcff" + NON_UTF8_NAME, truncated_pdf, "pdf_unreadable"),
    Case(LONG_DISK_NAME, elf_named_pdf, "unsupported_type"),
    Case("upload_long_name.pdf", zip_named_pdf, "unsupported_type", display=LONG_UPLOAD_NAME),
    Case("upload_traversal.pdf", encrypted_pdf, "pdf_encrypted", display=TRAVERSAL_NAME),
    Case("upload_windows_traversal.pdf", truncated_pdf, "pdf_unreadable", display=WINDOWS_TRAVERSAL_NAME),
    Case("upload_absolute.pdf", png_bomb_over_limit, "image_too_large", display=ABSOLUTE_NAME),
    Case("upload_bidi.pdf", mz_named_pdf, "unsupported_type", display=BIDI_NAME),
    Case("upload_control.pdf", zero_bytes, "file_empty", display="a\x00b\r\n\x1b]0;pwned\x07.pdf"),
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
    manifest = {
        c.name: {"expect": c.expect, "pages": c.pages, "limits": c.limits, "display": c.display} for c in CASES
    }
    # ASCII escapes: some names are not valid UTF-8 (on purpose).
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {len(CASES)} files to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
