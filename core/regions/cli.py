"""``concord regions import FILE``."""
import click
from flask.cli import with_appcontext


@click.group("regions")
def regions_cli():
    """Administrative regions (NBS codes and local 村民小组 codes)."""


@regions_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_cmd(file):
    """Import regions from a CSV file (code,name,level,parent_code,urban_rural_code), e.g.
    ../shared/data/regions/counties.csv for every county in China."""
    from core.cli import CliError
    from core.db import db
    from .importer import RegionImportError, import_regions

    try:
        result = import_regions(file)
        db.session.commit()
    except RegionImportError as exc:
        db.session.rollback()
        raise CliError(str(exc)) from None
    click.echo(f"{file}: {result['rows']} rows, {result['added']} added, {result['updated']} changed")
