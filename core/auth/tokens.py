"""Bearer tokens for the JSON API: random, stored only as a SHA-256 hash, expiring."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from core.db import db
from core import clock
from .models import ApiToken, User

TOKEN_LIFETIME = timedelta(hours=12)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    token = secrets.token_urlsafe(32)
    now = clock.now()
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash(token), created_at=now, expires_at=now + TOKEN_LIFETIME))
    return token


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    row = db.session.execute(select(ApiToken.user_id, ApiToken.expires_at)
                             .where(ApiToken.token_hash == _hash(token))).first()
    if row is None or row.expires_at < clock.now():
        return None
    from core.security.sessions import _with_grants    # roles and permissions cached per grants stamp
    user = _with_grants(row.user_id)
    return user if user is not None and user.active else None


def bearer_from_header(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None
