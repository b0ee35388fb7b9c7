"""The written documents as data for the ``legal_aid.document`` PDF template: the 告知书 of a referral,
and the legal-aid notices and decisions. Official documents are in Chinese whatever the interface
language."""
from __future__ import annotations

from datetime import date

from core.toolkit import db
from core.toolkit import RecordNotFound
from core.toolkit import clock
from .models import DOCUMENTS, EXEMPT_GROUPS, MATTERS, TERMINATION_GROUNDS, AidApplication, Referral

CHANNEL_TEXT = {"admin_reconsideration": "行政复议", "admin_litigation": "行政诉讼", "labour_arbitration": "劳动人事争议仲裁",
                "commercial_arbitration": "仲裁", "land_contract_arbitration": "农村土地承包经营纠纷仲裁",
                "civil_litigation": "民事诉讼", "appeal_retrial": "申请再审", "procuratorate_supervision": "申请检察监督"}
AID_KINDS = {
    "accept_notice": ("法律援助申请受理通知书", ("received", "supplementing", "granted", "refused", "objection",
                                             "assigned", "terminated", "closed", "archived")),
    "supplement_notice": ("法律援助申请补充材料通知书", None),
    "grant_decision": ("给予法律援助决定书", ("granted", "assigned", "terminated", "closed", "archived")),
    "refusal_decision": ("不予法律援助决定书", None),
    "assignment_notice": ("法律援助指派通知书", None),
    "termination_decision": ("终止法律援助决定书", None),
}
ISSUER_AID = "君山区法律援助中心"


def _fmt(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def _base(title, recipient, sections, serial, issuer, on) -> dict:
    return {"issuer": issuer, "issuer_mark": "", "doc_prefix": "", "doc_year": (on or clock.today()).year,
            "doc_serial": serial, "title": title, "recipient": recipient, "sections": sections, "attachments": [],
            "date": on or clock.today(), "cc": "", "printed_by": ""}


def referral_notice(ref: Referral, due: str | None) -> dict:
    """告知书: which channel, which body, by when, what to bring, legal aid available."""
    channel = CHANNEL_TEXT.get(ref.channel or "", "法定途径")
    body = ref.body.name if ref.body else ""
    addr = f"（地址：{ref.body.address}）" if ref.body and ref.body.address else ""
    by = _fmt(date.fromisoformat(due)) if due else "法律规定的期限内"
    bring = [s.strip() for s in (ref.what_to_bring or "").replace(";", "；").split("；") if s.strip()]
    who = ref.person.name if ref.person else ""
    sections = [
        ("", [f"你（们）提出的“{ref.request[:200]}”（来源编号{ref.source_reference}）一事，"
              f"依据《信访工作条例》第三十一条，属于应当通过{channel}途径解决的事项。"]),
        ("一、办理途径和机关", [f"请向{body}{addr}提出{channel}。法律依据：{ref.basis}。"]),
        ("二、提出期限", [f"请于{by}前提出（自知道该行为之日{_fmt(ref.knew_at)}起计算）。逾期提出的，可能丧失相应权利。"]),
        ("三、需携带的材料", bring or ["身份证明及与该事项有关的材料。"]),
        ("四、法律援助", ["经济困难或者属于《中华人民共和国法律援助法》第三十二条、第四十二条规定情形的，可以向"
                      f"{ISSUER_AID}申请法律援助；期限即将届满的，可以先行提供法律援助（第四十四条）。"]),
        ("", [f"本告知书编号{ref.reference}。"]),
    ]
    return _base("依法分类处理告知书", who, sections, ref.id, "君山区信访局", (ref.served_at or None) and ref.served_at.date())


def aid_available(app: AidApplication) -> list[tuple[str, str]]:
    out = []
    for kind, (title, states) in AID_KINDS.items():
        if kind == "supplement_notice":
            ok = app.supplement_by is not None
        elif kind == "refusal_decision":
            ok = bool(app.refusal_reason) and app.decided_at is not None and app.state in ("refused", "objection",
                                                                                          "archived")
        elif kind == "grant_decision":
            ok = app.decided_at is not None and app.state in states
        elif kind == "assignment_notice":
            ok = app.provider_id is not None
        elif kind == "termination_decision":
            ok = app.termination_ground is not None
        else:
            ok = app.state in states
        if ok:
            out.append((kind, title))
    return out


class NotIssued(RecordNotFound):
    """The record exists but the document does not (yet): e.g. a decision on an undecided application."""


def aid_document(app: AidApplication, kind: str) -> dict:
    if kind not in AID_KINDS:
        raise RecordNotFound(f"no document {kind!r}")
    if kind not in dict(aid_available(app)):
        raise NotIssued(f"application {app.reference} ({app.state}) has no {AID_KINDS[kind][0]}: "
                        "it is issued only once that step is taken")
    who = app.applicant.name
    intro = f"你于{_fmt(app.received_at)}提出的法律援助申请（编号{app.reference}，事项：{MATTERS.get(app.matter_type, '')}）收悉。"
    if kind == "accept_notice":
        body = [intro, "本机构已受理你的申请，将自收到申请之日起七日内进行审查并作出是否给予法律援助的决定"
                "（《中华人民共和国法律援助法》第四十三条）。"]
    elif kind == "supplement_notice":
        items = "、".join(str(DOCUMENTS.get(d, d)) for d in (app.documents_missing or app.documents_required))
        body = [intro, f"经审查，申请材料不齐全，请于{_fmt(app.supplement_by)}前补充以下材料：{items}。",
                "补充材料期间不计入审查期限；逾期未补充的，视为撤回申请（《中华人民共和国法律援助法》第四十三条）。"]
    elif kind == "grant_decision":
        basis = {"no_means_test": "第三十二条（不受经济困难条件限制）",
                 "exempt": f"第四十二条（{EXEMPT_GROUPS.get(app.exempt_group or '', '')}，免予核查经济困难状况）",
                 "means_test": "第三十一条、第三十四条、第四十一条（经济困难）"}[app.eligibility]
        body = [intro, f"经审查，你的申请符合《中华人民共和国法律援助法》{basis}规定的条件，决定给予法律援助。",
                "本机构将自作出决定之日起三日内指派律师、基层法律服务工作者或者法律援助志愿者为你提供法律援助。"]
    elif kind == "refusal_decision":
        body = [intro, f"经审查，决定不予法律援助。理由：{app.refusal_reason or ''}",
                "你对本决定有异议的，可以向设立本机构的司法行政部门提出，司法行政部门应当自收到异议之日起五日内"
                "进行审查，作出维持或者责令改正的决定；对决定仍不服的，可以依法申请行政复议或者提起行政诉讼"
                "（《中华人民共和国法律援助法》第四十九条）。"]
    elif kind == "assignment_notice":
        p = app.provider
        org = f"（{p.organisation.name}）" if p and p.organisation else ""
        early = "因相关期限即将届满，依据第四十四条先行" if app.early_aid else ""
        body = [intro, f"本机构{early}指派{p.name if p else ''}{org}为你提供法律援助，请与其联系并配合办理。"]
    else:
        body = [intro, f"经审查，决定终止法律援助。理由：{TERMINATION_GROUNDS.get(app.termination_ground or '', '')}。"
                f"{app.termination_text or ''}",
                "你对本决定有异议的，可以依照《中华人民共和国法律援助法》第四十九条的规定提出。"]
    on = app.decided_at.date() if kind in ("grant_decision", "refusal_decision") else clock.today()
    return _base(AID_KINDS[kind][0], who, [("", body)], app.id, ISSUER_AID, on)


def load(record_id: str) -> dict:
    """``concord pdf render legal_aid.document --record referral:3`` or ``aid:grant_decision:2``."""
    parts = str(record_id).split(":")
    if parts[0] == "referral" and len(parts) == 2 and parts[1].isdigit():
        ref = db.session.get(Referral, int(parts[1]))
        if ref is None:
            raise RecordNotFound(f"no referral {parts[1]!r}")
        from .services import filing_deadline
        d = filing_deadline(ref)
        return referral_notice(ref, d["due"] if d else None)
    if parts[0] == "aid" and len(parts) == 3 and parts[2].isdigit():
        app = db.session.get(AidApplication, int(parts[2]))
        if app is None:
            raise RecordNotFound(f"no application {parts[2]!r}")
        return aid_document(app, parts[1])
    raise RecordNotFound("use referral:ID or aid:KIND:ID")
