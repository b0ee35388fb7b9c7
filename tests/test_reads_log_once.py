"""Issue 22 §2: a GET writes nothing but the audit row of a response that delivers personal data in full —
one row per response, naming the records and fields; API lists deliver masked values unless
``?reveal=<purpose>`` is asked for by a caller allowed full reads."""
import re

from sqlalchemy import func, select

from conftest import login
from core.audit.models import AuditLog
from core.db import db

WEB_LISTS = [
    ("officer", "/petition/"), ("mediator", "/mediation/"), ("mediator", "/hearing/"),
    ("legal", "/legal_aid/"), ("aid", "/legal_aid/aid/"), ("officer", "/parties/persons"), ("admin", "/admin/audit/"),
    ("auditor", "/admin/audit/"),
]
API_LISTS = [
    ("officer", "/api/v1/petitions?per_page=25"), ("mediator", "/api/v1/disputes?per_page=25"),
    ("mediator", "/api/v1/hearings?per_page=25"), ("legal", "/api/v1/referrals?per_page=25"),
    ("aid", "/api/v1/aid-applications?per_page=25"),
]
PHONE = re.compile(r"^1\d{10}$")


def _counts() -> dict[str, int]:
    db.session.rollback()
    out = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}
    db.session.rollback()
    return out


def _changed(before, after) -> dict:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def test_web_list_get_writes_no_row(app, client):
    for username, path in WEB_LISTS:
        client.post("/logout")
        login(client, username)
        client.get(path)                    # the first page may refresh a session cookie; count from here
        before = _counts()
        status = client.get(path).status_code
        assert status in (200, 403), (path, status)
        assert _changed(before, _counts()) == {}, path


def test_api_list_is_masked_and_writes_no_row(app, client, api_token):
    for username, path in API_LISTS:
        headers = {"Authorization": "Bearer " + api_token(username)}
        before = _counts()
        resp = client.get(path, headers=headers)
        assert resp.status_code == 200, (path, resp.get_json())
        assert _changed(before, _counts()) == {}, path
        phones = re.findall(r'"phone":\s*"([^"]+)"', resp.get_data(as_text=True))
        assert not [p for p in phones if PHONE.match(p)], (path, phones[:3])


def test_api_list_reveal_writes_one_audit_row_naming_records(app, client, api_token):
    headers = {"Authorization": "Bearer " + api_token("officer")}
    before = _counts()
    resp = client.get("/api/v1/petitions?per_page=25&reveal=callback", headers=headers)
    assert resp.status_code == 200
    changed = _changed(before, _counts())
    assert set(changed) <= {AuditLog.__tablename__}
    added = changed.get(AuditLog.__tablename__, (0, 0))
    assert added[1] - added[0] <= 1
    phones = re.findall(r'"phone":\s*"([^"]+)"', resp.get_data(as_text=True))
    if any(PHONE.match(p) for p in phones):           # full values delivered: exactly one row says so
        assert added[1] - added[0] == 1
        row = db.session.scalar(select(AuditLog).order_by(AuditLog.id.desc()).limit(1))
        assert row.action == "read_personal" and "callback" in (row.text or "") or row.record_id
        if row.record_id is None:
            assert "phone" in row.field and "core_person" in row.text
    # without the permission the purpose gives nothing
    headers = {"Authorization": "Bearer " + api_token("mediator")}
    resp = client.get("/api/v1/disputes?per_page=25&reveal=callback", headers=headers)
    assert resp.status_code == 200


def test_openapi_documents_reveal(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    params = doc["paths"]["/petitions"]["get"]["parameters"]
    assert {"$ref": "#/components/parameters/reveal"} in params
    described = doc["components"]["parameters"]["reveal"]
    assert described["in"] == "query" and "purpose" in described["schema"].get("description", "") + \
        described.get("description", "")
