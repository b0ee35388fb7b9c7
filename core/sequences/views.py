"""Admin pages: the declared sequences, their patterns and this year's counters."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.auth.guard import require
from core.db import check_version, db
from .forms import SequenceForm
from .models import Sequence, SequenceCounter
from .patterns import render
from .services import SequenceError, local_today, set_pattern

bp = Blueprint("sequences", __name__)


@bp.get("/")
@require("admin.sequences.manage")
def index():
    year = local_today().year
    seqs = db.session.scalars(select(Sequence).order_by(Sequence.code)).all()
    last = dict(db.session.execute(select(SequenceCounter.sequence_code, SequenceCounter.last_number)
                                   .where(SequenceCounter.year == year)).all())
    rows = [{"seq": s, "used": last.get(s.code, 0), "next": render(s.pattern, year, last.get(s.code, 0) + 1)}
            for s in seqs]
    return render_template("sequences/index.html", rows=rows, year=year)


@bp.route("/<code>", methods=["GET", "POST"])
@require("admin.sequences.manage")
def edit(code: str):
    seq = db.session.scalar(select(Sequence).where(Sequence.code == code)) or abort(404)
    form = SequenceForm(obj=seq if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            check_version(seq, request.form.get("version"))
            set_pattern(seq, form.pattern.data, form.next_number.data)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("sequences.index"))
        except SequenceError as exc:
            db.session.rollback()
            getattr(form, exc.field or "pattern").errors.append(str(exc))
    return render_template("sequences/edit.html", form=form, seq=seq, year=local_today().year)
