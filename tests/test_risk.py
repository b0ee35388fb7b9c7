"""稳定风险评估: create with linked petitions/disputes by reference, edit (version checked), list, chatter, scope."""
import re

from sqlalchemy import select

from core.audit.services import history
from core.db import db
from core.kpi.models import RiskAssessment
from conftest import csrf_token_from  # noqa: F401
from tests.test_kpi import DISTRICT, _case, _region


def _form(**kw):
    data = {"title": "某征地项目", "subject_kind": "project", "region_code": DISTRICT, "factors": "群体性诉求，补偿标准争议",
            "level": "high", "measures": "提前公示，逐户走访", "state": "assessed", "assessed_on": "2025-05-20",
            "references": ""}
    data.update(kw)
    return data


def test_create_link_edit_and_list(app, client, login_as):
    case = _case(3, "要求赔偿征地补偿款")
    db.session.commit()
    login_as("officer")
    r = client.post("/dashboard/risks/new", data=_form(references=f"{case.reference}, NOPE-1"))
    assert r.status_code == 200 and "NOPE-1" in r.get_data(as_text=True)
    assert db.session.scalar(select(RiskAssessment.id)) is None          # nothing half-written
    r = client.post("/dashboard/risks/new", data=_form(references=case.reference))
    assert r.status_code == 302
    ra = db.session.scalar(select(RiskAssessment))
    assert ra.level == "high" and [l.reference for l in ra.links] == [case.reference]
    r = client.post(f"/dashboard/risks/{ra.id}", data=_form(level="medium", references="", version=ra.version))
    assert r.status_code == 302
    db.session.expire_all()
    ra = db.session.get(RiskAssessment, ra.id)
    assert ra.level == "medium" and ra.links == []
    r = client.post(f"/dashboard/risks/{ra.id}", data=_form(level="low", version=1))      # stale
    assert r.status_code == 200
    assert "某征地项目" in client.get("/dashboard/risks").get_data(as_text=True)
    assert any("level" in str(h) or "Risk" in str(h) or "风险" in str(h) for h in history("core_risk_assessment", ra.id))


def test_permissions_and_scope(app, client, login_as):
    login_as("grid1")
    assert client.get("/dashboard/risks").status_code == 403
    login_as("mediator")
    assert client.get("/dashboard/risks").status_code == 200
    assert client.post("/dashboard/risks/new", data=_form()).status_code == 403
