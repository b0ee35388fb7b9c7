"""Home-page cards: referrals whose filing deadline is near; legal-aid applications and their clocks."""
from __future__ import annotations


from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import Deadline
from core.toolkit import db
from core.toolkit import scope_condition
from core.toolkit import clock
from .models import AID_OPEN, AidApplication, Referral

PENDING = ("draft", "notified", "sent", "received")


def referral_card(user):
    stmt = (select(Referral, Deadline).join(Deadline, (Deadline.record_type == "legal_aid_referral")
                                            & (Deadline.record_id == Referral.id)
                                            & (Deadline.rule_code == Referral.rule_code))
            .where(Referral.state.in_(PENDING), Deadline.status.in_(("open", "overdue")),
                   scope_condition(Referral.region_id, user))
            .order_by(Deadline.due).limit(8))
    rows = db.session.execute(stmt).all()
    drafts = db.session.scalars(select(Referral).where(Referral.state == "draft", Referral.knew_at.is_(None),
                                                       scope_condition(Referral.region_id, user)).limit(4)).all()
    if not rows and not drafts:
        return None
    today = clock.today()
    items = []
    for r, d in rows:
        left = d.due.toordinal() - today.toordinal()
        label = f"{r.reference} · {r.channel_label} · {r.state_label}"
        items.append({"label": label, "url": url_for("legal_aid.referral", ref_id=r.id), "due": d.due.isoformat(),
                      "status": "overdue" if left < 0 else "open"})
        if 0 <= left < 7 and user.can("legal_aid.aid.apply"):
            items.append({"label": _("%(n)d days left: start early legal aid for %(ref)s", n=left, ref=r.reference),
                          "url": url_for("legal_aid_aid.new", referral=r.id), "due": d.due.isoformat(),
                          "status": "open"})
    for r in drafts:
        items.append({"label": f"{r.reference} · " + _("Draft: enter the channel and the date known"),
                      "url": url_for("legal_aid.referral", ref_id=r.id), "due": "", "status": "open"})
    return {"title": _("Legal channels: filing deadlines"), "url": url_for("legal_aid.index"),
            "count": len(items), "items": items}


def aid_card(user):
    stmt = (select(AidApplication, Deadline).join(Deadline, (Deadline.record_type == "legal_aid_application")
                                                  & (Deadline.record_id == AidApplication.id))
            .where(AidApplication.state.in_(AID_OPEN), Deadline.status.in_(("open", "overdue", "paused")),
                   scope_condition(AidApplication.region_id, user))
            .order_by(Deadline.due).limit(8))
    rows = db.session.execute(stmt).all()
    if not rows:
        return None
    today = clock.today()
    return {"title": _("Legal aid: decisions and assignments due"), "url": url_for("legal_aid_aid.index"),
            "count": len(rows),
            "items": [{"label": f"{a.reference} · {a.applicant.name} · {a.state_label}",
                       "url": url_for("legal_aid_aid.item", app_id=a.id), "due": d.due.isoformat(),
                       "status": "paused" if d.status == "paused" else ("overdue" if d.due < today else "open")}
                      for a, d in rows]}
