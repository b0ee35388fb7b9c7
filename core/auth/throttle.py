"""Login throttling, counted atomically per account and per address, outside the user row's optimistic lock.

Each subject (``user:<name>``, ``addr:<address>``) has one ``core_login_throttle`` row with its failures and
the password comparisons under way (``inflight``). Before a password is compared, one conditional UPDATE
reserves a comparison only while ``failures + inflight`` is below the limit and the subject is not
locked; so of any number of parallel wrong passwords at most ``LOGIN_MAX_FAILURES`` (5) are ever compared
before the lock holds. A request that finds the limit taken by comparisons still running waits for them
(they either fail, and the lock holds, or succeed and free their place), so parallel correct logins all
succeed. Every statement runs in its own short transaction on its own connection: a failure counts even
though the request's transaction rolls back, and nothing here touches ``core_user.version``.

Settings: ``LOGIN_MAX_FAILURES`` (5) and ``LOGIN_LOCK_MINUTES`` (15) per account;
``LOGIN_MAX_FAILURES_PER_ADDRESS`` (30) per client address in the same window.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import case, select, update

from core import clock
from core.concurrency.models import LoginThrottle
from core.db import db
from .models import User

T = LoginThrottle.__table__
U = User.__table__
INFLIGHT_STALE = timedelta(seconds=30)     # a comparison that never reported back (process killed)


class Locked(Exception):
    def __init__(self, until: datetime, subject: str):
        super().__init__(subject)
        self.until, self.subject = until, subject

    @property
    def minutes(self) -> int:
        return max(1, int((self.until - clock.now()).total_seconds() // 60) + 1)

    @property
    def by_address(self) -> bool:
        return self.subject.startswith("addr:")


class Busy(Exception):
    """Comparisons for this account are still running after the wait."""


@dataclass
class Reservation:
    subjects: list[tuple[str, int]]     # (subject, limit)
    username: str


def policy() -> tuple[int, int, timedelta]:
    cfg = current_app.config
    return (int(cfg.get("LOGIN_MAX_FAILURES", 5)), int(cfg.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 30)),
            timedelta(minutes=int(cfg.get("LOGIN_LOCK_MINUTES", 15))))


def client_address() -> str:
    return (request.remote_addr or "-") if has_request_context() else "-"


def _ensure(conn, subjects: list[str]) -> None:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    for s in subjects:
        conn.execute(insert(T).values(subject=s, failures=0, inflight=0).on_conflict_do_nothing())


def reserve(username: str, address: str | None = None) -> Reservation:
    """Reserve one password comparison for *username* from *address*; raises Locked or Busy."""
    max_user, max_addr, lock_for = policy()
    username = (username or "").strip()
    subjects = [(f"user:{username.lower()[:100]}", max_user), (f"addr:{(address or client_address())[:100]}", max_addr)]
    names = [s for s, _n in subjects]
    now = clock.now()
    with db.engine.begin() as conn:
        _ensure(conn, names)
        _admin_unlocked(conn, username, subjects[0][0], now)
        # one row at a time, account first, as everywhere here: two sign-ins never lock the rows in
        # opposite orders (a statement over both rows would take them in whatever order it finds them)
        for subject in names:
            # a lock that ran out, or failures older than the window, start again from zero
            conn.execute(update(T).where(T.c.subject == subject, (
                (T.c.locked_until.is_not(None) & (T.c.locked_until <= now))
                | (T.c.locked_until.is_(None) & (T.c.last_failure_at < now - lock_for))))
                .values(failures=0, locked_until=None))
            conn.execute(update(T).where(T.c.subject == subject, T.c.inflight > 0,
                                         T.c.inflight_since < now - INFLIGHT_STALE).values(inflight=0))
    give_up = time.monotonic() + float(current_app.config.get("LOGIN_WAIT_SECONDS", 15))
    while True:
        now = clock.now()
        with db.engine.begin() as conn:
            taken = True
            for subject, limit in subjects:          # always account first, then address: no circular waits
                n = conn.execute(update(T).where(
                    T.c.subject == subject, T.c.failures + T.c.inflight < limit,
                    T.c.locked_until.is_(None) | (T.c.locked_until <= now))
                    .values(inflight=T.c.inflight + 1, inflight_since=now)).rowcount
                if n != 1:
                    taken = False
                    conn.rollback()
                    break
        if taken:
            return Reservation(subjects, username)
        with db.engine.connect() as conn:
            rows = conn.execute(select(T.c.subject, T.c.locked_until).where(T.c.subject.in_(names))).all()
        for subject, until in rows:
            if until is not None and until > now:
                raise Locked(until, subject)
        if time.monotonic() > give_up:
            raise Busy()
        time.sleep(0.05)


def _admin_unlocked(conn, username: str, subject: str, now: datetime) -> None:
    """An administrator who clears the user's ``locked_until`` (the mirror of this lock) unlocks it here."""
    row = conn.execute(select(T.c.locked_until).where(T.c.subject == subject)).first()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return
    user = conn.execute(select(U.c.locked_until).where(U.c.username == username)).first()
    if user is not None and user.locked_until is None:
        conn.execute(update(T).where(T.c.subject == subject).values(failures=0, locked_until=None))


def _release():
    return case((T.c.inflight > 0, T.c.inflight - 1), else_=0)


def failed(res: Reservation, user_id: int | None) -> None:
    """The password was wrong: count it for every subject; at the limit the subject locks."""
    _max_user, _max_addr, lock_for = policy()
    now = clock.now()
    with db.engine.begin() as conn:
        for subject, limit in res.subjects:
            conn.execute(update(T).where(T.c.subject == subject).values(
                inflight=_release(), failures=T.c.failures + 1, last_failure_at=now,
                locked_until=case((T.c.failures + 1 >= limit, now + lock_for), else_=T.c.locked_until)))
        if user_id is not None:                      # mirrored on the user row for the admin's list only
            row = conn.execute(select(T.c.failures, T.c.locked_until).where(T.c.subject == res.subjects[0][0])).first()
            conn.execute(update(U).where(U.c.id == user_id).values(
                failed_logins=row.failures, locked_until=row.locked_until, updated_at=U.c.updated_at))


def succeeded(res: Reservation, user_id: int) -> None:
    """The password was right: the account's failures are forgotten; the sign-in is stamped (no version)."""
    now = clock.now()
    with db.engine.begin() as conn:
        user_subject, addr_subject = res.subjects[0][0], res.subjects[1][0]
        conn.execute(update(T).where(T.c.subject == user_subject)
                     .values(inflight=_release(), failures=0, locked_until=None))
        conn.execute(update(T).where(T.c.subject == addr_subject).values(inflight=_release()))
        conn.execute(update(U).where(U.c.id == user_id).values(
            last_login_at=now, failed_logins=0, locked_until=None, updated_at=U.c.updated_at))


def cancelled(res: Reservation) -> None:
    """The comparison did not happen after all (an error): give the place back."""
    with db.engine.begin() as conn:
        for subject, _limit in res.subjects:
            conn.execute(update(T).where(T.c.subject == subject).values(inflight=_release()))


def purge(older_than: timedelta = timedelta(days=1)) -> int:
    """Forget subjects with nothing to remember (no lock, no comparison, no recent failure)."""
    cutoff = clock.now() - older_than
    return db.session.execute(T.delete().where(
        T.c.inflight == 0, T.c.locked_until.is_(None) | (T.c.locked_until < clock.now()),
        T.c.last_failure_at.is_(None) | (T.c.last_failure_at < cutoff))).rowcount
