"""Application factory: ``create_app(config=None, plugins=None)``."""
from __future__ import annotations

import os

from flask import Flask, render_template, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from core.config import load_config, project_root
from core.db import StaleEdit, db
from core.plugins import PluginHost

csrf = CSRFProtect()
login_manager = LoginManager()

CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
       "font-src 'self'; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
       "form-action 'self'")


def create_app(config: dict | None = None, plugins=None) -> Flask:
    """Build the app. ``plugins``: None (config/installed), a list of names, or a list of Manifests."""
    root = project_root()
    cfg = load_config(config)
    app = Flask("concord", root_path=os.path.join(root, "core"), instance_path=cfg["INSTANCE_PATH"],
                template_folder=os.path.join(root, "templates"), static_folder="static")
    app.config.update(cfg)
    _init_transport(app)

    db.init_app(app)
    _end_sessions_safely(app)
    csrf.init_app(app)
    from core.security import csrf_tokens
    csrf_tokens.init_app(app)
    _init_login(app)

    host = PluginHost(app)
    app.extensions["concord"] = host
    host.translation_dirs.append(os.path.join(root, "core", "translations"))

    from core.setup import setup_core
    setup_core(host.core_context())
    if _is_manifest_list(plugins):
        host.load(plugins, app.config.get("PLUGINS"))
    else:
        from core.admin.services import disabled_plugins
        enabled = list(plugins) if plugins is not None else app.config.get("PLUGINS")
        host.load(None, enabled, disabled=disabled_plugins(app) if enabled is None else set())

    from core.api import mount as mount_api
    mount_api(app)

    from core.i18n import compile_catalogs, kept_template_texts, select_locale
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(compile_catalogs(host.translation_dirs, app.instance_path))
    # one Babel per app: Flask-Babel caches translations on the Babel object, so a shared one would
    # hand every later app (another plugin set, e.g. in tests) the first app's catalogs
    Babel(app, locale_selector=select_locale)
    kept_template_texts(app.jinja_env)

    _init_request_hooks(app)
    _init_errors(app)
    from core.shell.context import init_template_context
    init_template_context(app)
    return app


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` for every route: 0 … 2,147,483,647 (a PostgreSQL ``integer`` key), so an id the database
    cannot hold matches no route and is a 404 in one place, not an overflow (a 500) in each view. The bound is
    in the pattern, not a range check: a failed check would make werkzeug answer 405 where another method
    shares the path."""
    regex = (r"(?:\d{1,9}|1\d{9}|20\d{8}|21[0-3]\d{7}|214[0-6]\d{6}|2147[0-3]\d{5}|21474[0-7]\d{4}"
             r"|214748[0-2]\d{3}|2147483[0-5]\d{2}|21474836[0-3]\d|214748364[0-7])")


def _init_transport(app: Flask) -> None:
    """URL converter, trusted proxies and, in production, Secure cookies (HSTS is an after_request header)."""
    app.url_map.converters["int"] = BoundedIntConverter
    proxies = app.config.get("TRUSTED_PROXIES")
    if proxies not in (None, "", 0, False):
        hops = int(proxies) if str(proxies).isdigit() else 1
        from werkzeug.middleware.proxy_fix import ProxyFix
        # X-Forwarded-For/-Proto/-Host from *hops* proxies in front (nginx: 1): the audit log and the rate
        # limits then see the client's address, and url_for builds https links
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if app.config.get("PRODUCTION"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"


def _is_manifest_list(plugins) -> bool:
    from core.plugins import Manifest
    return isinstance(plugins, (list, tuple)) and bool(plugins) and all(isinstance(p, Manifest) for p in plugins)


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        # "id:session epoch", checked with the idle timeout and the session lifetime (core.security.sessions)
        from core.security.sessions import load
        return load(user_id)


def _init_request_hooks(app: Flask) -> None:
    from core.auth.guard import enforce
    from core.i18n import remember_choice, set_cookie

    app.before_request(remember_choice)
    app.before_request(enforce)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("PRODUCTION"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return set_cookie(response)

    @app.teardown_request
    def rollback_unfinished(exc):
        # one transaction per request: whatever a failed request left uncommitted is discarded
        if exc is not None:
            try:
                db.session.rollback()
            except Exception:  # the connection itself failed: never let a teardown leak it
                db.session.close()


def _end_sessions_safely(app: Flask) -> None:
    """The request's session is closed here, before Flask-SQLAlchemy's own teardown (teardowns run in
    reverse order): when the database went away after the response was made (a restart), the closing
    ROLLBACK fails; that must not turn a finished request into a 500. The dead connection is invalidated
    and the session dropped; the pool opens a new connection for the next request."""
    from sqlalchemy.exc import DBAPIError

    @app.teardown_appcontext
    def close_session(exc):
        try:
            db.session.remove()
        except DBAPIError as err:
            app.logger.warning("database connection lost while closing the session: %s", err)
            try:
                if db.session.registry.has():
                    db.session.registry().invalidate()
            except DBAPIError:
                pass
            db.session.registry.clear()


def database_unavailable_response():
    """503 that needs no database: JSON for the API, a bare page (no menus, no signed-in user) otherwise."""
    from flask import make_response
    from flask_babel import gettext as _
    from core.api.errors import api_error
    from flask import g
    g._login_user = login_manager.anonymous_user()   # no user can be loaded now: answer as nobody in particular
    message = _("The database is not reachable at the moment; nothing was saved. Try again in a minute.")
    if _wants_json():
        response = api_error(503, code="database_unavailable", message=message)
    else:
        from flask_babel import get_locale
        response = make_response(render_template("errors/unavailable.html", message=message, retry=_("Try again"),
                                                 lang=str(get_locale())), 503)
    response.headers["Retry-After"] = "30"
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _init_errors(app: Flask) -> None:
    from core.api.errors import api_error

    def render_error(status: int, message: str | None = None):
        if _wants_json():
            return api_error(status, message=message)
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        from flask_babel import gettext as _
        return render_error(400, _("The form expired or was not sent from this site. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_error(exc.code or 500)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(StaleEdit)
    def stale(exc):
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(SQLAlchemyTimeoutError)
    def database_unavailable(exc):
        """The database is restarting, unreachable or busy: say so, save nothing, and let the pool reconnect."""
        app.logger.warning("database unavailable on %s %s: %s", request.method, request.path,
                           str(exc).splitlines()[0][:200])
        response = database_unavailable_response()   # before the rollback expires the signed-in user
        try:
            db.session.rollback()
        except Exception:  # the connection is gone
            pass
        db.session.close()
        return response

    @app.errorhandler(Exception)
    def unexpected(exc):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
