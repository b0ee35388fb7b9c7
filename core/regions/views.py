"""Admin pages for the region tree: browse by parent, add 村民小组, rename, import CSV."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from core.auth.guard import require
from core.db import db
from .forms import GroupForm, ImportForm, RegionForm
from .importer import RegionImportError, import_regions_bytes
from .services import RegionError, add_group, breadcrumbs, by_code, children, rename

bp = Blueprint("regions", __name__)

LEVEL_LABELS = {"province": _l("Province"), "city": _l("City"), "county": _l("County / district"),
                "town": _l("Town / subdistrict"), "village": _l("Village / community"),
                "group": _l("Villagers' group")}


def _region_or_404(code: str):
    return by_code(code) or abort(404)


@bp.get("/")
@require("admin.regions.manage")
def index():
    parent = _region_or_404(request.args["parent"]) if request.args.get("parent") else None
    return _browse(parent, GroupForm() if parent is not None and parent.level == "village" else None)


def _browse(parent, group_form):
    return render_template("regions/index.html", parent=parent, trail=breadcrumbs(parent),
                           rows=children(parent), group_form=group_form, level_labels=LEVEL_LABELS)


@bp.post("/<code>/groups")
@require("admin.regions.manage")
def group_new(code: str):
    village = _region_or_404(code)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = add_group(village, form.name.data, form.suffix.data)
            db.session.commit()
            flash(_("%(name)s added with code %(code)s.", name=group.name, code=group.code), "success")
            return redirect(url_for("regions.index", parent=village.code))
        except RegionError as exc:
            db.session.rollback()
            getattr(form, exc.field or "name").errors.append(str(exc))
    return _browse(village, form), 200


@bp.route("/<code>/edit", methods=["GET", "POST"])
@require("admin.regions.manage")
def edit(code: str):
    region = _region_or_404(code)
    form = RegionForm(obj=region if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            rename(region, form.name.data, form.urban_rural_code.data)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("regions.index", parent=region.parent.code if region.parent else None))
        except RegionError as exc:
            db.session.rollback()
            getattr(form, exc.field or "name").errors.append(str(exc))
    return render_template("regions/edit.html", region=region, form=form, trail=breadcrumbs(region),
                           level_labels=LEVEL_LABELS)


@bp.route("/import", methods=["GET", "POST"])
@require("admin.regions.manage")
def import_csv():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = import_regions_bytes(upload.read(), upload.filename or "CSV")
            db.session.commit()
            flash(_("Imported %(rows)d rows: %(added)d added, %(updated)d changed.", **result), "success")
            return redirect(url_for("regions.import_csv"))
        except RegionImportError as exc:
            db.session.rollback()
            form.file.errors.append(str(exc))
    return render_template("regions/import.html", form=form, result=result)
