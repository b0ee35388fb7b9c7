"""Settings: declared default, province file, administrator value, in that order."""
from conftest import login

from core.settings import services


def test_default_province_admin_precedence(app):
    info = services.describe("hearing.panel_size_max")
    assert (info.value, info.source) == (7, "default")
    app.config["PROVINCE_OVERRIDES"] = {"settings": {"hearing.panel_size_max": 5}}
    assert services.describe("hearing.panel_size_max").source == "province"
    assert services.get("hearing.panel_size_max") == 5
    services.set_value("hearing.panel_size_max", "9")
    assert services.get("hearing.panel_size_max") == 9
    services.reset("hearing.panel_size_max")
    assert services.get("hearing.panel_size_max") == 5


def test_admin_page_validates_and_saves(client, app):
    login(client, "admin")
    assert client.get("/admin/settings/").status_code == 200
    resp = client.post("/admin/settings/hearing.panel_size_max", data={"value": "五"}, follow_redirects=True)
    assert "请输入整数" in resp.get_data(as_text=True)
    assert services.get("hearing.panel_size_max") == 7
    client.post("/admin/settings/hearing.panel_size_max", data={"value": "5"})
    from core.db import db
    db.session.expire_all()
    assert services.get("hearing.panel_size_max") == 5
    assert client.post("/admin/settings/no.such", data={"value": "1"}).status_code == 404


def test_non_admin_refused(client):
    login(client, "officer")
    assert client.get("/admin/settings/").status_code == 403


def test_a_change_in_one_process_reaches_the_next_request_of_another(app, make_app, client):
    """Issue 22: settings come from a per-process copy keyed by a stamp; a page reads no settings row, and a
    change made through the service in one app (another process) is seen by the other app's next request."""
    from sqlalchemy import event

    from core.db import db
    login(client, "mediator")
    assert client.get("/mediation/").status_code == 200
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get("/mediation/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert not [s for s in seen if "core_setting" in s and "core_user" not in s], seen
    assert services.get("mediation.photo_max_kb") != 7
    other = make_app()
    with other.app_context():
        services.set_value("mediation.photo_max_kb", "7")
        db.session.commit()
    assert services.get("mediation.photo_max_kb") == 7           # this app's next read, outside a request
    with app.test_request_context("/"):
        assert services.get("mediation.photo_max_kb") == 7
    with other.app_context():
        services.reset("mediation.photo_max_kb")
        db.session.rollback()                                   # a change that rolls back changes nothing
    assert services.get("mediation.photo_max_kb") == 7
