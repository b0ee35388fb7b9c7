"""人民调解协议书 (人民调解法 Arts 29, 30): every party with 性别、民族、年龄或出生日期、职业或单位、住址,
the terms with their line breaks, the copies clause, signature spaces for the parties, the mediator and
the committee's seal with the date; fewer than two parties refused; no doubled punctuation."""
from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from core import clock
from core.db import db
from plugins.mediation.agreements import services as agreements
from plugins.mediation.agreements.documents import pdf_data
from plugins.mediation.models import Dispute
from conftest import login

from test_mediation import BODY, _auth, _new


def _text(pdf: bytes) -> tuple[str, list[str]]:
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    return "".join("".join(p.split()) for p in pages), pages


def _mediating(client, api_token, parties):
    did = _new(client, api_token, parties=parties)
    client.post(f"/api/v1/disputes/{did}/actions/start", headers=_auth(api_token("mediator")), json={})
    return did


def test_agreement_lists_both_parties_particulars_and_keeps_line_breaks(app, client, api_token):
    did = _mediating(client, api_token, [{"name": "张𠀀𪚥", "id_number": "11010519491231002X"},
                                         {"name": "李四", "phone": "13900001111"}])
    d = db.session.get(Dispute, did)
    first, second = (link.person_id for link in d.parties)
    login(client, "mediator")
    page = client.get(f"/mediation/disputes/{did}/agreement").get_data(as_text=True)
    assert f'name="party-{second}-ethnicity"' in page
    resp = client.post(f"/mediation/disputes/{did}/agreement", data={
        "facts": "两户因围墙发生争执。", "issues": "围墙位置。",
        "terms": "一、甲方后退半米重砌围墙；\r\n二、乙方承担材料费一半；\r\n三、双方不再就此事争执。",
        "performance": "甲方自行施工。", "perform_by": "2026-12-31",
        f"party-{first}-ethnicity": "汉族", f"party-{first}-occupation": "务农",
        f"party-{first}-address": "君山区柳林乡柳林村3组",
        f"party-{second}-gender": "male", f"party-{second}-ethnicity": "回族",
        f"party-{second}-birth_date": "1980-05-01", f"party-{second}-occupation": "君山区供电所职工",
        f"party-{second}-address": "君山区柳林乡柳林村5组"})
    assert resp.status_code == 302
    db.session.expire_all()
    d = db.session.get(Dispute, did)
    data = pdf_data(d)
    assert data["copies"] == 3 and len(data["parties"]) == 2
    pdf = client.get(f"/mediation/disputes/{did}/agreement.pdf")
    assert pdf.status_code == 200
    text, pages = _text(pdf.data)
    born_age = 2026 - 1949 - (1 if (clock.today().month, clock.today().day) < (12, 31) else 0)
    # the ID number gives the first party's gender and birth date (GB 11643: 17th digit even = female)
    assert f"当事人1：张𠀀𪚥，性别：女，民族：汉族，1949年12月31日出生（{born_age}岁），职业或单位：务农，" \
           "住址：君山区柳林乡柳林村3组" in text
    assert "当事人2：李四，性别：男，民族：回族，1980年5月1日出生" in text
    assert "职业或单位：君山区供电所职工，住址：君山区柳林乡柳林村5组" in text
    # each line of the terms is its own paragraph
    lines = [ln.strip() for page in pages for ln in page.splitlines()]
    assert any(ln.startswith("一、甲方后退半米重砌围墙；") for ln in lines)
    assert any(ln.startswith("二、乙方承担材料费一半；") for ln in lines)
    assert "甲方自行施工，于2026年12月31日前履行完毕。" in text
    assert "本协议一式3份，当事人各执一份" in text
    assert text.count("当事人（签名或按指印）：") == 2 and "人民调解员（签名）：" in text
    assert "人民调解委员会（印章）" in text and f"{clock.today().year}年" in text
    for doubled in ("。，", "。。", "，。", "；。"):
        assert doubled not in text, doubled
    # the last page is not only the signatures
    last = "".join(pages[-1].split())
    assert last.replace("—", "").strip()
    from tests.test_pdf_formal import embedded_programs, drawn_with_a_glyph
    programs = embedded_programs(pdf.data)
    assert all(drawn_with_a_glyph(programs, ch) for ch in "张𠀀𪚥李四调解")


def test_agreement_with_one_party_is_refused(app, client, api_token):
    did = _mediating(client, api_token, BODY["parties"])
    login(client, "mediator")
    page = client.get(f"/mediation/disputes/{did}/agreement?lang=en").get_data(as_text=True)
    assert "at least two parties" in page
    resp = client.post(f"/mediation/disputes/{did}/agreement?lang=en", data={
        "facts": "x", "issues": "y", "terms": "z"}, follow_redirects=True)
    assert "at least two parties" in resp.get_data(as_text=True)
    assert agreements.agreement_of(db.session.get(Dispute, did)) is None


def test_id_number_particulars():
    assert agreements.from_id_number("11010519491231002X") == (date(1949, 12, 31), "female")
    assert agreements.from_id_number("110105198005010031") == (date(1980, 5, 1), "male")
    assert agreements.from_id_number("1101051980050100") == (None, None)
    assert agreements.from_id_number("110105198013010031") == (None, None)
