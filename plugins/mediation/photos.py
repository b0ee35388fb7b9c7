"""Photos from the phone: sent after the offline queue's dispute, each with a client-generated id, so a
retried upload answers the first one instead of storing the picture twice. Only JPEG or PNG (checked by
content, not by name), at most ``mediation.photo_max_kb``. A photo is a core attachment of the dispute,
so it also counts as the evidence that closing (销号) needs."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import AttachmentError, add_attachment
from core.toolkit import db
from core.toolkit import clock
from .models import Dispute, Photo
from .services import RECORD_TYPE, MediationError

CLIENT_ID = re.compile(r"^[0-9A-Za-z-]{1,36}$")
DEFAULT_MAX_KB = 5120


def max_bytes() -> int:
    from core.toolkit import setting as get
    try:
        kb = int(get("mediation.photo_max_kb") or DEFAULT_MAX_KB)
    except (KeyError, TypeError, ValueError):
        kb = DEFAULT_MAX_KB
    return max(1, kb) * 1024


def sniff(data: bytes) -> str | None:
    """The photo's type from its first bytes: jpeg, png, or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    return None


def store_photo(user, dispute: Dispute, client_id: str, data: bytes) -> tuple[Photo, bool]:
    """Attach *data* to *dispute* once per *client_id*: ``(photo, created)``."""
    client_id = (client_id or "").strip()
    if not CLIENT_ID.match(client_id):
        raise MediationError({"client_id": _("Has the wrong format.")})
    existing = db.session.scalar(select(Photo).where(Photo.client_id == client_id))
    if existing is not None:
        if existing.dispute_id != dispute.id:
            raise MediationError({"client_id": _("This client id is already used.")})
        return existing, False
    if dispute.state == "closed":
        raise MediationError({"state": _("The dispute is closed.")})
    limit = max_bytes()
    if not data:
        raise MediationError({"photo": _("The file is empty.")})
    if len(data) > limit:
        raise MediationError({"photo": _("The photo is larger than the limit of %(kb)s KB.", kb=limit // 1024)})
    kind = sniff(data)
    if kind is None:
        raise MediationError({"photo": _("Only JPEG or PNG photos can be sent.")})
    name = f"photo-{client_id[:20]}.{'jpg' if kind == 'jpeg' else 'png'}"
    try:
        att = add_attachment(RECORD_TYPE, dispute.id, data, filename=name, user=user)
    except AttachmentError as exc:
        raise MediationError({"photo": str(exc)}) from None
    photo = Photo(client_id=client_id, dispute_id=dispute.id, attachment_id=att.id, uploaded_by_id=user.id,
                  uploaded_at=clock.now().replace(microsecond=0))
    db.session.add(photo)
    db.session.flush()
    return photo, True
