"""Settings service: plugin settings declared with defaults, overridden by the province file
(``instance/concord.toml``) and by administrators (stored in the database), in that order."""
from flask_babel import lazy_gettext as _l


def setup(ctx) -> None:
    from . import models, views
    ctx.models(models, branch="core_settings")
    ctx.migrations("settings/migrations", branch="core_settings")
    ctx.permissions({"admin.settings.manage": _l("Change settings")})
    ctx.blueprint(views.bp, url_prefix="/admin/settings")
    ctx.menu("admin.settings", _l("Settings"), "settings.index", "admin.settings.manage", parent="admin.root", order=40)
