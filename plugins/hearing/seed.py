"""Demo hearings: two rooms, a panelist pool of eight, the text modules, and one scheduled hearing on a
demo backlog petition (李春兰's 低保 case is flagged as a backlog case here if none exists)."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import func, select

from core.toolkit import User
from core.toolkit import db
from core.toolkit import clock
from .models import Hearing
from .pool.models import HearingRoom

ROOMS = [("第一听证室", "君山区信访局三楼", 30), ("第二听证室", "君山区综治中心二楼", 20)]
# name, kind, work unit, qualification, declared ties
POOL = [
    ("陈立新", "npc_deputy", "柳林洲街道办事处", "区人大代表", ""),
    ("黄美玲", "cppcc_member", "君山区政协", "区政协委员", ""),
    ("杨正义", "lawyer", "湖南正义律师事务所", "执业律师，执业12年", ""),
    ("何志远", "lawyer", "岳阳明理律师事务所", "执业律师，执业9年", ""),
    ("罗文博", "expert", "湖南理工学院", "社会保障法教授", ""),
    ("马秀英", "resident_rep", "许市镇", "村民代表、五老", ""),
    ("李建国", "resident_rep", "钱粮湖镇", "居民代表", "李春兰（堂兄妹）"),
    ("胡晓东", "expert", "君山区人力资源和社会保障局", "社保政策专家", ""),
]
BACKLOG_REQUEST = "要求落实低保待遇"


def _backlog_case():
    """李春兰's 低保 case (flagged as backlog here if the petition rules have not done so), else the first
    open backlog case."""
    from plugins.petition import services as petition
    from plugins.petition.models import PetitionCase
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.request == BACKLOG_REQUEST))
    if case is not None and case.state in petition.OPEN_STATES:
        if not case.backlog:
            petition.flag_backlog(case, "多次信访、久拖未决，列入积案化解")
        return case
    return db.session.scalar(select(PetitionCase).where(PetitionCase.backlog.is_(True),
                                                        PetitionCase.state.in_(petition.OPEN_STATES))
                             .order_by(PetitionCase.id))


def seed_demo() -> dict:
    if db.session.scalar(select(func.count(HearingRoom.id))):
        return {"hearings": 0}
    from flask_babel import force_locale

    from core.toolkit import audit_actor
    from . import scheduling, services
    from .pool import services as panel
    from .minutes.services import ensure_text_modules
    ensure_text_modules()
    rooms = [panel.add_room(n, a, c) for n, a, c in ROOMS]
    term = (date(clock.today().year - 1, 1, 1), date(clock.today().year + 1, 12, 31))
    pool = [panel.save_panelist(None, {"name": n, "kind": k, "work_unit": u, "qualification": q,
                                       "declared_ties": t, "term_start": term[0], "term_end": term[1]})
            for n, k, u, q, t in POOL]
    mediator = db.session.scalar(select(User).where(User.username == "mediator"))
    case = _backlog_case()
    if case is None or mediator is None:
        return {"rooms": len(rooms), "panelists": len(pool), "hearings": 0}
    with audit_actor(mediator), force_locale("zh"):
        hearing = services.apply(case, origin="proposal", consent_at=services.now(), owner=mediator,
                                 matter="李春兰要求落实低保待遇（积案）")
        services.accept(hearing, "属于积案，经信访人同意举行公开听证。")
        for p in pool[:3]:
            panel.add_member(hearing, p, "随机抽取，经回避审查无利害关系")
        day = scheduling.earliest_day()
        day = date.fromordinal(day.toordinal() + 2)
        scheduling.schedule(hearing, datetime.combine(day, time(9, 0)), room=rooms[0], host=mediator,
                          recorder_name="刘记录", is_public=True)
    db.session.flush()
    return {"rooms": len(rooms), "panelists": len(pool),
            "hearings": db.session.scalar(select(func.count(Hearing.id)))}
