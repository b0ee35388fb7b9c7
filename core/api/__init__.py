"""API base: /api/v1 with bearer tokens, JSON errors, pagination, and the OpenAPI document."""


def setup(ctx) -> None:
    from .views import bp
    ctx.api(bp)


def mount(app) -> None:
    """Register every API blueprint (core's and the plugins') under /api/v1, CSRF-exempt:
    the API accepts bearer tokens only, never the session cookie."""
    from core.app import csrf

    for bp in app.extensions["concord"].api_blueprints:
        csrf.exempt(bp)
        app.register_blueprint(bp, url_prefix="/api/v1")
