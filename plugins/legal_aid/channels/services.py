"""The channel list (依法分类处理清单) as data: the seeded default lines, choosing the channel for a
request, and the admin's edits per department. Callers commit."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from core.toolkit import get_rule, all_rules
from core.toolkit import db
from core.toolkit import ServiceError
from core.toolkit import ORG_KINDS, organisation_by_code
from core.toolkit import Organisation
from ..models import CHANNELS, ChannelRule

# channel → (request type, keywords, legal basis, receiving body kind, demo body code, filing rule, what to bring)
DEFAULTS = {
    "admin_reconsideration": (
        "对行政机关作出的行政行为（处罚、强制、许可、信息公开答复等）不服", "处罚,罚款,拆除,许可,信息公开,征收,不作为",
        "行政复议法 第二条、第二十条、第二十三条；信访工作条例 第三十一条", "department", "JS-FYB",
        "referral.admin_reconsideration_file", "行政复议申请书；身份证明；行政行为的文书或证据；其他证据材料"),
    "admin_litigation": (
        "对行政行为不服直接起诉（法律不要求先复议的）", "行政诉讼,起诉政府,行政行为",
        "行政诉讼法 第二条、第四十六条；信访工作条例 第三十一条", "court", "JS-FY",
        "referral.admin_litigation_file", "起诉状及副本；身份证明；被诉行政行为的证据；其他证据材料"),
    "labour_arbitration": (
        "劳动关系、工资报酬、工伤、社会保险等劳动人事争议", "工资,劳动,欠薪,工伤,社保,辞退,劳务",
        "劳动争议调解仲裁法 第二条、第二十七条；信访工作条例 第三十一条", "arbitration_commission", "YY-LDZC",
        "referral.labour_arbitration_file", "仲裁申请书及副本；身份证明；劳动合同或劳动关系证明；证据材料"),
    "commercial_arbitration": (
        "有仲裁协议的合同纠纷和其他财产权益纠纷", "合同,货款,工程款,仲裁协议",
        "仲裁法 第二条、第四条、第七十四条", "arbitration_commission", "YY-ZCW",
        "referral.commercial_arbitration_file", "仲裁协议；仲裁申请书及副本；身份证明；证据材料"),
    "land_contract_arbitration": (
        "农村土地承包经营纠纷", "承包地,土地承包,流转,承包经营",
        "农村土地承包经营纠纷调解仲裁法 第二条、第十八条", "arbitration_commission", "JS-NTZC",
        "referral.land_contract_arbitration_file", "仲裁申请书及副本；身份证明；承包合同或经营权证书；证据材料"),
    "civil_litigation": (
        "平等主体之间的民事纠纷（侵权、借款、婚姻家庭、相邻关系等）", "借款,侵权,赔偿,婚姻,继承,相邻,物业",
        "民事诉讼法 第三条、第一百二十二条；民法典 第一百八十八条；信访工作条例 第三十一条", "court", "JS-FY",
        "referral.civil_litigation_limitation", "起诉状及副本；身份证明；证据材料及证人名单"),
    "appeal_retrial": (
        "对已经发生法律效力的判决、裁定不服（申诉、申请再审）", "判决,裁定,再审,申诉,判决不公",
        "民事诉讼法 第二百一十条、第二百一十六条；信访工作条例 第三十一条", "court", "YY-ZJFY",
        "referral.appeal_retrial_file", "再审申请书；原审判决书、裁定书；身份证明；新的证据材料"),
    "procuratorate_supervision": (
        "法院驳回再审申请或再审判决明显错误的，申请检察监督", "检察监督,抗诉,驳回再审",
        "民事诉讼法 第二百二十条；人民检察院民事诉讼监督规则 第二十条", "procuratorate", "JS-JCY",
        "referral.procuratorate_supervision_file", "监督申请书；身份证明；生效判决、裁定及驳回再审申请裁定；证据材料"),
}

# the petition plugin's statutory routes → candidate channels, the first one the default
ROUTE_CHANNELS = {
    "litigation": ("civil_litigation", "admin_litigation", "appeal_retrial", "procuratorate_supervision"),
    "arbitration": ("labour_arbitration", "land_contract_arbitration", "commercial_arbitration"),
    "administrative": ("admin_reconsideration", "admin_litigation"),
    "protective_duty": ("admin_reconsideration", "admin_litigation"),
    "party_appeal": (),
}


class ChannelError(ServiceError):
    """Bad input on a channel rule: ``errors`` maps a field to a message."""


def seed_defaults() -> int:
    """The district's default list (department None): one line per channel, if not there yet."""
    have = set(db.session.scalars(select(ChannelRule.channel).where(ChannelRule.department_id.is_(None))))
    added = 0
    for sort, (channel, (rtype, words, basis, kind, code, rule, bring)) in enumerate(DEFAULTS.items()):
        if channel in have:
            continue
        body = organisation_by_code(code)
        db.session.add(ChannelRule(request_type=rtype, keywords=words, channel=channel, basis=basis, body_kind=kind,
                                   body_id=body.id if body else None, rule_code=rule, what_to_bring=bring,
                                   sort=(sort + 1) * 10))
        added += 1
    db.session.flush()
    return added


def link_bodies() -> int:
    """Give default lines without a receiving body the demo body of their channel, where it exists."""
    n = 0
    for line in db.session.scalars(select(ChannelRule).where(ChannelRule.department_id.is_(None),
                                                             ChannelRule.body_id.is_(None))):
        if line.channel in DEFAULTS:
            body = organisation_by_code(DEFAULTS[line.channel][4])
            if body is not None:
                line.body_id = body.id
                n += 1
    db.session.flush()
    return n


def lines(department_id: int | None = None, active_only: bool = True) -> list[ChannelRule]:
    """The lines in force for *department_id*: its own lines, then the default lines of channels it does
    not cover itself."""
    stmt = select(ChannelRule).order_by(ChannelRule.sort, ChannelRule.id)
    if active_only:
        stmt = stmt.where(ChannelRule.active.is_(True))
    stmt = stmt.where(or_(ChannelRule.department_id.is_(None), ChannelRule.department_id == department_id)
                      if department_id else ChannelRule.department_id.is_(None))
    rows = list(db.session.scalars(stmt))
    own = {r.channel for r in rows if r.department_id}
    return [r for r in rows if r.department_id or r.channel not in own]


def line_for(channel: str, department_id: int | None = None) -> ChannelRule | None:
    return next((r for r in lines(department_id) if r.channel == channel), None)


def suggest(route: str | None, request_text: str = "", department_id: int | None = None) -> ChannelRule | None:
    """The list line for a petition route: among the route's channels, the first line whose keywords occur
    in the request, else the route's default channel."""
    candidates = ROUTE_CHANNELS.get(route or "", tuple(CHANNELS))
    if not candidates:
        return None
    available = [r for r in lines(department_id) if r.channel in candidates]
    text = request_text or ""
    for line in sorted(available, key=lambda r: candidates.index(r.channel)):
        words = [w.strip() for w in line.keywords.replace("，", ",").split(",") if w.strip()]
        if any(w in text for w in words):
            return line
    return next((r for r in available if r.channel == candidates[0]), available[0] if available else None)


def rule_article(line: ChannelRule) -> str:
    try:
        return get_rule(line.rule_code).basis
    except Exception:  # the rule is no longer declared
        return ""


def filing_rule_choices() -> list[tuple[str, str]]:
    return [(code, f"{r.title} · {r.basis}") for code, r in all_rules().items() if code.startswith("referral.")]


def save_line(line: ChannelRule | None, data: dict) -> ChannelRule:
    """Create or edit one line (admin). *data*: request_type, keywords, channel, basis, body_kind, body_id,
    rule_code, what_to_bring, department_id, sort, active."""
    errors: dict[str, str] = {}
    rtype = (data.get("request_type") or "").strip()
    if not rtype:
        errors["request_type"] = _("This field is required.")
    elif len(rtype) > 200:
        errors["request_type"] = _("At most %(n)d characters.", n=200)
    if data.get("channel") not in CHANNELS:
        errors["channel"] = _("Choose a channel from the list.")
    basis = (data.get("basis") or "").strip()
    if not basis:
        errors["basis"] = _("This field is required.")
    if data.get("body_kind") not in ORG_KINDS:
        errors["body_kind"] = _("Choose a kind of body from the list.")
    if data.get("rule_code") not in dict(filing_rule_choices()):
        errors["rule_code"] = _("Choose a filing-limit rule from the list.")
    body_id = data.get("body_id") or None
    if body_id and db.session.get(Organisation, int(body_id)) is None:
        errors["body_id"] = _("No organisation with this id.")
    dept = data.get("department_id") or None
    if dept and db.session.get(Organisation, int(dept)) is None:
        errors["department_id"] = _("No organisation with this id.")
    if errors:
        raise ChannelError(errors)
    if line is None:
        line = ChannelRule()
        db.session.add(line)
    line.request_type, line.channel, line.basis = rtype, data["channel"], basis[:300]
    line.keywords = (data.get("keywords") or "").strip()[:300]
    line.body_kind, line.body_id, line.rule_code = data["body_kind"], int(body_id) if body_id else None, data["rule_code"]
    line.what_to_bring = (data.get("what_to_bring") or "").strip()[:4000]
    line.department_id = int(dept) if dept else None
    line.sort = int(data.get("sort") or 100)
    line.active = bool(data.get("active", True))
    db.session.flush()
    return line
