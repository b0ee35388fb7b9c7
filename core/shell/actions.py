"""The one way a form view runs a workflow step: check the version the form was loaded with, run the
service, then commit and say so — or roll back and show every message (a stale form, bad input, a step
not possible now). Nothing is half-written."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable

from flask import flash, request
from flask_babel import gettext as _

from core.db import StaleEdit, check_version, db
from core.errors import ServiceError


@contextmanager
def unit_of_work():
    """The one commit of a request that changes data: the block's changes are committed when it ends, or
    rolled back when it raises (the exception goes on to the view, which shows it). Views never commit by
    hand; ``perform`` (form steps) and the API's operations do the same for theirs.

        try:
            with unit_of_work():
                services.save(record, data)
        except ServiceError as exc:
            ...show exc.errors..."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def form_errors(form) -> ServiceError:
    """A WTForms form's errors as a ServiceError (field → message)."""
    return ServiceError({k: "; ".join(str(e) for e in v) for k, v in form.errors.items()} or _("Check the form."))


def require_valid(form) -> None:
    if not form.validate_on_submit():
        raise form_errors(form)


def perform(record, step: Callable[[], object], done: str | None = None, *, version_required: bool = True) -> bool:
    """Run *step* on *record* for the posted form; True when it was saved.

    *done* is the success message; without it the step's own returned text is shown. A form may leave
    out the version only when *version_required* is false (steps that many people take on one record
    at once, such as statements taken during a hearing)."""
    try:
        submitted = request.form.get("version")
        if version_required or submitted:
            check_version(record, submitted)
        result = step()
    except StaleEdit:
        db.session.rollback()
        flash(_("Someone else changed this record meanwhile. Reload and try again."), "error")
    except ServiceError as exc:
        db.session.rollback()
        for msg in exc.errors.values():
            flash(msg, "error")
    else:
        db.session.commit()
        flash(done or (result if isinstance(result, str) and result else _("Done.")), "success")
        return True
    return False
