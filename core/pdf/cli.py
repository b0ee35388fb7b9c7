"""``concord pdf``: render documents from the command line."""
from __future__ import annotations

import os
import tempfile

import click
from flask.cli import with_appcontext

from core.cli import CliError


@click.group("pdf")
def pdf_cli():
    """PDF documents."""


@pdf_cli.command("templates")
@with_appcontext
def list_templates():
    """List the registered PDF templates."""
    from .templating import loader_for, templates
    for template_id, (_path, title) in sorted(templates().items()):
        loads = "  --record" if loader_for(template_id) else ""
        click.echo(f"{template_id}\t{title}{loads}")


@pdf_cli.command("render")
@click.argument("template_id")
@click.option("--record", "record_id", required=True, help="id of the record the template's loader reads")
@click.option("--out", "out", required=True, help="PDF file to write")
@with_appcontext
def render_cmd(template_id, record_id, out):
    """Render one document of TEMPLATE_ID for record --record into --out."""
    from .engine import PdfError
    from .templating import load_record, render

    out = os.path.abspath(out)
    folder = os.path.dirname(out)
    if os.path.isdir(out):
        raise CliError(f"cannot write {out}: it is a folder")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".concord-pdf-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        try:
            data = load_record(template_id, record_id)
            result = render(template_id, **data)
        except PdfError as exc:
            raise CliError(str(exc)) from None
        with os.fdopen(fd, "wb") as fh:
            fd = None
            fh.write(result.pdf)
        os.replace(tmp, out)
        tmp = None
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    click.echo(f"wrote {out} ({result.pages} pages, {len(result.pdf)} bytes)")
