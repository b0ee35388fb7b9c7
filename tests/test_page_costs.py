"""Issue 22: what a page no longer recomputes per request still gives what it gave — a signed CSRF token reused
for a minute stays valid (and a fresh one follows), a lazy label's per-request text follows the language."""
from __future__ import annotations

import time

import pytest

from conftest import DEMO_PASSWORD, csrf_token_from


def _signed_in(app):
    c = app.test_client()
    page = c.get("/login").get_data(as_text=True)
    assert c.post("/login", data={"username": "officer", "password": DEMO_PASSWORD,
                                  "csrf_token": csrf_token_from(page)}).status_code == 302
    return c


def test_a_reused_csrf_token_is_accepted_and_renewed_after_a_minute(csrf_app, monkeypatch):
    from core.security import csrf_tokens
    c = _signed_in(csrf_app)
    first = csrf_token_from(c.get("/petition/").get_data(as_text=True))
    again = csrf_token_from(c.get("/petition/").get_data(as_text=True))
    assert again == first                                    # signed once, handed out again
    # the reused token works for a POST (the language switch form posts nothing; sign-out does)
    later = time.monotonic() + csrf_tokens.REUSE_SECONDS + 1
    monkeypatch.setattr(csrf_tokens.time, "monotonic", lambda: later)
    time.sleep(1.1)                                          # itsdangerous stamps whole seconds
    renewed = csrf_token_from(c.get("/petition/").get_data(as_text=True))
    assert renewed != first                                  # older than a minute: signed anew
    assert c.post("/logout", data={"csrf_token": first}).status_code == 302      # still valid


def test_a_token_for_another_session_is_refused(csrf_app):
    a, b = _signed_in(csrf_app), _signed_in(csrf_app)
    token_a = csrf_token_from(a.get("/petition/").get_data(as_text=True))
    assert b.post("/logout", data={"csrf_token": token_a}).status_code == 400


def test_lazy_labels_follow_the_language_within_and_across_requests(app, client):
    from flask_babel import force_locale, lazy_gettext

    from conftest import login
    label = lazy_gettext("Closed")
    with app.test_request_context("/"):
        with force_locale("zh"):
            zh = str(label)
        with force_locale("en"):
            assert str(label) == "Closed"
        with force_locale("zh"):
            assert str(label) == zh != "Closed"
    login(client, "officer")
    for _ in range(2):                       # one language after the other, each page in its own
        en = client.get("/petition/?lang=en").get_data(as_text=True)
        assert ">Reference<" in en and ">编号<" not in en
        zh = client.get("/petition/?lang=zh").get_data(as_text=True)
        assert ">编号<" in zh and ">Reference<" not in zh


# -- list statements kept once per process (core.shell.listing.listed) ------------------------------------
def _references(client, path):
    import re
    return set(re.findall(r'<a href="/[^"]*/(\d+)">', client.get(path).get_data(as_text=True)))


def test_kept_list_statements_follow_each_users_scope(app, client):
    """Two officers of different towns, alternating on the same worker: each sees exactly their town's items
    (the kept statement is the one of their own scope), and the district officer sees both."""
    from sqlalchemy import select

    from conftest import login
    from core.auth.services import create_user
    from core.db import db
    from core.regions.models import Region
    from plugins.petition.models import PetitionCase
    town_a, town_b = db.session.scalars(select(Region).where(Region.level == "town").order_by(Region.code)).all()[:2]
    cases = db.session.scalars(select(PetitionCase).order_by(PetitionCase.id)).all()
    assert len(cases) >= 6, "the demo data has petitions"
    for case in cases[:3]:                       # the demo's items are the county's: three move to each town
        case.region_id = town_a.id
    for case in cases[3:6]:
        case.region_id = town_b.id
    db.session.commit()
    ids_a, ids_b = {c.id for c in cases[:3]}, {c.id for c in cases[3:6]}
    create_user("officer_a", "long-enough-pw-1", ["officer"], region_code=town_a.code, check_password=False)
    create_user("officer_b", "long-enough-pw-1", ["officer"], region_code=town_b.code, check_password=False)
    db.session.commit()
    clients = {}
    for name in ("officer_a", "officer_b", "officer"):
        clients[name] = app.test_client()
        assert login(clients[name], name, "long-enough-pw-1" if name != "officer" else "concord-demo") \
            .status_code == 302
    for _ in range(2):
        seen_a = _references(clients["officer_a"], "/petition/?per_page=200")
        seen_b = _references(clients["officer_b"], "/petition/?per_page=200")
        seen_all = _references(clients["officer"], "/petition/?per_page=200")
        assert {int(i) for i in seen_a} == ids_a
        assert {int(i) for i in seen_b} == ids_b
        assert {int(i) for i in seen_all} >= ids_a | ids_b


def test_grid_workers_keep_their_own_dispute_lists(app, client):
    """grid1 and grid2 in turn: each list holds their own grids' disputes only."""
    from sqlalchemy import select

    from conftest import login
    from core.auth.models import User
    from core.db import db
    from plugins.mediation.access import visible_disputes
    expected = {}
    for name in ("grid1", "grid2"):
        user = db.session.scalar(select(User).where(User.username == name))
        expected[name] = {d.id for d in db.session.scalars(visible_disputes(user)).all()}
    assert expected["grid1"] and expected["grid2"] and expected["grid1"] != expected["grid2"]
    clients = {n: app.test_client() for n in expected}
    for name, c in clients.items():
        login(c, name)
    for _ in range(2):
        for name, c in clients.items():
            assert {int(i) for i in _references(c, "/mediation/?per_page=200")} == expected[name], name


def test_the_audit_logs_today_is_the_day_of_the_request(app, client):
    """The period filter reads the clock: a page filtered to "today" is built for its own day, never kept."""
    from datetime import datetime

    from conftest import login
    from core import clock
    from core.audit.models import AuditLog
    from core.db import db
    login(client, "auditor")
    with clock.frozen(datetime(2026, 3, 2, 10, 0)):
        db.session.add(AuditLog(at=clock.now(), action="note", record_type="core_user", record_id="1",
                                text="day-one-marker"))
        db.session.commit()
        assert "day-one-marker" in client.get("/admin/audit/?period=today").get_data(as_text=True)
    with clock.frozen(datetime(2026, 3, 3, 10, 0)):
        assert "day-one-marker" not in client.get("/admin/audit/?period=today").get_data(as_text=True)
        assert "day-one-marker" in client.get("/admin/audit/?q=day-one-marker").get_data(as_text=True)


def test_a_list_counted_by_parts_counts_what_its_or_selects(app, client):
    """The persons list counts its rows as in-scope + without a region (a UNION ALL, one index range each):
    the total on the page is the count of the OR it lists, capped as any list's count, for a town's officer
    and for the county's, and a name search counts by the OR itself."""
    import re

    from sqlalchemy import func, or_, select

    from conftest import login
    from core.auth.models import User
    from core.auth.services import create_user
    from core.db import count_parts_statement, count_statement, db
    from core.parties.models import Person
    from core.regions.models import Region
    from core.regions.scope import scope_alternatives
    town = db.session.scalars(select(Region).where(Region.level == "town").order_by(Region.code)).first()
    people = db.session.scalars(select(Person).order_by(Person.id)).all()
    assert len(people) >= 6
    people[0].region_id, people[1].region_id, people[2].region_id = town.id, town.id, None
    db.session.commit()
    create_user("officer_t", "long-enough-pw-1", ["officer"], region_code=town.code, check_password=False)
    db.session.commit()
    for name, password in (("officer_t", "long-enough-pw-1"), ("officer", "concord-demo")):
        user = db.session.scalar(select(User).where(User.username == name))
        parts = scope_alternatives(Person.region_id, user, include_unassigned=True)
        assert len(parts) == 2
        expected = db.session.scalar(select(func.count()).select_from(Person).where(or_(*parts)))
        assert db.session.scalar(count_parts_statement([select(Person).where(p) for p in parts])) == expected
        assert db.session.scalar(count_parts_statement([select(Person).where(p) for p in parts], cap=1)) == 2
        assert db.session.scalar(count_statement(select(Person).where(or_(*parts)), cap=1)) == 2
        c = app.test_client()
        assert login(c, name, password).status_code == 302
        page = c.get("/parties/persons?lang=en").get_data(as_text=True)
        assert re.search(rf"\b{expected} records\b", page), name
    searched = app.test_client()
    login(searched, "officer_t", "long-enough-pw-1")
    name = people[0].name_norm[:1]
    user = db.session.scalar(select(User).where(User.username == "officer_t"))
    parts = scope_alternatives(Person.region_id, user, include_unassigned=True)
    expected = db.session.scalar(select(func.count()).select_from(Person).where(
        or_(*parts), Person.name_norm.contains(name, autoescape=True)))
    page = searched.get(f"/parties/persons?lang=en&q={name}").get_data(as_text=True)
    assert re.search(rf"\b{expected} records\b", page)


def test_the_audit_log_names_who_acted_without_loading_them(app, client):
    """Each row's user is named from the users the filter lists: the name of the one who acted, "System" for
    none."""
    from datetime import datetime

    from sqlalchemy import select

    from conftest import login
    from core import clock
    from core.audit.models import AuditLog
    from core.auth.models import User
    from core.db import db
    mediator = db.session.scalar(select(User).where(User.username == "mediator"))
    with clock.frozen(datetime(2026, 3, 2, 10, 0)):
        db.session.add(AuditLog(at=clock.now(), action="note", record_type="core_user", record_id="1",
                                text="acted-by-mediator", user_id=mediator.id))
        db.session.add(AuditLog(at=clock.now(), action="note", record_type="core_user", record_id="1",
                                text="acted-by-nobody"))
        db.session.commit()
    login(client, "auditor")
    page = client.get("/admin/audit/?lang=en&q=acted-by-").get_data(as_text=True)
    rows = [r.split("</tr>")[0] for r in page.split("<tr>") if "<td" in r.split("</tr>")[0] and "acted-by-" in r]
    assert len(rows) == 2
    assert any(mediator.display_name in r and "acted-by-mediator" in r for r in rows)
    assert any(">System<" in r and "acted-by-nobody" in r for r in rows)


def test_a_list_page_is_one_statement_carrying_its_count(app, client):
    """The petitions list reads the signed-in user and then its page in one statement whose rows carry the
    capped count; a page past the end (no row to carry it) counts on its own and still shows the total."""
    import re

    from sqlalchemy import event, func, select

    from conftest import login
    from core.db import db
    from plugins.petition.models import PetitionCase
    login(client, "officer")
    client.get("/petition/")
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get("/petition/?lang=en&per_page=2").get_data(as_text=True)
        on_page = list(seen)
        seen.clear()
        past = client.get("/petition/?lang=en&per_page=2&page=99999").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    total = db.session.scalar(select(func.count()).select_from(PetitionCase))
    assert len([s for s in on_page if "petition_case" in s]) == 1, on_page
    assert re.search(rf"\b{total} records\b", page)
    assert len([s for s in seen if "petition_case" in s]) == 2          # the empty page, then its count
    assert re.search(rf"\b{total} records\b", past) and "No records." in past


def test_the_audit_log_reads_its_entries_as_rows_and_words_them_as_before(app, client):
    """The log's page and its exports read entries as Core rows (no AuditLog object is loaded) and still word
    each kind: a change names its field and values, a creation its snapshot, a sign-in its action."""
    import io
    from datetime import datetime

    from openpyxl import load_workbook
    from sqlalchemy import event

    from conftest import login
    from core import clock
    from core.audit.models import AuditLog
    from core.db import db
    with clock.frozen(datetime(2026, 3, 2, 10, 0, 7)):
        db.session.add(AuditLog(at=clock.now(), action="update", record_type="core_user", record_id="1",
                                field="display_name", old="rows-old-name", new="rows-new-name"))
        db.session.commit()
    login(client, "auditor")
    loaded = []

    def on_load(target, context):
        loaded.append(target)
    event.listen(AuditLog, "load", on_load)
    try:
        page = client.get("/admin/audit/?lang=en&q=rows-new-name").get_data(as_text=True)
        csv = client.get("/admin/audit/?lang=en&q=rows-new-name&format=csv").get_data(as_text=True)
        xlsx = client.get("/admin/audit/?lang=en&q=rows-new-name&format=xlsx").data
    finally:
        event.remove(AuditLog, "load", on_load)
    assert loaded == []
    row = next(r for r in page.split("<tr>") if "rows-new-name" in r and "<td" in r)
    assert ">2026-03-02 10:00:07<" in row and ">Changed<" in row and "rows-old-name" in row
    assert "display_name" not in row                         # the field by its label, not its key
    assert "rows-old-name" in csv and "2026-03-02 10:00:07" in csv
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [c.value for r in sheet.iter_rows() for c in r]
    assert "rows-new-name" in values and datetime(2026, 3, 2, 10, 0, 7) in values


LIST_PAGES = [("officer", "/petition/"), ("mediator", "/mediation/"), ("grid1", "/mediation/"),
              ("mediator", "/hearing/"), ("legal", "/legal_aid/"), ("aid", "/legal_aid/aid/"),
              ("officer", "/parties/persons"), ("auditor", "/admin/audit/")]


@pytest.mark.parametrize("user,path", LIST_PAGES)
def test_a_list_page_loads_its_rows_as_rows_not_objects(app, client, user, path):
    """Each list page of issue 22 reads the columns it shows as Core rows: no mapped object of any kind is
    loaded by the ORM to draw it (the signed-in user is made from its own row), and its rows are there."""
    from sqlalchemy import event

    from conftest import login
    from core.db import db
    login(client, user)
    client.get(path + "?lang=en")           # the language is kept on the account: a write, then a reload
    loaded = []

    def on_load(target, context):
        loaded.append(type(target).__name__)
    event.listen(db.Model, "load", on_load, propagate=True)
    try:
        response = client.get(path)
    finally:
        event.remove(db.Model, "load", on_load)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "No records." not in page
    assert loaded == [], sorted(set(loaded))


@pytest.mark.parametrize("user,path", LIST_PAGES)
def test_a_list_page_is_the_users_row_and_one_statement(app, client, user, path):
    """Each list page of issue 22 reads the signed-in user's row and then its page — rows, count and every
    row's clock (referrals, aid applications) — in one statement: no second round trip per page."""
    from sqlalchemy import event

    from conftest import login
    from core.db import db
    login(client, user)
    client.get(path + "?lang=en")
    client.get(path)                         # what a process keeps (filters, settings) is kept by now
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200 and "No records." not in response.get_data(as_text=True)
    assert len(seen) == 2 and "core_user" in seen[0], seen


def test_template_texts_kept_per_catalogue_follow_the_language(app, client):
    """A template's ``_()`` kept per catalogue (core.i18n.kept_template_texts) gives each language its own
    words, switching back and forth in one process; a message with variables is still filled per page."""
    import re

    from conftest import login
    login(client, "officer")
    for lang, sign_out, count in (("en", ">Sign out<", r"\d+ records · page 2 of \d+"),
                                  ("zh", ">退出<", r"共 \d+ 条 · 第 2 / \d+ 页"),
                                  ("en", ">Sign out<", r"\d+ records · page 2 of \d+")):
        page = client.get(f"/petition/?lang={lang}&per_page=2&page=2").get_data(as_text=True)
        assert sign_out in page and re.search(count, page), lang
