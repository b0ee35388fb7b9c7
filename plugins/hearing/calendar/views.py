"""Blueprint ``hearing_calendar`` under ``/hearing``: the hearing calendar: month/week grid, iCal export per hearing, and a per-user subscribable feed.

The feed is authenticated by a per-user secret in its URL (``/hearing/feed/<token>.ics``): calendar
clients cannot send a bearer header and API tokens expire, so each user makes (and can replace) a
long random token on the subscription page; only its SHA-256 is stored, and the feed shows only the
hearings the user's region scope and permissions allow."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.toolkit import public, require
from core.toolkit import unit_of_work
from core.toolkit import clock
from core.toolkit import db
from ..access import load
from ..models import Hearing
from .models import FeedToken
from .services import FEED_HISTORY, month_grid, new_feed_token, to_ics, user_for_feed, visible

bp = Blueprint("hearing_calendar", __name__)


def _ics(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar", headers={"Content-Disposition": f"inline; filename={filename}"})


@bp.get("/<int:hearing_id>.ics")
@require("hearing.hearing.read")
def ics(hearing_id: int):
    h = load(hearing_id)
    if not h.scheduled_at:
        abort(404)
    return _ics(to_ics([h], h.reference), f"{h.reference}.ics")


@bp.route("/feed", methods=["GET", "POST"], endpoint="feed_page")
@require("hearing.hearing.read")
def feed_page():
    token = None
    if request.method == "POST":
        with unit_of_work():
            token = new_feed_token(current_user)
    has = db.session.get(FeedToken, current_user.id) is not None
    url = url_for("hearing_calendar.feed", token=token, _external=True) if token else None
    return render_template("hearing/feed.html", url=url, has=has)


@bp.get("/feed/<token>.ics")
@public
def feed(token: str):
    user = user_for_feed(token)
    if user is None:
        abort(404)
    since = clock.now() - FEED_HISTORY      # a calendar window, not a legal time limit
    rows = db.session.scalars(visible(user).where(Hearing.scheduled_at >= since).order_by(Hearing.scheduled_at))
    return _ics(to_ics(rows, _("Hearings") + f" · {user.display_name or user.username}"), "hearings.ics")


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
        weeks = month_grid(day)
        prev_day = date.fromordinal(day.replace(day=1).toordinal() - 1).replace(day=1)
        next_day = date.fromordinal(weeks[-1][-1].toordinal() + 1).replace(day=1) \
            if weeks[-1][-1].month != day.month else date.fromordinal(weeks[-1][-1].toordinal() + 1)
    first, last = weeks[0][0], weeks[-1][-1]
    rows = db.session.scalars(visible(current_user).where(
        Hearing.scheduled_at >= datetime.combine(first, datetime.min.time()),
        Hearing.scheduled_at <= datetime.combine(last, datetime.max.time())).order_by(Hearing.scheduled_at)).all()
    by_day: dict[date, list[Hearing]] = {}
    for h in rows:
        by_day.setdefault(h.scheduled_at.date(), []).append(h)
    return render_template("hearing/calendar.html", weeks=weeks, by_day=by_day, mode=mode, day=day,
                           prev_day=prev_day, next_day=next_day, today=clock.today())
