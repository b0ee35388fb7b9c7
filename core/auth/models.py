from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import db, VersionedMixin, TimestampMixin
from core.regions.models import Region

user_roles = Table(
    "core_user_role",
    db.metadata,
    Column("user_id", ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_code", ForeignKey("core_role.code", ondelete="CASCADE"), primary_key=True),
)

role_permissions = Table(
    "core_role_permission",
    db.metadata,
    Column("role_code", ForeignKey("core_role.code", ondelete="CASCADE"), primary_key=True),
    Column("permission_code", ForeignKey("core_permission.code", ondelete="CASCADE"), primary_key=True),
)


class Permission(db.Model):
    __tablename__ = "core_permission"

    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    plugin: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[str] = mapped_column(String(200), nullable=False)


class Role(TimestampMixin, db.Model):
    __tablename__ = "core_role"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    permissions: Mapped[list[Permission]] = relationship(secondary=role_permissions, lazy="selectin")


class User(UserMixin, VersionedMixin, db.Model):
    __tablename__ = "core_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("core_region.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(30))
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # 等保 identity controls (core/security): raising the epoch ends every session and token of the user
    session_epoch: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    must_change_password: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False,
                                                       server_default=false())
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(64))

    region: Mapped[Region | None] = relationship(lazy="joined")
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """Flask-Login keeps this in the session: the id and the session epoch, so a session signed in
        before a logout, a password change or a disable stops matching (``core.app`` user loader)."""
        return f"{self.id}:{self.session_epoch or 0}"

    @property
    def role_codes(self) -> set[str]:
        cached = self.__dict__.get("_role_cache")      # core.auth.grants: once per process per grants stamp
        return set(cached) if cached is not None else {r.code for r in self.roles}

    @property
    def is_admin(self) -> bool:
        return "admin" in self.role_codes

    @property
    def permission_codes(self) -> frozenset[str]:
        cached = self.__dict__.get("_perm_cache")
        if cached is None:
            from core.security.duties import role_permissions, strict
            if strict():   # 三员分立: each administrator role holds only its own duty
                cached = frozenset().union(*[role_permissions(r.code, (p.code for p in r.permissions))
                                             for r in self.roles])
            else:
                cached = frozenset(p.code for r in self.roles for p in r.permissions)
            self.__dict__["_perm_cache"] = cached
        return cached

    def can(self, code: str | None) -> bool:
        return code is None or code in self.permission_codes

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class PasswordHistory(db.Model):
    """Earlier password hashes of a user: a new password may not repeat the last N (core/security)."""
    __tablename__ = "core_password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class ApiToken(db.Model):
    __tablename__ = "core_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    user: Mapped[User] = relationship(lazy="joined")


__tables__ = (user_roles, role_permissions)
