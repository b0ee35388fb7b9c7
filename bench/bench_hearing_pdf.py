"""Hearing minutes PDF (issue 6): a 6-page 听证笔录 (margin boxes with the hash and signature line on
every page, attendance and signature tables) on the demo database.

- ours: ``render_pdf("hearing.minutes", **data)`` — Jinja (autoescaped), a forked child under the
  time limit, the static-only fetcher, fonts loaded once per process;
- baseline: a bare ``weasyprint.HTML(string=html).write_pdf()`` of the same HTML with the same fonts
  named by ``@font-face`` ``file://`` URLs;
- the locked version served from the cache (keyed by its hash) vs a fresh render;
- the PDF/A-2b archive variant vs the plain render.

Ours and the baseline are timed alternately, round by round, so load from other processes hits both.
"""
from __future__ import annotations

import statistics

from bench import demo_app, row
from bench.bench_pdf import _bare_html, _timed

ROUNDS = 7
TARGET_PAGES = 6
LINE = ("信访人陈述：二〇二三年以来小区三号楼电梯多次发生故障，最长一次停运十七天，老人和残疾住户无法出行；"
        "物业公司以维修基金不足为由推诿，街道和住建部门多次协调未果，请求责成物业公司更换电梯主机并公开维修基金使用情况。")


def _hearing_with_minutes(n_statements: int):
    from sqlalchemy import select

    from core.db import db
    from plugins.hearing import scheduling, session
    from plugins.hearing.minutes import services as minutes
    from plugins.hearing.models import Hearing
    h = db.session.scalar(select(Hearing).order_by(Hearing.id))
    scheduling.send_notices(h)
    session.open_session(h)
    for p in h.participants:
        session.record_arrival(h, p)
    steps = ["petitioner", "unit", "debate", "questions", "final"]
    for i in range(n_statements):
        step = steps[i % len(steps)]
        role = {"petitioner": "petitioner", "unit": "unit", "debate": "petitioner", "questions": "panelist",
                "final": "unit"}[step]
        session.add_statement(h, role, "李春兰" if role == "petitioner" else "发言人", f"（{i + 1}）{LINE}", step=step)
    session.close_session(h)
    for p in minutes.signers(h):
        minutes.confirm(h, p, "confirmed")
    minutes.lock(h)
    return h


def run() -> list[dict]:
    import weasyprint

    from core.db import db
    from core.pdf import html_to_pdf, render_html, render_pdf
    from plugins.hearing.minutes import documents

    rows = []
    with demo_app() as app:  # noqa: F841
        n = 30
        while True:
            h = _hearing_with_minutes(n)
            data = documents.minutes_data(h)
            html = render_html("hearing.minutes", **data)
            pages = html_to_pdf(html).pages
            if pages >= TARGET_PAGES or n > 200:
                break
            db.session.rollback()
            n = int(n * TARGET_PAGES / max(pages, 1)) + 2
        if pages > TARGET_PAGES:   # trim to exactly six pages
            while pages > TARGET_PAGES and n > 1:
                db.session.rollback()
                n -= 2
                h = _hearing_with_minutes(n)
                data = documents.minutes_data(h)
                html = render_html("hearing.minutes", **data)
                pages = html_to_pdf(html).pages
        bare = _bare_html(html)
        ours = lambda: render_pdf("hearing.minutes", **data)  # noqa: E731
        baseline = lambda: weasyprint.HTML(string=bare).write_pdf()  # noqa: E731
        pdfa = lambda: render_pdf("hearing.minutes", pdf_variant="pdf/a-2b", **data)  # noqa: E731
        documents.render_minutes(h)   # fills the cache
        cached = lambda: documents.render_minutes(h)  # noqa: E731
        for fn in (ours, baseline, pdfa, cached):
            fn()
        t_ours, t_base, t_pdfa, t_cached = [], [], [], []
        for _ in range(ROUNDS):
            t_ours.append(_timed(ours))
            t_base.append(_timed(baseline))
            t_pdfa.append(_timed(pdfa))
            t_cached.append(_timed(cached))
        db.session.rollback()

    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    rows.append(row("hearing.minutes_pdf.render", round(ms(t_ours), 1), "ms", baseline=round(ms(t_base), 1),
                    note=f"median of {ROUNDS}; {pages} pages, {n} statements; baseline: bare WeasyPrint, same HTML"))
    rows.append(row("hearing.minutes_pdf.ratio_vs_bare", round(ms(t_ours) / ms(t_base), 3), "x", target="<= 1.3",
                    note="ours / bare WeasyPrint for the 6-page minutes"))
    rows.append(row("hearing.minutes_pdf.pdfa", round(ms(t_pdfa), 1), "ms", baseline=round(ms(t_ours), 1),
                    note="PDF/A-2b archive variant vs the plain render"))
    rows.append(row("hearing.minutes_pdf.cached", round(ms(t_cached), 2), "ms", baseline=round(ms(t_ours), 1),
                    note="locked version served from the cache keyed by its SHA-256"))
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
