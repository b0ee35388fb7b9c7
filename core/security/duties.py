"""三员分立 (GB/T 22239-2019 §8.1.4.2 d, separation of administrators): the system administrator (users,
settings, plugins), the security administrator (roles, grants, password policy, second factors) and the audit
administrator (the audit log, nothing else). No account may hold two of these roles.

In demo data the ``admin`` account keeps every permission (contract §4). With ``SEPARATE_ADMIN_DUTIES`` on
(``./run.sh prod`` turns it on through ``CONCORD_PRODUCTION``) each administrator role is limited to its own
duty at run time, whatever grants the database holds: the system administrator loses the security and audit
permissions, the other two hold only theirs."""
from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

SYSTEM, SECURITY, AUDIT = "admin", "security_admin", "audit_admin"
DUTY_ROLES = {
    SYSTEM: _l("System administrator"),
    SECURITY: _l("Security administrator"),
    AUDIT: _l("Audit administrator"),
}
SECURITY_PERMISSIONS = frozenset({"admin.roles.manage", "admin.security.manage"})
AUDIT_PERMISSIONS = frozenset({"admin.audit.read"})
SHARED = frozenset({"admin.access"})


class DutyError(ValueError):
    pass


def check_roles(codes) -> None:
    held = [c for c in codes if c in DUTY_ROLES]
    if len(set(held)) > 1:
        raise DutyError(_("One account cannot hold two administrator duties (三员分立): %(roles)s.",
                          roles="、".join(str(DUTY_ROLES[c]) for c in sorted(set(held)))))


def strict() -> bool:
    if not has_app_context():
        return False
    cfg = current_app.config
    value = cfg.get("SEPARATE_ADMIN_DUTIES")
    return bool(cfg.get("PRODUCTION")) if value is None else bool(value)


def role_permissions(role_code: str, codes) -> frozenset:
    """What a role's grants amount to under strict separation."""
    codes = frozenset(codes)
    if role_code == SYSTEM:
        return codes - SECURITY_PERMISSIONS - AUDIT_PERMISSIONS
    if role_code == SECURITY:
        return codes & (SECURITY_PERMISSIONS | SHARED)
    if role_code == AUDIT:
        return codes & (AUDIT_PERMISSIONS | SHARED)
    return codes - SECURITY_PERMISSIONS - AUDIT_PERMISSIONS
