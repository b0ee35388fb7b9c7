"""Retention: the audit log is kept at least 180 days (网络安全法 Art 21; GB/T 22239-2019 §8.1.4.3 c) and a
purge refuses anything younger; personal data of closed matters is de-identified once its retention period
(个人信息保护法 Art 19, a setting) has passed.

De-identification needs no plugin's help: every table with a foreign key to ``core_person`` is found in the
metadata; a reference counts as *expired* when its row (or the row it belongs to, through one more foreign
key) has a ``closed_at`` older than the cut-off. A person is de-identified only when every reference to them is
expired; a reference the rule cannot date (a table without ``closed_at``) keeps the person, so a plugin that
does not close its records never loses data to this job."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, select

from core import clock
from core.db import db

AUDIT_FLOOR_DAYS = 180
RETENTION_DEFAULTS = {
    "audit_retention_days": 365,              # ≥ 180; the purge removes only rows older than this
    "personal_data_retention_days": 1825,     # after a matter closes; 0: never de-identify
}
DEIDENTIFIED = "已去标识化"


class RetentionError(ValueError):
    pass


def _setting(name: str) -> int:
    from .policy import PREFIX
    from core.settings import services as settings
    try:
        return int(settings.get(PREFIX + name))
    except (KeyError, TypeError, ValueError):
        return RETENTION_DEFAULTS[name]


def purge_audit(days: int | None = None, now: datetime | None = None) -> int:
    """Delete audit rows older than *days* (default: the setting). Refuses a period under 180 days."""
    from core.audit.log import log_event
    from core.audit.models import AuditLog
    days = _setting("audit_retention_days") if days is None else int(days)
    if days < AUDIT_FLOOR_DAYS:
        raise RetentionError(_("The audit log is kept at least %(n)d days; a purge of younger rows is refused.",
                               n=AUDIT_FLOOR_DAYS))
    cutoff = (now or clock.now()) - timedelta(days=days)
    n = db.session.execute(delete(AuditLog).where(AuditLog.at < cutoff)).rowcount or 0
    log_event("audit_purge", "core_audit_log", None, text=f"< {cutoff.isoformat(sep=' ')}", new=str(n))
    return n


def purge_job() -> int:
    return purge_audit()


# -- 个人信息保护法 Art 19 ------------------------------------------------------------------------------
def _person_references():
    """(table, person column, closed_at column or None, join condition or None) for every FK to core_person."""
    person_table = db.metadata.tables["core_person"]
    out = []
    for table in db.metadata.sorted_tables:
        if table is person_table:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is not person_table:
                continue
            col = fk.parent
            if "closed_at" in table.c:
                out.append((table, col, table.c.closed_at, None))
                continue
            parent = next(((f.parent, f.column) for f in table.foreign_keys
                           if f.column.table is not person_table and "closed_at" in f.column.table.c), None)
            if parent is not None:
                local, remote = parent
                out.append((table, col, remote.table.c.closed_at, (remote.table, local == remote)))
            else:
                out.append((table, col, None, None))
    return out


def expired_persons(cutoff: datetime) -> set[int]:
    candidates: set[int] = set()
    keep: set[int] = set()
    for table, col, closed_at, join in _person_references():
        base = select(col).select_from(table)
        if join is not None:
            base = base.join(join[0], join[1])
        if closed_at is None:
            keep |= {i for i in db.session.scalars(base.where(col.is_not(None)).distinct()) if i is not None}
            continue
        expired = and_(closed_at.is_not(None), closed_at < cutoff)
        candidates |= {i for i in db.session.scalars(base.where(col.is_not(None), expired).distinct())}
        keep |= {i for i in db.session.scalars(base.where(col.is_not(None), ~expired).distinct())}
    return candidates - keep


def deidentify(days: int | None = None, now: datetime | None = None) -> int:
    """Replace the name, ID number, phone and address of every person whose matters all closed more than
    *days* ago (default: the setting; 0 turns the job off)."""
    from core.audit.log import log_event
    from core.parties.models import Person
    days = _setting("personal_data_retention_days") if days is None else int(days)
    if days <= 0:
        return 0
    cutoff = (now or clock.now()) - timedelta(days=days)
    ids = sorted(expired_persons(cutoff))
    done = 0
    for person in db.session.scalars(select(Person).where(Person.id.in_(ids), Person.name != DEIDENTIFIED)):
        person.name = DEIDENTIFIED
        person.name_norm = DEIDENTIFIED
        person.id_number = None
        person.phone = None
        person.address = None
        log_event("deidentify", "core_person", person.id, text=f"> {days}")
        done += 1
    db.session.flush()
    return done


def deidentify_job() -> int:
    return deidentify()


def oldest_audit_row():
    from core.audit.models import AuditLog
    return db.session.scalar(select(func.min(AuditLog.at)))
