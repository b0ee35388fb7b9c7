"""PDF service costs: the core.sample notice (2 A4 pages, three CJK fonts) on the demo database.

- ours: ``render_pdf("core.sample", **data)`` — Jinja (autoescaped), a forked child under the time
  limit, the static-only fetcher, fonts loaded once per process;
- baseline: a bare ``weasyprint.HTML(string=html).write_pdf()`` of the same HTML with the same fonts
  named by ``@font-face`` ``file://`` URLs (a fresh font configuration each time, as WeasyPrint does
  by default);
- the cost of the time limit alone: the same warm render in a forked child vs in-process;
- the one-off font warm-up a process pays at its first render.

Ours and the baseline are timed alternately, round by round, so load from other processes hits both.
"""
from __future__ import annotations

import statistics
import time

from bench import demo_app, row

ROUNDS = 9


def _bare_html(html: str) -> str:
    from core.pdf.fetcher import STATIC_ROOT

    faces = "".join(
        f'@font-face {{ font-family: "{family}"; src: url("file://{STATIC_ROOT}/fonts/{name}"); '
        f"font-weight: {weight}; font-style: normal; }}\n"
        for family, name, weight in (
            ("Concord Serif SC", "NotoSerifCJKsc-Regular.otf", 400),
            ("Concord Serif SC", "NotoSerifCJKsc-Bold.otf", 700),
            ("Concord Sans SC", "NotoSansCJKsc-Regular.otf", 400)))
    return html.replace("<head>", f"<head>\n<style>\n{faces}</style>", 1)


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run() -> list[dict]:
    import weasyprint

    from core.pdf import engine, html_to_pdf, load_record, render_html, render_pdf

    rows = []
    with demo_app():
        data = load_record("core.sample", "user:officer")
        html = render_html("core.sample", **data)
        bare = _bare_html(html)

        t0 = time.perf_counter()
        engine.prepared()
        warmup = time.perf_counter() - t0

        ours = lambda: render_pdf("core.sample", **data)  # noqa: E731
        baseline = lambda: weasyprint.HTML(string=bare).write_pdf()  # noqa: E731
        forked = lambda: html_to_pdf(html)  # noqa: E731
        inline = lambda: engine.render_in_process(html)  # noqa: E731
        for fn in (ours, baseline, forked, inline):
            fn()  # warm caches, imports and the first fork
        t_ours, t_base, t_fork, t_inline = [], [], [], []
        for _ in range(ROUNDS):
            t_ours.append(_timed(ours))
            t_base.append(_timed(baseline))
            t_fork.append(_timed(forked))
            t_inline.append(_timed(inline))
        pages = html_to_pdf(html).pages

    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    ratio = ms(t_ours) / ms(t_base)
    rows.append(row("pdf.sample.render", round(ms(t_ours), 1), "ms", baseline=round(ms(t_base), 1),
                    note=f"median of {ROUNDS}; {pages} pages; baseline: bare WeasyPrint, same HTML and fonts"))
    rows.append(row("pdf.sample.ratio_vs_bare", round(ratio, 3), "x", target="<= 1.3",
                    note="ours / bare WeasyPrint (fonts are loaded once per process in ours)"))
    rows.append(row("pdf.time_limit.fork", round(ms(t_fork), 1), "ms", baseline=round(ms(t_inline), 1),
                    note=f"same warm render in a forked child vs in-process: +{ms(t_fork) - ms(t_inline):.1f} ms"))
    rows.append(row("pdf.font_warmup", round(warmup * 1000, 1), "ms",
                    note="once per process (WeasyPrint already imported): load and open the three vendored fonts"))
    return rows
