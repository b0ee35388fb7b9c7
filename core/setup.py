"""Core's own contributions, made through the same plugin context the plugins use."""
from flask_babel import lazy_gettext as _l


def setup_core(ctx) -> None:
    from core.plugins.points import CORE_POINTS
    ctx.points(CORE_POINTS)
    from core.admin.views import bp as admin_bp
    from core.auth.views import bp as auth_bp
    from core.shell.views import bp as shell_bp
    from core.auth import models as auth_models
    from core.regions import models as region_models
    from core.admin import models as admin_models

    for module in (auth_models, region_models, admin_models):
        ctx.models(module)
    ctx.blueprint(auth_bp)
    ctx.blueprint(shell_bp)
    ctx.blueprint(admin_bp, url_prefix="/admin")
    ctx.permissions(
        {
            "admin.access": _l("Open the administration area"),
            "admin.users.manage": _l("Create and edit users"),
            "admin.roles.manage": _l("Edit roles and their permissions"),
            "admin.plugins.manage": _l("Enable and disable plugins"),
            "core.personal_data.read_full": _l("Read ID numbers and phone numbers in full"),
        },
    )  # core.personal_data.read_full: granted by the roles that need it (ctx.role(..., grants=[...]))
    from core.auth.roles import setup_roles
    setup_roles(ctx)
    ctx.menu("admin.root", _l("Administration"), "admin.index", "admin.access", order=900)
    ctx.menu("admin.users", _l("Users"), "admin.users", "admin.users.manage", parent="admin.root", order=10)
    ctx.menu("admin.roles", _l("Roles"), "admin.roles", "admin.roles.manage", parent="admin.root", order=20)
    ctx.menu("admin.role_assignments", _l("Role assignment"), "admin.role_assignments", "admin.roles.manage",
             parent="admin.root", order=21)
    ctx.menu("admin.apps", _l("Apps"), "admin.apps", "admin.plugins.manage", parent="admin.root", order=30)
    ctx.migrations("migrations/versions")
    from core.services import setup_services
    setup_services(ctx)
