"""``concord security``: the retention jobs by hand and administrators' second factors."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select


@click.group("security")
def security_cli():
    """等保 controls: audit purge, de-identification, TOTP second factors."""


def _fail(message: str):
    from core.cli import CliError
    raise CliError(message)


@security_cli.command("purge-audit")
@click.option("--days", type=int, default=None, help="keep this many days (at least 180; default: the setting)")
@with_appcontext
def purge_audit_cmd(days):
    """Remove audit rows older than the retention period."""
    from core.db import db
    from .retention import RetentionError, purge_audit
    try:
        n = purge_audit(days)
    except RetentionError as exc:
        _fail(str(exc))
    db.session.commit()
    click.echo(f"{n} audit rows removed")


@security_cli.command("deidentify")
@click.option("--days", type=int, default=None, help="retention after closing (default: the setting)")
@with_appcontext
def deidentify_cmd(days):
    """De-identify persons whose matters all closed longer ago than the retention period."""
    from core.db import db
    from .retention import deidentify
    n = deidentify(days)
    db.session.commit()
    click.echo(f"{n} persons de-identified")


@security_cli.command("totp")
@click.argument("username")
@click.option("--off", is_flag=True, help="remove the second factor")
@with_appcontext
def totp_cmd(username, off):
    """Give USER a TOTP second factor (prints the secret and otpauth URI once) or remove it."""
    from core.auth.models import User
    from core.audit.log import log_event
    from core.db import db
    from . import sessions, totp
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        _fail(f"no user {username}")
    if off:
        totp.disable(user)
        log_event("permission_change", "core_user", user.id, field="totp", new="off")
        sessions.end_all(user)
        db.session.commit()
        click.echo(f"second factor removed for {username}")
        return
    secret = totp.enable(user)
    log_event("permission_change", "core_user", user.id, field="totp", new="on")
    sessions.end_all(user)
    db.session.commit()
    click.echo(f"secret: {secret}")
    click.echo(f"uri: {totp.uri(user, secret)}")
