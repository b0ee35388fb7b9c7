"""Core API operations: the token, the OpenAPI document, the caller's own profile."""
from __future__ import annotations

from datetime import datetime

from flask import jsonify
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field

from core.auth.services import AuthError, authenticate
from core.auth.tokens import TOKEN_LIFETIME, issue_token
from core import clock
from .errors import ApiError
from .routes import ApiBlueprint
from .schemas import ApiBody
from .types import Text

bp = ApiBlueprint("api", __name__, tag="core")


class TokenRequest(ApiBody):
    username: Text(60)
    password: str = Field(min_length=1, max_length=200)
    otp: str | None = Field(default=None, max_length=8,
                            description="the six-digit code, for an account with a second factor (TOTP)")


class TokenOut(BaseModel):
    token: str
    expires_at: datetime = Field(description="local time")


class RegionRef(BaseModel):
    id: int
    code: str
    name: str
    level: str


class MeOut(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[str]
    permissions: list[str]
    region: RegionRef | None
    locale: str | None


@bp.operation("POST", "/auth/token", summary=_l("Get a bearer token"), public=True, body=TokenRequest,
              response=TokenOut, errors=(401,), description=_l("Send the user name and password; the token expires after 12 hours."))
def token(body: TokenRequest):
    from core.security import signin
    try:
        user = authenticate(body.username, body.password)
    except AuthError as exc:
        signin.login_failed(body.username, str(exc))
        raise ApiError(401, "invalid_credentials", str(exc)) from None
    refusal = signin.token_refusal(user, body.otp)     # second factor; an initial password changed first
    if refusal:
        raise ApiError(401, "invalid_credentials", refusal)
    return {"token": issue_token(user), "expires_at": clock.now() + TOKEN_LIFETIME}


@bp.operation("GET", "/openapi.json", summary=_l("This API's OpenAPI 3.1 document"), public=True)
def openapi_document():
    from .openapi import document
    return jsonify(document())


@bp.operation("GET", "/me", summary=_l("The signed-in user: roles, permissions and region"), login=True,
              response=MeOut)
def me():
    user = current_user
    return MeOut(id=user.id, username=user.username, display_name=user.display_name,
                 roles=sorted(user.role_codes), permissions=sorted(user.permission_codes),
                 region=RegionRef.model_validate(user.region, from_attributes=True) if user.region else None,
                 locale=user.locale)
