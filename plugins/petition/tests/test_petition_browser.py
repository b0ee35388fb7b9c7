"""The petition journey in a browser: the officer registers a visit (a duplicate candidate is shown and
rejected), classifies and assigns it, the unit accepts it, it is handled, extended once and replied to
with a PDF 处理意见书; the petitioner checks /status with the 查询码 and rates 不满意; the follow-up
appears for the officer."""
from __future__ import annotations


import pytest

from browser_support import (JourneyTab, journey_page, open_action, page_problems, run_journey_in_thread, sign_in,
                             skip_module_without_browser)
from core import clock

pytestmark = pytest.mark.browser
skip_module_without_browser()


def test_petition_from_intake_to_unsatisfied_rating(live_server):
    """Playwright runs on a thread of its own (the journeys module holds the main thread's session)."""
    run_journey_in_thread(_journey, live_server)


def _journey(chromium, server):
    context, page, errors = journey_page(chromium)
    url = server.url
    try:
        sign_in(page, url, "officer")
        resp = page.goto(url + "/petition/new", wait_until="load")
        assert not page_problems(JourneyTab(page, server), resp, "intake")
        page.select_option("select[name=channel]", "visit")
        page.fill("input[name=received_at]", clock.now().strftime("%Y-%m-%dT%H:%M"))
        page.fill("input[name=name]", "赵德明")
        page.fill("input[name=phone]", "13907301111")
        page.fill("textarea[name=request]", "要求解决拖欠的工程款十二万元")
        page.fill("textarea[name=facts]", "工程完工两年，工程款仍未结清。")
        with page.expect_navigation():
            page.click("main form button[type=submit]:not([name])")
        # the duplicate candidate (the demo case of the same person) is shown with its reasons
        assert "JS-XF-2026-00001" in page.inner_text("section.duplicates")
        with page.expect_navigation():
            page.click("button[name=confirm]")
        assert "/petition/" in page.url and "JS-XF-" in page.inner_text("h1")
        case_url = page.url

        def act(action, fill=None):
            open_action(page, action)
            form = page.locator(f"form[action$='/act/{action}']")
            for selector, value in (fill or {}).items():
                field = form.locator(selector)
                if selector.startswith("select"):
                    field.select_option(**value) if isinstance(value, dict) else field.select_option(value)
                else:
                    field.fill(value)
            if form.locator("input[name=confirm]").count():
                form.locator("input[name=confirm]").evaluate("el => { el.checked = true; }")   # the dialog's yes
            with page.expect_navigation():
                form.locator("button[type=submit]").click()

        act("classify", {"select[name=classify-category]": "claim", "select[name=classify-route]": "ordinary"})
        act("assign", {"select[name=assign-handling_unit]": {"label": "君山区信访局"}})
        act("accept")
        act("start_handling")
        act("extend", {"textarea": "涉及多个部门，需进一步核实"})
        assert page.locator("form[action$='/act/extend']").count() == 0     # only once
        act("reply", {"select[name=reply-decision]": "support", "textarea": "经调查核实，支持信访人的诉求。"})
        assert page.locator(".stages li.current").inner_text() == "已答复"
        pdf = page.request.get(url + page.locator("a[href$='opinion.pdf']").get_attribute("href"))
        assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
        problems = page_problems(JourneyTab(page, server), page.goto(case_url, wait_until="load"), "case page")
        assert not problems, problems
        code = page.locator("dl.fields dd").first.inner_text().strip()

        # the petitioner, not signed in
        context.clear_cookies()
        page.goto(url + "/status", wait_until="load")
        page.fill("input[name=code]", code)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "已答复" in page.inner_text("main")
        assert "赵德明" not in page.inner_text("main")
        page.select_option("select[name=rate-satisfaction]", "unsatisfied")
        with page.expect_navigation():
            page.locator("form:has(select[name=rate-satisfaction]) button[type=submit]").click()
        assert "您已对本次答复作出评价" in page.inner_text("main")

        # the officer sees the follow-up on the case
        sign_in(page, url, "officer")
        page.goto(case_url, wait_until="load")
        assert "回访" in page.inner_text("aside.chatter")
        assert not errors, errors
    finally:
        context.close()
