"""The admin Apps page: lists plugins; refuses to disable one an enabled plugin depends on; a disabled
plugin is not loaded at the next start."""
from conftest import login


def test_apps_page_lists_plugins_with_versions(client):
    login(client, "admin")
    html = client.get("/admin/apps").get_data(as_text=True)
    for name in ("petition", "hearing", "mediation", "legal_aid"):
        assert f"<code>{name}</code>" in html
    assert "0.1.0" in html


def test_disabling_a_dependency_is_refused(client, app):
    login(client, "admin")
    resp = client.post("/admin/apps/petition", data={"enabled": "0", "confirm": "1"}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "hearing" in html and "legal_aid" in html and "无法停用" in html
    from core.admin.models import PluginState
    from core.db import db
    assert db.session.get(PluginState, "petition") is None


def test_disabled_plugin_is_not_loaded_at_next_start(client, make_app):
    login(client, "admin")
    assert client.post("/admin/apps/hearing", data={"enabled": "0", "confirm": "1"}).status_code == 302
    restarted = make_app()
    loaded = [m.name for m in restarted.extensions["concord"].loaded]
    assert "hearing" not in loaded and "petition" in loaded
    assert "hearing.index" not in restarted.view_functions
    # with hearing off, petition may now be disabled only if legal_aid is off too
    resp = client.post("/admin/apps/petition", data={"enabled": "0", "confirm": "1"}, follow_redirects=True)
    assert "legal_aid" in resp.get_data(as_text=True)


def test_non_admin_cannot_toggle(client):
    login(client, "officer")
    assert client.post("/admin/apps/hearing", data={"enabled": "0", "confirm": "1"}).status_code == 403
