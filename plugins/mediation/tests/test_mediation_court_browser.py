"""诉调对接 in a browser (issue 21, "Done when"): a court batch file is imported; a labour case is assigned
by specialty (the conflicted lawyer-mediator is refused), mediation fails and the hand-back pack with the
signed undisputed facts downloads; another case succeeds and its 司法确认 application downloads; a
reviewer scores both files and the month's subsidy report shows both mediators' amounts."""
from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest

from browser_support import (JourneyTab, PHONE, journey_page, page_problems, run_journey_in_thread, sign_in, sign_out,
                             skip_module_without_browser)
from core import clock

pytestmark = pytest.mark.browser
skip_module_without_browser()

HEADER = ("court,court_case_no,kind,procedure,category,received_at,claim,judge_name,judge_phone,file_note,"
          "plaintiff,plaintiff_id_number,plaintiff_phone,plaintiff_address,"
          "defendant,defendant_id_number,defendant_phone,defendant_address")
FACTS = "双方于2025年3月建立劳动关系，月工资5000元，原告于2026年9月离职。"


def _batch() -> tuple[bytes, str, str]:
    stamp = clock.now().strftime("%H%M%S")
    a, b = f"(2026)湘0611民初7{stamp}号", f"(2026)湘0611民初8{stamp}号"
    day = (clock.today() - timedelta(days=1)).isoformat() + "T09:00"
    rows = [HEADER,
            f"君山区人民法院,{a},commissioned,ordinary,labour,{day},请求支付拖欠工资及加班费,刘法官,0730-8301234,起诉状,"
            f"何建军,,13907308801,君山区柳林社区2组,孙明,,,君山区建设路8号",
            f"君山区人民法院,{b},pre_suit,ordinary,labour,{day},请求支付经济补偿金12000元,刘法官,0730-8301234,起诉状,"
            f"罗小燕,,13907308802,君山区许市镇,岳阳某物流公司,,,君山区工业园3号"]
    return "\n".join(rows).encode(), a, b


def _case(server, no):
    from sqlalchemy import select
    from core.db import db
    from plugins.mediation.court.models import CourtCase
    with server.app.app_context():
        c = db.session.scalar(select(CourtCase).where(CourtCase.court_case_no == no))
        out = (c.id, c.state, c.mediator.username if c.mediator else None) if c else (None, None, None)
        db.session.remove()
        return out


def _step(page, step, fill=None):
    """Open the step from the status bar (only the stage's steps are there), fill it, confirm, submit."""
    with page.expect_navigation():
        page.locator(f".statusbar a[data-action='{step}']").click()
    form = page.locator(f"form#step-{step}")
    for selector, value in (fill or {}).items():
        field = form.locator(selector)
        if selector.startswith("select"):
            field.select_option(label=value) if not value.isdigit() else field.select_option(value)
        else:
            field.fill(value)
    confirm = form.locator("input[name=confirm]")
    if confirm.count() and confirm.is_visible():
        confirm.check()
    elif confirm.count():        # forms.js asks in a dialog naming what will happen
        form.locator("button[type=submit]").click()
        with page.expect_navigation():
            page.locator("dialog.confirm-dialog .btn-danger").click()
        return
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _pdf_text(page, href) -> str:
    from pypdf import PdfReader
    resp = page.request.get(href)
    assert resp.status == 200 and resp.body()[:4] == b"%PDF"
    return "".join(p.extract_text() for p in PdfReader(BytesIO(resp.body())).pages).replace(" ", "").replace("\n", "")


def test_court_batch_to_subsidy(live_server):
    run_journey_in_thread(_journey, live_server)


def _journey(chromium, server):
    data, no_a, no_b = _batch()
    context, page, errors = journey_page(chromium, accept_downloads=True, timeout=20_000)
    url = server.url
    try:
        sign_in(page, url, "mediator")
        resp = page.goto(url + "/mediation/court/import", wait_until="load")
        assert not page_problems(JourneyTab(page, server), resp, "court import")
        page.set_input_files("input[name=file]", {"name": "君山区人民法院-批次.csv", "mimeType": "text/csv",
                                                   "buffer": data})
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "2" in page.inner_text(".flashes")
        a_id, state, _m = _case(server, no_a)
        assert state == "received"

        # case A: labour, the defendant 孙明 is also a lawyer-mediator on the roster: refused, then 钱劳动
        resp = page.goto(url + f"/mediation/court-cases/{a_id}", wait_until="load")
        assert not page_problems(JourneyTab(page, server), resp, "court case")
        first = page.locator("table.suggestions tbody tr").first.inner_text()
        assert "钱劳动" in first
        page.goto(url + f"/mediation/court-cases/{a_id}?act=assign", wait_until="load")
        conflicted = page.locator("#assign-mediator option", has_text="孙明").get_attribute("value")
        labour = page.locator("#assign-mediator option", has_text="钱劳动").get_attribute("value")
        _step(page, "assign", {"select[name=mediator_id]": conflicted})
        assert page.locator(".flash-error").count() and _case(server, no_a)[1] == "received"
        _step(page, "assign", {"select[name=mediator_id]": labour})
        assert _case(server, no_a)[2] == "labour_mediator"
        assert "劳动" in page.inner_text("dd.court-mediator") or "钱劳动" in page.inner_text("dd.court-mediator")
        _step(page, "receipt")
        assert "mediation.court_commissioned_ordinary" not in page.inner_text("table.deadlines")  # the title, not the code
        _step(page, "fail", {"textarea[name=reason]": "双方对加班费计算基数分歧较大，未能达成协议。"})
        assert _case(server, no_a)[1] == "failed"
        form = page.locator("form#handback-form")
        for box in form.locator("input[type=checkbox]").all():
            box.check()
        form.locator("textarea[name=undisputed_facts]").fill(FACTS)
        form.locator("input[name=facts_signed_on]").fill(clock.today().isoformat())
        form.locator("textarea[name=disputed_points]").fill("加班费的计算基数和加班时长")
        form.locator("textarea[name=evidence]").fill("劳动合同\n工资流水\n考勤记录")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        text = _pdf_text(page, url + page.locator("#handback-pdf").get_attribute("href"))
        assert "无争议事实记载" in text and "月工资5000元" in text and "签字确认" in text and "加班费的计算基数" in text
        _step(page, "handback")
        assert _case(server, no_a)[1] == "closed"

        # case B: assigned to the lawyer-mediator (no conflict here), agreement, 司法确认 application
        b_id = _case(server, no_b)[0]
        page.goto(url + f"/mediation/court-cases/{b_id}?act=assign", wait_until="load")
        lawyer = page.locator("#assign-mediator option", has_text="孙明").get_attribute("value")
        _step(page, "assign", {"select[name=mediator_id]": lawyer, "input[name=note]": "律师调解员熟悉经济补偿金计算"})
        _step(page, "receipt")
        _step(page, "succeed", {"textarea[name=terms]": "物流公司于十日内向罗小燕支付经济补偿金10000元。"})
        assert _case(server, no_b)[1] == "succeeded"
        text = _pdf_text(page, url + page.locator("#confirmation-pdf").get_attribute("href"))
        assert "司法确认申请书" in text and "经济补偿金10000元" in text and "人民调解法" in text

        # the reviewer scores both files; the month's subsidy report shows both mediators
        sign_out(page, url)
        sign_in(page, url, "leader")
        for case_id in (a_id, b_id):
            resp = page.goto(url + f"/mediation/court-cases/{case_id}/review", wait_until="load")
            assert not page_problems(JourneyTab(page, server), resp, "review")
            with page.expect_navigation():
                page.click("form#review-form button[type=submit]")
            assert page.locator("p.review-total").count()
        resp = page.goto(url + "/mediation/subsidy", wait_until="load")
        assert not page_problems(JourneyTab(page, server), resp, "subsidy")
        table = page.inner_text("table.subsidy-mediators")
        assert "钱劳动" in table and "孙明" in table
        rows = {r.locator("td").first.inner_text(): r.locator("td").last.inner_text()
                for r in page.locator("table.subsidy-mediators tbody tr").all()}
        assert float(rows["钱劳动"]) > 0 and float(rows["孙明"]) > 0

        # every court page at a phone's width: no sideways scrolling, labels, no critical axe finding
        page.set_viewport_size(PHONE)
        sign_out(page, url)
        sign_in(page, url, "admin")
        for path in (f"/mediation/court-cases/{a_id}", f"/mediation/court-cases/{b_id}", "/mediation/court/",
                     "/mediation/court/new", "/mediation/roster", "/mediation/subsidy", "/mediation/review-checklist",
                     f"/mediation/court-cases/{a_id}/review"):
            resp = page.goto(url + path, wait_until="load")
            problems = page_problems(JourneyTab(page, server, viewport=PHONE), resp, f"{path} at 375 px")
            assert not problems, problems
        assert not errors, errors
    finally:
        context.close()
