"""Administration → Security controls: each 等保 2.0 / 个人信息保护法 control and whether this installation
meets it, computed from the live configuration and data."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, select

from core.auth.models import Role, User
from core.db import db
from . import policy
from .duties import DUTY_ROLES, strict
from .retention import AUDIT_FLOOR_DAYS, _setting

DEMO_ACCOUNTS = ("admin", "officer", "leader", "mediator", "grid1", "grid2", "legal", "aid", "secadmin", "auditor")
DEMO_PASSWORD = "concord-demo"


def _coded(message: str, **codes) -> Markup:
    """A translated sentence whose ``%(name)s`` places hold a command, setting key or table, shown as ``<code>``
    (words a person reads stay words; what they type stays verbatim)."""
    return escape(message) % {k: Markup("<code>{}</code>").format(v) for k, v in codes.items()}


def _c(code, label, basis, met, detail, check):
    return {"code": code, "label": label, "basis": basis, "met": bool(met), "detail": detail, "check": check}


def _duty_holders() -> dict[str, list[User]]:
    out: dict[str, list[User]] = {code: [] for code in DUTY_ROLES}
    for user in db.session.scalars(select(User).where(User.active.is_(True), User.roles.any(Role.code.in_(DUTY_ROLES)))):
        for code in user.role_codes & set(DUTY_ROLES):
            out[code].append(user)
    return out


def _demo_passwords_in_use() -> list[str]:
    from core.auth.passwords import verify_password
    users = db.session.scalars(select(User).where(User.username.in_(DEMO_ACCOUNTS), User.active.is_(True)))
    return [u.username for u in users if verify_password(u.password_hash, DEMO_PASSWORD)]


def evaluate() -> list[dict]:
    cfg = current_app.config
    demo = bool(cfg.get("DEMO"))
    gb = "GB/T 22239-2019 §8.1.4.1"
    min_len, classes = max(8, policy.setting("password_min_length")), policy.setting("password_min_classes")
    history, max_age = policy.setting("password_history"), policy.setting("password_max_age_days")
    failures, lock = int(cfg.get("LOGIN_MAX_FAILURES", 5)), int(cfg.get("LOGIN_LOCK_MINUTES", 15))
    idle, lifetime = int(cfg.get("SESSION_IDLE_MINUTES", 30)), int(cfg.get("SESSION_MAX_HOURS", 12))
    holders = _duty_holders()
    double = db.session.scalar(select(func.count(User.id)).where(User.active.is_(True), User.id.in_(
        select(User.id).join(User.roles).where(Role.code.in_(DUTY_ROLES)).group_by(User.id)
        .having(func.count(Role.code) > 1)))) or 0
    admins = {u.id: u for us in holders.values() for u in us}
    without_2fa = sorted(u.username for u in admins.values() if not u.totp_secret)
    demo_in_use = _demo_passwords_in_use()
    audit_days = _setting("audit_retention_days")
    pg = db.engine.dialect.name == "postgresql"
    pii_days = _setting("personal_data_retention_days")
    yes, no = _("yes"), _("no")
    return [
        _c("identity", _("Unique user names"), f"{gb} a", True,
           _("User names are unique (database constraint); accounts are disabled, never deleted."),
           _("Administration → Users: try to create a second account with an existing name.")),
        _c("password_complexity", _("Password complexity"), f"{gb} a", min_len >= 8 and classes >= 2,
           _("At least %(n)d characters, %(k)d kinds of characters, none of the last %(h)d passwords.",
             n=min_len, k=classes, h=history),
           _("Account → Change password with a short or simple password: it is refused.")),
        _c("password_expiry", _("Periodic password change"), f"{gb} a", 0 < max_age <= 180,
           _("Passwords expire after %(d)d days (0: never).", d=max_age),
           _coded(_("Settings: %(key)s; an expired password leads to the change form."),
                  key="core.security.password_max_age_days")),
        _c("initial_password", _("Initial and demo passwords changed"), f"{gb} a",
           not demo and not demo_in_use,
           (_("Demo mode: demo accounts keep their published password.") if demo else "")
           + (" " + _("Still using the demo password: %(names)s.", names=", ".join(demo_in_use)) if demo_in_use else "")
           or _("A password set by an administrator must be changed at the first sign-in."),
           _("Create a user, sign in as them: the change form comes first.")),
        _c("lockout", _("Login-failure handling"), f"{gb} b", 1 <= failures <= 10 and lock >= 1,
           _("Locked for %(m)d minutes after %(n)d failed attempts; every failure and lock is audited.",
             m=lock, n=failures),
           _("Sign in with a wrong password repeatedly; see the audit log's login-failure rows.")),
        _c("idle_timeout", _("Idle session timeout"), f"{gb} b", 0 < idle <= 30,
           _("Signed out after %(m)d idle minutes (CONCORD_SESSION_IDLE_MINUTES).", m=idle),
           _("Leave a signed-in page idle past the timeout and reload it.")),
        _c("session_lifetime", _("Absolute session lifetime"), f"{gb} b", 0 < lifetime <= 24,
           _("A session ends %(h)d hours after sign-in (CONCORD_SESSION_MAX_HOURS).", h=lifetime),
           _("Keep a session active past the lifetime: the next page asks to sign in.")),
        _c("session_end", _("Sessions end with logout, password change and disable"), f"{gb} b", True,
           _("Each ends every session and API token of the account; logout is a POST with a CSRF token."),
           _("Sign in from two browsers, sign out in one: the other is signed out too.")),
        _c("transport", _("Protected transport"), f"{gb} c", bool(cfg.get("PRODUCTION")),
           _("Secure cookies and HSTS: %(on)s; trusted proxies: %(n)s.",
             on=yes if cfg.get("PRODUCTION") else no, n=cfg.get("TRUSTED_PROXIES") or 0),
           _("Response headers of any page: Strict-Transport-Security, Set-Cookie …; Secure.")),
        _c("second_factor", _("Two factors for administrators"), f"{gb} d", bool(admins) and not without_2fa,
           _("Administrators without a second factor: %(names)s.", names=", ".join(without_2fa))
           if without_2fa else _("Every administrator signs in with a password and a TOTP code."),
           _coded(_("%(cmd)s, then sign in as USER: a six-digit code is asked for."),
                  cmd="concord security totp USER")),
        _c("separation", _("Separation of administrators (三员分立)"), "GB/T 22239-2019 §8.1.4.2 d",
           strict() and not double and all(holders[c] for c in DUTY_ROLES),
           _("Strict separation: %(on)s; accounts holding two duties: %(n)d; system / security / audit "
             "administrators: %(a)d / %(b)d / %(c)d.", on=yes if strict() else no, n=double,
             a=len(holders["admin"]), b=len(holders["security_admin"]), c=len(holders["audit_admin"])),
           _("Sign in as each administrator: users and apps, roles and policy, the audit log — nothing more.")),
        _c("audit_events", _("Security events audited"), "GB/T 22239-2019 §8.1.4.3 a-b", True,
           _("Sign-ins, failures, locks, logouts, password and permission changes and every download are audit "
             "rows with date, user, object, result and address."),
           _("Administration → Audit log, filtered by action.")),
        _c("audit_retention", _("Audit log kept at least 180 days"), "网络安全法 第二十一条; §8.1.4.3 c",
           audit_days >= AUDIT_FLOOR_DAYS,
           _("Rows are kept %(d)d days; a purge of younger rows is refused.", d=audit_days),
           _coded(_("%(cmd)s fails; the oldest row's date is on the audit page."),
                  cmd="concord security purge-audit --days 30")),
        _c("audit_protection", _("Audit log protected from change"), "§8.1.4.3 c", pg,
           _("PostgreSQL refuses UPDATE, TRUNCATE and the DELETE of rows younger than 180 days.") if pg
           else _("SQLite cannot refuse changes: run production on PostgreSQL."),
           _coded(_("%(cmd)s is refused."), cmd='psql -c "DELETE FROM core_audit_log;"')),
        _c("personal_data_retention", _("Personal data retention and de-identification"), "个人信息保护法 第十九条",
           pii_days > 0,
           _("Persons whose matters all closed more than %(d)d days ago are de-identified nightly.", d=pii_days)
           if pii_days > 0 else _coded(_("Off (%(key)s is 0)."), key="core.security.personal_data_retention_days"),
           _coded(_("Administration → Scheduled jobs: %(job)s; persons named 已去标识化."), job="core.deidentify")),
        _c("masking", _("Personal data masked and full reads audited"), "个人信息保护法 第五十一条", True,
           _("ID numbers and phone numbers are masked unless the role may read them; every full read is audited."),
           _("Open a person as a mediator: the ID number is masked.")),
    ]
