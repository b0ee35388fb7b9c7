"""Issue 22 §1: a user's roles and permissions come from a per-process cache keyed by the grants stamp; an
edit of a role's grants or of a user's roles changes the stamp, so the next request sees it."""
from sqlalchemy import select

from conftest import login
from core.auth import grants
from core.auth.models import Role, User
from core.db import db


def _stamp():
    from core.settings.models import Setting
    row = db.session.get(Setting, grants.KEY)
    return row.value if row else None


def test_role_grant_edit_reaches_the_next_request(app, client):
    login(client, "officer")
    assert client.get("/petition/").status_code == 200
    before = _stamp()
    from core.admin.services import set_role_permissions
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    for role in officer.roles:
        set_role_permissions(role, [p.code for p in role.permissions if p.code != "petition.case.read"], admin)
    db.session.commit()
    assert _stamp() != before
    assert client.get("/petition/").status_code == 403


def test_user_role_change_reaches_the_next_request(app, client):
    login(client, "grid1")
    assert client.get("/petition/").status_code == 403
    user = db.session.scalar(select(User).where(User.username == "grid1"))
    user.roles.append(db.session.get(Role, "officer") or db.session.scalars(select(Role)).first())
    db.session.commit()
    assert client.get("/petition/").status_code == 200


def test_rolled_back_edit_keeps_the_stamp(app):
    before = _stamp()
    role = db.session.scalars(select(Role)).first()
    role.description = "changed"
    db.session.flush()
    db.session.rollback()
    assert _stamp() == before


def test_the_signed_in_user_is_one_core_row_and_every_change_is_seen_next_request(app, client):
    """Issue 22 §1: the user (with its region) is made from one Core row per request, not an ORM load; it still
    behaves as a loaded user (its region, roles on demand, an edit saved with its version), and a disabled
    account or a new session epoch ends the session on the very next request."""
    from sqlalchemy import event, update

    from core.auth.models import User as U
    login(client, "officer")
    assert client.get("/petition/").status_code == 200             # this process now holds the grants
    queries = []

    def seen(conn, cursor, statement, *args):
        queries.append(statement)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert client.get("/petition/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    users = [q for q in queries if "FROM core_user" in q]
    assert len(users) == 1 and "core_setting" in users[0] and "core_region" in users[0], queries
    assert not [q for q in queries if "core_user_role" in q or "core_role" in q], queries   # roles: cached grants

    from core.security.sessions import _with_grants
    officer = db.session.scalar(select(U.id).where(U.username == "officer"))
    db.session.expunge_all()
    with app.test_request_context("/"):
        user = _with_grants(officer)
        assert user in db.session and not db.session.dirty
        loaded = db.session.scalar(select(U).where(U.id == officer))
        assert loaded is user                                     # the session's one instance of that row
        assert user.region is None or user.region.path
        assert {r.code for r in user.roles} == user.role_codes
        version = user.version
        user.display_name = user.display_name + " "
        db.session.commit()
        assert user.version == version + 1
    db.session.execute(update(U).where(U.id == officer).values(session_epoch=U.session_epoch + 1))
    db.session.commit()
    assert client.get("/petition/").status_code in (302, 401)      # the old session no longer matches
    login(client, "officer")
    assert client.get("/petition/").status_code == 200
    db.session.execute(update(U).where(U.id == officer).values(active=False))
    db.session.commit()
    assert client.get("/petition/").status_code in (302, 401)
