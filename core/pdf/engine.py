"""HTML → PDF through WeasyPrint, in a time-limited child process, with our fonts and our fetcher.

The parent process imports WeasyPrint and loads the vendored fonts once (lazily, at the first render);
every render then forks a child that inherits that state, renders, and is killed if it overruns
``PDF_RENDER_TIMEOUT`` seconds (default 20).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import threading
from dataclasses import dataclass, field

from .fetcher import BASE_URL, make_fetcher, system_fonts_missing
from .isolation import ChildFailed, IsolationTimeout, run_in_child

log = logging.getLogger("concord.pdf")
FONTS_CSS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fonts.css")
DEFAULT_TIMEOUT = 20.0


class PdfError(Exception):
    """A document could not be produced; the message is one clear line."""


class RenderTimeout(PdfError):
    def __init__(self, seconds: float, pid: int):
        super().__init__(f"PDF rendering took longer than {seconds:g} s and was stopped")
        self.seconds = seconds
        self.pid = pid  # the killed (and reaped) renderer process


class RenderFailed(PdfError):
    pass


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    refused: list[tuple[str, str]] = field(default_factory=list)  # (url, reason) the fetcher refused


class _Prepared:
    """WeasyPrint imported and the fonts loaded into one font configuration (per process)."""

    def __init__(self):
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self.weasyprint = weasyprint
        self.font_config = FontConfiguration()
        fetcher = make_fetcher()
        with open(FONTS_CSS, encoding="utf-8") as fh:
            self.fonts_css = weasyprint.CSS(string=fh.read(), base_url=BASE_URL, url_fetcher=fetcher,
                                            font_config=self.font_config)
        missing = set(system_fonts_missing())
        for url, reason in fetcher.refused:
            if missing and url.startswith("concord-system-font:"):
                continue
            log.error("PDF fonts: %s could not be loaded (%s); Chinese text will be missing", url, reason)
        if missing:
            log.error("PDF fonts: Debian packages %s are not installed; characters outside the BMP "
                      "(e.g. 𠀀 in a name) will print as empty boxes", ", ".join(sorted(missing)))
        # One tiny render opens every face in Pango/HarfBuzz here, so each forked child starts with
        # them loaded instead of parsing three 11–17 MB fonts again (~0.2 s a document).
        render_in_process(_WARMUP_HTML, self)


_WARMUP_HTML = ('<html lang="zh-CN"><body style="font-family: \'Concord Serif SC\'">'
                '<p style="font-weight: 700">和合</p><p>和合</p>'
                '<p style="font-family: \'Concord Sans SC\'">和合</p>'
                '<p style="font-family: \'Concord Han Ext\'">𠀀</p><p style="font-family: \'Concord Han Ext2\'">𠀀</p>'
                '</body></html>')


_lock = threading.Lock()
_prepared: _Prepared | None = None
_prepared_pid: int | None = None


def prepared() -> _Prepared:
    global _prepared, _prepared_pid
    with _lock:
        if _prepared is None or _prepared_pid != os.getpid():
            _prepared = _Prepared()
            _prepared_pid = os.getpid()
        return _prepared


VARIANTS = (None, "pdf/a-2b")


def render_in_process(html: str, state: _Prepared | None = None, variant: str | None = None) -> Rendered:
    """The render itself (no time limit): what the child runs. Also used by the benchmark.
    *variant* is a WeasyPrint PDF variant (``"pdf/a-2b"`` for archives) or None."""
    if variant not in VARIANTS:
        raise PdfError(f"unknown PDF variant {variant!r}")
    state = state or prepared()
    fetcher = make_fetcher()
    document = state.weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        font_config=state.font_config, stylesheets=[state.fonts_css])
    pdf = document.write_pdf(pdf_variant=variant) if variant else document.write_pdf()
    return Rendered(pdf, len(document.pages), list(fetcher.refused))


def configured_timeout() -> float:
    from flask import current_app, has_app_context

    value = current_app.config.get("PDF_RENDER_TIMEOUT", DEFAULT_TIMEOUT) if has_app_context() else DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise PdfError(f"PDF_RENDER_TIMEOUT must be a number of seconds, not {value!r}") from None
    if seconds <= 0:
        raise PdfError("PDF_RENDER_TIMEOUT must be more than 0 seconds")
    return seconds


def html_to_pdf(html: str, timeout: float | None = None, variant: str | None = None) -> Rendered:
    """Render *html* (already escaped and trusted as markup) to PDF within *timeout* seconds
    (*variant*: None, or ``"pdf/a-2b"``)."""
    seconds = configured_timeout() if timeout is None else float(timeout)
    if variant not in VARIANTS:
        raise PdfError(f"unknown PDF variant {variant!r}")
    state = prepared()
    try:
        result: Rendered = run_in_child(lambda: render_in_process(html, state, variant), seconds)
    except IsolationTimeout as exc:
        log.warning("PDF render stopped after %g s (limit PDF_RENDER_TIMEOUT)", seconds)
        raise RenderTimeout(seconds, exc.pid) from None
    except ChildFailed as exc:
        log.error("PDF render failed: %s", exc)
        raise RenderFailed(f"PDF rendering failed: {exc}") from None
    for url, reason in result.refused:
        log.warning("PDF render: refused to fetch %s (%s)", url, reason)
    return result


@functools.lru_cache(maxsize=1)
def harfbuzz_subset_available() -> bool:
    """Whether WeasyPrint can subset fonts with HarfBuzz (libharfbuzz-subset0, HarfBuzz ≥ 4.1);
    without it, it falls back to fontTools and renders ~30× slower."""
    names = ["libharfbuzz-subset.so.0", ctypes.util.find_library("harfbuzz-subset")]
    if not any(_loads(n) for n in names if n):
        return False
    for name in ("libharfbuzz.so.0", ctypes.util.find_library("harfbuzz")):
        try:
            lib = ctypes.CDLL(name) if name else None
        except OSError:
            continue
        if lib is not None:
            return bool(lib.hb_version_atleast(4, 1, 0))
    return False


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
        return True
    except OSError:
        return False
