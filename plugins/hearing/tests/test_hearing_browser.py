"""The hearing journey in a browser (issue 6 "Done when"): the officer marks a case as backlog; the
mediator records and accepts the hearing application, adds a panelist with a declared tie to the pool
(flagged, and refused), picks a panel of three, books a room (the clash with the demo hearing is
refused), sends the notices, records the hearing along the agenda, the petitioner confirms and the unit
refuses to sign, the minutes lock, and the PDF downloads: its text (pypdf) holds the statements, the
names and the hash."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest

from browser_support import (JourneyTab, journey_page, open_action, page_problems, run_journey_in_thread, sign_in,
                             skip_module_without_browser)
from core import clock

pytestmark = pytest.mark.browser
skip_module_without_browser()


def test_hearing_from_backlog_case_to_locked_minutes_pdf(live_server):
    run_journey_in_thread(_journey, live_server)


def _journey(chromium, server):
    from pypdf import PdfReader
    context, page, errors = journey_page(chromium)
    url = server.url

    def act(action, fill=None, nth=0):
        open_action(page, action)
        form = page.locator(f"form[action$='/act/{action}']").nth(nth)
        for selector, value in (fill or {}).items():
            field = form.locator(selector)
            if selector.startswith("select"):
                field.select_option(**value) if isinstance(value, dict) else field.select_option(value)
            elif "checkbox" in selector:
                field.check()
            else:
                field.fill(value)
        if form.locator("input[name=confirm]").count():
            form.locator("input[name=confirm]").evaluate("el => { el.checked = true; }")   # the dialog's yes
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

    try:
        # the officer marks 周建华's lift case as a backlog case
        sign_in(page, url, "officer")
        page.goto(url + "/petition/?q=电梯", wait_until="load")
        with page.expect_navigation():
            page.locator("table.list tbody a").first.click()
        case_url = page.url
        case_id = case_url.rstrip("/").split("/")[-1]
        if page.locator("form[action$='/act/flag_backlog'], .statusbar a[data-action=flag_backlog]").count():   # unless the backlog rules did it
            act("flag_backlog", {"textarea": "多次信访，久拖未决"})
        assert "积案" in page.inner_text("dl.fields")

        # the mediator: the demo hearing's slot, then a panelist with a tie joins the pool
        context.clear_cookies()
        sign_in(page, url, "mediator")
        page.goto(url + "/hearing/", wait_until="load")
        with page.expect_navigation():
            page.locator("table.list tbody a", has_text="JS-TZ-").first.click()
        demo_slot = re.search(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})",
                              page.locator("dl.fields dt:has-text('听证时间') + dd").inner_text()).group(1)
        page.goto(url + "/hearing/pool", wait_until="load")
        page.fill("input[name=name]", "邻居甲")
        page.select_option("select[name=kind]", "resident_rep")
        page.fill("textarea[name=declared_ties]", "周建华（邻居）")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()

        # application on the backlog case, accepted
        page.goto(url + f"/hearing/new?petition_id={case_id}", wait_until="load")
        page.select_option("select[name=petition_id]", case_id)
        page.fill("textarea[name=matter]", "周建华反映电梯长期失修（积案）")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        hearing_url = page.url
        act("accept", {"input[name=note]": "符合听证条件"})
        assert "受理" in page.locator(".stages li.current").inner_text()

        # the panel: the tied panelist is flagged and refused, three others appointed
        row = page.locator("table.pool tr[data-panelist='邻居甲']")
        assert "周建华" in row.inner_text() and "conflicted" in (row.get_attribute("class") or "")
        act("add_panelist", {"select[name=panelist_id]": {"label": "邻居甲 · 群众代表 · ⚠ 有回避提示"},
                             "input[name=reason]": "随机抽取"})
        assert "回避审查" in page.inner_text("main") and "邻居甲" not in page.inner_text("table.panel-members")
        for name in ("罗文博", "马秀英", "何志远"):
            option = page.locator("select[name=panelist_id] option", has_text=name).first.inner_text()
            act("add_panelist", {"select[name=panelist_id]": {"label": option}, "input[name=reason]": "专业对口"})
        assert page.locator("table.panel-members tbody tr").count() == 3

        # the room: the demo hearing's slot clashes, another day is booked
        clash = demo_slot.replace(" ", "T")
        act("schedule", {"input[name=scheduled_at]": clash, "select[name=room_id]": {"label": "第一听证室"},
                         "input[name=recorder_name]": "钱记录"})
        assert "已被听证" in page.inner_text("main")
        later = (datetime.fromisoformat(clash) + timedelta(days=1)).replace(hour=14, minute=0)
        act("schedule", {"input[name=scheduled_at]": later.strftime("%Y-%m-%dT%H:%M"),
                         "select[name=room_id]": {"label": "第一听证室"}, "input[name=recorder_name]": "钱记录"})
        assert "安排" in page.locator(".stages li.current").inner_text()
        act("send_notices")
        assert page.locator("table.notices tbody tr").count() >= 5
        notice = page.request.get(url + page.locator("table.notices a").first.get_attribute("href"))
        assert notice.status == 200 and notice.body()[:4] == b"%PDF"

        # the hearing along the agenda
        act("open")
        while page.locator("form.act-arrive").count():
            act("arrive")
        act("step", {"select[name=step]": "petitioner"})
        act("statement", {"select[name=speaker_role]": "petitioner", "input[name=speaker_name]": "周建华",
                          "textarea[name=text]": "电梯三年故障十余次，<b>物业</b>推诿，见 https://example.com/a"})
        act("step", {"select[name=step]": "unit"})
        act("statement", {"select[name=speaker_role]": "unit", "input[name=speaker_name]": "物业办主任",
                          "textarea[name=text]": "已多次维修，更换主机需业主表决。"})
        act("close")
        problems = page_problems(JourneyTab(page, server), page.goto(hearing_url, wait_until="load"), "hearing page")
        assert not problems, problems

        # minutes: one party confirms, the other refuses; the minutes lock
        page.goto(hearing_url + "/minutes", wait_until="load")
        page.locator("tr[data-signer='周建华'] form.act-confirm").first.locator("button").click()
        page.wait_for_load_state("load")
        refuse = page.locator("form.act-confirm:has(input[name=note])").first
        refuse.locator("input[name=note]").fill("认为记录不全，拒绝签名")
        with page.expect_navigation():
            refuse.locator("button").click()
        page.locator("form.lock-minutes input[name=confirm]").evaluate("el => { el.checked = true; }")  # confirmed
        with page.expect_navigation():
            page.locator("form.lock-minutes button").click()
        content_hash = page.inner_text("code.content-hash").strip()
        assert re.fullmatch(r"[0-9a-f]{64}", content_hash)

        # the PDF, read back
        pdf = page.request.get(url + page.locator("a[href$='/minutes.pdf']").get_attribute("href"))
        assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
        reader = PdfReader(io.BytesIO(pdf.body()))
        text = "".join((p.extract_text() or "") for p in reader.pages).replace(" ", "").replace("\n", "")
        for expected in ("电梯三年故障十余次", "<b>物业</b>", "https://example.com/a", "已多次维修", "周建华",
                         "物业办主任", "罗文博", "钱记录", "拒绝签名", content_hash):
            assert expected in text, expected
        assert clock.today().year > 2000 and not errors, errors
    finally:
        context.close()
