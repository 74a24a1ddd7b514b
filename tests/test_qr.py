"""QR payload parsing (standard and 数电票) and decoding from an image."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from extractors.invoice_qr import parse_invoice_qr
from intake.qr import decode_qr


def test_standard_payload():
    qr = parse_invoice_qr("01,10,012001900111,51142414,47.26,20190720,65431824771847114698,8BDD,")
    assert qr is not None
    assert (qr.type, qr.kind, qr.code, qr.number) == ("10", "electronic", "012001900111", "51142414")
    assert qr.amount == Decimal("47.26") and qr.issued_on == date(2019, 7, 20)
    assert qr.check_code == "65431824771847114698"
    assert not qr.digital and not qr.amount_is_total


def test_special_invoice_payload_without_check_code():
    qr = parse_invoice_qr("01,01,4400154130,12269563,2987.18,20160612,,1A2B")
    assert qr is not None and qr.kind == "special" and qr.check_code is None


def test_digital_payload_has_no_code_and_carries_the_total():
    qr = parse_invoice_qr("01,31,,24512000000202537619,128656.32,20240925,,DFC")
    assert qr is not None and qr.digital and qr.amount_is_total
    assert qr.code is None and qr.kind == "digital" and len(qr.number) == 20


@pytest.mark.parametrize(
    "payload",
    ["", "hello", "https://example.com/x", "02,10,1,2,3,4", "01,10,123,45678901,1.00,20190720", "01,1x,0120019001,12345678"],
)
def test_not_an_invoice_payload(payload):
    assert parse_invoice_qr(payload) is None


def test_decode_qr_on_odd_images():
    assert decode_qr(np.zeros((0, 0), np.uint8)) == []
    assert decode_qr(np.full((50, 60, 3), 255, np.uint8)) == []


def test_decode_qr_roundtrip():
    segno = pytest.importorskip("segno")
    import cv2

    payload = "01,04,4400154130,12269563,2987.18,20160612,12345678901234567890,ABCD"
    buf = segno.make(payload, error="m")
    img = np.array(buf.matrix, dtype=np.uint8)
    img = np.where(img > 0, 0, 255).astype(np.uint8)
    img = np.pad(img, 4, constant_values=255)
    img = cv2.resize(img, None, fx=6, fy=6, interpolation=cv2.INTER_NEAREST)
    page = np.full((1200, 1600, 3), 255, np.uint8)
    page[50 : 50 + img.shape[0], 60 : 60 + img.shape[1]] = img[:, :, None]
    assert decode_qr(page) == [payload]
