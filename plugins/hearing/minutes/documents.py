"""The hearing documents as data for the PDF templates (official documents are written in Chinese
whatever the interface language): 听证通知书, 听证公告, 听证笔录, 听证结论, 评议意见. A locked minutes
version is rendered once per variant and then served from ``hearing_pdf_cache`` keyed by its hash."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

from sqlalchemy import select

from core.toolkit import db
from core.toolkit import RecordNotFound, render_pdf
from core.toolkit import clock
from .models import MinutesVersion, PdfCache
from .services import ROLE_ZH, SECTIONS, current_version, deliberation, last_locked, seed_sections
from ..models import Hearing, Notice

VOTE_ZH = {"agree": "同意", "disagree": "不同意", "abstain": "弃权"}
OUTCOME_ZH = {"settled": "息诉罢访", "published": "公开发布", "terminated": "终结", "continued": "继续办理"}


def _when(dt) -> str:
    return f"{dt.year}年{dt.month}月{dt.day}日{dt.hour:02d}时{dt.minute:02d}分" if dt else ""


def _base(h: Hearing, title: str) -> dict:
    return {"title": title, "issuer": h.organiser, "issuer_mark": "", "doc_prefix": "", "doc_year": "",
            "doc_serial": "", "attachments": [], "cc": "", "printed_by": "", "reference": h.reference}


def notice_data(h: Hearing, notice: Notice) -> dict:
    d = _base(h, "听证通知书")
    role = next((p.role for p in h.participants if p.id == notice.participant_id), "")
    as_what = {"panelist": "听证员", "witness": "证人"}.get(role, "听证参加人")
    d.update(recipient=notice.recipient, date=notice.issued_at, sections=[("", [
        f"本机关定于{_when(h.scheduled_at)}在{h.place}就{h.petition.petitioner.name}信访事项"
        f"（编号{h.petition.reference}，案由：{h.matter}）举行{'公开' if h.is_public else '不公开'}听证，"
        f"请你以{as_what}身份准时参加。",
        f"听证主持人：{h.host_name}；记录员：{h.recorder_name}。",
        "听证参加人有权申请主持人、听证员、记录员回避；无正当理由不到场的，视为放弃听证权利。"
        "请携带本通知书及身份证件，并提前十五分钟到达。",
    ])])
    return d


def announcement_data(h: Hearing) -> dict:
    d = _base(h, "听证公告")
    panel = "、".join(m.panelist.name for m in h.panel if not m.recused)
    d.update(recipient="", date=h.decided_at or h.applied_at, sections=[("", [
        f"本机关定于{_when(h.scheduled_at)}在{h.place}就信访事项（编号{h.petition.reference}）举行公开听证。",
        f"案由：{h.matter}。", f"听证主持人：{h.host_name}；听证员：{panel}。",
        "公民可以申请旁听，旁听人员应当遵守听证纪律。",
    ])])
    return d


def _rows(h: Hearing) -> list[dict]:
    return [{"role": ROLE_ZH.get(p.role, p.role), "name": p.name, "unit": p.unit,
             "arrived": p.arrived_at.strftime("%H:%M") if p.arrived_at else ("缺席" if p.absent_note else "")}
            for p in h.participants]


def draft_preview(h: Hearing) -> MinutesVersion:
    """An unsaved draft seeded from the record so far (before the hearing is closed)."""
    return MinutesVersion(hearing_id=h.id, number=0, sections=seed_sections(h), reason="")


def minutes_data(h: Hearing, v: MinutesVersion | None = None) -> dict:
    v = v or current_version(h) or draft_preview(h)
    sections = [(heading, [line for line in (v.sections.get(key) or "").splitlines() if line.strip()] or ["无"])
                for key, heading in SECTIONS]
    confirmations = {c.participant_id: c for c in v.confirmations}
    signers = []
    for p in h.participants:
        c = confirmations.get(p.id)
        signers.append({"role": ROLE_ZH.get(p.role, p.role), "name": p.name,
                        "status": ("已核对无误" if c.status == "confirmed" else f"拒绝签名（主持人注明：{c.note}）")
                        if c else ""})
    return {"title": "听证笔录", "reference": h.reference, "organiser": h.organiser, "version": v.number,
            "locked": v.locked_at is not None, "content_hash": v.content_hash or "",
            "sections": sections, "attendance": _rows(h), "signers": signers,
            "host": h.host_name, "recorder": h.recorder_name, "date": h.started_at or h.scheduled_at,
            "correction": v.reason if v.number > 1 else ""}


def conclusion_data(h: Hearing) -> dict:
    d = _base(h, "听证结论")
    d.update(recipient=h.petition.petitioner.name, date=h.concluded_at, sections=[
        ("一、听证事项", [f"{h.petition.reference}　{h.matter}", f"听证时间：{_when(h.started_at)}；地点：{h.place}。"]),
        ("二、听证结论", [h.conclusion or "", f"处理结果：{OUTCOME_ZH.get(h.outcome, '')}。"]),
        ("三、效力", ["本听证结论作为信访事项办理、复查、复核意见的重要依据。"]),
    ])
    return d


def deliberation_data(h: Hearing) -> dict:
    info = deliberation(h)
    d = _base(h, "听证评议意见")
    lines = [f"{v.member.panelist.name}（{v.member.panelist.kind_label}）：{VOTE_ZH[v.vote]}。{v.view}" for v in info["votes"]]
    result = (f"同意{info['counts']['agree']}票，不同意{info['counts']['disagree']}票，弃权{info['counts']['abstain']}票；"
              + ("多数听证员同意拟定结论。" if info["majority"] else "拟定结论未获多数同意。"))
    dissent = [f"{v.member.panelist.name}：{v.view}" for v in info["dissent"]] or ["无"]
    d.update(recipient="", date=h.ended_at or h.concluded_at or clock.now(), sections=[
        ("一、拟定结论", [info["proposal"] or "（未填写）"]), ("二、各听证员意见", lines or ["无"]),
        ("三、评议结果", [result]), ("四、少数意见", dissent)])
    return d


def render_minutes(h: Hearing, variant: str | None = None, v: MinutesVersion | None = None) -> bytes:
    """The minutes PDF; a locked version comes from the cache after its first render."""
    v = v or current_version(h) or draft_preview(h)
    key = variant or "pdf"
    if v.locked_at is not None and v.content_hash:
        row = db.session.get(PdfCache, (v.content_hash, key))
        if row is not None:
            return row.pdf
    pdf = render_pdf("hearing.minutes", pdf_variant=variant, **minutes_data(h, v))
    if v.locked_at is not None and v.content_hash:
        db.session.add(PdfCache(content_hash=v.content_hash, variant=key, pdf=pdf, created_at=clock.now()))
        db.session.flush()
    return pdf


def cached(content_hash: str, variant: str = "pdf") -> bool:
    return db.session.get(PdfCache, (content_hash, variant)) is not None


def load(record_id: str) -> dict:
    """``concord pdf render hearing.minutes --record 1``"""
    h = db.session.get(Hearing, int(record_id)) if str(record_id).isdigit() else None
    if h is None:
        raise RecordNotFound(f"no hearing {record_id!r}")
    return minutes_data(h)


# -- batch export --------------------------------------------------------------------------------------
def period_hearings(date_from, date_to, scope) -> list[int]:
    """Hearings held in the period whose minutes are locked, in the caller's scope."""
    stmt = (select(Hearing.id).join(MinutesVersion, MinutesVersion.hearing_id == Hearing.id)
            .where(MinutesVersion.locked_at.is_not(None), Hearing.started_at >= datetime.combine(date_from, datetime.min.time()),
                   Hearing.started_at < datetime.combine(date_to, datetime.max.time()), scope)
            .group_by(Hearing.id).order_by(Hearing.id))
    return list(db.session.scalars(stmt))


def export_step(job, chunk: int = 1) -> None:
    """Render (into the cache) the next *chunk* hearings of the job."""
    for hid in job.hearing_ids[job.done:job.done + chunk]:
        h = db.session.get(Hearing, hid)
        v = last_locked(h) if h else None
        if v is not None:
            render_minutes(h, None, v)
        job.done += 1


def export_zip(job) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        index = ["编号,信访事项,版本,SHA-256"]
        for hid in job.hearing_ids[:job.done]:
            h = db.session.get(Hearing, hid)
            v = last_locked(h) if h else None
            if v is None:
                continue
            zf.writestr(f"{h.reference}-v{v.number}.pdf", render_minutes(h, None, v))
            index.append(f"{h.reference},{h.petition.reference},{v.number},{v.content_hash}")
        zf.writestr("index.csv", "\n".join(index) + "\n")
    return buf.getvalue()


__all__ = ["announcement_data", "conclusion_data", "deliberation_data", "export_step",
           "export_zip", "load", "minutes_data", "notice_data", "period_hearings", "render_minutes"]
