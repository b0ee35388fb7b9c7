"""Demo data: the district's channel list, receiving bodies, two legal-aid providers, one referral of a demo
petition with a running filing deadline and one legal-aid application awaiting its decision."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from core.toolkit import User
from core.toolkit import compute_rule
from core.toolkit import db
from core.toolkit import create_organisation, organisation_by_code
from core.toolkit import Region
from plugins.petition.models import PetitionCase
from core.toolkit import clock
from . import services
from .aid import services as aid
from .channels import services as channels
from .models import AidApplication, Provider, Referral

DISTRICT = "430611000000"
BODIES = [("JS-FY", "君山区人民法院", "court"), ("YY-LDZC", "岳阳市劳动人事争议仲裁委员会", "arbitration_commission"),
          ("JS-FYB", "君山区人民政府行政复议办公室", "department")]


def _months_back(day: date, months: int) -> date:
    m = day.year * 12 + day.month - 1 - months
    y, mo = divmod(m, 12)
    for d in (day.day, 28):
        try:
            return date(y, mo + 1, d)
        except ValueError:
            continue
    return date(y, mo + 1, 28)


def _this_morning() -> datetime:
    """09:00 today, or yesterday's 09:00 before that hour (a receipt is never in the future)."""
    at = datetime.combine(clock.today(), datetime.min.time()).replace(hour=9)
    return at if at <= clock.now() else at - timedelta(days=1)


def seed_demo() -> dict:
    if db.session.scalar(select(func.count(Provider.id))):
        return {"referrals": 0}
    district = db.session.scalar(select(Region).where(Region.code == DISTRICT))
    if district is None:
        return {"referrals": 0}
    for code, name, kind in BODIES:
        if organisation_by_code(code) is None:
            create_organisation(name, kind, code=code, region_id=district.id)
    lines = channels.seed_defaults()
    channels.link_bodies()
    centre = organisation_by_code("JS-FYZX")
    db.session.add_all([
        Provider(name="陈明律", kind="lawyer", licence="14306201810000001", relations=""),
        Provider(name="刘法援", kind="aid_staff", organisation_id=centre.id if centre else None,
                 licence="", relations="赵德明：表兄"),
    ])
    legal = db.session.scalar(select(User).where(User.username == "legal"))
    aid_user = db.session.scalar(select(User).where(User.username == "aid"))
    from core.toolkit import audit_actor
    made = 0
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.state == "registered")
                             .order_by(PetitionCase.id).limit(1))
    today = clock.today()
    with audit_actor(legal):
        if case is not None:
            # a debt claim known almost three years ago: the civil limitation period ends within days
            base = _months_back(today, 36)
            for offset in range(1, 6):      # the deadline falls 1–6 days ahead, whatever the weekday
                knew = date.fromordinal(base.toordinal() + offset)
                due = date.fromisoformat(compute_rule("referral.civil_litigation_limitation", knew)["due"])
                if 0 < due.toordinal() - today.toordinal() < 7:
                    break
            services.create_referral(petition=case, channel="civil_litigation", knew_at=knew, user=legal)
            made += 1
    with audit_actor(aid_user):
        aid.create_application(applicant={"name": "冯小芳", "phone": "13707309999"}, region_id=district.id,
                               matter_type="labour", summary="在某建筑工地务工，被拖欠工资八千元，申请法律援助代理劳动仲裁。",
                               opposing_party="君山某建筑劳务有限公司", exempt_group="migrant_worker",
                               received_at=_this_morning(), user=aid_user)
    db.session.flush()
    return {"channel_lines": lines, "providers": 2, "referrals": made,
            "aid_applications": db.session.scalar(select(func.count(AidApplication.id)))}


__all__ = ["seed_demo", "Referral"]
