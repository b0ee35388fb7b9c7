"""The administrative region tree (NBS 12-digit codes) and region scoping of records."""
from .models import Region, LEVELS
from .scope import in_scope, scope_condition, scope_filter, user_can_see_region

__all__ = ["Region", "LEVELS", "in_scope", "scope_condition", "scope_filter", "user_can_see_region"]


def setup(ctx) -> None:
    """Admin pages and the ``concord regions`` command (the models are core's, see core/setup.py)."""
    from flask_babel import lazy_gettext as _l
    from . import views
    from .cli import regions_cli

    ctx.permissions({"admin.regions.manage": _l("Edit the region tree and import regions")})
    ctx.blueprint(views.bp, url_prefix="/admin/regions")
    ctx.menu("admin.regions", _l("Regions"), "regions.index", "admin.regions.manage", parent="admin.root", order=60)
    ctx.cli(regions_cli)
