"""The minutes (听证笔录): a draft seeded from the agenda, the participants and the procedural events;
versions with history; party confirmation or a host-noted refusal to sign; the lock (SHA-256 over a
canonical JSON form); corrections as new versions with a reason; text modules; and the deliberation
(评议), recorded apart from the minutes."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.toolkit import db
from core.toolkit import ServiceError, clean_text
from ..models import OUTCOMES, PARTY_ROLES, Event, Evidence, Hearing, Participant
from ..services import AGENDA, WORKFLOW, event, now, statements
from .models import VOTES, Confirmation, MinutesVersion, TextModule, Vote

# the headings of domain.md §2 (标题 and 签名 are set by the PDF itself)
SECTIONS = [
    ("matter", "编号及案由"), ("time_place", "时间和地点"), ("organiser", "听证机关"),
    ("officials", "主持人、听证员、记录员"), ("petitioners", "信访人及代理人"), ("unit", "承办单位人员"),
    ("others", "其他参加人及旁听人员"), ("publicity", "公开方式"),
    ("procedure", "程序事项（核对身份、宣布纪律、告知权利义务、询问回避）"),
    ("petitioner_statement", "信访人陈述"), ("unit_statement", "承办单位陈述"), ("debate", "质证与辩论"),
    ("questions", "听证员提问"), ("final", "最后陈述"), ("deliberation", "评议（另卷）"), ("conclusion", "听证结论"),
]
SECTION_KEYS = [k for k, _h in SECTIONS]
STEP_SECTION = {"identity": "procedure", "opening": "procedure", "rights": "procedure", "recusal": "procedure",
                "petitioner": "petitioner_statement", "unit": "unit_statement", "debate": "debate",
                "questions": "questions", "final": "final", "deliberation": "deliberation",
                "conclusion": "conclusion"}
ROLE_ZH = {"host": "主持人", "panelist": "听证员", "recorder": "记录员", "petitioner": "信访人", "agent": "代理人",
           "unit": "承办单位", "third_party": "第三人", "witness": "证人", "observer": "旁听人员"}
SIGNERS = PARTY_ROLES


def _fmt(dt) -> str:
    return f"{dt.year}年{dt.month}月{dt.day}日{dt.hour:02d}时{dt.minute:02d}分" if dt else "＿＿＿＿"


def _people(hearing: Hearing, *roles: str) -> str:
    rows = [p for p in hearing.participants if p.role in roles]
    return "\n".join(f"{ROLE_ZH[p.role]}：{p.name}" + (f"（{p.unit}）" if p.unit else "") for p in rows) or "无"


def seed_sections(hearing: Hearing) -> dict[str, str]:
    """Minutes text from the hearing's data: participants, procedural events, statements, evidence."""
    s = {k: "" for k in SECTION_KEYS}
    s["matter"] = f"{hearing.reference}　{hearing.matter}"
    s["time_place"] = (f"{_fmt(hearing.started_at or hearing.scheduled_at)}至{_fmt(hearing.ended_at)}，"
                       f"{hearing.place}")
    s["organiser"] = hearing.organiser
    s["officials"] = _people(hearing, "host", "panelist", "recorder")
    s["petitioners"] = _people(hearing, "petitioner", "agent")
    s["unit"] = _people(hearing, "unit")
    s["others"] = _people(hearing, "third_party", "witness", "observer")
    s["publicity"] = "公开听证" if hearing.is_public else f"不公开听证（{hearing.closed_reason or ''}）"
    proc = []
    events = db.session.scalars(select(Event).where(Event.hearing_id == hearing.id,
                                                    Event.kind.in_(("recusal", "suspended", "resumed",
                                                                    "postponed", "absence")))
                                .order_by(Event.at, Event.id)).all()
    for ev in events:
        proc.append(f"{ev.at.strftime('%H:%M')}　{ev.text}")
    by_section: dict[str, list[str]] = {k: [] for k in SECTION_KEYS}
    for st in statements(hearing):
        by_section[STEP_SECTION.get(st.step, "debate")].append(f"{ROLE_ZH.get(st.speaker_role, '')}{st.speaker_name}：{st.text}")
    for ev in db.session.scalars(select(Evidence).where(Evidence.hearing_id == hearing.id).order_by(Evidence.id)):
        line = f"证据：{ev.label}（{ROLE_ZH.get(ev.presented_by, '')}提交）{ev.purpose}"
        if ev.challenged:
            line += f"；质证意见：{ev.challenge}"
        by_section["debate"].append(line)
    s["procedure"] = "\n".join(proc + by_section["procedure"]) or "主持人核对了到场人员身份，宣布了听证纪律，告知了权利义务，询问了回避事项。"
    for key in ("petitioner_statement", "unit_statement", "debate", "questions", "final"):
        s[key] = "\n".join(by_section[key]) or "无"
    s["deliberation"] = "听证员退席评议，评议情况另卷记录。"
    concl = by_section["conclusion"]
    if hearing.conclusion:
        concl = concl + [f"听证结论：{hearing.conclusion}（{OUTCOMES.get(hearing.outcome, '')}）"]
    s["conclusion"] = "\n".join(concl) or "听证结论另行送达。"
    return s


def versions(hearing: Hearing) -> list[MinutesVersion]:
    return db.session.scalars(select(MinutesVersion).where(MinutesVersion.hearing_id == hearing.id)
                              .order_by(MinutesVersion.number)).all()


def current_version(hearing: Hearing) -> MinutesVersion | None:
    return db.session.scalar(select(MinutesVersion).where(MinutesVersion.hearing_id == hearing.id)
                             .order_by(MinutesVersion.number.desc()).limit(1))


def _new_version(hearing: Hearing, sections: dict, reason: str, user=None) -> MinutesVersion:
    number = (db.session.scalar(select(func.max(MinutesVersion.number))
                                .where(MinutesVersion.hearing_id == hearing.id)) or 0) + 1
    v = MinutesVersion(hearing_id=hearing.id, number=number, sections=sections, reason=reason,
                       created_at=now(), created_by=getattr(user, "id", None))
    db.session.add(v)
    db.session.flush()
    return v


def ensure_draft(hearing: Hearing, user=None) -> MinutesVersion:
    return current_version(hearing) or _new_version(hearing, seed_sections(hearing), _("Draft seeded"), user)


def _clean(sections: dict) -> dict:
    if not isinstance(sections, dict):
        raise ServiceError({"sections": _("Give the minutes sections.")})
    out, errors = {}, {}
    for key in SECTION_KEYS:
        out[key] = clean_text(sections.get(key, ""), key, 50000, errors, required=False)
    if errors:
        raise ServiceError(errors)
    return out


def save_draft(hearing: Hearing, sections: dict, reason: str = "", user=None,
               base_number: int | None = None) -> MinutesVersion:
    """Each save of an unlocked draft is a new version (the history keeps every earlier one)."""
    WORKFLOW.check(hearing, "save_draft")
    current = current_version(hearing)
    if current is not None and current.locked_at is not None:
        raise ServiceError(_("The minutes are locked; a correction needs a reason."))
    if base_number is not None and current is not None and base_number != current.number:
        raise ServiceError(_("Someone saved a newer version meanwhile. Reload and try again."))
    sections = _clean(sections)
    if current is not None and current.sections == sections:
        return current
    return _new_version(hearing, sections, (reason or "").strip()[:500] or _("Draft edited"), user)


def reseed(hearing: Hearing, user=None) -> MinutesVersion:
    return save_draft(hearing, seed_sections(hearing), _("Draft re-seeded from the record"), user)


def correct(hearing: Hearing, sections: dict, reason: str, user=None) -> MinutesVersion:
    """A correction to locked minutes: a new (unlocked) version with the reason; the locked one stays."""
    errors: dict = {}
    reason = clean_text(reason, "reason", 500, errors)
    if errors:
        raise ServiceError(errors)
    current = current_version(hearing)
    if current is None or current.locked_at is None:
        raise ServiceError(_("Only locked minutes are corrected; edit the draft instead."))
    v = _new_version(hearing, _clean(sections), reason, user)
    event(hearing, "correction", _("Correction of the minutes (version %(n)d): %(r)s", n=v.number, r=reason))
    return v


def signers(hearing: Hearing) -> list[Participant]:
    """The parties who must confirm or refuse: those who attended (or every party, if none recorded)."""
    parties = [p for p in hearing.participants if p.role in SIGNERS]
    present = [p for p in parties if p.arrived_at]
    return present or parties


def confirm(hearing: Hearing, participant: Participant, status: str, via: str = "screen", note: str = "") -> Confirmation:
    """A party confirms the minutes (status ``confirmed``) or refuses to sign (``refused``: the host
    notes the refusal and its reason)."""
    errors: dict = {}
    if status not in ("confirmed", "refused"):
        errors["status"] = _("Confirm or refuse.")
    note = clean_text(note, "note", 500, errors, required=(status == "refused"))
    if participant is None or participant.hearing_id != hearing.id or participant.role not in SIGNERS:
        errors["participant_id"] = _("Only a party of this hearing confirms the minutes.")
    if errors:
        raise ServiceError(errors)
    v = current_version(hearing)
    if v is None:
        raise ServiceError(_("There are no minutes yet."))
    if v.locked_at is not None:
        raise ServiceError(_("The minutes are already locked."))
    WORKFLOW.check(hearing, "confirm")
    row = next((c for c in v.confirmations if c.participant_id == participant.id), None)
    if row is None:
        row = Confirmation(participant_id=participant.id, status=status, via=via, note=note, at=now())
        row.participant = participant
        v.confirmations.append(row)
    else:
        row.status, row.via, row.note, row.at = status, via, note, now()
    db.session.flush()
    what = _("confirmed the minutes") if status == "confirmed" else _("refused to sign the minutes")
    event(hearing, "confirmation", f"{participant.name} {what}" + (f"：{note}" if note else ""))
    return row


def pending_signers(hearing: Hearing) -> list[Participant]:
    v = current_version(hearing)
    done = {c.participant_id for c in v.confirmations} if v else set()
    return [p for p in signers(hearing) if p.id not in done]


def canonical(hearing: Hearing, v: MinutesVersion) -> str:
    """The canonical form the hash is taken over: sorted keys, no whitespace, UTF-8 text."""
    body = {
        "hearing": hearing.reference, "version": v.number, "petition": hearing.petition.reference,
        "sections": {k: v.sections.get(k, "") for k in SECTION_KEYS},
        "participants": [{"role": p.role, "name": p.name, "unit": p.unit,
                          "arrived_at": p.arrived_at.isoformat(timespec="minutes") if p.arrived_at else None}
                         for p in hearing.participants],
        "signatures": sorted(({"name": c.participant.name, "role": c.participant.role, "status": c.status,
                               "note": c.note} for c in v.confirmations), key=lambda c: (c["role"], c["name"])),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(canonical_text: str) -> str:
    return hashlib.sha256(canonical_text.encode("utf-8")).hexdigest()


def lock(hearing: Hearing, user=None) -> MinutesVersion:
    WORKFLOW.check(hearing, "lock")
    v = current_version(hearing)
    if v is None:
        raise ServiceError(_("There are no minutes yet."))
    if v.locked_at is not None:
        raise ServiceError(_("The minutes are already locked."))
    missing = pending_signers(hearing)
    if missing:
        raise ServiceError(_("Waiting for %(names)s to confirm or refuse to sign.",
                             names="、".join(p.name for p in missing)))
    v.canonical = canonical(hearing, v)
    v.content_hash = digest(v.canonical)
    v.locked_at = now()
    event(hearing, "locked", _("Minutes version %(n)d locked; SHA-256 %(h)s", n=v.number, h=v.content_hash))
    return v


def verify(v: MinutesVersion) -> bool:
    return bool(v.canonical and v.content_hash == digest(v.canonical))


def last_locked(hearing: Hearing) -> MinutesVersion | None:
    return db.session.scalar(select(MinutesVersion).where(MinutesVersion.hearing_id == hearing.id,
                                                          MinutesVersion.locked_at.is_not(None))
                             .order_by(MinutesVersion.number.desc()).limit(1))


# -- text modules ------------------------------------------------------------------------------------
DEFAULT_MODULES = [
    ("identity", "核对身份", "identity", "主持人核对了到场人员身份，到场人员身份与通知一致。"),
    ("discipline", "宣布纪律", "rights", "主持人宣布听证纪律：听证参加人应当遵守听证秩序，经主持人许可方可发言，"
                                    "不得喧哗、吵闹，不得录音录像（经批准的除外）。"),
    ("rights", "告知权利义务", "rights", "主持人告知信访人依法享有陈述、申辩、质证和申请回避等权利，"
                                   "并负有如实陈述、遵守听证纪律的义务。"),
    ("recusal_q", "询问回避", "recusal", "主持人询问信访人是否申请主持人、听证员、记录员回避，信访人表示不申请回避。"),
    ("floor", "指定发言", None, "主持人请{speaker}发言。"),
    ("leave", "退席评议", "deliberation", "主持人宣布听证参加人退席，听证员进行评议。"),
    ("close", "宣布闭会", "conclusion", "主持人宣布听证结束，请听证参加人核对笔录后签名。"),
]


def text_modules() -> list[TextModule]:
    return db.session.scalars(select(TextModule).order_by(TextModule.id)).all()


def ensure_text_modules() -> None:
    if db.session.scalar(select(func.count(TextModule.id))):
        return
    for code, title, step, body in DEFAULT_MODULES:
        db.session.add(TextModule(code=code, title=title, step=step, text=body))
    db.session.flush()


def save_module(code: str, title: str, body: str, step: str | None = None) -> TextModule:
    """Add a text module, or change the one with this code ({speaker} is replaced when used)."""
    import re
    errors: dict = {}
    code = clean_text(code, "code", 40, errors)
    title = clean_text(title, "title", 100, errors)
    body = clean_text(body, "text", 4000, errors)
    if code and not re.fullmatch(r"[a-z][a-z0-9_]*", code):
        errors["code"] = _("Lower-case letters, digits and underscores.")
    if step is not None and step not in AGENDA:
        errors["step"] = _("Choose a step of the agenda.")
    if errors:
        raise ServiceError(errors)
    module = db.session.scalar(select(TextModule).where(TextModule.code == code))
    if module is None:
        module = TextModule(code=code, title=title, text=body, step=step)
        db.session.add(module)
    module.title, module.text, module.step = title, body, step
    db.session.flush()
    return module


# -- deliberation (评议, kept apart) --------------------------------------------------------------------
def record_vote(hearing: Hearing, member_id: int, view: str, vote: str) -> Vote:
    errors: dict = {}
    view = clean_text(view, "view", 8000, errors)
    if vote not in VOTES:
        errors["vote"] = _("Choose a vote from the list.")
    member = next((m for m in hearing.panel if m.id == member_id and not m.recused), None)
    if member is None:
        errors["member_id"] = _("Choose a panelist of this hearing.")
    if errors:
        raise ServiceError(errors)
    WORKFLOW.check(hearing, "record_vote")
    row = db.session.scalar(select(Vote).where(Vote.hearing_id == hearing.id, Vote.panel_member_id == member.id))
    if row is None:
        row = Vote(hearing_id=hearing.id, panel_member_id=member.id, view=view, vote=vote, at=now())
        row.member = member
        db.session.add(row)
    else:
        row.view, row.vote, row.at = view, vote, now()
    db.session.flush()
    return row


def set_proposal(hearing: Hearing, proposal: str) -> None:
    errors: dict = {}
    hearing.proposal = clean_text(proposal, "proposal", 8000, errors)
    if errors:
        raise ServiceError(errors)


def deliberation(hearing: Hearing) -> dict:
    votes = db.session.scalars(select(Vote).where(Vote.hearing_id == hearing.id).order_by(Vote.id)).all()
    counts = {k: sum(1 for v in votes if v.vote == k) for k in VOTES}
    members = len([m for m in hearing.panel if not m.recused])
    majority = counts["agree"] * 2 > members if members else False
    side = "agree" if majority else "disagree"
    dissent = [v for v in votes if v.vote != side]
    return {"votes": votes, "counts": counts, "members": members, "majority": majority, "dissent": dissent,
            "complete": len(votes) == members, "proposal": hearing.proposal or ""}


def as_of(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else ""
