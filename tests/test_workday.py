"""Issue 19: safe steps (confirmation before irreversible ones, without JavaScript), the grid worker's
own steps (就地化解, 上报, an agreement) in their grid, and record pages that show only the stage's actions."""
import re

from conftest import login


def _actions(html):
    return re.findall(r'data-action="(\w+)"', html)


def test_petition_page_shows_only_the_stages_actions_and_reply_asks_to_confirm(app, client):
    from core.db import db
    from plugins.petition.models import PetitionCase
    login(client, "officer")
    handling = db.session.query(PetitionCase).filter_by(state="handling").first()
    html = client.get(f"/petition/{handling.id}").get_data(as_text=True)
    assert _actions(html) == ["extend", "reply"]
    assert 'class="formview action-form' not in html            # no form open until one is chosen
    html = client.get(f"/petition/{handling.id}?act=reply").get_data(as_text=True)
    assert "action-reply" in html and 'name="confirm"' in html and "required" in html
    assert "复查" in html                                          # the confirmation names what will happen
    closed = db.session.query(PetitionCase).filter_by(state="closed").first()
    assert _actions(client.get(f"/petition/{closed.id}").get_data(as_text=True)) == []


def test_deleting_a_holiday_asks_first_and_names_the_day(app, client):
    from core.calendar.models import Holiday
    from core.db import db
    login(client, "admin")
    day = db.session.query(Holiday).order_by(Holiday.date.desc()).first()
    day_id, iso = day.id, day.date.isoformat()
    resp = client.post(f"/admin/calendar/{day_id}/delete")
    assert resp.status_code == 302 and db.session.get(Holiday, day_id) is not None
    page = client.get(f"/admin/calendar/{day_id}/delete").get_data(as_text=True)
    assert iso in page and 'name="confirm"' in page
    client.post(f"/admin/calendar/{day_id}/delete", data={"confirm": "1"})
    db.session.expunge_all()
    assert db.session.get(Holiday, day_id) is None


def test_disabling_an_app_needs_the_tick(app, client):
    from core.admin.models import PluginState
    from core.db import db
    login(client, "admin")
    html = client.get("/admin/apps").get_data(as_text=True)
    assert 'name="confirm"' in html and "required" in html
    client.post("/admin/apps/hearing", data={"enabled": "0"})
    assert db.session.get(PluginState, "hearing") is None


def test_grid_worker_resolves_on_the_spot_and_draws_up_the_agreement(app, client):
    from core.db import db
    from plugins.mediation.models import Dispute
    login(client, "grid1")
    home = client.get("/").get_data(as_text=True)
    assert "/mediation/capture" in home                         # the 登记纠纷 button on the home card
    from sqlalchemy import select
    from core.auth.models import User
    from plugins.mediation.access import grid_ids_of
    grid_id = db.session.scalar(grid_ids_of(db.session.scalar(select(User).where(User.username == "grid1"))))
    resp = client.post("/mediation/capture", data={"grid_id": str(grid_id), "category": "neighbour",
                                                   "risk_level": "green", "summary": "两户因排水沟堵塞争吵",
                                                   "party_name": "李四", "source": "patrol", "confirm": "1"})
    assert resp.status_code in (200, 302), resp.get_data(as_text=True)[:300]
    d = db.session.query(Dispute).order_by(Dispute.id.desc()).first()
    assert d.summary == "两户因排水沟堵塞争吵" and d.headcount == 1   # 涉及人数 = the parties named
    assert _actions(client.get(f"/mediation/disputes/{d.id}").get_data(as_text=True)) == ["resolve_on_spot",
                                                                                          "hand_up"]
    client.post(f"/mediation/disputes/{d.id}/resolve_on_spot",
                data={"version": d.version, "text": "双方同意共同清理水沟，费用各半", "confirm": "1"})
    db.session.expire_all()
    d = db.session.get(Dispute, d.id)
    assert d.state == "resolved" and "清理水沟" in d.outcome
    assert client.get(f"/mediation/disputes/{d.id}/agreement").status_code == 200


def test_grid_worker_hands_up_to_the_village_committee_and_only_in_their_grid(app, client):
    from sqlalchemy import select
    from core.audit.models import AuditLog
    from core.db import db
    from plugins.mediation.access import grid_ids_of
    from plugins.mediation.models import Dispute
    from core.auth.models import User
    grid1 = db.session.scalar(select(User).where(User.username == "grid1"))
    mine = db.session.scalar(select(Dispute).where(Dispute.state == "registered",
                                                   Dispute.grid_id.in_(grid_ids_of(grid1))))
    other = db.session.scalar(select(Dispute).where(Dispute.grid_id.not_in(grid_ids_of(grid1))))
    login(client, "grid1")
    if mine is not None:
        client.post(f"/mediation/disputes/{mine.id}/hand_up", data={"version": mine.version, "text": "双方分歧大"})
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "mediation.hand_up",
                                                        AuditLog.record_id == str(mine.id))) is not None
    if other is not None:
        assert client.post(f"/mediation/disputes/{other.id}/resolve_on_spot",
                           data={"version": other.version, "text": "x"}).status_code == 404


def test_hearing_basis_names_the_provinces_rules_from_a_setting(app, client):
    login(client, "admin")
    html = client.get("/hearing/1").get_data(as_text=True)
    assert "江苏" not in html and "信访工作条例" in html
    client.post("/admin/settings/hearing.local_rules", data={"value": "湖南省信访事项听证办法"})
    assert "湖南省信访事项听证办法" in client.get("/hearing/1").get_data(as_text=True)


def test_opening_early_needs_a_confirmation_and_statements_take_their_step(app, client):
    from core.db import db
    from plugins.hearing import services, session
    from plugins.hearing.models import Hearing
    h = db.session.query(Hearing).filter(Hearing.state == "scheduled").first()
    login(client, "mediator")
    client.post(f"/hearing/{h.id}/act/send_notices")
    db.session.expire_all()
    assert session.opening_offset(db.session.get(Hearing, h.id)) < 0          # the demo hearing is days ahead
    client.post(f"/hearing/{h.id}/act/open")
    db.session.expire_all()
    assert db.session.get(Hearing, h.id).state == "notified"                   # refused without the tick
    client.post(f"/hearing/{h.id}/act/open", data={"confirm": "1"})
    db.session.expire_all()
    h = db.session.get(Hearing, h.id)
    assert h.state == "in_session" and h.current_step == "identity"
    client.post(f"/hearing/{h.id}/act/statement", data={"speaker_role": "petitioner", "speaker_name": "李春兰",
                                                         "text": "要求落实低保待遇。", "step": "petitioner"})
    st = services.statements(h)[-1]
    assert st.step == "petitioner"                                             # not the current "identity"


def test_home_card_and_warnings_count_the_same_clocks(app, client):
    import re as _re
    login(client, "officer")
    home = client.get("/").get_data(as_text=True)
    m = _re.search(r'href="/petition/warnings">[^<]*</a>\s*<span class="badge">(\d+)</span>', home)
    warnings = client.get("/petition/warnings").get_data(as_text=True)
    counts = [int(x) for x in _re.findall(r"<h2>[^<(（]*[(（](\d+)[)）]</h2>", warnings)[:2]]
    assert m is not None and int(m.group(1)) == sum(counts)


def test_dashboard_region_rows_add_up_with_the_district_itself(app, client):
    import re as _re
    login(client, "leader")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'class="own"' in html and "本级" in html


def test_unsatisfied_rating_notifies_officer_and_leaders(app, client):
    from sqlalchemy import select
    from core.db import db
    from core.notifications.models import Notification
    from plugins.petition.models import PetitionCase
    case = db.session.scalar(select(PetitionCase).where(PetitionCase.state == "replied",
                                                        PetitionCase.satisfaction.is_(None)))
    html = client.get(f"/status?code={case.query_code}").get_data(as_text=True)
    assert "处理意见" in html and "复查" in html
    before = db.session.query(Notification).count()
    client.post("/status", data={"rate-code": case.query_code, "rate-satisfaction": "unsatisfied"})
    assert db.session.query(Notification).count() >= before + 2
