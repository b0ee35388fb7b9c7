"""Hearing web pages: list, application, the form view actions through to locked minutes, calendar,
iCal per hearing and the per-user feed, pool and rooms, the public confirmation link, permissions."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from core.db import db
from plugins.hearing import scheduling
from plugins.hearing.minutes.models import Confirmation
from plugins.hearing.models import Hearing
from plugins.hearing.pool.models import HearingRoom, Panelist
from plugins.petition.models import PetitionCase


def _demo():
    return db.session.scalar(select(Hearing).order_by(Hearing.id))


def _post(client, h_id, action, **data):
    return client.post(f"/hearing/{h_id}/act/{action}", data=data, follow_redirects=True).get_data(as_text=True)


def _slot(days=5):
    day = scheduling.earliest_day()
    return datetime.combine(date.fromordinal(day.toordinal() + days), time(14, 0)).strftime("%Y-%m-%dT%H:%M")


def test_list_detail_and_chinese_ui(login_as):
    client = login_as("mediator")
    html = client.get("/hearing/").get_data(as_text=True)
    assert "JS-TZ-" in html and "听证" in html
    h = _demo()
    html = client.get(f"/hearing/{h.id}").get_data(as_text=True)
    assert "李春兰" in html and "第一听证室" in html and "回避审查" in html
    assert "李建国" in html and "申报与李春兰有利害关系" in html   # the pool shows the flag
    assert "近期听证" in client.get("/").get_data(as_text=True) and h.reference in client.get("/").get_data(as_text=True)


def test_leader_reads_grid_worker_is_refused(login_as, client):
    login_as("leader")
    h = _demo()
    assert client.get(f"/hearing/{h.id}").status_code == 200
    assert client.post(f"/hearing/{h.id}/act/send_notices").status_code == 403
    client.post("/logout")
    login_as("grid1")
    assert client.get("/hearing/").status_code == 403


def test_application_refused_for_arbitration_matter(login_as):
    client = login_as("officer")
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.request == "要求撤销劳动仲裁裁决"))
    case.state = "handling"
    db.session.commit()
    html = client.post("/hearing/new", data={"petition_id": case.id, "origin": "application"},
                       follow_redirects=True).get_data(as_text=True)
    assert "不予听证" in html and "仲裁" in html


def test_full_web_flow_to_locked_minutes(login_as):
    client = login_as("mediator")
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.request == "反映小区物业长期不维修电梯"))
    resp = client.post("/hearing/new", data={"petition_id": case.id, "origin": "application", "matter": "电梯维修"})
    assert resp.status_code == 302
    h = db.session.scalar(select(Hearing).where(Hearing.petition_id == case.id))
    html = _post(client, h.id, "accept", note="同意")
    assert "此项必填" not in html
    for p in db.session.scalars(select(Panelist).where(Panelist.name.in_(["罗文博", "马秀英", "何志远"]))):
        _post(client, h.id, "add_panelist", panelist_id=p.id, reason="专业对口")
    demo = _demo()
    room = db.session.get(HearingRoom, demo.room_id)
    html = _post(client, h.id, "schedule", scheduled_at=demo.scheduled_at.strftime("%Y-%m-%dT%H:%M"),
                 room_id=room.id, host_id="", host_name="孙主持", recorder_name="钱记录", is_public="1", duration="120")
    assert "已被听证" in html   # the room clash, in Chinese
    html = _post(client, h.id, "schedule", scheduled_at=_slot(), room_id=room.id, recorder_name="钱记录",
                 is_public="1", duration="90",
                 host_id=str(db.session.scalar(select(Hearing.owner_id).where(Hearing.id == h.id))))
    db.session.expire_all()
    h = db.session.get(Hearing, h.id)
    assert h.state == "scheduled", html
    _post(client, h.id, "send_notices")
    _post(client, h.id, "open", confirm="1")      # on another day than scheduled: confirmed (issue 19)
    for p in h.participants:
        _post(client, h.id, "arrive", participant_id=p.id)
    _post(client, h.id, "step", step="petitioner")
    html = _post(client, h.id, "statement", speaker_role="petitioner", speaker_name="周建华",
                 text="<b>电梯</b> 见 https://example.com/x")
    assert "&lt;b&gt;电梯&lt;/b&gt;" in html
    _post(client, h.id, "close")
    db.session.expire_all()
    h = db.session.get(Hearing, h.id)
    assert h.state == "held"
    html = client.get(f"/hearing/{h.id}/minutes").get_data(as_text=True)
    assert "信访人陈述" in html and "第1版" in html
    petitioner = next(p for p in h.participants if p.role == "petitioner")
    unit = next(p for p in h.participants if p.role == "unit")
    _post(client, h.id, "confirm", participant_id=petitioner.id, status="confirmed", next="minutes")
    html = _post(client, h.id, "confirm", participant_id=unit.id, status="refused", note="拒签", next="minutes")
    html = _post(client, h.id, "lock", next="minutes")
    assert "SHA-256" in html
    db.session.expire_all()
    from plugins.hearing.minutes.services import current_version
    v = current_version(db.session.get(Hearing, h.id))
    assert v.locked_at and v.content_hash in html
    for m in db.session.get(Hearing, h.id).panel:
        _post(client, h.id, "vote", member_id=m.id, view="同意更换", vote="agree")
    html = _post(client, h.id, "conclude", outcome="settled", conclusion="物业承诺更换电梯", on_spot="1")
    assert "已作结论" in html and "多数同意" in html
    assert client.get(f"/hearing/{h.id}/conclusion.pdf").data[:4] == b"%PDF"
    assert client.get(f"/hearing/{h.id}/deliberation.pdf").data[:4] == b"%PDF"
    html = _post(client, h.id, "serve")
    assert "已送达" in html
    assert client.get(f"/hearing/{h.id}/minutes-pdfa.pdf").data[:4] == b"%PDF"


def test_calendar_ics_and_feed(login_as, client):
    login_as("mediator")
    h = _demo()
    html = client.get(f"/hearing/calendar?view=month&date={h.scheduled_at.date().isoformat()}").get_data(as_text=True)
    assert h.reference in html
    html = client.get(f"/hearing/calendar?view=week&date={h.scheduled_at.date().isoformat()}").get_data(as_text=True)
    assert h.reference in html
    assert client.get("/hearing/calendar?view=week&date=not-a-date").status_code == 200
    cal = Calendar.from_ical(client.get(f"/hearing/{h.id}.ics").data)
    events = [c for c in cal.walk("VEVENT")]
    assert events[0]["LOCATION"] == "第一听证室" and events[0].decoded("dtstart") == h.scheduled_at.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    html = client.post("/hearing/feed").get_data(as_text=True)
    url = html.split('id="feed-url">')[1].split("<")[0]
    path = url.split("localhost", 1)[1]
    client.post("/logout")
    feed = client.get(path)
    assert feed.status_code == 200 and h.reference.encode() in feed.data
    assert client.get("/hearing/feed/wrong-token.ics").status_code == 404


def test_pool_and_rooms_pages(login_as):
    client = login_as("mediator")
    html = client.post("/hearing/pool", data={"name": "新专家", "kind": "expert", "term_start": "2026-01-01",
                                              "term_end": "2025-01-01"}, follow_redirects=True).get_data(as_text=True)
    assert "任期结束日期不能早于开始日期" in html
    client.post("/hearing/pool", data={"name": "新专家", "kind": "expert", "work_unit": "某大学"})
    assert db.session.scalar(select(Panelist).where(Panelist.name == "新专家")) is not None
    client.post("/hearing/rooms", data={"name": "第三听证室", "address": "三楼", "capacity": "12"})
    assert db.session.scalar(select(HearingRoom).where(HearingRoom.name == "第三听证室")) is not None


def test_text_modules_page(login_as):
    client = login_as("mediator")
    assert "主持人请{speaker}发言。" in client.get("/hearing/modules").get_data(as_text=True)
    html = client.post("/hearing/modules", data={"code": "Bad Code", "title": "x", "text": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert "只能使用小写字母" in html
    client.post("/hearing/modules", data={"code": "quorum", "title": "到场情况", "text": "到场人员符合规定。",
                                          "step": "identity"})
    assert "到场人员符合规定。" in client.get("/hearing/modules").get_data(as_text=True)


def test_public_confirmation_link(app, client):
    from test_hearing_services import new_hearing, run_to_minutes
    h = run_to_minutes(new_hearing())
    code = h.petition.query_code
    db.session.commit()
    html = client.post("/hearing-confirm", data={"code": "NOSUCHCODE"}).get_data(as_text=True)
    assert "没有待您核对" in html
    html = client.post("/hearing-confirm", data={"code": code}).get_data(as_text=True)
    assert "电梯三年来故障十余次" in html
    html = client.post("/hearing-confirm", data={"code": code, "status": "confirmed"}).get_data(as_text=True)
    assert "您已核对确认笔录" in html
    row = db.session.scalar(select(Confirmation))
    assert row.status == "confirmed" and row.via == "link"


def test_public_confirmation_is_rate_limited(make_app):
    app = make_app({"HEARING_CONFIRM_LIMIT": 2, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    codes = [client.post("/hearing-confirm", data={"code": "ABCDEFG"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_backlog_case_offers_a_hearing_then_links_to_it(login_as):
    """The petition plugin's backlog page shows what the hearing plugin contributes (no import of it)."""
    from plugins.petition.backlog import services as backlog
    client = login_as("mediator")
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.request == "反映小区物业长期不维修电梯"))
    case.state = "handling"
    bc = backlog.backlog_of(case) or backlog.flag(case, "manual", "久拖未决")
    db.session.commit()
    page = client.get(f"/petition/backlog/{bc.id}").get_data(as_text=True)
    assert "申请听证" in page and f"/hearing/new?petition_id={case.id}" in page
    assert f'value="{case.id}" selected' in client.get(f"/hearing/new?petition_id={case.id}").get_data(as_text=True)
    client.post("/hearing/new", data={"petition_id": case.id, "origin": "application"})
    h = db.session.scalar(select(Hearing).where(Hearing.petition_id == case.id).order_by(Hearing.id.desc()))
    page = client.get(f"/petition/backlog/{bc.id}").get_data(as_text=True)
    assert h.reference in page and f"/hearing/{h.id}" in page
