"""Hearing PDFs rendered for real and read back with pypdf: statements, names, headings, the hash on
every page, HTML/URLs in a statement printed literally, nothing fetched, locked minutes cached,
PDF/A-2b archive copy, notices, conclusion, deliberation and the batch ZIP export."""
import io
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from core.db import db
from core.pdf import render_html, render_pdf
from plugins.hearing import scheduling, session
from plugins.hearing.minutes import documents
from plugins.hearing.minutes import services as minutes
from plugins.hearing.minutes.models import PdfCache
from plugins.hearing.models import Notice
from test_hearing_services import new_hearing, run_to_minutes

HOSTILE = '<img src="file:///etc/passwd"> <a href="https://evil.example/x">点我</a> http://10.0.0.1/secret'


def _text(pdf: bytes) -> tuple[list[str], str]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = [p.extract_text() or "" for p in reader.pages]
    return pages, "".join(pages).replace(" ", "").replace("\n", "")


def _locked():
    h = new_hearing()
    scheduling.send_notices(h)
    session.open_session(h)
    for p in h.participants:
        session.record_arrival(h, p)
    session.add_statement(h, "petitioner", h.petition.petitioner.name, "电梯三年来故障十余次。", step="petitioner")
    session.add_statement(h, "unit", "物业办主任", HOSTILE, step="unit")
    session.close_session(h)
    petitioner = next(p for p in h.participants if p.role == "petitioner")
    unit = next(p for p in h.participants if p.role == "unit")
    minutes.confirm(h, petitioner, "confirmed")
    minutes.confirm(h, unit, "refused", note="认为记录不全")
    v = minutes.lock(h)
    return h, v


def test_minutes_pdf_holds_statements_names_headings_and_hash_on_every_page(app):
    h, v = _locked()
    pdf = documents.render_minutes(h)
    pages, flat = _text(pdf)
    assert "电梯三年来故障十余次" in flat and h.petition.petitioner.name in flat
    for heading in ("听证笔录", "编号及案由", "主持人、听证员、记录员", "信访人陈述", "承办单位陈述", "质证与辩论",
                    "听证员提问", "最后陈述", "评议（另卷）", "听证结论", "签名"):
        assert heading in flat, heading
    assert "拒绝签名（主持人注明：认为记录不全）" in flat
    for page in pages:
        assert v.content_hash in page.replace("\n", "").replace(" ", "")
        assert "主持人：" in page and "记录员：" in page   # signature line on each page


def test_html_and_urls_in_statements_appear_literally_and_nothing_is_fetched(app):
    h, v = _locked()
    html = render_html("hearing.minutes", **documents.minutes_data(h, v))
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html or "&lt;img src=&quot;file" in html
    from core.pdf import render
    result = render("hearing.minutes", **documents.minutes_data(h, v))
    assert result.refused == []          # the markup was text, so nothing was even asked for
    _pages, flat = _text(result.pdf)
    assert '<imgsrc="file:///etc/passwd">' in flat and "https://evil.example/x" in flat
    assert "http://10.0.0.1/secret" in flat


def test_locked_minutes_render_once_then_come_from_the_cache(app):
    h, v = _locked()
    first = documents.render_minutes(h)
    assert db.session.get(PdfCache, (v.content_hash, "pdf")) is not None
    row = db.session.get(PdfCache, (v.content_hash, "pdf"))
    row.pdf = b"%PDF-cached"
    db.session.flush()
    assert documents.render_minutes(h) == b"%PDF-cached"
    assert first.startswith(b"%PDF")


def test_pdfa_archive_copy(app):
    h, v = _locked()
    pdf = documents.render_minutes(h, "pdf/a-2b")
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfaid" in xmp and (b"<pdfaid:part>2</pdfaid:part>" in xmp or b'pdfaid:part="2"' in xmp)
    assert documents.cached(v.content_hash, "pdf/a-2b")


def test_draft_minutes_say_draft_and_correction_is_a_new_version(app):
    h = run_to_minutes(new_hearing())
    _pages, flat = _text(documents.render_minutes(h))
    assert "草稿" in flat
    assert db.session.scalar(select(PdfCache)) is None   # drafts are never cached


def test_notice_announcement_conclusion_and_deliberation(app):
    h = new_hearing()
    scheduling.send_notices(h)
    notice = db.session.scalar(select(Notice).where(Notice.hearing_id == h.id, Notice.kind == "notice"))
    _p, flat = _text(render_pdf("hearing.document", **documents.notice_data(h, notice)))
    assert "听证通知书" in flat and notice.recipient in flat and h.place in flat
    _p, flat = _text(render_pdf("hearing.document", **documents.announcement_data(h)))
    assert "听证公告" in flat
    session.open_session(h)
    minutes.set_proposal(h, "一个月内更换电梯")
    for m, vote in zip(h.panel, ("agree", "agree", "disagree")):
        minutes.record_vote(h, m.id, "意见" + m.panelist.name, vote)
    session.conclude(h, "settled", "物业公司承诺更换电梯。")
    _p, flat = _text(render_pdf("hearing.document", **documents.conclusion_data(h)))
    assert "听证结论" in flat and "息诉罢访" in flat
    _p, flat = _text(render_pdf("hearing.document", **documents.deliberation_data(h)))
    assert "少数意见" in flat and h.panel[2].panelist.name in flat


def test_batch_export_zip(login_as, app):
    h, v = _locked()
    db.session.commit()
    client = login_as("mediator")
    day = h.started_at.date().isoformat()
    resp = client.post("/hearing/export", data={"date_from": day, "date_to": day})
    assert resp.status_code == 302
    job_url = resp.headers["Location"]
    job_id = int(job_url.split("job=")[1])
    assert "进度" in client.get(job_url).get_data(as_text=True)
    step = client.post(f"/hearing/export/{job_id}/step").get_json()
    assert step["finished"] and step["total"] == 1
    zf = zipfile.ZipFile(io.BytesIO(client.get(f"/hearing/export/{job_id}.zip").data))
    names = zf.namelist()
    assert f"{h.reference}-v{v.number}.pdf" in names and v.content_hash in zf.read("index.csv").decode()
