"""Case-file review (卷宗评查): a checklist per case grade, configurable; a reviewer scores a concluded file.

The default checklist follows what 全国人民调解工作规范 asks a file to show: the documents present, the
signatures, timeliness, the agreement performed (or, for a failed case, a complete hand-back), the
follow-up visit and the parties' satisfaction. Administrators change lines and points per grade."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import delete, select

from core.toolkit import clock
from core.toolkit import log_note
from core.toolkit import db
from . import workflow as wf
from .models import GRADES, CaseReview, CourtCase, ReviewItem
from .services import RECORD_TYPE, CourtError

DEFAULT_ITEMS = [
    # code, label, points for simple / ordinary / difficult
    ("documents", "卷宗材料齐全（受理登记、调解记录、协议书或终结书）", (25, 20, 20)),
    ("signatures", "当事人、调解员签名及印章齐全", (20, 20, 15)),
    ("timeliness", "在调解期限内办结", (15, 15, 15)),
    ("performance", "协议已履行，或调解不成时交接材料完整", (15, 20, 20)),
    ("follow_up", "已回访并有记录", (10, 10, 15)),
    ("satisfaction", "当事人满意", (15, 15, 15)),
]
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def ensure_checklist() -> None:
    """Seed the default checklist once (administrators edit it afterwards)."""
    if db.session.scalar(select(ReviewItem.id).limit(1)) is not None:
        return
    for grade_index, grade in enumerate(GRADES):
        for pos, (code, label, points) in enumerate(DEFAULT_ITEMS):
            db.session.add(ReviewItem(grade=grade, code=code, label=label, points=points[grade_index], position=pos))
    db.session.flush()


def items(grade: str) -> list[ReviewItem]:
    ensure_checklist()
    return list(db.session.scalars(select(ReviewItem).where(ReviewItem.grade == grade)
                                   .order_by(ReviewItem.position, ReviewItem.id)))


def checklist_text(grade: str) -> str:
    return "\n".join(f"{i.code} | {i.label} | {i.points}" for i in items(grade))


def save_checklist(grade: str, text: str) -> list[ReviewItem]:
    """Replace a grade's checklist from lines ``code | label | points``."""
    if grade not in GRADES:
        raise CourtError({"grade": _("Choose one of the listed values.")})
    rows, errors = [], []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not _CODE.match(parts[0]) or not parts[1] or len(parts[1]) > 200 \
                or not parts[2].isdigit() or not 1 <= int(parts[2]) <= 100:
            errors.append(_("line %(n)s: write code | label | points (1–100)", n=n))
            continue
        if any(r[0] == parts[0] for r in rows):
            errors.append(_("line %(n)s: the code %(code)s repeats", n=n, code=parts[0]))
            continue
        rows.append((parts[0], parts[1], int(parts[2])))
    if not rows and not errors:
        errors.append(_("A checklist needs at least one line."))
    if errors:
        raise CourtError({"checklist": "; ".join(errors)})
    db.session.execute(delete(ReviewItem).where(ReviewItem.grade == grade))
    for pos, (code, label, points) in enumerate(rows):
        db.session.add(ReviewItem(grade=grade, code=code, label=label, points=points, position=pos))
    db.session.flush()
    return items(grade)


def review_of(record) -> CaseReview | None:
    """The review of a court case or a dispute (None before the first)."""
    if isinstance(record, CourtCase):
        return record.review
    return db.session.scalar(select(CaseReview).where(CaseReview.dispute_id == record.id))


def concluded(record) -> bool:
    """A court case once agreed, failed or returned; a dispute once closed (销号)."""
    return record.state in wf.CONCLUDED if isinstance(record, CourtCase) else record.state == "closed"


def score(record, user, grade: str, awarded: dict, note: str = "") -> CaseReview:
    """Score a concluded file (a court case or a closed dispute): *awarded* maps checklist code → points
    (0 up to the line's points)."""
    from .subsidy import report_frozen_for
    if not concluded(record):
        raise CourtError({"": _("Only a concluded file can be reviewed; the case is %(state)s.",
                                state=record.state_label)})
    if record.mediator_id is not None and user.id == record.mediator_id:
        raise CourtError({"": _("A mediator does not review their own file.")})
    if grade not in GRADES:
        raise CourtError({"grade": _("Choose one of the listed values.")})
    if report_frozen_for(record):
        raise CourtError({"": _("This file is counted in a submitted subsidy report; its review is frozen.")})
    errors, scores = {}, {}
    for item in items(grade):
        raw = awarded.get(item.code, 0)
        try:
            points = int(raw or 0)
            if not 0 <= points <= item.points:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"item_{item.code}"] = _("Give 0 to %(n)s points.", n=item.points)
            continue
        scores[item.code] = {"label": item.label, "points": points, "max": item.points}
    if errors:
        raise CourtError(errors)
    is_case = isinstance(record, CourtCase)
    review = review_of(record) or (CaseReview(case_id=record.id) if is_case else CaseReview(dispute_id=record.id))
    review.grade, review.scores = grade, scores
    review.total = sum(s["points"] for s in scores.values())
    review.max_total = sum(s["max"] for s in scores.values())
    review.note = (note or "").strip()[:5000]
    review.reviewer_id = user.id
    review.reviewed_at = clock.now().replace(microsecond=0)
    if review.id is None:
        db.session.add(review)
    db.session.flush()
    if is_case:
        db.session.expire(record, ["review"])
    log_note(RECORD_TYPE if is_case else "mediation_dispute", record.id,
             _("File reviewed (%(grade)s): %(total)s of %(max)s points", grade=str(GRADES[grade]),
               total=review.total, max=review.max_total), user=user)
    return review
