"""Issue 19 in a real browser (Debian's Chromium): an office can work all day in it.

- confirmations before irreversible steps, with JavaScript (a <dialog>) and without (a required tick);
- grid1 on a 375 px phone: 登记纠纷 from the home card, then 就地化解 with what was agreed, and the agreement;
- a hearing opened early warns first, and a statement is filed under the step chosen for it;
- one set of numbers: the home card and /petition/warnings count the same clocks;
- intake: 接收时间 already now, the region list narrows as one types, the top message names the fields;
- record pages: only the stage's actions, as status-bar buttons;
- /status shows the reply and the 复查 deadline; 不满意 reaches the officer; lists stack as cards on a phone.

Screenshots of the changed pages at 1366 px and 375 px go to ``test-artifacts/issue19-*.png``.
"""
from __future__ import annotations

import re

import pytest

from browser_support import (ARTIFACTS, DESKTOP, JourneyTab, PHONE, page_problems, run_journey_in_thread, sign_in,
                             sign_out, skip_module_without_browser)

pytestmark = pytest.mark.browser
skip_module_without_browser()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(ARTIFACTS / f"issue19-{name}-{width}.png"), full_page=True)


def _context(chromium, viewport, js=True):
    context = chromium.new_context(viewport=viewport, locale="zh-CN", java_script_enabled=js)
    context.set_default_timeout(15_000)
    return context


def _case_id(server, state: str) -> int:
    from sqlalchemy import select
    from core.db import db
    from plugins.petition.models import PetitionCase
    with server.app.app_context():
        return db.session.scalar(select(PetitionCase.id).where(PetitionCase.state == state)
                                 .order_by(PetitionCase.id))


def _state(server, case_id: int) -> str:
    from core.db import db
    from plugins.petition.models import PetitionCase
    with server.app.app_context():
        db.session.expire_all()
        return db.session.get(PetitionCase, case_id).state


# -- §2 and §7: the record page and the confirmations -----------------------------------------------------
def test_reply_asks_first_with_and_without_javascript(live_server):
    run_journey_in_thread(_reply_journey, live_server)


def _reply_journey(chromium, server):
    url = server.url
    case_id = _case_id(server, "handling")
    # without JavaScript: the tick is required, the browser itself refuses the form without it
    context = _context(chromium, DESKTOP, js=False)
    page = context.new_page()
    try:
        sign_in(page, url, "officer")
        page.goto(f"{url}/petition/{case_id}", wait_until="load")
        bar = page.locator(".statusbar-actions")
        assert bar.locator("[data-action]").evaluate_all("els => els.map(e => e.dataset.action)") == ["extend", "reply"]
        assert page.locator("form.action-form").count() == 0          # no form is open until one is chosen
        _shot(page, "petition-case")
        with page.expect_navigation():
            bar.locator("a[data-action=reply]").click()
        form = page.locator("form.action-reply")
        assert "复查" in form.locator(".confirm-box").inner_text()   # it names what will happen
        form.locator("select[name=reply-decision]").select_option("support")
        form.locator("textarea").fill("经调查核实，支持信访人的诉求。")
        form.locator("button[type=submit]").click()
        page.wait_for_timeout(500)
        assert _state(server, case_id) == "handling"                  # not sent: the box is not ticked
        _shot(page, "petition-reply-confirm")
    finally:
        context.close()
    # with JavaScript: the same form asks in a dialog
    context = _context(chromium, DESKTOP)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_in(page, url, "officer")
        page.goto(f"{url}/petition/{case_id}?act=reply", wait_until="load")
        form = page.locator("form.action-reply")
        assert form.locator(".confirm-box").is_hidden()
        form.locator("select[name=reply-decision]").select_option("support")
        form.locator("textarea").fill("经调查核实，支持信访人的诉求。")
        form.locator("button[type=submit]").click()
        dialog = page.locator("dialog.confirm-dialog")
        dialog.wait_for(state="visible")
        assert "复查" in dialog.inner_text()
        _shot(page, "petition-reply-dialog")
        with page.expect_navigation():
            dialog.locator("button.btn-danger").click()
        assert _state(server, case_id) == "replied"
        assert page.locator(".stages li.current").inner_text() == "已答复"
        assert not errors, errors
    finally:
        context.close()


def test_deleting_a_holiday_goes_through_a_confirmation_page(live_server):
    run_journey_in_thread(_holiday_journey, live_server)


def _holiday_journey(chromium, server):
    url = server.url
    context = _context(chromium, DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, url, "admin")
        page.goto(f"{url}/admin/calendar/?year=2026", wait_until="load")
        link = page.locator("table.list a.btn", has_text="删除").first
        day = link.get_attribute("aria-label").split()[-1]
        with page.expect_navigation():
            link.click()
        assert day in page.locator("h1").inner_text()
        assert "重新计算" in page.inner_text("main") or "普通工作日" in page.inner_text("main")
        problems = page_problems(JourneyTab(page, server), page.goto(page.url, wait_until="load"), "holiday delete")
        assert not problems, problems
        _shot(page, "holiday-delete")
        with page.expect_navigation():
            page.click("a.btn:has-text('取消')")
        assert day in page.inner_text("main")                          # still there
    finally:
        context.close()


# -- §3: the grid worker on a phone ---------------------------------------------------------------------------
def test_grid_worker_resolves_on_the_spot_on_a_phone(live_server):
    run_journey_in_thread(_grid_journey, live_server)


def _grid_journey(chromium, server):
    url = server.url
    context = _context(chromium, PHONE)
    page = context.new_page()
    try:
        sign_in(page, url, "grid1")
        button = page.locator(".card-action a.btn", has_text="登记纠纷")
        _shot(page, "grid1-home")
        with page.expect_navigation():
            button.click()
        assert "/mediation/capture" in page.url
        page.select_option("select[name=category]", "neighbour")
        page.locator("input[name=risk_level][value=green]").check()
        page.fill("input[name=summary]", "两户因院墙排水沟堵塞发生争吵")
        page.fill("input[name=party_name]", "周桂香")
        with page.expect_navigation():
            page.click("main form button[type=submit]:not([name])")
        if page.locator("button[name=confirm]").count():              # a similar item was shown: it is new
            with page.expect_navigation():
                page.click("button[name=confirm]")
        from sqlalchemy import select
        from core.db import db
        from plugins.mediation.models import Dispute
        with server.app.app_context():
            d = db.session.scalar(select(Dispute).where(Dispute.summary == "两户因院墙排水沟堵塞发生争吵"))
            assert d is not None and d.headcount == 1                  # 涉及人数: the party named
            dispute_id = d.id
        page.goto(f"{url}/mediation/disputes/{dispute_id}", wait_until="load")
        problems = page_problems(JourneyTab(page, server, PHONE), page.goto(page.url, wait_until="load"),
                                 "dispute on a phone")
        assert not problems, problems
        _shot(page, "grid1-dispute")
        with page.expect_navigation():
            page.click(".statusbar a[data-action=resolve_on_spot]")
        form = page.locator("form.action-resolve_on_spot")
        form.locator("textarea[name=text]").fill("双方同意共同清理排水沟，费用各半，三日内完成。")
        _shot(page, "grid1-resolve-on-spot")
        form.locator("button[type=submit]").click()
        page.locator("dialog.confirm-dialog").wait_for(state="visible")
        with page.expect_navigation():
            page.click("dialog.confirm-dialog button.btn-danger")
        assert "调解成功" in page.inner_text("dl.fields") or "化解" in page.inner_text("main")
        with server.app.app_context():
            db.session.expire_all()
            d = db.session.get(Dispute, dispute_id)
            assert d.state == "resolved" and "清理排水沟" in d.outcome
        assert page.locator("a[href$='/agreement']").count()           # the agreement can be drawn up
        with page.expect_navigation():
            page.click("a[href$='/agreement']")
        assert page.locator("form").count()
        sw, iw = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert sw <= iw
        _shot(page, "grid1-agreement")
    finally:
        context.close()


# -- §4: a hearing opened early, a statement under its step ---------------------------------------------------
def test_statement_goes_under_the_chosen_step(live_server):
    run_journey_in_thread(_hearing_journey, live_server)


def _hearing_journey(chromium, server):
    from sqlalchemy import select
    from core.db import db
    from plugins.hearing.models import Hearing, Statement
    url = server.url
    with server.app.app_context():
        h = db.session.scalar(select(Hearing).where(Hearing.state.in_(("scheduled", "notified"))))
        assert h is not None
        hearing_id, state = h.id, h.state
    context = _context(chromium, DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, url, "mediator")
        page.goto(f"{url}/hearing/{hearing_id}", wait_until="load")
        if state == "scheduled":
            with page.expect_navigation():
                page.click("form.act-send_notices button[type=submit]")
        warning = page.locator(".opening-warning")
        assert warning.count() and "天" in warning.inner_text()        # scheduled days from today: said first
        _shot(page, "hearing-open-early")
        page.locator("form.open-session button[type=submit]").click()
        page.locator("dialog.confirm-dialog").wait_for(state="visible")
        with page.expect_navigation():
            page.click("dialog.confirm-dialog button.btn-danger")
        form = page.locator("form.statement-form")
        assert form.locator("select[name=step] option:checked").get_attribute("value") == "identity"  # the current
        form.locator("select[name=speaker_role]").select_option("petitioner")
        form.locator("select[name=step]").select_option("petitioner")
        form.locator("input[name=speaker_name]").fill("李春兰")
        form.locator("textarea[name=text]").fill("我要求落实低保待遇，家庭收入低于当地标准。")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        with server.app.app_context():
            st = db.session.scalar(select(Statement).where(Statement.hearing_id == hearing_id)
                                   .order_by(Statement.id.desc()))
            assert st.step == "petitioner" and "低保" in st.text
        assert "信访人陈述" in page.locator("ol.statements").inner_text()
        _shot(page, "hearing-statement")
    finally:
        context.close()


# -- §5 and §6: one set of numbers, intake ---------------------------------------------------------------------
def test_home_and_warnings_agree_and_intake_helps(live_server):
    run_journey_in_thread(_numbers_and_intake_journey, live_server)


def _numbers_and_intake_journey(chromium, server):
    url = server.url
    context = _context(chromium, DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, url, "officer")
        card = page.locator("section.card", has=page.locator("a[href$='/petition/warnings']"))
        home_count = int(card.locator(".badge").inner_text())
        assert all("·" in li for li in card.locator("ul.attention li").all_inner_texts())   # each names its clock
        _shot(page, "officer-home")
        page.goto(f"{url}/petition/warnings", wait_until="load")
        heads = page.locator("h2").all_inner_texts()
        n = [int(re.search(r"\((\d+)\)|（(\d+)）", h).group(1) or 0) for h in heads[:2]]
        assert sum(n) == home_count, (heads, home_count)
        _shot(page, "petition-warnings")

        page.goto(f"{url}/petition/new", wait_until="load")
        assert page.input_value("input[name=received_at]")              # 接收时间: now
        assert page.locator("label .required-mark").count() >= 4
        options = page.locator("select[name=region_id] option").count()
        page.fill("input.select-filter", "村")
        assert 0 < page.locator("select[name=region_id] option").count() < options
        page.fill("input.select-filter", "")
        page.click("main form button[type=submit]:not([name])")
        summary = page.locator(".error-summary-js")
        summary.wait_for(state="visible")
        text = summary.inner_text()
        assert "姓名" in text and "诉求" in text                          # the top message names the fields
        _shot(page, "petition-intake-errors")
        page.goto(f"{url}/petition/{_case_id(server, 'registered')}?act=classify", wait_until="load")
        assert page.locator("select[name=classify-category] option:checked").inner_text() == "—"
    finally:
        context.close()


# -- §8: the petitioner's side ------------------------------------------------------------------------------------
def test_status_shows_the_reply_and_the_review_deadline(live_server):
    run_journey_in_thread(_status_journey, live_server)


def _status_journey(chromium, server):
    from sqlalchemy import select
    from core.db import db
    from plugins.petition.models import PetitionCase
    url = server.url
    with server.app.app_context():
        case = db.session.scalar(select(PetitionCase).where(PetitionCase.state == "replied",
                                                            PetitionCase.satisfaction.is_(None)))
        code, ref = case.query_code, case.reference
    for viewport in (PHONE, DESKTOP):
        context = _context(chromium, viewport)
        page = context.new_page()
        try:
            resp = page.goto(f"{url}/status?code={code}", wait_until="load")
            reply = page.locator(".reply-summary")
            assert "处理意见" in reply.inner_text()
            assert re.search(r"\d{4}-\d{2}-\d{2} 前", reply.locator(".review-right").inner_text())
            problems = page_problems(JourneyTab(page, server, viewport), resp, "status")
            assert not problems, problems
            _shot(page, "status-reply")
        finally:
            context.close()
    context = _context(chromium, PHONE)
    page = context.new_page()
    try:
        page.goto(f"{url}/status?code={code}", wait_until="load")
        page.select_option("select[name=rate-satisfaction]", "unsatisfied")
        with page.expect_navigation():
            page.click("form:has(select[name=rate-satisfaction]) button[type=submit]")
        sign_in(page, url, "officer")
        page.goto(f"{url}/notifications/", wait_until="load")
        assert ref in page.inner_text("main") and "不满意" in page.inner_text("main")
        # on a phone a list is a stack of cards: stage and risk are not hidden off to the right
        resp = page.goto(f"{url}/petition/", wait_until="load")
        problems = page_problems(JourneyTab(page, server, PHONE), resp, "petition list on a phone")
        assert not problems, problems
        label = page.evaluate("() => getComputedStyle(document.querySelector('table.stack-narrow td[data-label]'),"
                              " '::before').content")
        assert label and label != "none"
        _shot(page, "petition-list")
        sign_out(page, url)
    finally:
        context.close()


# -- §9: the Apps table at 1366 px and the pages at both widths --------------------------------------------------
def test_changed_pages_fit_both_widths(live_server):
    run_journey_in_thread(_widths_journey, live_server)


def _widths_journey(chromium, server):
    url = server.url
    pages = [("admin", "/admin/apps", "apps"), ("admin", "/admin/settings/", "settings"),
             ("admin", "/admin/audit/", "audit"), ("leader", "/dashboard/", "dashboard"),
             ("officer", "/petition/new", "petition-intake")]
    for viewport in (DESKTOP, PHONE):
        context = _context(chromium, viewport)
        page = context.new_page()
        who = None
        try:
            for user, path, name in pages:
                if user != who:
                    if who:
                        sign_out(page, url)
                    sign_in(page, url, user)
                    who = user
                resp = page.goto(url + path, wait_until="load")
                problems = page_problems(JourneyTab(page, server, viewport), resp, f"{name} {viewport['width']}")
                assert not problems, problems
                if name == "apps" and viewport is DESKTOP:     # the Apps table fits at 1366 px, no inner scroll
                    inner, outer = page.evaluate("() => { const s = document.querySelector('.table-scroll');"
                                                 " return [s.scrollWidth, s.clientWidth]; }")
                    assert inner <= outer, (inner, outer)
                _shot(page, name)
        finally:
            context.close()
