"""Staff pages: persons (list, one person with probable duplicates) and organisations (list, edit)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from core.auth.guard import require
from core.db import check_version, db
from core.regions.models import Region
from core.regions.scope import scope_alternatives, scope_key, user_can_see_region
from core.regions.services import region_choices
from core.shell.listing import Column, Filter, ListView, listed, row_link
from .display import masked_id_number, masked_phone
from .forms import OrganisationForm
from .models import GENDERS, ORG_KINDS, Organisation, Person
from .services import PartyError, create_organisation, find_duplicates, update_organisation
from .validation import id_gender, normalise_name

bp = Blueprint("parties", __name__)


def _gender_label(id_number) -> str:
    """``Person.gender_label`` of a person with *id_number* (the gender is the ID number's 17th digit)."""
    gender = id_gender(id_number)
    return str(GENDERS[gender]) if gender else ""


def _listed_columns(stmt):
    """*stmt* selecting what the persons list shows, as Core rows (issue 22: 25 persons and their regions as
    ORM objects cost ~0.3 ms a page); the region's name by a subquery asked for the page's rows only."""
    region = select(Region.name).where(Region.id == Person.region_id).scalar_subquery().label("region")
    return stmt.with_only_columns(Person.id, Person.name, Person.id_number, Person.phone, region)


@bp.get("/persons")
@require("core.parties.read")
def persons():
    q = normalise_name((request.args.get("q") or "")[:100])

    def build(*alternatives):
        stmt = select(Person).where(*alternatives)
        return stmt.where(Person.name_norm.contains(q, autoescape=True)) if q else stmt
    def scope():
        return scope_alternatives(Person.region_id, current_user, include_unassigned=True)
    key = (*scope_key(current_user), q)
    view = ListView(listed("parties.persons", key, lambda: _listed_columns(build(or_(*scope())))), [
        Column("name", _("Full name"), link=row_link("parties.person", person_id="id"), sort=Person.name),
        Column("gender", _("Gender"), value=lambda p: _gender_label(p.id_number)),
        Column("id_number", _("ID number"), value=lambda p: masked_id_number(p.id_number)),
        Column("phone", _("Phone"), value=lambda p: masked_phone(p.phone)),
        Column("region", _("Region"), value=lambda p: p.region or ""),
    ], default_sort=[Person.name_norm, Person.id], export_name="persons", core_rows=True,
        count_parts=listed("parties.persons.count", key, lambda: [build(one) for one in scope()]))
    if view.export_requested():
        return view.export()
    return render_template("parties/persons.html", view=view, page=view.page())


@bp.get("/persons/<int:person_id>")
@require("core.parties.read")
def person(person_id: int):
    p = db.session.get(Person, person_id) or abort(404)
    if p.region_id is not None and not user_can_see_region(current_user, p.region):
        abort(404)
    candidates = [c for c in find_duplicates(p.name, p.id_number, p.phone, exclude_id=p.id)
                  if c.person.region_id is None or user_can_see_region(current_user, c.person.region)]
    return render_template("parties/person.html", person=p, candidates=candidates,
                           masked_id_number=masked_id_number, masked_phone=masked_phone)


def _org_filters():
    return [
        Filter("kind", _("Kind"), [(k, str(v)) for k, v in ORG_KINDS.items()],
               lambda stmt, v: stmt.where(Organisation.kind == v)),
        Filter("active", _("Active"), [("1", _("yes")), ("0", _("no"))],
               lambda stmt, v: stmt.where(Organisation.active.is_(v == "1"))),
    ]


@bp.get("/organisations")
@require("core.parties.read", "core.parties.manage")
def organisations():
    manage = current_user.can("core.parties.manage")
    view = ListView(select(Organisation), [
        Column("name", _("Name"), sort=Organisation.name,
               link=(lambda o: url_for("parties.organisation_edit", org_id=o.id)) if manage else None),
        Column("kind", _("Kind"), value=lambda o: o.kind_label, sort=Organisation.kind),
        Column("code", _("Code"), sort=Organisation.code),
        Column("region", _("Region"), value=lambda p: p.region or ""),
        Column("phone", _("Phone")),
        Column("active", _("Active"), value=lambda o: _("yes") if o.active else _("no")),
    ], search=[Organisation.name, Organisation.code], filters=_org_filters(),
        default_sort=[Organisation.kind, Organisation.name], export_name="organisations")
    if view.export_requested():
        return view.export()
    return render_template("parties/organisations.html", view=view, page=view.page(), manage=manage)


def _org_form(org=None) -> OrganisationForm:
    form = OrganisationForm(obj=org if request.method == "GET" else None)
    form.kind.choices = [(k, str(v)) for k, v in ORG_KINDS.items()]
    form.region_id.choices = [("", "—")] + region_choices(current_user, "town", keep=org.region if org else None)
    if org is not None and request.method == "GET":
        form.region_id.data = str(org.region_id or "")
    return form


def _org_values(form) -> dict:
    return dict(name=form.name.data, kind=form.kind.data, code=form.code.data, region_id=form.region_id.data or None,
                address=form.address.data, phone=form.phone.data, active=form.active.data)


def _show_errors(form, exc: PartyError) -> None:
    db.session.rollback()
    for name, message in exc.errors.items():
        getattr(form, name).errors.append(message)


@bp.route("/organisations/new", methods=["GET", "POST"])
@require("core.parties.manage")
def organisation_new():
    form = _org_form()
    if form.validate_on_submit():
        try:
            org = create_organisation(**_org_values(form))
            db.session.commit()
            flash(_("%(name)s saved.", name=org.name), "success")
            return redirect(url_for("parties.organisations"))
        except PartyError as exc:
            _show_errors(form, exc)
    return render_template("parties/organisation_form.html", form=form, org=None)


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@require("core.parties.manage")
def organisation_edit(org_id: int):
    org = db.session.get(Organisation, org_id) or abort(404)
    form = _org_form(org)
    if form.validate_on_submit():
        try:
            check_version(org, request.form.get("version"))
            update_organisation(org, **_org_values(form))
            db.session.commit()
            flash(_("%(name)s saved.", name=org.name), "success")
            return redirect(url_for("parties.organisations"))
        except PartyError as exc:
            _show_errors(form, exc)
    return render_template("parties/organisation_form.html", form=form, org=org)
