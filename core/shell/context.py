from flask import request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from core.plugins import host
from .menus import menus_for, nav_items_html


def lang_url(lang: str) -> str:
    args = request.args.to_dict()
    args["lang"] = lang
    return url_for(request.endpoint or "shell.home", **(request.view_args or {}), **args)


def init_template_context(app) -> None:
    @app.context_processor
    def shell_context():
        def nav():
            cached = request.environ.get("concord.nav")
            if cached is None:
                cached = request.environ["concord.nav"] = menus_for(current_user, host())
            return cached

        def nav_html():
            return Markup(nav_items_html(nav(), request.blueprint))

        return {
            "nav_menus": nav,
            "nav_html": nav_html,
            "current_locale": str(get_locale() or "zh"),
            "lang_url": lang_url,
            "demo_mode": app.config.get("DEMO", False),
        }
