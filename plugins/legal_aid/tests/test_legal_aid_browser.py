"""The legal-channels journey in a browser: legal staff refer a petition to administrative reconsideration,
see the filing deadline (the deadline engine's answer for the date known), download the 告知书, record the
receipt, the acceptance and the outcome, and the petition closes. The legal-aid officer takes an application
with missing materials (the decision clock pauses), grants it, assigns a lawyer and closes it."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest

from browser_support import (JourneyTab, journey_page, page_problems, run_journey_in_thread, sign_in,
                             skip_module_without_browser)
from core import clock

pytestmark = pytest.mark.browser
skip_module_without_browser()

KNEW = date(2026, 8, 3)


def _petition(server) -> tuple[int, str]:
    """A fresh petition registered by the officer (set-up through the services, as the intake is tested
    by the petition journey)."""
    from sqlalchemy import select
    from core.auth.models import User
    from core.db import db
    from core.regions.models import Region
    from plugins.petition import services
    with server.app.app_context():
        district = db.session.scalar(select(Region).where(Region.code == "430611000000"))
        officer = db.session.scalar(select(User).where(User.username == "officer"))
        case = services.register(channel="visit", received_at=clock.now().replace(microsecond=0),
                                 request="要求撤销区市场监管局作出的罚款决定", facts="2026年8月3日收到行政处罚决定书",
                                 petitioner={"name": "卫国强", "phone": "13807301234"}, region_id=district.id,
                                 officer_id=officer.id)
        db.session.commit()
        return case.id, case.reference


def _expected_due(server) -> str:
    from core.calendar.services import compute_rule   # the engine behind `concord deadline compute`
    with server.app.app_context():
        return compute_rule("referral.admin_reconsideration_file", KNEW)["due"]


def _petition_state(server, case_id) -> str:
    from core.db import db
    from plugins.petition.models import PetitionCase
    with server.app.app_context():
        state = db.session.get(PetitionCase, case_id).state
        db.session.remove()
        return state


def test_legal_refers_a_petition_and_the_route_answers(live_server):
    run_journey_in_thread(_referral_journey, live_server)


def test_aid_officer_takes_decides_assigns_and_closes(live_server):
    run_journey_in_thread(_aid_journey, live_server)


def _act(page, action, fill=None):
    form = page.locator(f"form[action*='/act/{action}']").first
    for selector, value in (fill or {}).items():
        field = form.locator(selector)
        if selector.startswith("select"):
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _referral_journey(chromium, server):
    from pypdf import PdfReader
    case_id, case_ref = _petition(server)
    due = _expected_due(server)
    context, page, errors = journey_page(chromium)
    url = server.url
    try:
        sign_in(page, url, "legal")
        resp = page.goto(url + "/legal_aid/new", wait_until="load")
        assert not page_problems(JourneyTab(page, server), resp, "new referral")
        page.select_option("select[name=petition_id]", str(case_id))
        page.select_option("select[name=channel]", "admin_reconsideration")
        page.fill("input[name=knew_at]", KNEW.isoformat())
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "JS-SF-" in page.inner_text("h1")
        assert due in page.inner_text("dd.filing-deadline")
        assert "行政复议" in page.inner_text("dd.channel")
        ref_url = page.url
        problems = page_problems(JourneyTab(page, server), page.goto(ref_url, wait_until="load"), "referral page")
        assert not problems, problems
        pdf = page.request.get(url + page.locator("a[href$='notice.pdf']").get_attribute("href"))
        assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
        text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.body())).pages).replace(" ", "").replace("\n", "")
        y, m, d = (int(x) for x in due.split("-"))
        assert "告知书" in text and f"{y}年{m}月{d}日" in text and "法律援助" in text

        _act(page, "notify", {"select[name=notify-service_method]": "in_person"})
        assert _petition_state(server, case_id) == "referred"
        _act(page, "send")
        _act(page, "receipt", {"input[name=receipt-receipt_number]": "君复收〔2026〕21号"})
        _act(page, "accept")
        _act(page, "outcome", {"input[name=outcome-outcome_reference]": "君复决〔2026〕9号",
                               "textarea[name=outcome-outcome_text]": "撤销原罚款决定"})
        assert "君复决〔2026〕9号" in page.inner_text("dd.outcome")
        assert _petition_state(server, case_id) == "closed"
        page.goto(url + f"/petition/{case_id}", wait_until="load")
        assert case_ref in page.inner_text("h1")
        assert not errors, errors
    finally:
        context.close()


def _aid_journey(chromium, server):
    context, page, errors = journey_page(chromium)
    url = server.url
    try:
        sign_in(page, url, "aid")
        resp = page.goto(url + "/legal_aid/aid/new", wait_until="load")
        assert not page_problems(JourneyTab(page, server), resp, "aid intake")
        page.fill("input[name=name]", "褚秀英")
        page.fill("input[name=phone]", "13607305678")
        page.select_option("select[name=matter_type]", "maintenance")
        page.fill("textarea[name=summary]", "子女拒绝支付赡养费，申请法律援助代为起诉。")
        page.select_option("select[name=exempt_group]", "no_income_vulnerable")
        page.select_option("select[name=documents_missing]", ["id", "case_materials"])
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "JS-FY-" in page.inner_text("h1")
        by = date.fromordinal(clock.today().toordinal() + 10).isoformat()
        _act(page, "supplement", {"select[name=supplement-documents_missing]": ["id", "case_materials"],
                                  "input[name=supplement-supplement_by]": by})
        assert page.locator("td.status-paused").count() == 1          # the decision clock is paused
        _act(page, "supplied")
        assert page.locator("td.status-paused").count() == 0
        _act(page, "grant")
        _act(page, "assign")                                           # no provider chosen: refused
        assert "给予援助" in page.inner_text("h1")                       # still granted
        form = page.locator("form[action*='/act/assign']")
        form.locator("select").select_option(index=1)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert "已指派" in page.inner_text("h1")
        _act(page, "close", {"textarea[name=close-report]": "经诉讼，法院判决被告每月支付赡养费八百元。"})
        assert "已办结" in page.inner_text("h1")
        problems = page_problems(JourneyTab(page, server), page.goto(page.url, wait_until="load"), "aid page")
        assert not problems, problems
        assert not errors, errors
    finally:
        context.close()
