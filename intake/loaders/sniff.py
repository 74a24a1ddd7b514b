"""Tell a file's type from its first bytes, never from its name.

Applicants rename files freely (PNGs saved as ``.jpg``, Word files as ``.pdf``), so
only the magic bytes count. Anything we cannot read is refused with a message that
says what it looks like, so the clerk can ask for the right thing (a PDF export of
the .docx, a JPEG instead of the iPhone's HEIC).
"""

from __future__ import annotations

from intake.errors import ErrorCode
from intake.loaders.messages import input_error

SUPPORTED = ("pdf", "png", "jpeg", "tiff", "bmp", "webp", "gif")

# Bytes to read for sniffing: PDF allows junk before "%PDF-" within the first 1024
# bytes, and a ZIP's first member name sits a little after its 30-byte header.
SNIFF_BYTES = 2048

# BMP header sizes (BITMAPCOREHEADER .. BITMAPV5HEADER): "BM" alone is too weak a
# sign, plenty of text files start with those two letters.
_BMP_DIB_SIZES = {12, 16, 40, 52, 56, 64, 108, 124}

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
]


def sniff(head: bytes, *, name: str | None = None) -> str:
    """The type of a file from its first bytes (give at least ``SNIFF_BYTES``).

    Returns one of ``SUPPORTED``. Raises :class:`InputError` with ``FILE_EMPTY``
    for no bytes and ``UNSUPPORTED_TYPE`` otherwise, naming what the bytes look like
    when we recognise it. ``name`` only goes into the message.
    """
    if not head:
        raise input_error(ErrorCode.FILE_EMPTY, name, "是空文件", "is an empty file")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:2] == b"BM" and len(head) >= 18:
        if int.from_bytes(head[14:18], "little") in _BMP_DIB_SIZES:
            return "bmp"
    zh, en = describe_unsupported(head)
    raise input_error(
        ErrorCode.UNSUPPORTED_TYPE,
        name,
        f"不是可读取的文件类型（{zh}），请上传 PDF 或 JPEG/PNG/TIFF/BMP/WebP/GIF 图片",
        f"is not a supported type ({en}); upload a PDF or a JPEG/PNG/TIFF/BMP/WebP/GIF image",
    )


def describe_unsupported(head: bytes) -> tuple[str, str]:
    """What an unsupported file looks like, in Chinese and English."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _describe_zip(head)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "像是旧版 Word/Excel 文档（.doc/.xls）", "looks like an old Word/Excel document (.doc/.xls)"
    if head.startswith(b"MZ"):
        return "像是 Windows 可执行程序", "looks like a Windows executable (MZ)"
    if head.startswith(b"\x7fELF"):
        return "像是 Linux 可执行程序", "looks like an ELF executable"
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe"):
        return "像是 macOS 可执行程序", "looks like a Mach-O executable"
    if head.startswith(b"#!"):
        return "像是脚本程序", "looks like a script"
    if head.startswith(b"Rar!\x1a\x07"):
        return "像是 RAR 压缩包", "looks like a RAR archive"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "像是 7z 压缩包", "looks like a 7z archive"
    if head.startswith(b"\x1f\x8b"):
        return "像是 gzip 压缩文件", "looks like a gzip file"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"heim", b"heis"):
            return "像是 HEIC 照片（苹果手机格式），请导出为 JPEG", "looks like a HEIC photo; export it as JPEG"
        if brand in (b"avif", b"avis"):
            return "像是 AVIF 图片，请导出为 JPEG", "looks like an AVIF image; export it as JPEG"
        return "像是视频或 MP4 类文件", "looks like a video/MP4-family file"
    if head.startswith(b"\x00\x00\x00\x0cjP  ") or head.startswith(b"\xff\x4f\xff\x51"):
        return "像是 JPEG 2000 图片", "looks like a JPEG 2000 image"
    if head.startswith(b"{\\rtf"):
        return "像是 RTF 文档", "looks like an RTF document"
    if head.startswith(b"%!PS"):
        return "像是 PostScript 文件", "looks like a PostScript file"
    text = _as_text(head)
    if text is not None:
        lowered = text.lstrip().lower()
        if lowered.startswith(("<!doctype html", "<html", "<head", "<body")) or "<html" in lowered[:512]:
            return "像是网页（HTML）", "looks like a web page (HTML)"
        if lowered.startswith("<?xml"):
            if "<svg" in lowered:
                return "像是 SVG 矢量图", "looks like an SVG image"
            return "像是 XML 文件（如数电票 XML），请上传 PDF 版", "looks like an XML file (e.g. an e-invoice XML); upload the PDF"
        if lowered.startswith("<svg"):
            return "像是 SVG 矢量图", "looks like an SVG image"
        return "像是纯文本", "looks like plain text"
    return "无法识别的二进制内容", "unrecognised binary content"


def _describe_zip(head: bytes) -> tuple[str, str]:
    # The first local header's file name (offset 30, length at 26) tells the
    # common ZIP-based office formats apart; OFD is China's own e-invoice format.
    name_len = int.from_bytes(head[26:28], "little") if len(head) >= 30 else 0
    first = head[30 : 30 + name_len].decode("utf-8", "replace") if name_len else ""
    rest = head.decode("latin-1")
    if first == "OFD.xml" or "OFD.xml" in rest:
        return "像是 OFD 版式文件（电子发票），请上传 PDF 版", "looks like an OFD document (e-invoice); upload the PDF"
    if first.startswith("word/") or "word/" in rest:
        return "像是 Word 文档（.docx），请导出为 PDF", "looks like a Word document (.docx); export it as PDF"
    if first.startswith("xl/") or "xl/" in rest:
        return "像是 Excel 表格（.xlsx），请导出为 PDF", "looks like an Excel workbook (.xlsx); export it as PDF"
    if first.startswith("ppt/") or "ppt/" in rest:
        return "像是 PowerPoint 文档（.pptx），请导出为 PDF", "looks like a PowerPoint file (.pptx); export it as PDF"
    if first == "[Content_Types].xml":
        return "像是 Office 文档（.docx/.xlsx），请导出为 PDF", "looks like an Office document (.docx/.xlsx); export it as PDF"
    if first == "mimetype" and "opendocument" in rest:
        return "像是 OpenDocument 文档，请导出为 PDF", "looks like an OpenDocument file; export it as PDF"
    return "像是 ZIP 压缩包，请解压后分别上传", "looks like a ZIP archive; unpack it and upload the files"


def _as_text(head: bytes) -> str | None:
    """The bytes as text if they plausibly are (UTF-8 or GB18030, few controls)."""
    sample = head[:1024]
    for encoding in ("utf-8", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            # A multi-byte character cut at the end of the sample is not a reason.
            try:
                text = sample[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        if controls <= len(text) // 100:
            return text
    return None
