"""Leader reception (领导接访): keep the AB rota, book visitors against it, take cases on at a reception."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import log_event
from core.toolkit import User
from core.toolkit import is_working_day
from core.toolkit import db
from core.toolkit import in_scope
from core.toolkit import clock
from ..models import PetitionCase
from ..workflow import PetitionError, _text
from .models import Reception, ReceptionBooking

SLOT = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
MAX_WEEKS = 26


def _is_leader(user: User | None) -> bool:
    return bool(user and user.active and any(r.code == "leader" for r in user.roles))


def schedule(day: date | None, leader: User | None, deputy: User | None, region_id: int | None, place: str,
             capacity: int | None = 10, note: str = "") -> Reception:
    errors: dict = {}
    place = _text(place, "place", 200, errors)
    note = _text(note, "note", 500, errors, required=False)
    if day is None:
        errors["day"] = _("Enter the date.")
    elif day < clock.today():
        errors["day"] = _("A reception day cannot be in the past.")
    if not _is_leader(leader):
        errors["leader_id"] = _("Choose a leader.")
    elif region_id is not None and not in_scope(leader, region_id):
        errors["leader_id"] = _("This leader is not responsible for the region.")
    if deputy is not None and (not _is_leader(deputy) or (leader is not None and deputy.id == leader.id)):
        errors["deputy_id"] = _("The stand-in (B) must be another leader.")
    if not isinstance(capacity, int) or not 1 <= capacity <= 200:
        errors["capacity"] = _("Enter a number between 1 and 200.")
    if region_id is None:
        errors["region_id"] = _("Choose a region.")
    if not errors and db.session.scalar(select(Reception.id).where(Reception.day == day,
                                                                   Reception.leader_id == leader.id)):
        errors["day"] = _("%(name)s already receives visitors on %(day)s.",
                          name=leader.display_name or leader.username, day=day.isoformat())
    if errors:
        raise PetitionError(errors)
    row = Reception(day=day, leader=leader, deputy=deputy, region_id=region_id, place=place, capacity=capacity,
                    note=note)
    db.session.add(row)
    db.session.flush()
    return row


def generate_rota(start: date, weeks: int, weekday: int, leaders: list[User], region_id: int, place: str,
                  capacity: int = 10) -> list[Reception]:
    """One reception a week on *weekday* for *weeks* weeks, leaders taking turns as A with the next one as B
    (AB 岗). A day off on the official calendar moves to the next working day of that week."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise PetitionError({"weeks": _("Enter a number of weeks between 1 and %(n)d.", n=MAX_WEEKS)})
    if len(leaders) < 2:
        raise PetitionError({"leaders": _("An AB rota needs at least two leaders.")})
    if not 0 <= weekday <= 4:
        raise PetitionError({"weekday": _("Choose a weekday.")})
    first = date.fromordinal(start.toordinal() + (weekday - start.weekday()) % 7)
    made = []
    for week in range(weeks):
        day = date.fromordinal(first.toordinal() + 7 * week)
        week_end = date.fromordinal(day.toordinal() + (6 - day.weekday()))
        while not is_working_day(day) and day < week_end:
            day = date.fromordinal(day.toordinal() + 1)
        if not is_working_day(day):
            continue
        a, b = leaders[week % len(leaders)], leaders[(week + 1) % len(leaders)]
        if db.session.scalar(select(Reception.id).where(Reception.day == day, Reception.leader_id == a.id)):
            continue
        made.append(schedule(day, a, b, region_id, place, capacity))
    return made


def book(reception: Reception, slot: str, visitor_name: str, phone: str | None, topic: str) -> ReceptionBooking:
    errors: dict = {}
    visitor_name = _text(visitor_name, "visitor_name", 100, errors)
    topic = _text(topic, "topic", 500, errors)
    phone = _text(phone, "phone", 30, errors, required=False) or None
    slot = (slot or "").strip()
    if not SLOT.match(slot):
        errors["slot"] = _("Enter a time such as 09:30.")
    elif any(b.slot == slot for b in reception.active_bookings):
        errors["slot"] = _("This time is already booked.")
    if reception.day < clock.today():
        errors[""] = _("This reception day is over.")
    elif len(reception.active_bookings) >= reception.capacity:
        errors[""] = _("This reception day is fully booked (%(n)d visitors).", n=reception.capacity)
    if errors:
        raise PetitionError(errors)
    booking = ReceptionBooking(slot=slot, visitor_name=visitor_name, phone=phone, topic=topic, state="booked")
    reception.bookings.append(booking)
    db.session.flush()
    log_event("petition.reception_book", "petition_reception", reception.id,
              text=_("Booked %(slot)s: %(name)s", slot=slot, name=visitor_name))
    return booking


def set_state(booking: ReceptionBooking, state: str) -> None:
    if state not in ("cancelled", "no_show"):
        raise PetitionError(_("Unknown action."))
    if booking.state != "booked":
        raise PetitionError(_("Only a booked visit can change."))
    booking.state = state


def received(booking: ReceptionBooking, case: PetitionCase) -> None:
    """The visitor was received and their matter registered as *case*, linked to the leader's reception."""
    if booking.state != "booked":
        raise PetitionError(_("Only a booked visit can change."))
    booking.state, booking.case_id = "received", case.id
    case.reception_id = booking.reception_id
    log_event("petition.reception", "petition_case", case.id, text=_(
        "Taken on at the leader reception of %(day)s (%(leader)s)", day=booking.reception.day.isoformat(),
        leader=booking.reception.leader.display_name or booking.reception.leader.username))


def upcoming(region_ids_visible, today: date | None = None, limit: int = 60) -> list[Reception]:
    today = today or clock.today()
    return list(db.session.scalars(select(Reception).where(Reception.day >= today, region_ids_visible)
                                   .order_by(Reception.day, Reception.id).limit(limit)))


def cases_of(reception: Reception) -> list[PetitionCase]:
    return list(db.session.scalars(select(PetitionCase).where(PetitionCase.reception_id == reception.id)))
