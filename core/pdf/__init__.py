"""The PDF document service: Jinja templates (autoescaped) → WeasyPrint, with the vendored
Simplified-Chinese fonts, a URL fetcher that serves only core/static fonts and images, and a hard
render time limit (``PDF_RENDER_TIMEOUT`` seconds, default 20; the render runs in a forked child).

    from core.pdf import render_pdf
    pdf_bytes = render_pdf("hearing.minutes", **data)

Plugins register templates with ``ctx.pdf_template(id, path, title="", loader=None)``;
``concord pdf render ID --record N --out FILE`` renders one record through the template's loader.
"""
from __future__ import annotations

import os

from .engine import PdfError, Rendered, RenderFailed, RenderTimeout, harfbuzz_subset_available, html_to_pdf
from .fetcher import FetchRefused
from .templating import RecordNotFound, UnknownTemplate, load_record, pdf_response, record_document, render, render_html, render_pdf

__all__ = ["FetchRefused", "PdfError", "pdf_response", "record_document", "RecordNotFound", "RenderFailed", "RenderTimeout", "Rendered",
           "UnknownTemplate", "html_to_pdf", "load_record", "render", "render_html", "render_pdf", "setup"]

HARFBUZZ_WARNING = ("libharfbuzz-subset0 (HarfBuzz font subsetting) is not available: PDF rendering "
                    "falls back to fontTools and is about 30 times slower; install libharfbuzz-subset0")


def setup(ctx) -> None:
    from core.config import project_root

    from .cli import pdf_cli
    from .sample import load_sample

    ctx.app.config.setdefault("PDF_RENDER_TIMEOUT", 20)
    ctx.pdf_template("core.sample", os.path.join(project_root(), "templates", "pdf", "sample.html"),
                     title="Sample formal notice (GB/T 9704 layout)", loader=load_sample)
    ctx.cli(pdf_cli)
    if not harfbuzz_subset_available():
        ctx.app.logger.warning(HARFBUZZ_WARNING)
