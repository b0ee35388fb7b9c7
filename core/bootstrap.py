"""Bring a database to the installed code: migrations, then reference data owned by code."""
from __future__ import annotations

from core.db import db


def sync_reference_data(app) -> dict:
    host = app.extensions["concord"]
    from core.auth.services import sync_roles_and_permissions
    summary = {"permissions": sync_roles_and_permissions(host)}
    from core.plugins.points import sync
    for c in host.items(sync):
        summary[c.key] = c.value()
    db.session.commit()
    return summary


def upgrade_and_sync(app) -> dict:
    from core.migrate import upgrade
    upgrade(app)
    summary = sync_reference_data(app)
    from core.db import refresh_planner_statistics
    refresh_planner_statistics()
    return summary
