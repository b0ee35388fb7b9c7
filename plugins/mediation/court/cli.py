"""``concord mediation import-court FILE``: a court's hand-over batch (contract §10)."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group("mediation", help="Mediation: court hand-over batches.")
def mediation_cli():
    pass


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@mediation_cli.command("import-court")
@click.argument("path", metavar="FILE")
@click.option("--region", "region_code", default=None, help="region code of the receiving committee (default: the district)")
@with_appcontext
def import_court(path: str, region_code: str | None):
    """Import a court's batch (UTF-8 CSV, xlsx or JSON): one line per case created; a bad row stops all."""
    from sqlalchemy import select

    from core.toolkit import db
    from core.toolkit import Region
    from .importer import ImportFailed, import_batch
    from .services import default_region

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror}")
    region = (db.session.scalar(select(Region).where(Region.code == region_code)) if region_code
              else default_region())
    if region is None:
        _fail(f"no region {region_code}" if region_code else "no district in the database (run concord seed demo)")
    try:
        batch, cases = import_batch(path, data, region)
        db.session.commit()
    except ImportFailed as exc:
        db.session.rollback()
        if exc.rows:
            for n, field, message in exc.rows:
                click.echo(f"row {n}: {field}: {message}", err=True)
            _fail(f"{len({n for n, _f, _m in exc.rows})} bad row(s); nothing imported")
        _fail(exc.message)
    for c in cases:
        click.echo(f"{c.reference}\t{c.court}\t{c.court_case_no}\t{c.kind}\t{len(c.parties)} parties")
    click.echo(f"batch {batch.id}: {len(cases)} case(s) imported", err=True)
