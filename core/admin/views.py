from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.auth.forms import UserForm
from core.auth.guard import require
from core.auth.models import Permission, Role, User
from core.auth.services import AuthError, create_user
from core.db import check_version, db
from core.security.policy import initial_password
from core.plugins import host
from core.regions.models import Region
from .models import PluginState
from .services import AdminError, set_plugin_enabled, set_role_permissions, update_user

bp = Blueprint("admin", __name__)


@bp.get("/")
@require("admin.access")
def index():
    counts = {
        "users": db.session.scalar(select(db.func.count(User.id))),
        "roles": db.session.scalar(select(db.func.count(Role.code))),
        "plugins": len(host().loaded),
    }
    return render_template("admin/index.html", counts=counts)


def _user_form(user=None):
    form = UserForm(obj=user)
    form.roles.choices = [(r.code, r.name) for r in db.session.scalars(select(Role).order_by(Role.code))]
    regions = db.session.scalars(select(Region).where(Region.level.in_(("county", "town", "village"))).order_by(Region.path))
    form.region_code.choices = [("", "—")] + [(r.code, ("· " * max(0, r.depth - 2)) + r.name) for r in regions]
    if user is not None and request.method == "GET":
        form.roles.data = [r.code for r in user.roles]
        form.region_code.data = user.region.code if user.region else ""
    return form


@bp.get("/users")
@require("admin.users.manage")
def users():
    q = (request.args.get("q") or "").strip()[:60]
    stmt = select(User).order_by(User.username)
    if q:
        stmt = stmt.where(User.username.contains(q) | User.display_name.contains(q))
    return render_template("admin/users.html", users=db.session.scalars(stmt).all(), q=q)


@bp.route("/users/new", methods=["GET", "POST"])
@require("admin.users.manage")
def user_new():
    form = _user_form()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("A new user needs a password."))
        else:
            try:
                user = create_user(form.username.data, form.password.data, form.roles.data,
                                   form.region_code.data or None, form.display_name.data or "")
                user.active = form.active.data
                initial_password(user, form.password.data)
                db.session.commit()
                flash(_("User %(name)s created.", name=user.username), "success")
                return redirect(url_for("admin.users"))
            except AuthError as exc:
                db.session.rollback()
                flash(str(exc), "error")
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("admin.users.manage")
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = _user_form(user)
    form.username.data = user.username
    if form.validate_on_submit():
        try:
            check_version(user, request.form.get("version"))
            update_user(user, display_name=form.display_name.data, roles=form.roles.data,
                        region_code=form.region_code.data or None, active=form.active.data,
                        password=form.password.data or None)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.users"))
        except AdminError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return render_template("admin/user_form.html", form=form, user=user)


@bp.get("/roles")
@require("admin.roles.manage")
def roles():
    roles = db.session.scalars(select(Role).order_by(Role.code)).all()
    perms = db.session.scalars(select(Permission).order_by(Permission.plugin, Permission.code)).all()
    return render_template("admin/roles.html", roles=roles, perms=perms)


@bp.post("/roles/<code>")
@require("admin.roles.manage")
def role_save(code: str):
    role = db.session.get(Role, code) or abort(404)
    try:
        set_role_permissions(role, request.form.getlist("perm"), current_user)
        db.session.commit()
        flash(_("Permissions of %(role)s saved.", role=role.name), "success")
    except AdminError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("admin.roles"))


@bp.get("/apps")
@require("admin.plugins.manage")
def apps():
    h = host()
    state = {r.name: r.enabled for r in db.session.scalars(select(PluginState))}
    loaded = {m.name for m in h.loaded}
    rows = []
    zh = str(get_locale() or "").startswith("zh")

    def title(name):
        m = h.available.get(name)
        return (m.title_zh if zh and getattr(m, "title_zh", None) else m.title) if m else name
    for name, m in sorted(h.available.items()):
        contributions = [c for c in h.contributions if c.plugin == name]
        rows.append({"m": m, "loaded": name in loaded, "enabled": state.get(name, True), "title": title(name),
                     "depends": [title(d) for d in m.depends], "uses": [title(u) for u in (m.uses or ())],
                     "counts": _count_kinds(contributions)})
    return render_template("admin/apps.html", rows=rows)


def _count_kinds(contributions):
    counts = {}
    for c in contributions:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    return counts


@bp.post("/apps/<name>")
@require("admin.plugins.manage")
def app_toggle(name: str):
    enable = request.form.get("enabled") == "1"
    if not enable and request.form.get("confirm") != "1":
        flash(_("Tick the box to confirm: disabling an app stops its pages and jobs."), "error")
        return redirect(url_for("admin.apps"))
    try:
        set_plugin_enabled(host(), name, enable)
        db.session.commit()
        flash(_("Saved. The change takes effect when Concord restarts."), "success")
    except AdminError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("admin.apps"))
