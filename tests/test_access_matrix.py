"""Issue 16: a route × role × record-type matrix, generated — not a hand list — from the registered routes
(``app.url_map``), the record types (the record-access registry, ``core.audit.access``) and the accounts in the
demo data. It proves no access where there should be none:

- every GET route that addresses a record (the record's own page, and every other route under it that takes the
  same id) answers 403 or 404 to each account the registry says may not open that record;
- the record's own page opens (200) for each account that may, so the matrix is not vacuous;
- derived views — the dashboard drill-down of every KPI measure and its CSV export, hotspots, the home page's
  cards, the notification inbox — link to and list only records the account may open.

One app, one signed-in client per account, a few records of each type (one per region where the type has
regions): a few hundred requests."""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from conftest import DEMO_PASSWORD, login
from core import clock
from core.audit.access import known_record_types, may_view, record_access
from core.auth.models import User
from core.db import db

SAMPLES = 3


def _accounts(app):
    """Every active account of the demo data that signs in with the demo password, with its client."""
    out = {}
    for user in db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)):
        client = app.test_client()
        if login(client, user.username, DEMO_PASSWORD).status_code == 302 and client.get("/").status_code == 200:
            out[user.username] = (user, client)
    return out


def _samples(record_type: str) -> list[int]:
    table = db.metadata.tables[record_type]
    if "region_id" in table.c:
        rows = db.session.execute(select(table.c.region_id, table.c.id).order_by(table.c.id)).all()
        picked, regions = [], set()
        for region_id, rid in rows:
            if region_id not in regions:
                regions.add(region_id)
                picked.append(rid)
            if len(picked) >= SAMPLES:
                break
        return picked
    return list(db.session.scalars(select(table.c.id).order_by(table.c.id).limit(SAMPLES)))


def _record_routes(app, record_type: str, record_id: int):
    """(canonical path, [paths of every other GET route taking the same id under the same prefix])."""
    access = record_access(record_type)
    with app.test_request_context():
        url = access.url(record_id)
    path = urlsplit(url).path
    rule, args = app.url_map.bind("localhost").match(path, method="GET", return_rule=True)
    id_args = [name for name, value in args.items() if value == record_id]
    prefix = rule.rule.split("<", 1)[0]
    others = []
    for r in app.url_map.iter_rules():
        if r is rule or "GET" not in r.methods or not r.rule.startswith(prefix):
            continue
        if set(r.arguments) != set(id_args) or not set(id_args) <= set(r.arguments):
            continue
        with app.test_request_context():
            from flask import url_for
            others.append(url_for(r.endpoint, **{a: record_id for a in id_args}))
    return path, others


@pytest.fixture
def matrix(app):
    app.config["WTF_CSRF_ENABLED"] = False
    accounts = _accounts(app)
    assert len(accounts) >= 10, sorted(accounts)
    types = [t for t in known_record_types() if t in db.metadata.tables and record_access(t).url]
    assert len(types) >= 8, types
    return accounts, types


def test_no_account_opens_a_record_route_it_may_not(app, matrix):
    accounts, types = matrix
    checked = denied = 0
    for record_type in types:
        for record_id in _samples(record_type):
            page, others = _record_routes(app, record_type, record_id)
            for name, (user, client) in accounts.items():
                allowed = may_view(user, record_type, record_id)
                status = client.get(page).status_code
                checked += 1
                if allowed:
                    assert status == 200, (name, record_type, page, status)
                    continue
                denied += 1
                assert status in (403, 404), (name, record_type, page, status)
                for path in others:
                    status = client.get(path).status_code
                    checked += 1
                    assert status in (403, 404, 405), (name, record_type, path, status)
    assert denied > 0 and checked > denied


def _record_of_path(adapter, path: str, endpoints: dict):
    try:
        rule, args = adapter.match(urlsplit(path).path, method="GET", return_rule=True)
    except Exception:
        return None
    found = endpoints.get(rule.endpoint)
    if found is None:
        return None
    record_type, arg = found
    return record_type, args.get(arg)


def _canonical_endpoints(app, types) -> dict:
    """endpoint → (record type, id argument) of each record type's own page."""
    out = {}
    for record_type in types:
        ids = _samples(record_type)
        if not ids:
            continue
        with app.test_request_context():
            path = urlsplit(record_access(record_type).url(ids[0])).path
        rule, args = app.url_map.bind("localhost").match(path, method="GET", return_rule=True)
        arg = next(a for a, v in args.items() if v == ids[0])
        out[rule.endpoint] = (record_type, arg)
    return out


def _derived_pages(app):
    """Every derived view: each KPI measure's drill-down (its export) over this year, hotspots, the home
    page and the notification inbox."""
    from core.kpi import measures as M
    year = clock.today().year
    pages = ["/", "/notifications/", "/dashboard/hotspots?days=1000"]
    with app.test_request_context():
        for key, measure in sorted(M.measures().items()):
            if measure.model is None or not measure.record_type:
                continue
            # the export lists every record the page lists (the page stops at 500)
            pages.append(f"/dashboard/records?m={key}&period={year}&format=csv")
    return pages


def test_derived_views_list_only_records_the_account_may_open(app, matrix):
    from core.kpi import measures as M
    accounts, types = matrix
    endpoints = _canonical_endpoints(app, types)
    with app.test_request_context():
        by_key = {k: m for k, m in M.measures().items() if m.model is not None and m.record_type}
    pages = _derived_pages(app)
    adapter = app.url_map.bind("localhost")
    refs = {}       # measure key → {reference: id}, one query per measure
    seen = {}       # (account, record type, id) → may open
    def opens(name, user, record_type, rid):
        key = (name, record_type, rid)
        if key not in seen:
            seen[key] = rid is not None and may_view(user, record_type, rid)
        return seen[key]
    links = rows = 0
    for name, (user, client) in accounts.items():
        for page in pages:
            if page.startswith("/dashboard/") and not user.can("core.dashboard.read"):
                continue        # the guard refuses the whole dashboard (tests/test_auth.py)
            resp = client.get(page)
            if resp.status_code != 200:
                assert resp.status_code in (302, 403, 404), (name, page, resp.status_code)
                continue
            text = resp.get_data(as_text=True)
            if "format=csv" in page:
                key = re.search(r"m=([^&]+)", page).group(1)
                measure = by_key[key]
                ref_col = getattr(measure.model, "reference", None)
                if ref_col is None:
                    continue
                if key not in refs:
                    refs[key] = dict(db.session.execute(select(ref_col, measure.model.id)).all())
                for row in list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]:
                    if not row:
                        continue
                    rows += 1
                    assert opens(name, user, measure.record_type, refs[key].get(row[0])), (name, page, row[0])
                continue
            for href in set(re.findall(r'href="(/[^"#?]*)', text)):
                found = _record_of_path(adapter, href, endpoints)
                if found is None:
                    continue
                links += 1
                assert opens(name, user, found[0], found[1]), (name, page, href)
    assert links + rows > 0
