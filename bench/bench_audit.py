"""Audit trail and chatter costs.

- a committed change of two tracked fields (two audit rows written in the same transaction) against
  the same change of two untracked fields (the baseline: what the tracking adds per commit);
- ``history()`` and the chatter page of a record with 1,000 changes and 200 notes, in a log of
  100,000 rows (the index on record_type, record_id keeps them independent of the log's size);
- the admin audit page filtered to one record in that log.
"""
from __future__ import annotations


from sqlalchemy import insert, select

from bench import client, demo_app, login, measure, row
from core import clock

LOG_ROWS = 100_000


def _fill(user_id: int) -> None:
    from core.audit.models import AuditLog
    from core.db import db

    now = clock.now()
    batch = []
    for i in range(LOG_ROWS):
        rid = user_id if i % 100 == 0 else 10_000 + i % 5_000   # 1,000 rows on the measured record
        batch.append({"at": now, "user_id": None, "action": "update", "record_type": "core_user",
                      "record_id": str(rid), "field": "display_name", "old": f"n{i}", "new": f"n{i + 1}",
                      "text": None, "ip": None})
        if len(batch) == 10_000:
            db.session.execute(insert(AuditLog.__table__), batch)
            batch.clear()
    for i in range(200):
        batch.append({"at": now, "user_id": None, "action": "note", "record_type": "core_user",
                      "record_id": str(user_id), "field": None, "old": None, "new": None,
                      "text": f"note {i}", "ip": None})
    db.session.execute(insert(AuditLog.__table__), batch)
    db.session.commit()


def run() -> list[dict]:
    from core.audit.services import history
    from core.auth.models import User
    from core.db import db

    rows = []
    with demo_app() as app:
        user = db.session.scalar(select(User).where(User.username == "grid1"))
        counter = iter(range(10**9))

        def tracked():
            n = next(counter)
            user.display_name = f"网格员{n}"
            user.active = n % 2 == 0
            db.session.commit()

        def untracked():
            n = next(counter)
            user.phone = f"138{n:08d}"
            user.locale = "zh" if n % 2 else "en"
            db.session.commit()

        t = measure(tracked, seconds=1.5)
        u = measure(untracked, seconds=1.5)
        rows.append(row("commit with 2 tracked field changes", t.per_second, "commits/s", baseline=u.per_second,
                        note="baseline: 2 untracked fields, same commit"))
        user.active = True
        db.session.commit()

        _fill(user.id)
        h = measure(lambda: history("core_user", user.id), seconds=1.0)
        rows.append(row("history(): 1,200 rows of one record in a 100k log", h.median * 1000, "ms",
                        target="<= 150"))
        c = client(app)
        login(c, "admin")
        page = measure(lambda: c.get(f"/chatter/r/core_user/{user.id}").close(), seconds=1.5)
        rows.append(row("chatter page (200 entries shown) p95", page.p95 * 1000, "ms", target="<= 400"))
        audit = measure(lambda: c.get(f"/admin/audit/?record_type=core_user&record_id={user.id}").close(),
                        seconds=1.5)
        rows.append(row("audit page, one record in a 100k log, p95", audit.p95 * 1000, "ms", target="<= 400"))
    return rows
