"""包案 in a browser: the officer takes the demo backlog case and gives it a leader, a team and a plan; the
leader finds it on their dashboard, adds a plan step and marks it done, attaches evidence, records the
follow-up visit and closes the case out (销号). Then a visitor is booked on the leader reception rota and
received into a new petition linked to it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from browser_support import (JourneyTab, journey_page, page_problems, run_journey_in_thread, sign_in, sign_out,
                             skip_module_without_browser)
from core import clock

pytestmark = pytest.mark.browser
skip_module_without_browser()


def test_backlog_case_from_leader_to_close_out_and_reception(live_server, tmp_path):
    evidence = tmp_path / "agreement.txt"
    evidence.write_text("双方签订和解协议, 款项已付清。", encoding="utf-8")
    run_journey_in_thread(lambda chromium, server: _journey(chromium, server, str(evidence)), live_server)


def _journey(chromium, server, evidence: str):
    context, page, errors = journey_page(chromium)
    url = server.url
    try:
        sign_in(page, url, "officer")
        resp = page.goto(url + "/petition/backlog/", wait_until="load")
        assert not page_problems(JourneyTab(page, server), resp, "backlog list")
        with page.expect_navigation():
            page.click("table.list tbody a >> nth=0")
        backlog_url = page.url
        page.select_option("select[name=assign-leader_id]", label="李包案")
        page.fill("textarea[name=assign-plan]", "包案领导牵头, 一周内约谈双方")
        page.fill("input[name=assign-target_date]", (clock.today() + timedelta(days=30)).isoformat())
        with page.expect_navigation():
            page.click("form.backlog-assign button[type=submit]")
        assert "李包案" in page.inner_text("dl.fields")
        sign_out(page, url)

        sign_in(page, url, "leader")
        resp = page.goto(url + "/petition/backlog/mine", wait_until="load")
        assert not page_problems(JourneyTab(page, server), resp, "my backlog cases")
        with page.expect_navigation():
            page.click(f"a[href='{backlog_url.replace(url, '')}']")
        page.fill("input[name=step-description]", "约谈责任单位")
        page.select_option("select[name=step-owner_id]", label="李包案")
        page.fill("input[name=step-due_on]", clock.today().isoformat())
        with page.expect_navigation():
            page.click("form.backlog-step button[type=submit]")
        while page.locator("form.inline button:has-text('标记完成')").count():   # every step of the plan
            page.fill("input[name=done-note] >> nth=0", "已完成")
            with page.expect_navigation():
                page.click("form.inline button:has-text('标记完成') >> nth=0")
        # 销号 without evidence is refused with the reason
        page.fill("textarea[name=close-evidence]", "已签订和解协议")
        page.fill("input[name=close-visit_on]", clock.today().isoformat())
        page.fill("input[name=close-visit_by]", "李包案")
        page.fill("textarea[name=close-visit_result]", "信访人表示满意, 息诉罢访")
        with page.expect_navigation():
            page.click("form.backlog-close_out button[type=submit]")
        assert "证明材料" in page.inner_text("main")
        page.click(".chatter details:has(input[type=file]) > summary")
        page.set_input_files(".chatter input[type=file]", evidence)
        with page.expect_navigation():
            page.click(".chatter form:has(input[type=file]) button[type=submit]")
        page.fill("textarea[name=close-evidence]", "已签订和解协议")
        page.fill("input[name=close-visit_on]", clock.today().isoformat())
        page.fill("input[name=close-visit_by]", "李包案")
        page.fill("textarea[name=close-visit_result]", "信访人表示满意, 息诉罢访")
        with page.expect_navigation():
            page.click("form.backlog-close_out button[type=submit]")
        assert "已销号" in page.inner_text("h1")
        sign_out(page, url)

        sign_in(page, url, "officer")
        resp = page.goto(url + "/petition/reception/", wait_until="load")
        assert not page_problems(JourneyTab(page, server), resp, "reception rota")
        with page.expect_navigation():
            page.click("table.list tbody a >> nth=0")
        day_url = page.url
        page.fill("input[name=book-slot]", "10:30")
        page.fill("input[name=book-visitor_name]", "孙来访")
        page.fill("textarea[name=book-topic]", "反映小区停车难问题")
        with page.expect_navigation():
            page.click("form.formview button[type=submit]")
        with page.expect_navigation():
            page.click("tr:has-text('孙来访') a:has-text('接待并登记')")
        assert page.input_value("input[name=name]") == "孙来访"
        with page.expect_navigation():
            page.click("form.formview button.btn-primary >> nth=-1")
        if page.locator("button[name=confirm]").count():
            with page.expect_navigation():
                page.click("button[name=confirm]")
        assert "反映小区停车难问题" in page.inner_text("main")          # the new case's page
        page.goto(day_url)
        taken = page.inner_text("main")
        assert "本次接访受理的事项" in taken and "反映小区停车难问题" in taken
        assert not errors, errors
    finally:
        context.close()
