"""The hearing calendar's data: the iCal form of hearings (with their time zone), the per-user feed token
(only its SHA-256 is stored) and the month grid. The pages are in ``views.py``."""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from icalendar import Calendar, Event as IcsEvent
from sqlalchemy import select

from core.toolkit import User
from core.toolkit import clock
from core.toolkit import db
from core.toolkit import scope_condition
from ..models import Hearing
from ..services import ACTIVE
from .models import FeedToken


SHOWN = ACTIVE + ("held", "concluded", "served")


FEED_HISTORY = timedelta(days=90)   # how far back a subscribed calendar lists past hearings


def _ics_event(h: Hearing) -> IcsEvent:
    ev = IcsEvent()
    ev.add("uid", f"hearing-{h.id}@concord")
    ev.add("summary", f"听证 {h.reference}：{h.matter[:60]}")
    # stored times are local wall times: they go out with their zone (TZID + VTIMEZONE), the stamp in UTC
    ev.add("dtstart", clock.localize(h.scheduled_at))
    ev.add("dtend", clock.localize(h.ends_at or h.scheduled_at + timedelta(hours=2)))
    ev.add("dtstamp", clock.now_utc())
    ev.add("location", h.place)
    ev.add("description", f"{h.petition.reference} · 主持人 {h.host_name} · {h.state_label}")
    ev.add("status", "CANCELLED" if h.state == "withdrawn" else "CONFIRMED")
    ev.add("sequence", h.version)
    return ev


def to_ics(hearings, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Concord//hearings//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for h in hearings:
        if h.scheduled_at:
            cal.add_component(_ics_event(h))
    cal.add_missing_timezones()     # the VTIMEZONE of every TZID used
    return cal.to_ical()


def visible(user):
    return select(Hearing).where(scope_condition(Hearing.region_id, user), Hearing.state.in_(SHOWN),
                                 Hearing.scheduled_at.is_not(None))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(user) -> str:
    token = secrets.token_urlsafe(32)
    row = db.session.get(FeedToken, user.id)
    if row is None:
        row = FeedToken(user_id=user.id, token_hash=_hash(token), created_at=clock.now())
        db.session.add(row)
    else:
        row.token_hash, row.created_at = _hash(token), clock.now()
    db.session.flush()
    return token


def user_for_feed(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == _hash(token)))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.active and user.can("hearing.hearing.read") else None


def month_grid(day: date) -> list[list[date]]:
    first = day.replace(day=1)
    start = date.fromordinal(first.toordinal() - first.weekday())
    weeks, cur = [], start
    while True:
        week = [date.fromordinal(cur.toordinal() + i) for i in range(7)]
        weeks.append(week)
        cur = date.fromordinal(cur.toordinal() + 7)
        if cur.month != first.month and cur > first:
            break
    return weeks
