"""Who may see or change one referral or legal-aid application (chatter, views, audit log)."""
from flask import url_for

from core.toolkit import db
from core.toolkit import in_scope
from .models import AidApplication, Referral


def _get(model, record_id):
    try:
        return db.session.get(model, int(record_id))
    except (TypeError, ValueError):
        return None


def can_view_referral(user, record_id) -> bool:
    ref = _get(Referral, record_id)
    return bool(ref and user.can("legal_aid.referral.read") and in_scope(user, ref.region_id))


def can_edit_referral(user, record_id) -> bool:
    ref = _get(Referral, record_id)
    return bool(ref and user.can("legal_aid.referral.manage") and in_scope(user, ref.region_id))


def can_view_aid(user, record_id) -> bool:
    app = _get(AidApplication, record_id)
    return bool(app and user.can("legal_aid.aid.read") and in_scope(user, app.region_id))


def can_edit_aid(user, record_id) -> bool:
    app = _get(AidApplication, record_id)
    return bool(app and user.can("legal_aid.aid.manage") and in_scope(user, app.region_id))


def referral_url(record_id) -> str:
    return url_for("legal_aid.referral", ref_id=int(record_id))


def aid_url(record_id) -> str:
    return url_for("legal_aid_aid.item", app_id=int(record_id))
