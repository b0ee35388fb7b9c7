"""Browser journeys (Playwright driving Debian's Chromium against the real app on 127.0.0.1):
every demo account signs in through the login form and walks every menu entry it sees, on a phone
(375 px) and on a desktop (1366 px). Each page it reaches must answer 200, carry a device-width
viewport, not scroll sideways, load nothing from another origin, label every field, and have no
WCAG A/AA violation that axe-core rates critical.

Run only these: ``pytest -m browser``; leave them out: ``pytest -m "not browser"``.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from browser_support import DEMO_ACCOUNTS, DESKTOP, PHONE, page_problems, skip_module_without_browser, write_axe_report

pytestmark = pytest.mark.browser
skip_module_without_browser()

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
# links followed from each menu page besides the menu itself (GET only): the page's main action and
# its first record, so forms and record pages are checked too
_EXTRA_LINKS_JS = """() => {
  const pick = [...document.querySelectorAll('main a.btn-primary[href]')].slice(0, 2);
  const rec = document.querySelector('main table.list tbody a[href], main .kanban-card a[href]');
  if (rec) pick.push(rec);
  return pick.map(a => a.getAttribute('href'));
}"""


@pytest.fixture(scope="module", autouse=True)
def _axe_report():
    yield
    write_axe_report()


def _menu_entries(page) -> list[dict]:
    return page.eval_on_selector_all(
        "nav.mainnav a[data-menu]",
        "els => els.map(e => ({id: e.dataset.menu, href: e.getAttribute('href'), label: e.textContent.trim(),"
        " sub: !!e.closest('.submenu')}))")


def _click_menu(tab, entry: dict, phone: bool):
    """Open a menu entry the way a person would: on a phone through the ☰ toggle, on a desktop
    directly (sub-entries by hovering over their parent first)."""
    page = tab.page
    link = page.locator(f'nav.mainnav a[data-menu="{entry["id"]}"]')
    if phone:
        assert not link.is_visible(), "on a phone the menu starts folded"
        page.click("label.nav-toggle-label")
    elif entry["sub"]:
        link.locator("xpath=ancestor::li[2]").hover()
    assert link.is_visible(), f"menu entry {entry['id']} cannot be reached"
    with page.expect_navigation(wait_until="load") as nav:
        link.click()
    return nav.value


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("account", DEMO_ACCOUNTS)
def test_account_walks_every_menu(open_tab, live_server, account, viewport):
    phone = viewport == "phone"
    tab = open_tab(VIEWPORTS[viewport])
    where = f"{account}@{VIEWPORTS[viewport]['width']}px"
    resp = tab.login(account)
    assert urlsplit(tab.page.url).path == "/", f"{account} did not land on the home page: {tab.page.url}"
    problems = page_problems(tab, resp, f"{where} /")
    if account == "admin":
        tab.screenshot(f"home-{VIEWPORTS[viewport]['width']}")

    entries = _menu_entries(tab.page)
    assert entries, f"{account} sees no menu at all"
    seen = {"/"}
    extras: list[str] = []
    for entry in entries:
        resp = _click_menu(tab, entry, phone)
        path = urlsplit(tab.page.url).path
        assert urlsplit(entry["href"]).path == path or resp.request.redirected_from is not None, (
            f"menu {entry['id']} went to {tab.page.url}")
        seen.add(path)
        problems += page_problems(tab, resp, f"{where} menu {entry['id']} {path}")
        if os.environ.get("BROWSER_SCREENSHOTS") == "all":
            tab.screenshot(f"{account}-{VIEWPORTS[viewport]['width']}-{entry['id']}")
        for href in tab.page.evaluate(_EXTRA_LINKS_JS):
            parts = urlsplit(href)
            if not parts.netloc and parts.path.startswith("/") and parts.path not in seen:
                seen.add(parts.path)
                extras.append(href)
    for href in extras[:12]:
        resp = tab.goto(href)
        problems += page_problems(tab, resp, f"{where} {href}")

    foreign = tab.foreign_requests()
    assert not foreign, f"{where}: requests left the server: {foreign[:5]}"
    assert not problems, "\n".join(problems)

    # sign out from the top bar (on a phone it sits outside the folded menu)
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.click("header form button[type=submit]")
    assert urlsplit(tab.page.url).path == "/login"


def test_failed_login_reshows_the_form_with_a_message(open_tab):
    tab = open_tab(PHONE)
    resp = tab.login("nobody-here", "wrong-password")
    page = tab.page
    assert resp.status == 200 and urlsplit(page.url).path == "/login"
    alert = page.locator("[role=alert]")
    assert alert.is_visible() and alert.inner_text().strip(), "no visible message after a failed login"
    assert page.input_value("input[name=username]") == "nobody-here"
    assert page.input_value("input[name=password]") == ""
    problems = page_problems(tab, resp, "failed login")
    assert not problems, "\n".join(problems)
    # and the form still works afterwards
    resp = tab.login("officer")
    assert urlsplit(page.url).path == "/"


def test_language_toggle_on_login_page(open_tab, live_server):
    tab = open_tab(DESKTOP)
    page = tab.page
    resp = tab.goto("/login")
    assert page.get_attribute("html", "lang") == "zh-CN", "the interface is Chinese by default"
    assert not page_problems(tab, resp, "login zh")
    with page.expect_navigation(wait_until="load") as nav:
        page.click(".lang-switch a[hreflang=en]")
    assert page.get_attribute("html", "lang") == "en"
    assert "Sign in" in page.inner_text("form button[type=submit]")
    assert page.inner_text("label[for=username]").strip() == "User name"
    assert not page_problems(tab, nav.value, "login en")
    # the choice is remembered without the query parameter
    tab.goto("/login")
    assert page.get_attribute("html", "lang") == "en"
    with page.expect_navigation(wait_until="load"):
        page.click(".lang-switch a[hreflang=zh-CN]")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert "登录" in page.inner_text("form button[type=submit]")
    tab.goto("/login")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert not tab.foreign_requests()


def test_public_status_page_at_both_sizes(open_tab, live_server):
    """/status is public (no login); skipped until the page exists."""
    if not any(r.rule == "/status" for r in live_server.app.url_map.iter_rules()):
        pytest.skip("/status is not built yet")
    problems = []
    for name, vp in VIEWPORTS.items():
        tab = open_tab(vp)
        resp = tab.goto("/status")
        problems += page_problems(tab, resp, f"/status {name}")
        assert tab.page.locator("input[name=code]").count() == 1
        assert not tab.foreign_requests()
    assert not problems, "\n".join(problems)
