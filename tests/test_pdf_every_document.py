"""Every formal document, rendered from the demo records with a petitioner named 张𠀀𪚥 (characters
outside the BMP), read back: the name by pypdf and by pdftotext, a real glyph for each of its characters
in the embedded fonts, the page count, and a last page that holds more than the signature."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.db import db
from core.pdf import render
from core.pdf.fetcher import system_fonts_missing

from tests.test_pdf_formal import drawn_with_a_glyph, embedded_programs, pdftotext

NAME = "张𠀀𪚥"
pytestmark = pytest.mark.skipif(bool(system_fonts_missing()), reason="fallback font packages not installed")


def _documents():
    """(label, template id, data) of every document the demo records have."""
    from plugins.hearing.minutes import documents as hdoc
    from plugins.hearing.models import Hearing
    from plugins.legal_aid import documents as ldoc
    from plugins.legal_aid.models import AidApplication, Referral
    from plugins.legal_aid.services import filing_deadline
    from plugins.petition import documents as pdoc
    from plugins.petition.models import PetitionCase

    out = []
    cases = db.session.scalars(select(PetitionCase).order_by(PetitionCase.id)).all()
    seen = set()
    for case in cases:
        for kind, _title in pdoc.available(case):
            if kind not in seen:
                seen.add(kind)
                case.petitioner.name = NAME
                out.append((f"petition {kind}", "petition.document", pdoc.document_data(case, kind)))
    ref = db.session.scalar(select(Referral).where(Referral.person_id.is_not(None)).limit(1))
    ref.person.name = NAME
    due = filing_deadline(ref)
    out.append(("referral notice", "legal_aid.document", ldoc.referral_notice(ref, due["due"] if due else None)))
    from plugins.legal_aid.aid import services as aid
    from plugins.legal_aid.tests.test_legal_aid_aid import _apply
    granted, refused = _apply(), _apply()
    aid.grant(granted)
    aid.refuse(refused, "不符合经济困难条件，且不属于免予核查的情形。")
    seen = set()
    for app in db.session.scalars(select(AidApplication).order_by(AidApplication.id)):
        for kind, _title in ldoc.aid_available(app):
            if kind not in seen:
                seen.add(kind)
                app.applicant.name = NAME
                out.append((f"legal aid {kind}", "legal_aid.document", ldoc.aid_document(app, kind)))
    # a hearing from application to conclusion (tests/test_hearing_pdf.py's steps), its petitioner renamed
    from plugins.hearing import scheduling, session
    from plugins.hearing.minutes import services as minutes
    from plugins.hearing.models import Notice
    from plugins.hearing.tests.hearing_support import new_hearing
    h = new_hearing()
    h.petition.petitioner.name = NAME
    db.session.flush()
    scheduling.send_notices(h)
    notice = db.session.scalar(select(Notice).where(Notice.hearing_id == h.id, Notice.kind == "notice"))
    out.append(("hearing notice", "hearing.document", hdoc.notice_data(h, notice)))
    session.open_session(h)
    session.add_statement(h, "petitioner", NAME, "电梯三年来故障十余次。", step="petitioner")
    minutes.set_proposal(h, "一个月内更换电梯")
    for m, vote in zip(h.panel, ("agree", "agree", "disagree")):
        minutes.record_vote(h, m.id, "意见" + m.panelist.name, vote)
    session.conclude(h, "settled", "物业公司承诺更换电梯。")
    out.append(("hearing conclusion", "hearing.document", hdoc.conclusion_data(h)))
    out.append(("hearing minutes", "hearing.minutes", hdoc.minutes_data(h)))
    assert all(isinstance(x, Hearing) for x in [h])
    db.session.flush()
    return out


def test_every_formal_document_reads_back(app, tmp_path):
    docs = _documents()
    labels = {label for label, *_ in docs}
    assert {"petition opinion", "petition accept_notice", "referral notice", "legal aid grant_decision",
            "legal aid refusal_decision", "hearing notice", "hearing conclusion", "hearing minutes"} <= labels, labels
    for label, template, data in docs:
        result = render(template, **data)
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(result.pdf)).pages]
        assert result.pages == len(pages) >= 1, label
        text = "".join("".join(p.split()) for p in pages)
        assert NAME in text, (label, text[:200])
        assert NAME in "".join(pdftotext(result.pdf, tmp_path).split()), label
        programs = embedded_programs(result.pdf)
        assert all(drawn_with_a_glyph(programs, ch) for ch in NAME), (label, list(programs))
        if template == "hearing.minutes":   # the running heads stay on one line (no grid spacing there)
            import subprocess
            path = tmp_path / "minutes.pdf"
            path.write_bytes(result.pdf)
            head = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(path), "-"],
                                  capture_output=True, text=True, check=True).stdout.splitlines()[0]
            assert f"{data['reference']} 第{data['version']}版" in head, head
        issuer = data.get("issuer")
        if issuer and data.get("date") and template != "hearing.minutes":
            last = "".join(pages[-1].split())
            assert issuer in last, (label, last)
            rest = last.replace(issuer, "").replace(f"—{len(pages)}—", "")
            d = data["date"]
            rest = rest.replace(f"{d.year}年{d.month}月{d.day}日", "") if hasattr(d, "year") else rest
            assert rest.strip(), f"{label}: the last page holds only the signature"
