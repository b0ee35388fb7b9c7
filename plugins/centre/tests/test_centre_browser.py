"""Issue 20's "Done when" in a browser: a visitor with a wage dispute and a separate complaint about a department
is registered once at the window and gets a slip with a code; the dispute goes to the labour mediation committee
and the complaint to the petition register (lead) with the department as co-handler; the supervisor sees the
yellow light before the 督办 deadline and the red after it; the mediation ends in an agreement that is
performed, the department answers, the lead replies; the visitor checks the code at /status and rates it; the
follow-up visit closes the case.

The mediation and petition steps run through those plugins' services (their own journeys drive their pages);
everything the centre does runs in the browser."""
from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO

import pytest

from browser_support import DESKTOP, PHONE, JourneyTab, page_problems, run_journey_in_thread, sign_in, sign_out, skip_reason

pytestmark = pytest.mark.browser
_reason = skip_reason()
if _reason:
    pytest.skip(_reason, allow_module_level=True)

LABOUR = "县劳动争议人民调解委员会"
HOUSING = "县住房和城乡建设局窗口"


def test_one_window_to_rated_and_closed(live_server):
    run_journey_in_thread(_journey, live_server)


def _server_do(server, fn):
    from core.db import db
    with server.app.app_context():
        try:
            return fn()
        finally:
            db.session.commit()
            db.session.remove()


def _records(server, case_id):
    def load():
        from core.db import db
        from plugins.centre.models import Case
        c = db.session.get(Case, case_id)
        return {m.kind: (m.record_type, m.record_id) for m in c.matters}, c.state
    return _server_do(server, load)


def _mediate_and_perform(server, dispute_id):
    def run():
        from sqlalchemy import select
        from core import clock
        from core.auth.models import User
        from core.db import db
        from plugins.mediation import services
        from plugins.mediation.agreements import services as agreements
        from plugins.mediation.models import Dispute
        mediator = db.session.scalar(select(User).where(User.username == "mediator"))
        d = db.session.get(Dispute, dispute_id)
        services.start(d, mediator)
        agreements.save(d, {"facts": "工地拖欠两个月工资", "issues": "欠薪金额", "terms": "公司十日内支付一万二千元",
                            "perform_by": None})
        agreements.sign(d, mediator, clock.today())
        services.close(d, mediator, "已全部履行，当事人确认收到工资")
    _server_do(server, run)


def _petition_reply(server, petition_id):
    def run():
        from core.db import db
        from plugins.petition import services
        from plugins.petition.models import PetitionCase
        case = db.session.get(PetitionCase, petition_id)
        services.accept(case)
        services.start_handling(case)
        services.reply(case, "support", "已责成县住建局依法处理欠薪举报并答复")
    _server_do(server, run)


def _act(page, action, fill=None, within=None):
    form = page.locator(f"form[action*='/act/{action}']" + (within or "")).first
    for selector, value in (fill or {}).items():
        field = form.locator(selector)
        if selector.startswith("select"):
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def _relogin(page, url, username):
    """Sign in afresh (a jump of the clock may have ended the session, or not)."""
    sign_out(page, url)
    if page.locator("input[name=username]").count() == 0:
        page.goto(url + "/login", wait_until="load")
    if page.locator("input[name=username]").count():
        sign_in(page, url, username)


def _light(page, url, path):
    page.goto(url + path, wait_until="load")
    return page.locator("table.supervisions [data-light]").first.get_attribute("data-light")


def _journey(chromium, server):
    from pypdf import PdfReader
    from core import clock
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    url = server.url
    try:
        # 1. one window: registered once, two matters, one code
        sign_in(page, url, "centre")
        resp = page.goto(url + "/centre/new", wait_until="load")
        problems = page_problems(JourneyTab(page, server), resp, "centre window")
        assert not problems, problems
        page.select_option("select[name=channel]", "visit")
        page.fill("input[name=name]", "龚建华")
        page.fill("input[name=phone]", "13807309876")
        page.select_option("select[name=m1_kind]", "dispute")
        page.fill("textarea[name=m1_summary]", "在君山工业园工地做工，老板拖欠两个月工资一万二千元")
        page.select_option("select[name=m1_category]", "labour")
        page.fill("input[name=m1_other]", "君山区宏达建筑有限公司")
        page.select_option("select[name=m2_kind]", "petition")
        page.fill("textarea[name=m2_summary]", "向县住建局举报欠薪一个月无人处理，投诉其不作为")
        page.select_option("select[name=m2_co]", [page.locator("select[name=m2_co] option",
                                                                 has_text=HOUSING).get_attribute("value")])
        with page.expect_navigation():
            page.click("main form.centre-window button[type=submit]")
        code = page.inner_text("h1 .case-code").strip()
        assert code.startswith("ZX-")
        case_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        case_url = page.url
        assert LABOUR in page.inner_text("#matter-1, section.matter >> nth=0")
        second = page.locator("section.matter").nth(1)
        assert HOUSING in second.inner_text() and "县信访局" in second.inner_text()
        problems = page_problems(JourneyTab(page, server), page.goto(case_url, wait_until="load"), "centre case")
        assert not problems, problems
        slip = page.request.get(url + f"/centre/cases/{case_id}/slip.pdf")
        assert slip.status == 200 and slip.body()[:4] == b"%PDF"
        text = "".join(p.extract_text() for p in PdfReader(BytesIO(slip.body())).pages)
        assert code in text and "龚建华" not in text
        records, state = _records(server, case_id)
        assert records["dispute"][0] == "mediation_dispute" and records["petition"][0] == "petition_case"
        assert state == "routed"
        sign_out(page, url)

        # 2. the supervisor issues a 督办单 on the department's part; yellow before its deadline, red after
        sign_in(page, url, "centre_lead")
        page.goto(case_url, wait_until="load")
        _act(page, "supervise", {"select[name=unit_id]": page.locator("form.action-supervise select[name=unit_id] option",
                                                                       has_text=HOUSING).get_attribute("value"),
                                 "textarea[name=reason]": "欠薪举报久拖不办，请五个工作日内书面回复"})
        assert _light(page, url, "/centre/supervisions") == "none"
        due = datetime.strptime(page.locator("table.supervisions tbody tr td").nth(4).inner_text().strip(), "%Y-%m-%d")
        with clock.frozen(due.replace(hour=9) - timedelta(days=1)):
            _relogin(page, url, "centre_lead")
            assert _light(page, url, "/centre/supervisions") == "yellow"
        with clock.frozen(due.replace(hour=9) + timedelta(days=1)):
            _relogin(page, url, "centre_lead")
            assert _light(page, url, "/centre/supervisions") == "red"
            page.goto(url + "/centre/board", wait_until="load")
            assert HOUSING in page.inner_text("table.unit-lights")
        _relogin(page, url, "centre_lead")
        problems = page_problems(JourneyTab(page, server), page.goto(url + "/centre/board", wait_until="load"),
                                 "centre board")
        assert not problems, problems
        sign_out(page, url)

        # 3. the units resolve the substance: agreement performed, the department answers, the lead replies
        _mediate_and_perform(server, records["dispute"][1])
        sign_in(page, url, "centre")
        page.goto(case_url, wait_until="load")
        assert "已全部履行" in page.locator("section.matter").nth(0).inner_text()
        housing_part = page.locator("table.parts tr", has_text=HOUSING).get_attribute("class").split("part-")[-1]
        _act(page, "answer", {"textarea[name=answer]": "已立案调查，责令施工单位三日内支付欠薪"},
             within=f":has(input[name=part_id][value='{housing_part}'])")
        _act(page, "sup_answer", {"input[name=answer]": "已书面回复督办事项"})
        assert page.get_attribute("h1 .case-state", "data-state") == "routed"
        _petition_reply(server, records["petition"][1])
        page.goto(case_url, wait_until="load")
        assert page.get_attribute("h1 .case-state", "data-state") == "answered"
        _act(page, "tell", {"textarea[name=note]": "当面告知：欠薪已付清，住建局已处理，信访事项已答复"})
        sign_out(page, url)

        # 4. the visitor checks the code at /status (no name, ID or phone) and rates it
        resp = page.goto(url + "/status", wait_until="load")
        page.fill("input[name=code]", code)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        result = page.inner_text("section.status-other")
        assert code in result and "拖欠两个月工资" in result and "龚建华" not in result and "13807309876" not in result
        problems = page_problems(JourneyTab(page, server), page.goto(url + f"/status?code={code}", wait_until="load"),
                                 "status by case code")
        assert not problems, problems
        page.check("section.status-other input[name=rating][value=satisfied]")
        with page.expect_navigation():
            page.click("section.status-other button[type=submit]")
        assert page.locator("section.status-other input[name=rating]").count() == 0     # rated once only

        # 5. the follow-up visit closes the case
        sign_in(page, url, "centre")
        page.goto(case_url, wait_until="load")
        _act(page, "visit", {"textarea[name=note]": "电话回访，当事人表示满意"})
        assert page.get_attribute("h1 .case-state", "data-state") == "closed"
        assert _records(server, case_id)[1] == "closed"
        assert not errors, errors
    finally:
        context.close()
    # the centre's pages on a phone (375 px): no horizontal scrolling, labels, no critical axe violation
    phone = chromium.new_context(viewport=PHONE, locale="zh-CN")
    phone.set_default_timeout(15_000)
    page = phone.new_page()
    try:
        sign_in(page, url, "centre_lead")
        for path in ("/centre/new", f"/centre/cases/{case_id}", "/centre/board", "/centre/supervisions",
                     "/centre/supervisions/report", "/centre/meetings", "/centre/rules", "/centre/"):
            problems = page_problems(JourneyTab(page, server, PHONE), page.goto(url + path, wait_until="load"),
                                     f"phone {path}")
            assert not problems, problems
    finally:
        phone.close()
