"""A clerk works the flagged sample in Chromium: sign in, correct a misread total, override
a finding with a reason, tick the manual checks, approve; the audit trail shows it all;
the settlement list and the evidence packet download.

Screenshots go to a temporary directory, or to docs/screenshots when
DOCINTAKE_SCREENSHOTS=docs/screenshots is set (a test run must not rewrite tracked files)."""

from __future__ import annotations

import io
import os
import re

from openpyxl import load_workbook

from tests.review.conftest import Live
from tests.review.helpers import PASSWORD, ROOT

SHOTS_ENV = "DOCINTAKE_SCREENSHOTS"
LAPTOP = {"width": 1366, "height": 768}


def test_clerk_decides_a_flagged_application(live: Live, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shots = os.environ.get(SHOTS_ENV)
    shots_dir = (ROOT / shots) if shots else tmp_path
    shots_dir.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(live.base + "/review/")
        assert "/review/login" in page.url
        page.screenshot(path=str(shots_dir / "sign-in.png"))
        page.fill("input[name=name]", "clerk")
        page.fill("input[name=password]", PASSWORD)
        page.click("button.primary")
        page.wait_for_url(re.compile(r".*/review/$"))
        rows = page.locator("table.queue tbody tr")
        assert rows.count() == 4  # the 广州市 application is not this clerk's
        assert "超期" in rows.first.inner_text()  # oldest deadline first: received 24 days ago
        assert "黑龙江翔达精密仪器有限公司" in rows.last.inner_text() and "存疑" in rows.last.inner_text()
        page.screenshot(path=str(shots_dir / "queue.png"))

        page.click("text=黑龙江翔达精密仪器有限公司")
        page.wait_for_load_state("networkidle")
        findings = page.locator("section.findings article.finding")
        assert findings.count() == 4
        assert page.locator("img.crop").first.evaluate("img => img.naturalWidth") > 50  # the crop rendered
        page.screenshot(path=str(shots_dir / "application.png"))
        page.screenshot(path=str(shots_dir / "application-full.png"), full_page=True)

        # 1. the total was misread (¥8,000.00 at 0.62; the crop shows ¥18,000.00): correct it
        total = page.locator("section.findings form.correct:has(input[name=field][value=total])").first
        total.locator("input[name=value]").fill("18000.00")
        total.locator("input[name=reason]").fill("票面价税合计为 ¥18,000.00")
        total.locator("button").click()
        page.wait_for_url(re.compile(r".*msg=corrected.*"))
        assert "已更正，检查已重新运行" in page.inner_text("p.flash")
        assert findings.count() == 1  # the three findings the misread caused are gone at once
        assert "payment.payee_matches_supplier" in findings.first.inner_text()

        # 2. override the near-miss payee, with a reason
        payee = findings.first
        payee.locator("form.decide input[name=reason]").fill("银行回单印刷错字，已致电银行核实收款人为申报供应商")
        payee.locator("form.decide button[value=override]").click()
        page.wait_for_url(re.compile(r".*msg=decided.*"))
        assert "已推翻" in page.locator("section.findings article.finding").first.inner_text()

        # 3. the manual checks, then approve
        approve = page.locator("form[action$='/approve'] button")
        assert approve.is_disabled()
        for box in page.locator("#checklist input[type=checkbox]").all():
            box.check()
        page.click("#checklist button")
        page.wait_for_url(re.compile(r".*msg=ticked.*"))
        assert page.locator("form[action$='/approve'] button").is_enabled()
        page.fill("form[action$='/approve'] input[name=reason]", "材料齐全，同意兑付")
        page.click("form[action$='/approve'] button")
        page.wait_for_url(re.compile(r".*msg=approved.*"))
        assert "已批准" in page.inner_text(".titlebar")

        # 4. the audit trail: who, what, before and after
        audit = page.locator("table.audit tbody").inner_text()
        for what in ("更正字段", "推翻发现", "完成人工核查", "批准", "invoice.pdf#total", "8000.00", "18000.00",
                     "银行回单印刷错字", "clerk"):
            assert what in audit, what
        page.screenshot(path=str(shots_dir / "application-approved.png"), full_page=True)

        # 5. downloads: the evidence packet and the settlement list
        with page.expect_download() as dl:
            page.click("text=导出证据包 PDF")
        assert dl.value.path().read_bytes().startswith(b"%PDF")
        page.click("header.top >> text=兑付清单")
        assert "黑龙江翔达精密仪器有限公司" in page.inner_text("table.grid")
        page.screenshot(path=str(shots_dir / "settlement.png"))
        with page.expect_download() as dl:
            page.click("a.button:text-is('XLSX')")
        ws = load_workbook(io.BytesIO(dl.value.path().read_bytes())).active
        assert ws.cell(4, 1).value == "黑龙江翔达精密仪器有限公司" and ws.cell(4, 8).value == 18000.0
        with page.expect_download() as dl:
            page.click("a.button:text-is('CSV')")
        assert "黑龙江翔达精密仪器有限公司" in dl.value.path().read_text(encoding="utf-8-sig")

        # 6. the English switch
        page.click("text=English")
        assert page.locator("h1").inner_text() == "Settlement list"
        page.goto(live.base + "/review/?status=approved")
        assert "黑龙江翔达精密仪器有限公司" in page.inner_text("table.queue")
        page.goto(live.base + f"/review/applications/{live.env.ids[1]}")
        page.screenshot(path=str(shots_dir / "application-en.png"))
        page.goto(live.base + "/review/")
        page.screenshot(path=str(shots_dir / "queue-en.png"))
    finally:
        context.close()
