"""Personal data (contract §5): ID numbers and phone numbers come back masked unless the reader holds
``core.personal_data.read_full``; every full read writes a ``read_personal`` audit row."""
from __future__ import annotations

from .log import log_read

FULL_READ_PERMISSION = "core.personal_data.read_full"


def _mask_middle(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail:]


def mask_id_number(value):
    """``430611199001011234`` → ``4306**********1234`` (first four and last four kept)."""
    if not value:
        return value
    return _mask_middle(str(value).strip(), 4, 4)


def mask_phone(value):
    """``13812345678`` → ``138****5678`` (first three and last four kept)."""
    if not value:
        return value
    return _mask_middle(str(value).strip(), 3, 4)


def mask_other(value):
    if not value:
        return value
    text = str(value).strip()
    return _mask_middle(text, 1, 1) if len(text) > 2 else "*" * len(text)


def kind_of(field: str) -> str:
    name = (field or "").lower()
    if "id_number" in name or "id_card" in name or "idcard" in name:
        return "id_number"
    if "phone" in name or "mobile" in name or name.endswith("tel"):
        return "phone"
    return "other"


def mask(value, kind: str = "other"):
    return {"id_number": mask_id_number, "phone": mask_phone}.get(kind, mask_other)(value)


def may_read_full(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.can(FULL_READ_PERMISSION))


def reveal(user, record_type: str, record_id, field: str, value, kind: str | None = None):
    """The full *value* for a user who may read it in full (and a ``read_personal`` audit row),
    otherwise the masked value. Empty values are returned as they are and not logged."""
    if value is None or value == "":
        return value
    purpose = list_purpose()
    if may_read_full(user) and purpose is not False:
        log_read("read_personal", record_type, record_id, field=field, user=user,
                 text=f"purpose: {purpose}" if purpose else None)
        return value
    return mask(value, kind or kind_of(field))


LISTING = "_concord_list_reveal"


def list_purpose():
    """Inside an API list response: the purpose given with ``?reveal=`` (full values for a reader allowed
    them, one audit row for the response), or False without one (masked values, nothing logged).
    Outside a list: None (single records deliver full values to allowed readers, as before)."""
    from flask import g, has_request_context
    if not has_request_context():
        return None
    purpose = g.get(LISTING)
    if purpose is None:
        return None
    return purpose or False


# -- templates -----------------------------------------------------------------------------------
def personal_filter(value, record_type: str, record_id, field: str, kind: str | None = None):
    """``{{ person.phone|personal('petition_person', person.id, 'phone') }}``"""
    from flask_login import current_user
    return reveal(current_user, record_type, record_id, field, value, kind)


def reveal_global(record_type: str, record_id, field: str, value, kind: str | None = None):
    """``{{ reveal_personal('petition_person', person.id, 'id_number', person.id_number) }}``"""
    return personal_filter(value, record_type, record_id, field, kind)
