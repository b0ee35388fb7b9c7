"""Mediation on a phone (375 px): grid1 logs a dispute online and once with the network cut, with a photo
(the queue shows it, then syncs record and photo when the connection returns, once); the mediator,
picked from the committee, works the first through escalation to closing with a note, and records
that a party refused mediation of the second."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from browser_support import PHONE, journey_page, page_problems, run_journey_in_thread, skip_module_without_browser
from core import clock

pytestmark = pytest.mark.browser
skip_module_without_browser()


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def _capture(page, summary: str, risk: str = "yellow"):
    page.select_option("select[name=category]", "neighbour")
    page.click(f"label.risk-{risk}")
    page.fill("input[name=summary]", summary)
    page.fill("input[name=party_name]", "张三")
    page.fill("input[name=other_party_name]", "李四")     # an agreement needs both sides (人民调解法 第二十九条)


def test_grid_worker_captures_online_and_offline_then_mediator_closes(live_server):
    """Runs Playwright in a thread of its own: the journeys module holds the suite's sync Playwright
    session on the main thread, and a second one cannot start there."""
    run_journey_in_thread(_journey, live_server)


def open_dispute_step(page, code: str) -> None:
    """A dispute page shows only its status-bar buttons; the chosen one opens its form (issue 19)."""
    if page.locator(f"form[action$='/{code}']").count():
        return
    link = page.locator(f".statusbar a[data-action='{code}']")
    if link.count():
        with page.expect_navigation():
            link.first.click()


def _journey(chromium, live_server):
    # the phone keeps New York time: an offline capture still records the instant it was made (issue 14)
    context, page, errors = journey_page(chromium, viewport=PHONE, is_mobile=True, has_touch=True,
                                          timezone_id="America/New_York")
    try:
        page.goto(live_server.url + "/login")
        page.fill("input[name=username]", "grid1")
        page.fill("input[name=password]", "concord-demo")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        resp = page.goto(live_server.url + "/mediation/capture", wait_until="load")
        assert not page_problems(_TabLike(page, live_server), resp, "capture")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        _capture(page, "网格员在线登记的纠纷")
        with page.expect_navigation():
            page.click("#capture-form button[type=submit]")
        assert "/mediation/disputes/" in page.url
        assert "JS-TJ-" in page.inner_text("h1")
        online_url = page.url

        # the network is cut: the capture is queued on the phone and shown as waiting
        page.goto(live_server.url + "/mediation/capture", wait_until="load")
        context.set_offline(True)
        _capture(page, "断网时登记的纠纷", "orange")
        # a photo from the camera waits on the phone (IndexedDB) with the record
        page.set_input_files("input[name=photo]", {"name": "scene.png", "mimeType": "image/png", "buffer": PNG})
        page.click("#capture-form button[type=submit]")
        page.wait_for_selector("#sync-queue:not([hidden])")
        assert page.inner_text("#sync-queue [data-count]") == "1"
        assert "照片" in page.inner_text("#sync-queue ul")
        # the connection returns: the queue is sent and emptied
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_selector("#sync-queue", state="hidden")
        page.goto(live_server.url + "/mediation/?q=断网时登记", wait_until="load")
        assert page.locator("table.list tbody tr").count() == 1
        assert "断网时登记的纠纷" in page.inner_text("table.list")
        with page.expect_navigation():
            page.click("table.list tbody tr a")
        assert "photo-" in page.inner_text("main")                 # the photo arrived with the record, once
        assert page.inner_text("main").count("photo-") == 1
        shown = re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page.inner_text("main"))
        assert any(abs(datetime.strptime(t, "%Y-%m-%d %H:%M") - clock.now()) < timedelta(minutes=5)
                   for t in shown), (shown, clock.now())        # found_at: Shanghai time, not New York
        offline_url = page.url
        assert not errors, errors

        # the mediator: start, fail, escalate to the town, start, resolve, close with a note
        context.clear_cookies()
        page.goto(live_server.url + "/login")
        page.fill("input[name=username]", "mediator")
        page.fill("input[name=password]", "concord-demo")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto(online_url, wait_until="load")
        open_dispute_step(page, "start")    # the status bar shows the stage's steps; each opens its form
        # the mediator picker offers the committee's mediators, with the recusal check
        assert page.locator("#mediator-pick option:checked").inner_text().startswith("赵调解")

        def step(code: str, text: str | None = None):
            open_dispute_step(page, code)
            form = page.locator(f"form[action$='/{code}']")
            if text is not None:
                form.locator("textarea").fill(text)
            if form.locator("input[name=confirm]").count():       # 销号 asks first: the dialog's yes
                form.locator("input[name=confirm]").evaluate("el => { el.checked = true; }")
            with page.expect_navigation():
                form.locator("button[type=submit]").click()

        step("start")
        step("fail", "双方分歧较大")
        step("escalate", "村级调解不成，上交镇里")
        assert "镇" in page.inner_text("dl.fields")
        step("start")
        reference = page.inner_text("h1").split(" ")[0]
        # the town draws up the agreement from the item, the parties sign, the PDF is one click away
        with page.expect_navigation():
            page.click("a[href$='/agreement']")
        page.fill("textarea[name=terms]", "双方同意按原界址重砌围墙，费用各半")
        page.fill("input[name=perform_by]", "2026-12-31")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        with page.expect_navigation():
            page.click("form[action$='/agreement/sign'] button[type=submit]")
        assert page.locator(".stages li.current").inner_text() == "已化解"
        pdf = page.request.get(live_server.url + page.locator("a[href$='agreement.pdf']").get_attribute("href"))
        assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
        step("close", "回访确认协议已履行")
        assert page.locator(".stages li.current").inner_text() == "已销号"
        # the town's monthly ledger shows it, and its total drills down to it
        page.goto(f"{live_server.url}/mediation/reports?region=430611001000&month={clock.today():%Y-%m}", wait_until="load")
        with page.expect_navigation():
            page.click("main p strong a")
        assert reference in page.inner_text("table.list")
        problems = page_problems(_TabLike(page, live_server), page.goto(page.url, wait_until="load"), "dispute page")
        assert not problems, problems
        # the offline item: a party refuses mediation, which ends it; the parties are told their other routes
        page.goto(offline_url, wait_until="load")
        open_dispute_step(page, "refuse")
        form = page.locator("form[action$='/refuse']")
        form.locator("select[name=party_id]").select_option(label="张三")
        form.locator("textarea").fill("当事人表示不愿调解，准备直接起诉")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert page.locator(".stages li.current").inner_text() == "当事人拒绝调解"
        assert "仲裁" in page.inner_text(".other-routes")
        assert "准备直接起诉" in page.inner_text("dl.fields")
    finally:
        context.close()


class _TabLike:
    """Enough of browser_support.Tab for page_problems."""

    def __init__(self, page, server):
        self.page, self.server, self.errors, self.requests = page, server, [], []
        self.viewport = PHONE

    def foreign_requests(self):
        return []
