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
