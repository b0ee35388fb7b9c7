"""The ``concord`` command line (``flask --app core`` works the same)."""
from __future__ import annotations

import getpass
import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext


class CliError(click.ClickException):
    """Bad input: one clear line on stderr, exit code 2, no traceback."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"concord: error: {self.format_message()}", err=True)


def _create_app(*_a, **_kw):
    from core.app import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, add_default_commands=True)
def cli():
    """Concord: hearing and mediation management."""


@cli.group()
def db():
    """Database migrations."""


@db.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply every installed plugin's migrations, then sync permissions and reference data."""
    from core.bootstrap import upgrade_and_sync
    summary = upgrade_and_sync(current_app)
    click.echo(f"database up to date ({summary})")


@db.command("revision")
@click.option("--plugin", "--branch", "plugin", required=True, help="migrations branch: core, a core service's branch, or a plugin name")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(plugin, message):
    """Autogenerate the next migration of one plugin's branch from its own tables."""
    from core.migrate import revision
    try:
        click.echo(revision(plugin, message))
    except ValueError as exc:
        raise CliError(str(exc)) from exc


@cli.group()
def seed():
    """Demo and synthetic data."""


@seed.command("demo")
@with_appcontext
def seed_demo_cmd():
    """Load the demo district (君山区) and demo accounts; safe to run again."""
    from core.db import db as database
    from core.seed import seed_demo
    result = seed_demo(current_app.extensions["concord"])
    database.session.commit()
    import os
    with open(os.path.join(current_app.instance_path, "demo-data"), "w") as fh:
        fh.write("this database holds demo data; the login page says so\n")
    click.echo(f"demo data loaded: {result['regions']['rows']} regions, new users: {', '.join(result['users_created']) or 'none'}")


@seed.command("scale")
@click.option("--petitions", type=click.IntRange(0, 10_000_000), default=0)
@click.option("--disputes", type=click.IntRange(0, 10_000_000), default=0)
@click.option("--skip", default="", metavar="PLUGINS",
              help="Comma-separated plugins whose scale data is not made (e.g. centre: its seeder is the slowest).")
@with_appcontext
def seed_scale_cmd(petitions, disputes, skip):
    """Synthetic realistic volume for benchmarks (each plugin adds its own records)."""
    from core.scale import seed_scale
    seed_scale(current_app.extensions["concord"], petitions=petitions, disputes=disputes,
               skip={p.strip() for p in skip.split(",") if p.strip()})


@cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_cmd(path):
    """Write every table (audit log included) and the attachments to one archive (.tar.gz)."""
    from core.backup import BackupError, backup
    try:
        manifest = backup(path)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    rows = sum(manifest["tables"].values())
    click.echo(f"backup written to {path}: {len(manifest['tables'])} tables, {rows} rows, "
               f"{manifest['attachments']} attachments")


@cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def restore_cmd(path):
    """Restore an archive made by `concord backup` into a new database (schema created as needed)."""
    from core.backup import BackupError, restore
    from core.bootstrap import sync_reference_data
    from core.migrate import upgrade
    if not os.path.isfile(path):
        raise CliError(f"no such file: {path}")
    upgrade(current_app)       # the schema only: reference data comes from the backup
    try:
        manifest = restore(path)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    sync_reference_data(current_app)
    rows = sum(manifest["tables"].values())
    click.echo(f"restored {path}: {len(manifest['tables'])} tables, {rows} rows, "
               f"{manifest['attachments_restored']} attachments")


@cli.command("plugins")
@with_appcontext
def plugins_cmd():
    """Plugins in load order with version, dependencies and everything each contributes."""
    host = current_app.extensions["concord"]
    groups = host.by_plugin()
    for name in ["core"] + [m.name for m in host.loaded]:
        m = next((x for x in host.loaded if x.name == name), None)
        if m is None:
            click.echo("core (framework)")
        else:
            deps = ", ".join(m.depends) or "-"
            uses = f"; uses {', '.join(m.uses)}" if m.uses else ""
            click.echo(f"{m.name} {m.version}  {m.title}  depends: {deps}{uses}")
        for c in groups.get(name, []):
            if c.kind == "loaded":
                continue
            detail = f"  ({c.detail})" if c.detail else ""
            click.echo(f"    {c.kind:<14} {c.key}{detail}")
    click.echo("extension points (core/plugins/points.py and each plugin's points.py)")
    for name, point in sorted(host.points.items()):
        click.echo(f"  {name}  {point.kind}, declared by {point.owner}")
        if point.kind == "signal":
            users = sorted({c.plugin for c in host.receivers(name)})
            click.echo(f"      receivers: {', '.join(users) or '-'}")
        else:
            users = sorted({c.plugin for c in host.items(name)})
            click.echo(f"      providers: {', '.join(users) or '-'}")


@cli.command("scheduler")
@with_appcontext
def scheduler_cmd():
    """Run the one scheduler process (jobs declared by plugins)."""
    try:
        from core.scheduler.runner import run_forever
    except ImportError as exc:
        raise CliError("the scheduler service is not installed") from exc
    run_forever(current_app._get_current_object())


@cli.group()
def users():
    """User accounts."""


@users.command("create")
@click.argument("name")
@click.option("--role", "roles", required=True, multiple=True, help="a role code: admin or one a plugin declares (concord plugins lists them)")
@click.option("--region", default=None, help="region code the user is bound to")
@click.option("--display-name", default="")
@with_appcontext
def users_create(name, roles, region, display_name):
    """Create a user; asks for the password on the terminal (or reads it from stdin when piped)."""
    from core.auth.services import AuthError, create_user
    from core.db import db as database
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat password: "):
            raise CliError("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(name, password, list(roles), region, display_name)
        from core.security.policy import initial_password
        initial_password(user, password)      # policy, 三员分立, changed at the first sign-in
        database.session.commit()
    except AuthError as exc:
        database.session.rollback()
        raise CliError(str(exc)) from exc
    click.echo(f"user {user.username} created")



@cli.group()
def i18n():
    """Translation catalogs (core and each plugin)."""


@i18n.command("update")
@click.argument("names", nargs=-1)
def i18n_update(names):
    """Extract strings and update the .po catalogs (all, or the named ones)."""
    from core.i18n_catalogs import catalogs, update
    for name in names or catalogs():
        stats = update(name)
        click.echo(f"{name}: untranslated {stats}")


@i18n.command("missing")
@click.argument("names", nargs=-1)
def i18n_missing(names):
    """List strings without a Chinese translation."""
    from core.i18n_catalogs import catalogs, missing
    total = 0
    for name in names or catalogs():
        for msgid in missing(name):
            click.echo(f"{name}\t{msgid}")
            total += 1
    if total:
        raise CliError(f"{total} strings lack a Chinese translation")


def main(argv=None):
    """Entry point: every error caused by the input is one line on stderr and exit code 2."""
    try:
        rv = cli.main(args=argv, prog_name="concord", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(0)
    except click.UsageError as exc:
        hint = f" (see: concord {exc.ctx.command_path.partition(' ')[2]} --help)".replace("  ", " ") if exc.ctx else ""
        click.echo(f"concord: error: {exc.format_message()}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("concord: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)
