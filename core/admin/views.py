from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.auth.forms import UserForm, UserRolesForm
from core.auth.guard import require
from core.auth.models import Permission, Role, User
from core.auth.services import AuthError, create_user
from core.db import check_version, db
from core.security.policy import initial_password
from core.plugins import host
from core.regions.models import Region
from .models import PluginState
from .services import AdminError, assign_roles, set_plugin_enabled, set_role_permissions, update_user

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


def _role_choices():
    return [(r.code, r.name) for r in db.session.scalars(select(Role).order_by(Role.code))]


def _assigns_roles() -> bool:
    """Roles are the security administrator's to give (三员分立); the system administrator edits accounts."""
    return current_user.can("admin.roles.manage")


def _user_form(user=None):
    form = UserForm(obj=user)
    if not _assigns_roles():
        del form.roles
    else:
        form.roles.choices = _role_choices()
    regions = db.session.scalars(select(Region).where(Region.level.in_(("county", "town", "village"))).order_by(Region.path))
    form.region_code.choices = [("", "—")] + [(r.code, ("· " * max(0, r.depth - 2)) + r.name) for r in regions]
    if user is not None and request.method == "GET":
        if _assigns_roles():
            form.roles.data = [r.code for r in user.roles]
        form.region_code.data = user.region.code if user.region else ""
    return form


def _users_page(endpoint: str):
    q = (request.args.get("q") or "").strip()[:60]
    stmt = select(User).order_by(User.username)
    if q:
        stmt = stmt.where(User.username.contains(q) | User.display_name.contains(q))
    return render_template("admin/users.html", users=db.session.scalars(stmt).all(), q=q, endpoint=endpoint,
                           assigns=_assigns_roles())


@bp.get("/users")
@require("admin.users.manage")
def users():
    return _users_page("admin.users")


@bp.get("/users/roles")
@require("admin.roles.manage")
def role_assignments():
    """The security administrator's list of accounts and their roles (三员分立)."""
    return _users_page("admin.role_assignments")


@bp.route("/users/new", methods=["GET", "POST"])
@require("admin.users.manage")
def user_new():
    form = _user_form()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("A new user needs a password."))
        else:
            try:
                roles = form.roles.data if _assigns_roles() else []
                user = create_user(form.username.data, form.password.data, roles,
                                   form.region_code.data or None, form.display_name.data or "")
                user.active = form.active.data
                initial_password(user, form.password.data)
                db.session.commit()
                flash(_("User %(name)s created.", name=user.username), "success")
                if not roles:
                    flash(_("The account has no role yet: the security administrator assigns its roles."), "info")
                return redirect(url_for("admin.users"))
            except AuthError as exc:
                db.session.rollback()
                flash(str(exc), "error")
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("admin.users.manage", "admin.roles.manage")
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not current_user.can("admin.users.manage"):      # the security administrator: the account's roles only
        if request.method != "GET":
            abort(403)
        return _roles_page(user)
    form = _user_form(user)
    form.username.data = user.username
    if form.validate_on_submit():
        try:
            check_version(user, request.form.get("version"))
            update_user(user, display_name=form.display_name.data,
                        roles=form.roles.data if _assigns_roles() else None,
                        region_code=form.region_code.data or None, active=form.active.data,
                        password=form.password.data or None)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.users"))
        except AdminError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/roles", methods=["GET", "POST"])
@require("admin.roles.manage")
def user_roles(user_id: int):
    """The security administrator gives an account its roles; nothing else of the account changes here."""
    return _roles_page(db.session.get(User, user_id) or abort(404))


def _roles_page(user: User):
    form = UserRolesForm()
    form.roles.choices = _role_choices()
    if request.method == "GET":
        form.roles.data = [r.code for r in user.roles]
    elif form.validate_on_submit():
        try:
            check_version(user, request.form.get("version"))
            assign_roles(user, form.roles.data)
            db.session.commit()
            flash(_("Roles of %(name)s saved.", name=user.username), "success")
            return redirect(url_for("admin.role_assignments"))
        except AdminError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return render_template("admin/user_roles.html", form=form, user=user)


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
