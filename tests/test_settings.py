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
