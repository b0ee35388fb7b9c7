"""Notifications: ``notify(users, title, body, url=None, record=None)``.

Every notification lands in the recipient's in-app inbox (the default channel, written in the caller's
transaction). Further channels (SMS gateway, e-mail, …) are plugin contributions::

    ctx.contribute("notification_channel", "sms.gateway", channel)   # channel.send(message)

They are called only after the transaction commits (nothing is sent for a change that was rolled
back), each with a :class:`Message` snapshot; a failing channel is logged and does not affect others.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from core.auth.models import User
from core.db import db
from core import clock
from .models import Notification

log = logging.getLogger(__name__)
_OUTBOX = "concord.notification_outbox"


@dataclass(frozen=True)
class Message:
    """What an external channel's ``send`` receives (a snapshot: no database access needed)."""
    id: int
    user_id: int
    username: str
    display_name: str
    phone: str | None
    title: str
    body: str
    url: str | None
    record_type: str | None
    record_id: str | None
    created_at: datetime


class InboxChannel:
    """The default channel: the notification row itself is the inbox entry."""
    name = "core.inbox"

    def send(self, notification: Notification) -> None:
        db.session.add(notification)


INBOX = InboxChannel()


def external_channels() -> list:
    host = current_app.extensions["concord"]
    from core.plugins.points import notification_channel
    return [c.value for c in host.items(notification_channel)]


def _recipients(users) -> list[User]:
    if users is None:
        return []
    if isinstance(users, (User, int, str)):
        users = [users]
    out: dict[int, User] = {}
    for u in users:
        if u is None:
            continue
        user = u if isinstance(u, User) else db.session.get(User, int(u))
        if user is not None and user.active:
            out.setdefault(user.id, user)
    return list(out.values())


def _record_ref(record):
    if record is None:
        return None, None
    if isinstance(record, tuple):
        record_type, record_id = record
        return record_type, None if record_id is None else str(record_id)
    from core.audit.tracking import record_ref
    return record_ref(record)


def notify(users, title: str, body: str = "", url: str | None = None, record=None) -> list[Notification]:
    """Notify *users* (a User, a user id, or an iterable of them; inactive users are skipped)."""
    title = " ".join(str(title or "").split())
    if not title:
        raise ValueError("a notification needs a title")
    record_type, record_id = _record_ref(record)
    now = clock.now()
    created = []
    recipients = _recipients(users)
    if record_type and record_id is not None:
        # a notification about a record goes only to those who may open it (core.audit.access.visible)
        from core.audit.access import record_access, visible
        if record_access(record_type) is not None:
            recipients = [u for u in recipients if visible(u, record_type, [record_id])]
    for user in recipients:
        n = Notification(user_id=user.id, title=title[:200], body=str(body or ""), url=(url or None),
                         record_type=record_type, record_id=record_id, created_at=now)
        INBOX.send(n)
        created.append((n, user))
    if not created:
        return []
    db.session.flush()
    channels = external_channels()
    if channels:
        outbox = db.session.info.setdefault(_OUTBOX, [])
        for n, user in created:
            msg = Message(n.id, user.id, user.username, user.display_name, user.phone, n.title, n.body, n.url,
                          n.record_type, n.record_id, n.created_at)
            outbox.extend((channel, msg) for channel in channels)
    return [n for n, _ in created]


@event.listens_for(Session, "after_commit")
def _dispatch(session) -> None:
    for channel, msg in session.info.pop(_OUTBOX, []):
        try:
            channel.send(msg)
        except Exception:  # one broken gateway must not break the others
            log.exception("notification channel %r failed for notification %s", channel, msg.id)


@event.listens_for(Session, "after_soft_rollback")
def _drop(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_OUTBOX, None)


# -- the inbox -----------------------------------------------------------------------------------
def unread_count(user) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def unread(user, limit: int = 5) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).order_by(Notification.id.desc()).limit(limit)))


def inbox_query(user):
    return select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())


def mark_read(user, notification_id: int) -> Notification | None:
    """Mark one of *user*'s notifications read; None when it is not theirs (or does not exist)."""
    n = db.session.get(Notification, notification_id)
    if n is None or n.user_id != user.id:
        return None
    if n.read_at is None:
        n.read_at = clock.now()
    return n


def mark_all_read(user) -> int:
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=clock.now()))
    return result.rowcount or 0
