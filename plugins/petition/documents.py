"""The written documents the petition rules require (受理告知书, 不予受理告知书, 延期告知书, 信访处理意见书,
复查意见书, 复核意见书), as data for the ``petition.document`` PDF template. Official documents are
written in Chinese whatever the interface language."""
from __future__ import annotations

from datetime import date

from core.toolkit import db
from core.toolkit import RecordNotFound
from core.toolkit import clock
from .models import PetitionCase

CHANNEL_TEXT = {"visit": "来访", "letter": "来信", "online": "网上信访", "phone": "电话",
                "hotline_12345": "12345热线", "grid": "网格上报", "transferred": "上级转送"}
DECISION_TEXT = {"support": "支持", "explain": "解释说明（诉求有一定合理性但缺乏法律依据）", "not_support": "不支持"}

# kind → (title, states after which the document exists)
KINDS = {
    "accept_notice": ("信访事项受理告知书", ("accepted", "handling", "extended", "replied", "review_requested",
                                             "reviewed", "recheck_requested", "rechecked", "closed")),
    "not_accept_notice": ("信访事项不予受理告知书", ("not_accepted",)),
    "extension_notice": ("信访事项延期办理告知书", None),
    "opinion": ("信访事项处理意见书", ("replied", "review_requested", "reviewed", "recheck_requested",
                                        "rechecked", "closed")),
    "review_opinion": ("信访事项复查意见书", ("reviewed", "recheck_requested", "rechecked")),
    "recheck_opinion": ("信访事项复核意见书", ("rechecked",)),
}


def available(case: PetitionCase) -> list[tuple[str, str]]:
    steps = {s.step for s in case.steps}
    out = []
    for kind, (title, states) in KINDS.items():
        if kind == "extension_notice":
            ok = "extend" in steps
        elif kind == "recheck_opinion":
            ok = "decide_recheck" in steps
        elif kind == "review_opinion":
            ok = "decide_review" in steps
        else:
            ok = case.state in states or (kind == "opinion" and case.replied_at is not None)
        if ok:
            out.append((kind, title))
    return out


def _county_name(case: PetitionCase) -> str:
    node = case.region
    while node is not None and node.level != "county":
        node = node.parent
    return node.name if node is not None else ""


def _fmt(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def document_data(case: PetitionCase, kind: str) -> dict:
    if kind not in KINDS:
        raise RecordNotFound(f"no document {kind!r}")
    title = KINDS[kind][0]
    county = _county_name(case)
    issuer = case.handling_unit.name if case.handling_unit else f"{county}信访局"
    received = _fmt(case.received_at)
    who = case.petitioner.name
    intro = f"你（们）于{received}以{CHANNEL_TEXT.get(case.channel, case.channel)}方式提出的信访事项（编号{case.reference}）收悉。"
    sections: list[tuple[str, list[str]]] = []
    if kind == "accept_notice":
        sections = [("", [intro, "经审查，该信访事项属于本机关职责范围，依据《信访工作条例》第二十三条，决定予以受理。"
                          "本机关将自受理之日起60日内办结，情况复杂的，经批准可以适当延长办理期限，延长期限不超过30日。",
                          f"你可凭查询码 {case.query_code} 查询办理进展。"])]
    elif kind == "not_accept_notice":
        sections = [("", [intro, f"经审查，该信访事项不予受理。理由：{case.outcome_note or ''}",
                          "依据《信访工作条例》第三十一条，对依法应当通过诉讼、仲裁、行政复议等法定途径解决的，"
                          "请依照有关法律、行政法规规定的程序向有关机关提出。"])]
    elif kind == "extension_notice":
        reason = next((s for s in case.steps if s.step == "extend"), None)
        sections = [("", [intro, "因情况复杂，经本机关负责人批准，依据《信访工作条例》第三十四条，"
                          "该信访事项的办理期限延长30日。", f"延期决定日期：{_fmt(reason.at) if reason else ''}。"])]
    elif kind == "opinion":
        sections = [
            ("", [intro]),
            ("一、信访请求", [case.request]),
            ("二、事实和理由", [case.facts or "（无）"]),
            ("三、处理意见", [f"经调查核实，本机关意见为：{DECISION_TEXT.get(case.decision, '')}。",
                          case.decision_text or ""]),
            ("四、法律依据", ["《信访工作条例》第三十二条、第三十四条。"]),
            ("五、救济途径和期限", ["信访人对本处理意见不服的，可以自收到本意见书之日起30日内请求原办理机关的"
                              "上一级机关复查（《信访工作条例》第三十五条）。"]),
        ]
    elif kind == "review_opinion":
        sections = [("一、复查请求", [case.request]),
                    ("二、复查意见", [case.review_opinion or ""]),
                    ("三、救济途径和期限", ["信访人对复查意见不服的，可以自收到复查意见书之日起30日内向复查机关的上一级"
                                      "机关请求复核（《信访工作条例》第三十六条）。"])]
    elif kind == "recheck_opinion":
        sections = [("一、复核请求", [case.request]),
                    ("二、复核意见", [case.recheck_opinion or ""]),
                    ("三、效力", ["本复核意见为终结意见。信访人对复核意见不服，仍以同一事实和理由提出信访请求的，"
                              "不再受理（《信访工作条例》第三十六条）。"])]
    return {"issuer": issuer, "issuer_mark": "", "doc_prefix": "", "doc_year": clock.today().year,
            "doc_serial": case.id, "title": title, "recipient": who, "sections": sections, "attachments": [],
            "date": _doc_date(case, kind),
            "cc": "", "printed_by": ""}


def _doc_date(case: PetitionCase, kind: str) -> date:
    if kind == "opinion" and case.replied_at:
        return case.replied_at.date()
    if kind == "accept_notice" and case.accepted_at:
        return case.accepted_at.date()
    if kind == "recheck_opinion" and case.rechecked_at:
        return case.rechecked_at.date()
    return clock.today()


def load(record_id: str) -> dict:
    """``concord pdf render petition.document --record opinion:6``"""
    kind, sep, key = str(record_id).partition(":")
    if not sep:
        kind, key = "opinion", kind
    case = db.session.get(PetitionCase, int(key)) if key.isdigit() else None
    if case is None:
        raise RecordNotFound(f"no petition {key!r}")
    if kind in KINDS and kind not in dict(available(case)):
        # the same rule as the download route: no 处理意见书 for a case not yet answered, and so on
        raise RecordNotFound(f"petition {case.reference} ({case.state}) has no {KINDS[kind][0]} yet")
    return document_data(case, kind)
