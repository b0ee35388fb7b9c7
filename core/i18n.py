"""Interface language: Simplified Chinese by default, English on request.

Catalogs are ``.po`` files (core and each plugin keep their own); they are compiled to ``.mo`` into
``instance/i18n`` when newer than the compiled copy, so no build step is needed.
"""
from __future__ import annotations

import hashlib
import os
import weakref

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

LANG_COOKIE = "concord_lang"


def compile_catalogs(source_dirs: list[str], instance: str) -> list[str]:
    out_dirs = []
    for src in source_dirs:
        if not os.path.isdir(src):
            continue
        # keyed by the source folder, not its position: enabling or disabling a plugin shifts positions
        out = os.path.join(instance, "i18n", hashlib.sha1(os.path.abspath(src).encode()).hexdigest()[:16])
        for locale in os.listdir(src):
            po = os.path.join(src, locale, "LC_MESSAGES", "messages.po")
            if not os.path.exists(po):
                continue
            mo = os.path.join(out, locale, "LC_MESSAGES", "messages.mo")
            if not os.path.exists(mo) or os.path.getmtime(mo) < os.path.getmtime(po):
                os.makedirs(os.path.dirname(mo), exist_ok=True)
                with open(po, "rb") as fh:
                    catalog = read_po(fh, locale=locale)
                tmp = mo + f".{os.getpid()}.tmp"
                with open(tmp, "wb") as fh:
                    write_mo(fh, catalog)
                os.replace(tmp, mo)
        out_dirs.append(out)
    return out_dirs


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = getattr(g, "lang_choice", None)
    if chosen in languages:
        return chosen
    if request and request.path.startswith("/api/"):  # API clients say it with Accept-Language
        asked = request.accept_languages.best_match(languages)
        if asked:
            return asked
    cookie = request.cookies.get(LANG_COOKIE) if request else None
    if cookie in languages:
        return cookie
    try:
        if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
            return current_user.locale
    except SQLAlchemyError:  # the database went away mid-request: answer in the default language
        pass
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_choice():
    """before_request: ``?lang=en|zh`` switches the language on any page."""
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        g.lang_choice = lang
        if getattr(current_user, "is_authenticated", False) and current_user.locale != lang:
            # a preference, not an edit: stamped without the user row's optimistic lock (no 409 for an
            # administrator editing the same user meanwhile)
            from sqlalchemy import update
            from sqlalchemy.orm.attributes import set_committed_value
            from core.auth.models import User
            from core.db import db
            users = User.__table__
            db.session.execute(update(users).where(users.c.id == current_user.id)
                               .values(locale=lang, updated_at=users.c.updated_at))
            db.session.commit()
            set_committed_value(current_user._get_current_object(), "locale", lang)


def set_cookie(response):
    lang = getattr(g, "lang_choice", None)
    if lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def _memoise_translations() -> None:
    """Issue 22: flask_babel resolves the request's locale and catalogue on every gettext call (some 70 per
    page, each through several context look-ups). The catalogue is still loaded once per process by
    flask_babel; this keeps the one resolved for the request's current locale on the request's babel
    context, and resolves again when the locale object changes (``force_locale`` sets a new one)."""
    from flask.globals import _cv_app
    from flask_babel import Domain
    original = Domain.get_translations
    if getattr(original, "_concord_memo", False):
        return

    def get_translations(self):
        app_ctx = _cv_app.get(None)
        ctx = app_ctx.g.__dict__.get("_flask_babel") if app_ctx is not None else None
        if ctx is not None:
            memo = ctx.__dict__.get("_concord_tr")
            if memo is not None and memo[1] is self and memo[0] is ctx.__dict__.get("babel_locale"):
                return memo[2]
        translations = original(self)
        ctx = app_ctx.g.__dict__.get("_flask_babel") if app_ctx is not None else None
        if ctx is not None and ctx.__dict__.get("babel_locale") is not None:
            ctx._concord_tr = (ctx.babel_locale, self, translations)
        return translations

    get_translations._concord_memo = True
    Domain.get_translations = get_translations


def _fast_domain() -> None:
    """Issue 22: ``flask_babel.gettext`` (behind every lazy string: labels of states, columns, menus) finds
    its domain through ``g`` and ``current_app`` proxies on each call; once the request's babel context holds
    its domain, read it there directly. Outside a request, or before the first look-up, flask_babel's own."""
    import flask_babel
    from flask.globals import _cv_app
    original = flask_babel.get_domain
    if getattr(original, "_concord_fast", False):
        return

    def get_domain():
        app_ctx = _cv_app.get(None)
        if app_ctx is not None:
            ctx = app_ctx.g.__dict__.get("_flask_babel")
            if ctx is not None:
                domain = ctx.__dict__.get("babel_domain")
                if domain is not None:
                    return domain
        return original()

    get_domain._concord_fast = True
    flask_babel.get_domain = get_domain


def _memos(state: dict) -> tuple:
    """(locale, the request's texts, the catalogue's texts) for the request's babel context *state*."""
    global _by_catalogue
    locale = state.get("babel_locale")
    if locale is None:
        from flask_babel import get_locale
        get_locale()                                    # resolve the request's language first
        locale = state.get("babel_locale")
    memo = state.get("_concord_texts")
    if memo is None or memo[0] is not locale:
        import flask_babel
        translations = flask_babel.get_domain().get_translations()
        if _by_catalogue is None:
            _by_catalogue = weakref.WeakKeyDictionary()
        kept = _by_catalogue.get(translations)
        if kept is None:
            kept = _by_catalogue[translations] = {}
        memo = state["_concord_texts"] = (locale, {}, kept)
    return memo


def texts_memo() -> dict | None:
    """A dict living as long as the request's current language (the request's babel context, renewed with a
    new locale by ``force_locale``), for text made from labels that may change while the app runs (a label an
    administrator sets); ``None`` outside a request's babel context. Issue 22: a list page turns the same few
    labels into text some 150 times."""
    from flask.globals import _cv_app
    app_ctx = _cv_app.get(None)
    ctx = app_ctx.g.__dict__.get("_flask_babel") if app_ctx is not None else None
    return None if ctx is None else _memos(ctx.__dict__)[1]


_by_catalogue = None     # weakref.WeakKeyDictionary: a catalogue (babel Translations) → its texts


def catalogue_texts() -> dict | None:
    """A dict of texts that depend on the language only (a message's translation, a record type's label), kept
    per process for the catalogue the request uses: made once, then read by every later request in that
    language (catalogues do not change while the app runs). ``None`` outside a request's babel context."""
    from flask.globals import _cv_app
    app_ctx = _cv_app.get(None)
    ctx = app_ctx.g.__dict__.get("_flask_babel") if app_ctx is not None else None
    return None if ctx is None else _memos(ctx.__dict__)[2]


def remembered(memo: dict | None, key, make):
    """``make()`` kept in *memo* (:func:`texts_memo` or :func:`catalogue_texts`) under *key*; made every time
    without one (outside a request)."""
    if memo is None:
        return make()
    text = memo.get(key)
    if text is None:
        text = memo[key] = make()
    return text


def kept_template_texts(env) -> None:
    """A template's ``_("…")`` without variables kept per catalogue (issue 22: jinja's newstyle ``gettext`` —
    a context call, flask_babel's look-up, a Markup and its ``%`` formatting — cost ~6 µs a call, some 20–60
    a page). The text kept is what jinja's own ``gettext`` gave for the message in that catalogue (and
    autoescape mode), so it is the same; a message with variables, or one outside a request, takes jinja's."""
    from jinja2 import pass_context
    jinja_gettext = env.globals["gettext"]          # installed by flask_babel (newstyle)
    if getattr(jinja_gettext, "_concord_kept", False):
        return

    @pass_context
    def gettext(context, string, **variables):
        if not variables:
            texts = catalogue_texts()
            if texts is not None:
                key = ("template", string, context.eval_ctx.autoescape)
                text = texts.get(key)
                if text is None:
                    text = texts[key] = jinja_gettext(context, string)
                return text
        return jinja_gettext(context, string, **variables)

    gettext._concord_kept = True
    env.globals["gettext"] = gettext
    env.globals["_"] = gettext      # jinja's ``_`` looks ``gettext`` up in the context on every call


def _fast_lazy_strings() -> None:
    """Issue 22: a lazy label (a state, a channel, a column heading: ``lazy_gettext("Closed")``) is turned
    into text on every use, each through flask_babel's ``gettext``, ``get_domain`` and ``Domain.gettext``.
    The text of a plain lazy ``gettext`` (no variables) is kept in :func:`catalogue_texts` by message id. Any
    other lazy string (with variables, ``ngettext``, another domain's function) takes flask_babel's own way."""
    import flask_babel
    from flask_babel.speaklater import LazyString
    if getattr(LazyString.__str__, "_concord_fast", False):
        return
    plain = flask_babel.gettext

    def lazy_str(self):
        if self._func is plain and not self._kwargs and len(self._args) == 1:
            texts = catalogue_texts()
            if texts is not None:
                msgid = self._args[0]
                text = texts.get(msgid)
                if text is None:
                    text = texts[msgid] = str(plain(msgid))
                return text
        return str(self._func(*self._args, **self._kwargs))

    lazy_str._concord_fast = True
    LazyString.__str__ = lazy_str
    LazyString.__html__ = lazy_str


_memoise_translations()
_fast_domain()
_fast_lazy_strings()
