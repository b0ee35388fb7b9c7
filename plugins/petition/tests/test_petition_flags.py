"""Urgent items, automatic 越级 detection, merging duplicates, the warnings page and weekly digest, the
leader reception rota, and the hearing conclusion fed back by signal."""
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from core.auth.models import User
from core.calendar.deadlines import deadlines_for
from core.db import db
from core.notifications.models import Notification
from core.signals import signal
from plugins.petition import services
from plugins.petition.reception import services as reception
from plugins.petition.flags import merge
from plugins.petition.models import PetitionCase
from plugins.petition.supervision import warnings, weekly_digest
from plugins.petition.tests.test_petition_services import _district, _register
from core import clock


def _user(name):
    return db.session.scalar(select(User).where(User.username == name))


def _notes(user, needle):
    return [n for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))
            if needle in n.title]


def test_group_visit_is_urgent_and_leaders_hear_at_once(app):
    case = _register(group_size=12)
    assert case.urgent and "12" in case.urgent_reason
    assert _notes(_user("leader"), case.reference)


def test_stated_urgency_and_a_quiet_item(app):
    case = _register(urgent_reason="扬言极端行为")
    assert case.urgent and case.urgent_reason == "扬言极端行为"
    quiet = _register(request="咨询社保缴费")
    assert not quiet.urgent and not _notes(_user("leader"), quiet.reference)


def test_transferred_item_without_local_history_is_level_skipping(app):
    case = services.register(channel="transferred", received_at=datetime(2026, 3, 2, 9), request="要求解决征地补偿",
                             petitioner={"name": "越级人"}, region_id=_district().id)
    from plugins.petition.flags import skip_level_reason
    assert case.skip_level and case.skip_level_reason == skip_level_reason(case, None)


def test_transferred_while_local_item_within_its_limits_is_level_skipping(app):
    first = _register(request="要求解决征地补偿款")
    today = date(2026, 3, 5)   # the first item's 15-day clocks still run
    from plugins.petition.flags import skip_level_reason
    second = _register(request="要求解决征地补偿款", repeat_of=first)
    second.channel = "transferred"
    assert first.reference in skip_level_reason(second, first, today)
    assert skip_level_reason(second, first, date(2026, 5, 1)) is None    # local office let it run out


def test_visit_is_not_level_skipping(app):
    assert not _register().skip_level


def test_merge_moves_people_and_stops_clocks(app):
    target = _register(request="要求修缮村道", name="甲")
    dup = _register(request="要求修缮村道", name="乙", id_number=None, phone="13800000000")
    merge(dup, target, "同一事项, 同一村")
    assert dup.state == "merged" and dup.merged_into_id == target.id
    assert {d["status"] for d in deadlines_for(dup)} == {"met"}
    assert dup.petitioner in target.representatives
    with pytest.raises(services.PetitionError) as exc:
        merge(target, target, "self")
    assert "target" in exc.value.errors


def test_merge_at_intake_records_on_the_existing_item(client, login_as, app):
    first = _register(request="要求解决小区停车位问题", name="张停车", id_number=None, phone="13711112222")
    db.session.commit()
    login_as("officer")
    page = client.get("/petition/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, "channel": "letter", "received_at": "2026-03-04T10:00", "name": "张停车",
            "phone": "13711112222", "region_id": str(_district().id), "group_size": "1",
            "request": "要求解决小区停车位问题"}
    shown = client.post("/petition/new", data=data).get_data(as_text=True)
    assert first.reference in shown
    before = db.session.scalar(select(db.func.count()).select_from(PetitionCase))
    r = client.post("/petition/new", data={**data, "merge": str(first.id)})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/petition/{first.id}")
    assert db.session.scalar(select(db.func.count()).select_from(PetitionCase)) == before


def test_warnings_and_weekly_digest(client, login_as, app):
    late = _register(request="要求处理噪音扰民")       # its 15-day clocks ran out in March
    db.session.commit()
    w = warnings(_user("leader"), today=date(2026, 4, 1))
    assert late.id in {c.id for c, _d in w["overdue"]}
    assert weekly_digest(today=date(2026, 4, 1)) >= 1
    assert _notes(_user("leader"), "2026-04-01")
    db.session.commit()
    login_as("leader")
    assert late.reference in client.get("/petition/warnings").get_data(as_text=True)


def _next_monday():
    today = clock.today()
    return date.fromordinal(today.toordinal() + 7 - today.weekday())


def test_reception_rota_booking_and_case_link(client, login_as, app):
    leader, officer = _user("leader"), _user("officer")
    from core.auth.services import create_user
    second = create_user("leader2", "concord-demo-2", ["leader"], region_code=_district().code, display_name="王副书记")
    db.session.flush()
    days = reception.generate_rota(_next_monday(), 4, 3, [leader, second], _district().id, "区信访接待大厅")
    assert len(days) == 4 and all(d.day.weekday() <= 4 for d in days)
    assert [d.leader.username for d in days[:2]] == ["leader", "leader2"]
    assert [d.deputy.username for d in days[:2]] == ["leader2", "leader"]
    with pytest.raises(services.PetitionError) as exc:
        reception.schedule(days[0].day, leader, None, _district().id, "again")
    assert "day" in exc.value.errors
    booking = reception.book(days[0], "09:30", "赵来访", "13900001111", "反映拆迁安置问题")
    with pytest.raises(services.PetitionError) as exc:
        reception.book(days[0], "09:30", "钱来访", None, "同一时段")
    assert "slot" in exc.value.errors
    with pytest.raises(services.PetitionError):
        reception.book(days[0], "25:00", "孙", None, "x")
    db.session.commit()
    login_as("officer")
    page = client.get(f"/petition/new?booking={booking.id}").get_data(as_text=True)
    assert "赵来访" in page and "反映拆迁安置问题" in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = client.post("/petition/new", data={
        "csrf_token": token, "booking": str(booking.id), "channel": "visit", "received_at": "2026-03-04T10:00",
        "name": "赵来访", "phone": "13900001111", "region_id": str(_district().id), "group_size": "1",
        "request": "反映拆迁安置问题", "confirm": "1"})
    assert r.status_code == 302
    db.session.expire_all()
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.request == "反映拆迁安置问题"))
    assert case.reception_id == days[0].id
    day_page = client.get(f"/petition/reception/{days[0].id}").get_data(as_text=True)
    assert case.reference in day_page
    assert client.get("/petition/reception/").status_code == 200
    login_as("grid1")
    assert client.get(f"/petition/reception/{days[0].id}").status_code in (403, 404)
    _ = officer


def test_hearing_conclusion_feeds_the_next_opinion(client, login_as, app):
    case = _register()
    signal("hearing.concluded").send(case, hearing=None, text="听证员多数意见: 诉求部分合理")
    assert case.hearing_conclusion.startswith("听证员多数意见")
    db.session.commit()
    login_as("officer")
    page = client.get(f"/petition/{case.id}").get_data(as_text=True)
    assert "诉求部分合理" in page


def test_intake_keeps_attachments_and_refuses_a_bad_file_whole(client, login_as, app):
    import io
    from core.audit.models import Attachment
    login_as("officer")
    page = client.get("/petition/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    base = {"csrf_token": token, "channel": "letter", "received_at": "2026-03-04T10:00", "name": "附件人",
            "region_id": str(_district().id), "group_size": "1", "request": "来信反映排水沟堵塞", "confirm": "1"}
    bad = client.post("/petition/new", data={**base, "files": (io.BytesIO(b"MZ\x90\x00binary"), "virus.exe")},
                      content_type="multipart/form-data")
    assert bad.status_code == 200
    assert db.session.scalar(select(PetitionCase).where(PetitionCase.request == "来信反映排水沟堵塞")) is None
    ok = client.post("/petition/new", data={**base, "files": [(io.BytesIO("来信原文".encode()), "letter.txt")]},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.request == "来信反映排水沟堵塞"))
    files = db.session.scalars(select(Attachment).where(Attachment.record_type == "petition_case",
                                                        Attachment.record_id == str(case.id))).all()
    assert [f.filename for f in files] == ["letter.txt"]


def test_api_merge_action_and_flags(client, api_token, app):
    headers = {"Authorization": f"Bearer {api_token('officer')}"}
    body = {"channel": "visit", "received_at": "2026-03-02T09:00:00", "request": "要求修复桥梁", "facts": "桥面开裂",
            "petitioner": {"name": "甲桥"}}
    a = client.post("/api/v1/petitions", json={**body, "group_size": 6}, headers=headers).get_json()
    b = client.post("/api/v1/petitions", json={**body, "petitioner": {"name": "乙桥"}}, headers=headers).get_json()
    assert "urgent" in a, a
    assert a["urgent"] is True and b["urgent"] is False
    bad = client.post(f"/api/v1/petitions/{b['id']}/actions/merge", json={"into_id": 999999, "reason": "同"},
                      headers=headers)
    assert bad.status_code == 422 and "into_id" in bad.get_json()["error"]["fields"]
    ok = client.post(f"/api/v1/petitions/{b['id']}/actions/merge",
                     json={"into_id": a["id"], "reason": "同一座桥", "version": b["version"]}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["state"] == "merged"
    assert ok.get_json()["merged_into_id"] == a["id"]
