"""The web shell: requests per second for the login page, the signed-in home page and a list page,
through the test client (no network), against a bare Flask app serving the very same HTML from a
Jinja template. The ratio is what the shell costs on top of plain Flask: plugin host, permission
guard, session and user loading, language selection, menus, CSRF, security headers."""
from __future__ import annotations

from flask import Flask, render_template_string

from bench import client, demo_app, login, measure, row

PAGES = [
    # figure name, account (None: anonymous), path, target for the 95th percentile in ms
    ("login page", None, "/login", "<= 100"),
    ("home (admin)", "admin", "/", "<= 150"),
    ("home (grid1)", "grid1", "/", "<= 150"),
    ("users list (admin)", "admin", "/admin/users", "<= 200"),
]


def _bare_app(html: str) -> Flask:
    """The floor: a Flask app with no extensions rendering the same page from a template."""
    bare = Flask("bare")
    source = html.replace("{", "{{ '{' }}")  # the captured HTML, as a template with nothing to compute

    @bare.get("/")
    def page():
        return render_template_string(source)

    return bare


def run() -> list[dict]:
    rows = []
    with demo_app() as app:
        for label, account, path, target in PAGES:
            c = client(app)
            if account:
                login(c, account)
            resp = c.get(path)
            if resp.status_code != 200:
                raise RuntimeError(f"{path} as {account or 'anonymous'} answered {resp.status_code}")
            html = resp.get_data(as_text=True)

            def hit(c=c, path=path):
                r = c.get(path)
                assert r.status_code == 200
                r.close()

            shell = measure(hit, seconds=1.5)
            bare_client = _bare_app(html).test_client()
            assert bare_client.get("/").get_data(as_text=True) == html

            def bare_hit(bc=bare_client):
                bc.get("/").close()

            bare = measure(bare_hit, seconds=0.75)
            rows.append(row(f"{label}: throughput", shell.per_second, "req/s", baseline=bare.per_second,
                            note="baseline: bare Flask, same HTML"))
            rows.append(row(f"{label}: p95 latency", shell.p95 * 1000, "ms", target=target))
    return rows
