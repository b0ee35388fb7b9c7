"""Optional second factor for administrators: TOTP (RFC 6238, pyotp), as in every authenticator app.

A security administrator turns it on for an account (``concord security totp USER`` prints the secret and
the otpauth URI to put into the app); from then on signing in asks for the six-digit code after the
password. A code is valid for its 30-second step and one step either side (clock drift)."""
from __future__ import annotations

import pyotp

from core.auth.models import User

ISSUER = "Concord"


def new_secret() -> str:
    return pyotp.random_base32()


def uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def enable(user: User) -> str:
    """Give *user* a fresh secret; returns it (shown once)."""
    secret = new_secret()
    user.totp_secret = secret
    return secret


def disable(user: User) -> None:
    user.totp_secret = None


def verify(user: User, code: str) -> bool:
    if not user.totp_secret:
        return False
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return False
    return pyotp.TOTP(user.totp_secret).verify(code, valid_window=1)
