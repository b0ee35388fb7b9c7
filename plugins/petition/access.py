"""Who may see or change one petition case (used by chatter, views and the audit log)."""
from flask import url_for

from core.toolkit import db
from core.toolkit import in_scope
from .models import PetitionCase


def _case(record_id) -> PetitionCase | None:
    try:
        return db.session.get(PetitionCase, int(record_id))
    except (TypeError, ValueError):
        return None


def can_view(user, record_id) -> bool:
    case = _case(record_id)
    return bool(case and user.can("petition.case.read") and in_scope(user, case.region_id))


def can_edit(user, record_id) -> bool:
    case = _case(record_id)
    return bool(case and user.can("petition.case.edit") and in_scope(user, case.region_id))


def case_url(record_id) -> str:
    return url_for("petition.case", case_id=int(record_id))
