"""Cost must not grow with the rows shown: every main list page and API list issues the same number of SQL
statements for 5 rows as for 100 (no N+1 queries)."""
import pytest
from sqlalchemy import event

from core.db import db
from werkzeug.exceptions import NotFound

from core.scale import seed_scale

PAGES = [
    ("officer", "/petition/?per_page={n}"),
    ("officer", "/petition/backlog/?per_page={n}"),
    ("officer", "/api/v1/petitions?per_page={n}"),
    ("mediator", "/mediation/?per_page={n}"),
    ("mediator", "/api/v1/disputes?per_page={n}"),
    ("mediator", "/hearing/?per_page={n}"),
    ("mediator", "/api/v1/hearings?per_page={n}"),
    ("legal", "/legal_aid/?per_page={n}"),
    ("legal", "/api/v1/referrals?per_page={n}"),
    ("aid", "/api/v1/aid-applications?per_page={n}"),
]


@pytest.fixture
def crowded(app):
    seed_scale(app.extensions["concord"], petitions=120, disputes=120)
    db.session.commit()
    return app


def _count(app, client, url: str) -> tuple[int, int]:
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        status = client.get(url).status_code
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return status, len(statements)


@pytest.mark.parametrize("role,url", PAGES, ids=[u.split("?")[0] for _r, u in PAGES])
def test_statements_do_not_grow_with_rows(crowded, client, login_as, api_token, role, url):
    if url.startswith("/api/"):
        token = api_token(role)
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    else:
        login_as(role)
    try:
        crowded.url_map.bind("localhost").match(url.split("?")[0], method="GET")
    except NotFound:
        pytest.skip(f"{url} is not served by the enabled plugins")
    few_status, few = _count(crowded, client, url.format(n=5))
    many_status, many = _count(crowded, client, url.format(n=100))
    assert few_status == many_status == 200
    assert many <= few, f"{url}: {few} statements for 5 rows, {many} for 100"
