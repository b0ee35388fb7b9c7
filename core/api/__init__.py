"""API base: /api/v1 with bearer tokens, declared operations validated by pydantic models, JSON errors,
paging, region scoping, optimistic locking, workflow actions, and the OpenAPI 3.1 document.

For plugin authors (see README "JSON API"):
    from core.api import ApiBlueprint, Collection, PageQuery, VersionedPatch, ApiBody, invalid
"""
from flask_babel import lazy_gettext as _l

from .collection import Collection
from .errors import ApiError, api_error, run_service
from .helpers import check_version, get_or_404_in_scope, paginate, require_region_in_scope, scoped
from .routes import ApiBlueprint, ApiRoute
from .schemas import ApiBody, Page, PageQuery, VersionedPatch
from .types import Id, LocalDate, LocalDateTime, OptionalText, Text
from .validation import invalid

__all__ = ["ApiBlueprint", "ApiRoute", "Collection", "ApiError", "api_error", "check_version",
           "get_or_404_in_scope", "paginate", "require_region_in_scope", "scoped", "ApiBody", "Page",
           "PageQuery", "VersionedPatch", "Id", "LocalDate", "LocalDateTime", "OptionalText", "Text",
           "invalid", "run_service"]

def setup(ctx) -> None:
    from . import regions  # noqa: F401 - declares /regions on the core API blueprint
    from .views import bp
    ctx.permissions({"core.regions.read": _l("Read the region tree through the API")},
                    default_grants={"*": ["core.regions.read"]})  # every role
    ctx.api(bp)


def mount(app) -> None:
    """Register every API blueprint (core's and the plugins') under /api/v1, CSRF-exempt:
    the API accepts bearer tokens only, never the session cookie."""
    from core.app import csrf
    from .errors import answer

    app.register_error_handler(ApiError, answer)
    for bp in app.extensions["concord"].api_blueprints:
        csrf.exempt(bp)
        app.register_blueprint(bp, url_prefix="/api/v1")
