"""PDF templates: a Jinja environment of its own (autoescape always on, no Flask globals), the
templates registered with ``ctx.pdf_template(id, path, title, loader)``, and ``render_pdf``.

Template names: ``pdf/base.html``, ``pdf/macros.html`` (under the project's ``templates/``) and
``@<template id>`` for a registered template.
"""
from __future__ import annotations

import os
from datetime import date, datetime

from flask import current_app
from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound
from markupsafe import Markup

from core.config import project_root
from core import clock

from .engine import PdfError, Rendered, html_to_pdf


class UnknownTemplate(PdfError):
    pass


class RecordNotFound(PdfError, LookupError):
    """A template's loader found no record with the id it was given."""


def templates(app=None) -> dict[str, tuple[str, str]]:
    """Registered templates: id → (file, title)."""
    host = (app or current_app).extensions["concord"]
    return {c.key: (c.value, c.detail) for c in host.items("pdf_template")}


def loader_for(template_id: str, app=None):
    host = (app or current_app).extensions["concord"]
    return next((c.value for c in host.items("pdf_loader") if c.key == template_id), None)


class _RegisteredLoader(BaseLoader):
    def __init__(self, app):
        self.app = app

    def get_source(self, environment, name):
        if not name.startswith("@"):
            raise TemplateNotFound(name)
        entry = templates(self.app).get(name[1:])
        if entry is None:
            raise TemplateNotFound(name)
        path = entry[0]
        mtime = os.path.getmtime(path)
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
        return source, path, lambda: os.path.exists(path) and os.path.getmtime(path) == mtime


def cn_date(value) -> str:
    """2026-11-23 → 2026年11月23日 (GB/T 9704: full year, no leading zeros)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.year}年{value.month}月{value.day}日"


def today(app=None) -> date:
    return clock.today()


def environment(app=None) -> Environment:
    app = app or current_app._get_current_object()
    env = app.extensions.get("concord.pdf.env")
    if env is None:
        env = Environment(
            loader=ChoiceLoader([_RegisteredLoader(app), FileSystemLoader(os.path.join(project_root(), "templates"))]),
            autoescape=True,  # every value is escaped, whatever the file is called
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,
        )
        env.filters["cn_date"] = cn_date
        env.globals["today"] = lambda: today(app)
        app.extensions["concord.pdf.env"] = env
    return env


def _plain(value):
    """User data is text: a Markup value (trusted HTML) is turned back into a plain string."""
    if isinstance(value, Markup):
        return str.__str__(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if type(value) is tuple:
        return tuple(_plain(v) for v in value)
    return value


def render_html(template_id: str, **data) -> str:
    if template_id not in templates():
        raise UnknownTemplate(f"unknown PDF template {template_id!r}")
    return environment().get_template("@" + template_id).render(**_plain(data))


def render(template_id: str, timeout: float | None = None, **data) -> Rendered:
    """Render a registered template to PDF; returns the bytes, page count and refused fetches."""
    return html_to_pdf(render_html(template_id, **data), timeout=timeout)


def render_pdf(template_id: str, *, pdf_variant: str | None = None, **data) -> bytes:
    """The PDF of template *template_id* filled with *data* (every value escaped); *pdf_variant*
    ``"pdf/a-2b"`` gives an archival PDF/A-2b."""
    return html_to_pdf(render_html(template_id, **data), variant=pdf_variant).pdf


def load_record(template_id: str, record_id: str) -> dict:
    """The data of one record, through the template's loader."""
    if template_id not in templates():
        raise UnknownTemplate(f"unknown PDF template {template_id!r}")
    loader = loader_for(template_id)
    if loader is None:
        raise PdfError(f"PDF template {template_id!r} has no record loader")
    try:
        data = loader(record_id)
    except RecordNotFound:
        raise
    except LookupError as exc:
        raise RecordNotFound(f"no record {record_id!r} for PDF template {template_id!r}") from exc
    if data is None:
        raise RecordNotFound(f"no record {record_id!r} for PDF template {template_id!r}")
    return data


def pdf_response(pdf: bytes, filename: str, download: bool = False):
    """A rendered PDF as a response: shown in the browser, or saved as *filename* when *download*."""
    from flask import Response
    disposition = "attachment" if download else "inline"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"{disposition}; filename={filename}"})


def record_document(template_id: str, reference: str, kind: str, available, build):
    """The PDF of one of a record's documents: 404 unless *kind* is among *available* (``(kind, label)``
    pairs the record offers in its state), else *build(kind)*'s data rendered with *template_id* and
    shown as ``<reference>-<kind>.pdf``."""
    from flask import abort
    if kind not in dict(available):
        abort(404)
    return pdf_response(render_pdf(template_id, **build(kind)), f"{reference}-{kind}.pdf")
