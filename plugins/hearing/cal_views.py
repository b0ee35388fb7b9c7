"""The hearing calendar: month/week grid, iCal export per hearing, and a per-user subscribable feed.

The feed is authenticated by a per-user secret in its URL (``/hearing/feed/<token>.ics``): calendar
clients cannot send a bearer header and API tokens expire, so each user makes (and can replace) a
long random token on the subscription page; only its SHA-256 is stored, and the feed shows only the
hearings the user's region scope and permissions allow."""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from icalendar import Calendar, Event as IcsEvent
from sqlalchemy import select

from core.toolkit import public, require
from core.toolkit import unit_of_work
from core.toolkit import User
from core.toolkit import db
from core.toolkit import scope_condition
from core.toolkit import clock
from .models import FeedToken, Hearing
from .services import ACTIVE
from .views import bp, load

SHOWN = ACTIVE + ("held", "concluded", "served")


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


def _ics(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar", headers={"Content-Disposition": f"inline; filename={filename}"})


FEED_HISTORY = timedelta(days=90)   # how far back a subscribed calendar lists past hearings


@bp.get("/<int:hearing_id>.ics")
@require("hearing.hearing.read")
def ics(hearing_id: int):
    h = load(hearing_id)
    if not h.scheduled_at:
        abort(404)
    return _ics(to_ics([h], h.reference), f"{h.reference}.ics")


def _visible(user):
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


@bp.route("/feed", methods=["GET", "POST"], endpoint="feed_page")
@require("hearing.hearing.read")
def feed_page():
    token = None
    if request.method == "POST":
        with unit_of_work():
            token = new_feed_token(current_user)
    has = db.session.get(FeedToken, current_user.id) is not None
    url = url_for("hearing.feed", token=token, _external=True) if token else None
    return render_template("hearing/feed.html", url=url, has=has)


@bp.get("/feed/<token>.ics")
@public
def feed(token: str):
    user = user_for_feed(token)
    if user is None:
        abort(404)
    since = clock.now() - FEED_HISTORY      # a calendar window, not a legal time limit
    rows = db.session.scalars(_visible(user).where(Hearing.scheduled_at >= since).order_by(Hearing.scheduled_at))
    return _ics(to_ics(rows, _("Hearings") + f" · {user.display_name or user.username}"), "hearings.ics")


def _month_grid(day: date) -> list[list[date]]:
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


@bp.get("/calendar")
@require("hearing.hearing.read")
def calendar():
    mode = request.args.get("view", "month")
    if mode not in ("month", "week"):
        mode = "month"
    try:
        day = date.fromisoformat(request.args.get("date", "")) if request.args.get("date") else clock.today()
    except ValueError:
        day = clock.today()
    if mode == "week":
        start = date.fromordinal(day.toordinal() - day.weekday())
        weeks = [[date.fromordinal(start.toordinal() + i) for i in range(7)]]
        prev_day, next_day = date.fromordinal(start.toordinal() - 7), date.fromordinal(start.toordinal() + 7)
    else:
        weeks = _month_grid(day)
        prev_day = date.fromordinal(day.replace(day=1).toordinal() - 1).replace(day=1)
        next_day = date.fromordinal(weeks[-1][-1].toordinal() + 1).replace(day=1) \
            if weeks[-1][-1].month != day.month else date.fromordinal(weeks[-1][-1].toordinal() + 1)
    first, last = weeks[0][0], weeks[-1][-1]
    rows = db.session.scalars(_visible(current_user).where(
        Hearing.scheduled_at >= datetime.combine(first, datetime.min.time()),
        Hearing.scheduled_at <= datetime.combine(last, datetime.max.time())).order_by(Hearing.scheduled_at)).all()
    by_day: dict[date, list[Hearing]] = {}
    for h in rows:
        by_day.setdefault(h.scheduled_at.date(), []).append(h)
    return render_template("hearing/calendar.html", weeks=weeks, by_day=by_day, mode=mode, day=day,
                           prev_day=prev_day, next_day=next_day, today=clock.today())
