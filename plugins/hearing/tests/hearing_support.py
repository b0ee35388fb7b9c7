"""Hearing test helpers (demo-data look-ups, a fresh scheduled hearing, a hearing run to its minutes), shared
by the hearing plugin's tests and the cross-cutting ones (PDFs of every document)."""
from datetime import date, datetime, time

from sqlalchemy import select

from core.auth.models import User
from core.db import db
from plugins.hearing import scheduling, services, session
from plugins.hearing.models import Hearing
from plugins.hearing.pool import services as panel
from plugins.hearing.pool.models import HearingRoom, Panelist
from plugins.petition.models import PetitionCase


def user(name):
    return db.session.scalar(select(User).where(User.username == name))


def case_by(request_text):
    return db.session.scalar(select(PetitionCase).where(PetitionCase.request == request_text))


def pool(*names):
    return [db.session.scalar(select(Panelist).where(Panelist.name == n)) for n in names]


def room(i=0):
    return db.session.scalars(select(HearingRoom).order_by(HearingRoom.id)).all()[i]


def slot(days_after_earliest=5, hour=14):
    day = scheduling.earliest_day()
    return datetime.combine(date.fromordinal(day.toordinal() + days_after_earliest), time(hour, 0))


def demo_hearing() -> Hearing:
    return db.session.scalar(select(Hearing).order_by(Hearing.id))


def new_hearing(request_text="反映小区物业长期不维修电梯", schedule=True, at=None):
    """A fresh accepted hearing on another open demo petition, panel of three, optionally scheduled."""
    case = case_by(request_text)
    h = services.apply(case, origin="application", owner=user("mediator"))
    services.accept(h)
    for p in pool("罗文博", "马秀英", "何志远"):
        panel.add_member(h, p, "专业对口")
    if schedule:
        scheduling.schedule(h, at or slot(), room=room(1), host=user("officer") if False else None,
                          host_name="孙主持", recorder_name="钱记录")
    return h


def run_to_minutes(h: Hearing) -> Hearing:
    """Notices, session with statements along the agenda, closed: minutes drafted."""
    scheduling.send_notices(h)
    session.open_session(h)
    for p in h.participants:
        session.record_arrival(h, p)
    session.set_step(h, "petitioner")
    session.add_statement(h, "petitioner", h.petition.petitioner.name, "电梯三年来故障十余次。")
    session.set_step(h, "unit")
    session.add_statement(h, "unit", "物业办主任", "已多次维修，费用由业主分摊。")
    session.add_evidence(h, "维修记录", "unit", "证明已维修")
    session.close_session(h)
    return h
