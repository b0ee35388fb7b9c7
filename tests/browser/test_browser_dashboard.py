"""The dashboard in a browser: `leader` opens /dashboard/ (and at 375 px), drills from a town's overdue
count to its records, exports that list to xlsx (opened back with openpyxl) and downloads the monthly report."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from browser_support import (DESKTOP, JourneyTab, PHONE, page_problems, run_journey_in_thread, sign_in,
                             skip_module_without_browser)
from core import clock

pytestmark = pytest.mark.browser
skip_module_without_browser()

TOWN = "430611001000"


def _last_month() -> tuple[str, datetime]:
    today = clock.today()
    first = date(today.year, today.month, 1)
    prev = date.fromordinal(first.toordinal() - 1)
    return f"{prev.year}-{prev.month:02d}", datetime(prev.year, prev.month, 5, 9, 0)


def _overdue_case(server) -> str:
    """A petition received on the 5th of last month in 柳林社区, never forwarded: its clocks ran out."""
    from sqlalchemy import select
    from core.auth.models import User
    from core.db import db
    from core.regions.models import Region
    from plugins.petition import services
    _month, received = _last_month()
    with server.app.app_context():
        village = db.session.scalar(select(Region).where(Region.code == "430611001001"))
        officer = db.session.scalar(select(User).where(User.username == "officer"))
        case = services.register(channel="visit", received_at=received, request="看板测试：要求解决排水沟堵塞问题",
                                 petitioner={"name": "看板测试人"}, region_id=village.id, officer_id=officer.id)
        ref = case.reference
        db.session.commit()
        db.session.remove()
    return ref


def test_leader_drills_down_and_exports(live_server):
    ref = _overdue_case(live_server)
    run_journey_in_thread(lambda browser, server: _journey(browser, server, ref), live_server)


def _journey(chromium, server, ref):
    from openpyxl import load_workbook
    month, _received = _last_month()
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    tab = JourneyTab(page, server)
    page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    url = server.url
    try:
        sign_in(page, url, "leader")
        resp = page.goto(f"{url}/dashboard/?period={month}", wait_until="load")
        assert not page_problems(tab, resp, "dashboard")
        assert page.locator("canvas[data-chart]").count() >= 3
        assert page.evaluate("() => typeof Chart !== 'undefined'")
        cell = page.locator(f'tr[data-region="{TOWN}"] a[data-measure="petition.overdue"]')
        assert int(cell.inner_text()) >= 1
        with page.expect_navigation():
            cell.click()
        assert "/dashboard/records" in page.url and ref in page.inner_text("main")
        with page.expect_download() as dl:
            page.click("#export-xlsx")
        rows = list(load_workbook(io.BytesIO(open(dl.value.path(), "rb").read())).active.values)
        assert rows[0][0] == "编号" and ref in {r[0] for r in rows[1:]}
        assert isinstance(next(r for r in rows if r[0] == ref)[4], datetime)
        resp = page.goto(f"{url}/dashboard/report?period={month}", wait_until="load")
        assert not page_problems(tab, resp, "report")
        with page.expect_download() as dl:
            page.click("#report-xlsx")
        assert len(load_workbook(io.BytesIO(open(dl.value.path(), "rb").read())).sheetnames) == 3
        with page.expect_download() as dl:
            page.click("#report-pdf")
        assert open(dl.value.path(), "rb").read(4) == b"%PDF"
        page.set_viewport_size(PHONE)
        phone = JourneyTab(page, server, PHONE)
        resp = page.goto(f"{url}/dashboard/?period={month}", wait_until="load")
        assert not page_problems(phone, resp, "dashboard@375")
    finally:
        context.close()
