"""Reference sequences: patterns, per-year numbering, rollback, concurrency, admin page."""
import threading
from datetime import date

import pytest
from sqlalchemy import select

from conftest import USE_PG, csrf_token_from, login
from core.db import db


def _declare(app, code="core.test_case", pattern="JS-XF-{year}-{n:05d}"):
    app.extensions["concord"].core_context().sequence(code, pattern)
    return code


# -- patterns ------------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern, expected", [
    ("JS-XF-{year}-{n:05d}", "JS-XF-2026-00042"),
    ("君山信访〔{year}〕第{n:05d}号", "君山信访〔2026〕第00042号"),
    ("{yy:02d}{n:04d}", "260042"),
    ("{{{year}}}-{n}", "{2026}-42"),
])
def test_patterns_render(app, pattern, expected):
    from core.sequences import render, validate_pattern
    assert render(validate_pattern(pattern), 2026, 42) == expected


@pytest.mark.parametrize("pattern", [
    "", "X-{n:05d}", "X-{year}", "{n.__class__}-{year}", "{foo}{n}{year}", "{0}{n}{year}",
    "{n!r}{year}", "{year-{n}", "{n:>999999999}{year}", "{n:zz}{year}", "{year}" + "x" * 200 + "{n}",
])
def test_bad_patterns_are_refused_with_a_message(app, pattern):
    from core.sequences import PatternError, validate_pattern
    with pytest.raises(PatternError) as err:
        validate_pattern(pattern)
    assert str(err.value)


# -- numbering -----------------------------------------------------------------------------------
def test_numbers_count_up_and_restart_each_year(app):
    from core.sequences import next_reference
    code = _declare(app)
    assert next_reference(code, date(2026, 12, 31)) == "JS-XF-2026-00001"
    assert next_reference(code, date(2026, 12, 31)) == "JS-XF-2026-00002"
    assert next_reference(code, date(2027, 1, 1)) == "JS-XF-2027-00001"
    assert next_reference(code, date(2026, 6, 1)) == "JS-XF-2026-00003"
    db.session.commit()
    assert next_reference(code, date(2027, 3, 1)) == "JS-XF-2027-00002"


def test_default_date_is_today_in_local_time(app):
    from core.sequences import next_reference
    from core.sequences.services import local_today
    code = _declare(app)
    assert next_reference(code) == f"JS-XF-{local_today().year}-00001"


def test_rollback_does_not_burn_a_number(app):
    from core.sequences import next_reference
    code = _declare(app)
    assert next_reference(code, date(2026, 5, 1)).endswith("00001")
    db.session.commit()
    assert next_reference(code, date(2026, 5, 1)).endswith("00002")
    db.session.rollback()
    assert next_reference(code, date(2026, 5, 1)).endswith("00002")
    db.session.commit()


def test_unknown_sequence_is_an_error(app):
    from core.sequences import SequenceError, next_reference
    with pytest.raises(SequenceError):
        next_reference("core.nobody_declared_this")


def test_sync_stores_declarations_and_keeps_admin_edits(app):
    from core.sequences.models import Sequence
    from core.sequences.services import sync_sequences
    host = app.extensions["concord"]
    _declare(app, "core.test_a", "A-{year}-{n:03d}")
    _declare(app, "core.test_b", "B-{year}-{n:03d}")
    assert sync_sequences()["added"] == 2
    a = db.session.scalar(select(Sequence).where(Sequence.code == "core.test_a"))
    a.pattern = "AA-{year}-{n:04d}"  # an administrator's edit
    # the plugin changes both declarations (a new release)
    for c in host.contributions:
        if c.kind == "sequence" and c.key in ("core.test_a", "core.test_b"):
            c.value = c.value.replace("{n:03d}", "{n:06d}")
    assert sync_sequences() == {"added": 0, "updated": 2}
    b = db.session.scalar(select(Sequence).where(Sequence.code == "core.test_b"))
    assert a.pattern == "AA-{year}-{n:04d}" and a.declared_pattern == "A-{year}-{n:06d}"
    assert b.pattern == "B-{year}-{n:06d}" and not b.customised


def test_a_plugin_declaring_a_bad_pattern_fails_at_sync(app):
    from core.plugins import PluginError
    from core.sequences.services import sync_sequences
    _declare(app, "core.test_bad", "NO-NUMBER-{year}")
    with pytest.raises(PluginError, match="core.test_bad"):
        sync_sequences()


def _concurrent_writers(app, code, n, rollback=lambda i: False):
    from core.sequences import next_reference
    barrier = threading.Barrier(n)
    got, errors = [], []

    def writer(i):
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                ref = next_reference(code, date(2026, 3, 1))
                if rollback(i):
                    db.session.rollback()
                else:
                    db.session.commit()
                    got.append(ref)
                db.session.remove()
        except Exception as exc:  # reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    return got


@pytest.mark.skipif(not USE_PG, reason="row locking (SELECT … FOR UPDATE) is PostgreSQL's; SQLite serialises on its one write lock")
def test_twenty_concurrent_writers_get_twenty_consecutive_numbers(make_app):
    app = make_app({"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 25, "max_overflow": 0}})
    with app.app_context():
        code = _declare(app)
        from core.sequences.services import sync_sequences
        sync_sequences()
        db.session.commit()
    got = _concurrent_writers(app, code, 20)
    assert sorted(got) == [f"JS-XF-2026-{i:05d}" for i in range(1, 21)]


def test_concurrent_rollbacks_leave_no_gap(make_app):
    """Runs on both databases: on SQLite the writers queue on the database write lock."""
    app = make_app({"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 25, "max_overflow": 0}})
    with app.app_context():
        code = _declare(app)
    got = _concurrent_writers(app, code, 12, rollback=lambda i: i % 3 == 0)
    assert sorted(got) == [f"JS-XF-2026-{i:05d}" for i in range(1, 9)]


# -- admin page ----------------------------------------------------------------------------------
def _seq(app):
    from core.sequences.models import Sequence
    from core.sequences.services import sync_sequences
    _declare(app)
    sync_sequences()
    db.session.commit()
    return db.session.scalar(select(Sequence).where(Sequence.code == "core.test_case"))


def test_admin_page_lists_and_edits_sequences(app, client):
    from core.sequences import next_reference
    seq = _seq(app)
    login(client, "admin")
    html = client.get("/admin/sequences/").get_data(as_text=True)
    assert "core.test_case" in html and "JS-XF-" in html
    resp = client.post("/admin/sequences/core.test_case", data={
        "pattern": "君山信访〔{year}〕第{n:05d}号", "next_number": "42", "version": seq.version})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    from core.sequences.services import local_today
    db.session.expire_all()
    assert next_reference("core.test_case") == f"君山信访〔{local_today().year}〕第00042号"


def test_admin_page_refuses_bad_input_with_a_message(app, client):
    from core.sequences import next_reference
    seq = _seq(app)
    next_reference("core.test_case"), next_reference("core.test_case")
    db.session.commit()
    login(client, "admin")
    resp = client.post("/admin/sequences/core.test_case", data={"pattern": "X-{n}", "version": seq.version})
    assert resp.status_code == 200 and "年份" in resp.get_data(as_text=True)
    resp = client.post("/admin/sequences/core.test_case", data={
        "pattern": "JS-{year}-{n:05d}", "next_number": "2", "version": seq.version})
    assert resp.status_code == 200 and "至少为 3" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(seq), seq.id).pattern == "JS-XF-{year}-{n:05d}"


def test_admin_page_needs_permission_and_csrf(csrf_app):
    seq = _seq(csrf_app)
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"username": "officer", "password": "concord-demo", "csrf_token": csrf_token_from(page)})
    assert client.get("/admin/sequences/").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))})
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"username": "admin", "password": "concord-demo", "csrf_token": csrf_token_from(page)})
    form = {"pattern": "NEW-{year}-{n}", "version": seq.version}
    assert client.post("/admin/sequences/core.test_case", data=form).status_code == 400
    form["csrf_token"] = csrf_token_from(client.get("/admin/sequences/core.test_case").get_data(as_text=True))
    assert client.post("/admin/sequences/core.test_case", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(seq), seq.id).pattern == "NEW-{year}-{n}"
