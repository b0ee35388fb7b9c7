"""Support for the browser tests: the real app served on a free 127.0.0.1 port, Debian's Chromium
driven by Playwright, and the checks every page must pass (status, viewport, no horizontal scroll,
no foreign request, axe-core, labelled fields).

No conftest.py here on purpose: the suite's modules import ``conftest`` (the root conftest.py) by name,
and a second conftest module would shadow it. The test modules import the fixtures from here.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CONCORD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 768}
DEMO_ACCOUNTS = ("admin", "officer", "leader", "mediator", "grid1", "grid2", "legal", "aid")
DEMO_PASSWORD = "concord-demo"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (f"browser tests skipped: no Chromium at {CHROMIUM} "
                "(apt-get install chromium, or set CONCORD_CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: the python package playwright is missing (pip install -e '.[test]')"
    if _axe_source() is None:
        return "browser tests skipped: axe-core is missing (pip install -e '.[test]' brings axe-playwright-python)"
    return None


def skip_module_without_browser() -> None:
    """At a browser test module's top: skip the whole module when it cannot run here (``skip_reason``)."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason, allow_module_level=True)


def _axe_source() -> str | None:
    try:
        return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


# -- the app on a real port -------------------------------------------------------------------------
def _clone_database(db_template, workdir: str):
    """A database of its own for the live server, cloned from the suite's migrated, seeded template.
    Returns (url, drop) where drop() removes it."""
    kind, source, _instance = db_template
    if kind == "sqlite":
        target = os.path.join(workdir, "live.db")
        shutil.copyfile(source, target)
        return "sqlite:///" + target, lambda: None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    base = make_url(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"concord_live_{os.getpid()}_{os.path.basename(workdir).replace('-', '_').lower()}"
    # a fresh connection each time: the fault tests restart PostgreSQL while this server lives
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))

    def drop():
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


class LiveServer:
    def __init__(self, app, server):
        self.app = app
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.origin = urlsplit(self.url).netloc


@pytest.fixture(scope="session")
def live_server(db_template, session_dir):
    """The real app (CSRF on, demo mode) on a free 127.0.0.1 port, served by werkzeug in a thread."""
    from werkzeug.serving import WSGIRequestHandler, make_server
    from core.app import create_app
    from core.db import db

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    workdir = tempfile.mkdtemp(prefix="live-", dir=session_dir)   # one database per server, never shared
    instance = os.path.join(workdir, "instance")
    os.makedirs(instance, exist_ok=True)
    src_i18n = os.path.join(db_template[2], "i18n")
    if os.path.isdir(src_i18n):
        shutil.copytree(src_i18n, os.path.join(instance, "i18n"), dirs_exist_ok=True)
    url, drop = _clone_database(db_template, workdir)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance,
                      "SECRET_KEY": "browser-tests", "DEMO": True})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="concord-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, server)
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# -- a browser tab that records what it does ----------------------------------------------------------
class Tab:
    """A fresh browser context (own cookies) with one page, recording every request it makes,
    console errors, page errors and failed sub-resources."""

    def __init__(self, browser, server: LiveServer, viewport: dict):
        self.server = server
        self.viewport = viewport
        phone = viewport["width"] < 700  # a phone honours <meta name=viewport> and has a touch screen
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", service_workers="block",
                                           is_mobile=phone, has_touch=phone)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        self.page.on("response", self._response)

    def _console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console error: {msg.text}")

    def _response(self, resp):
        if resp.status >= 400 and not resp.request.is_navigation_request():
            self.errors.append(f"{resp.status} for sub-resource {resp.url}")

    def close(self):
        self.context.close()

    def goto(self, path: str):
        return self.page.goto(self.server.url + path, wait_until="load")

    def foreign_requests(self) -> list[str]:
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.scheme != "http" or parts.netloc != self.server.origin:
                out.append(url)
        return out

    def login(self, username: str, password: str = DEMO_PASSWORD):
        """Sign in through the real login form; returns the response of the page it lands on."""
        self.goto("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation(wait_until="load") as nav:
            self.page.click("form button[type=submit]")
        return nav.value

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def open_tab(chromium, live_server):
    tabs: list[Tab] = []

    def _open(viewport: dict) -> Tab:
        tab = Tab(chromium, live_server, viewport)
        tabs.append(tab)
        return tab

    yield _open
    for tab in tabs:
        tab.close()


# -- what every page must satisfy ---------------------------------------------------------------------
_OVERFLOW_JS = """() => {
  const W = window.innerWidth, out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= W + 1) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.position === 'fixed') continue;
    let p = el.parentElement, boxed = false;
    while (p && p !== document.body) {
      if (getComputedStyle(p).overflowX !== 'visible') { boxed = true; break; }
      p = p.parentElement;
    }
    if (!boxed) {
      const id = el.id ? '#' + el.id : '';
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(`${el.tagName.toLowerCase()}${id}${cls} ends at ${Math.round(r.right)}px`);
    }
  }
  return out.slice(0, 5);
}"""

_UNLABELLED_JS = """() => {
  const out = [];
  const skip = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.tagName === 'INPUT' && skip.has((el.type || '').toLowerCase())) continue;
    const named = (el.labels && [...el.labels].some(l => l.textContent.trim()))
      || (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => id && document.getElementById(id)
                                                                      && document.getElementById(id).textContent.trim());
    if (!named) out.push(el.outerHTML.slice(0, 120));
  }
  return out;
}"""

_AXE_RUN_JS = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""

AXE_REPORT: dict[str, list] = {}  # page → every axe violation (written to test-artifacts/axe-report.json)


def page_problems(tab: Tab, response, where: str) -> list[str]:
    """Everything wrong with the page the tab shows now (an empty list when it passes)."""
    page = tab.page
    problems = []
    if response is None or response.status != 200:
        problems.append(f"{where}: answered {response.status if response else 'nothing'}")
        return problems
    meta = page.evaluate("() => { const m = document.querySelector('meta[name=viewport]'); return m && m.content; }")
    if not meta or not re.match(r"\s*width=device-width", meta):
        problems.append(f"{where}: no <meta name=viewport content='width=device-width, …'> (got {meta!r})")
    sw, iw = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if sw > iw:
        problems.append(f"{where}: page scrolls horizontally (scrollWidth {sw} > {iw})")
    for overflow in page.evaluate(_OVERFLOW_JS):
        problems.append(f"{where}: content cut off at the right edge: {overflow}")
    for field in page.evaluate(_UNLABELLED_JS):
        problems.append(f"{where}: field without a label: {field}")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(_AXE_RUN_JS, WCAG_TAGS)
    AXE_REPORT[f"{where}"] = violations
    for v in violations:
        if v["impact"] == "critical":
            problems.append(f"{where}: axe critical {v['id']} ({v['help']}) at {v['nodes']}")
    for err in tab.errors:
        problems.append(f"{where}: {err}")
    tab.errors.clear()
    return problems


def write_axe_report() -> None:
    import json

    if AXE_REPORT:
        ARTIFACTS.mkdir(exist_ok=True)
        with open(ARTIFACTS / "axe-report.json", "w", encoding="utf-8") as fh:
            json.dump(AXE_REPORT, fh, ensure_ascii=False, indent=1, sort_keys=True)


def run_journey_in_thread(journey, live_server, timeout: float = 300) -> None:
    """Run ``journey(browser, live_server)`` with a Chromium of its own on a separate thread: the
    journeys module holds the suite's sync Playwright session on the main thread, and a second one
    cannot start there. A failure is re-raised on the test's thread."""
    import threading

    failure = []

    def run():
        from playwright.sync_api import sync_playwright
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                try:
                    journey(browser, live_server)
                finally:
                    browser.close()
        except BaseException as exc:  # noqa: BLE001 - re-raised on the test's thread
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=timeout)
    assert not worker.is_alive(), "the browser journey did not finish"
    if failure:
        raise failure[0]


def journey_page(chromium, *, viewport=DESKTOP, timeout: int = 15_000, **options):
    """A journey's own browser context (zh-CN, *viewport*, Playwright *options* such as
    ``accept_downloads``) and its page: ``(context, page, errors)``, the page's script errors gathering in
    *errors*. The journey closes the context when it ends."""
    context = chromium.new_context(viewport=viewport, locale="zh-CN", **options)
    context.set_default_timeout(timeout)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


class JourneyTab:
    """A journey's own page, shaped like ``Tab`` for ``page_problems``."""

    def __init__(self, page, server, viewport=None):
        self.page, self.server, self.errors, self.requests = page, server, [], []
        self.viewport = viewport or DESKTOP

    def foreign_requests(self):
        return []


def sign_out(page, url: str) -> None:
    """Sign out with the top bar's button (logout is a POST with the CSRF token, never a link)."""
    page.goto(url + "/")
    if page.locator("form[action$='/logout'] button").count():
        with page.expect_navigation():
            page.click("form[action$='/logout'] button")


def sign_in(page, url: str, username: str, password: str = "concord-demo") -> None:
    """Sign in through the login form of the server at *url*."""
    page.goto(url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def open_action(page, action: str) -> None:
    """Open an action's form from the record page's status bar (only the chosen form is on the page)."""
    if page.locator(f"form[action*='/act/{action}']").count():
        return
    link = page.locator(f".statusbar a[data-action='{action}']")
    if link.count():
        with page.expect_navigation():
            link.first.click()
