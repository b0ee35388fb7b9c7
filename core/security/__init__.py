"""Security controls of a 等保 2.0 third-level system (GB/T 22239-2019 §8.1.4) and the 个人信息保护法 duties.

- Identity: password policy (``policy.py``), forced change of initial passwords outside demo mode, lockout
  (``core.auth.services``), idle timeout and absolute session lifetime, every session and token ended on
  logout, password change or reset and disable (``sessions.py``), optional TOTP second factor (``totp.py``).
- 三员分立: system, security and audit administrators (``duties.py``); no account holds two.
- Audit: sign-in outcomes, logouts, permission changes and every download are audit rows with subject,
  object, result and address; retention ≥ 180 days and a purge that refuses younger rows (``retention.py``);
  个人信息保护法 Art 19 retention with a de-identification job.
- Administration → Security controls lists each control and whether this installation meets it.
"""
from flask_babel import lazy_gettext as _l

from .policy import DEFAULTS as POLICY_DEFAULTS


def setup(ctx) -> None:
    from flask import request, session
    from . import sessions, views

    ctx.permissions({
        "admin.security.manage": _l("Set the password policy and administrators' second factors"),
    })
    from .duties import AUDIT, SECURITY
    # 三员分立: the system administrator is core's ``admin``; these two hold the other duties
    ctx.role(SECURITY, _l("Security administrator"), _l("Roles, grants, the password policy and second factors"),
             grants=["admin.access", "admin.roles.manage", "admin.security.manage"])
    ctx.role(AUDIT, _l("Audit administrator"), _l("Reads and exports the audit log, nothing else"),
             grants=["admin.access", "admin.audit.read"])
    from core.scheduler import JobSpec
    from .retention import RETENTION_DEFAULTS, deidentify_job, purge_job
    ctx.settings({f"security.{k}": v for k, v in {**POLICY_DEFAULTS, **RETENTION_DEFAULTS}.items()})
    ctx.job(JobSpec("core.audit_purge", purge_job, {"cron": {"day": 1, "hour": 3, "minute": 10}},
                    _l("Remove audit rows older than the retention period (never younger than 180 days)")))
    ctx.job(JobSpec("core.deidentify", deidentify_job, {"cron": {"hour": 3, "minute": 40}},
                    _l("De-identify persons whose matters all closed longer ago than the retention period")))
    ctx.migrations("security/migrations", branch="core_security", depends_on=("core_audit",))
    from .cli import security_cli
    ctx.cli(security_cli)
    app = ctx.app
    app.register_blueprint(views.bp)
    ctx.menu("admin.security", _l("Security controls"), "security.controls", "admin.access",
             parent="admin.root", order=45)

    allowed = {"security.change_password", "auth.logout", "auth.login", "static", "shell.healthz"}

    @app.before_request
    def forced_password_change():
        """Until an initial or expired password is changed, every page leads to the change form."""
        if not session.get(sessions.MUST_CHANGE) or request.endpoint in allowed or request.path.startswith("/api/"):
            return None
        from flask import redirect, url_for
        return redirect(url_for("security.change_password"))

    @app.after_request
    def audit_downloads(response):
        """Every file handed out (list exports, reports, documents, attachments) is an audit row."""
        if response.status_code == 200 and "attachment" in response.headers.get("Content-Disposition", ""):
            from core.audit.log import log_read
            log_read("export", None, None, text=request.full_path[:500],
                     field=response.mimetype[:64] if response.mimetype else None)
        return response
