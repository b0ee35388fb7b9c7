"""Every deadline rule against the words of the article it cites, with one worked example computed on
the real official calendar (the holiday table seeded from chinese-calendar; 2026: 元旦 1–3 Jan,
春节 15–23 Feb, 清明 4–6 Apr, 劳动节 1–5 May, 端午 19 Jun, 中秋 25–27 Sep, 国庆 1–7 Oct; 调休 workdays
4 Jan, 14 Feb, 28 Feb, 9 May, 20 Sep, 10 Oct).

Counting (contract §3, 民法典 Arts 201–203, 民事诉讼法 Art 85): the start day is not counted; N days
end on start + N, N months on the same date N months later; a last day that is a rest day or holiday
moves to the next working day; "N个工作日" counts working days only (调休 Saturdays count).

A rule whose length comes from no national text says so in its basis ("地方实践"): there is no
national hearing procedure and no statutory follow-up visit."""
from __future__ import annotations

from datetime import date

import pytest

from core.calendar.services import compute_rule, get_rule, is_working_day

# code: (length, unit, extension, basis (exact), the article's words, start, due, why)
RULES = {
    # 信访工作条例 (2022)
    "petition.register_forward": (15, "calendar", None, "信访工作条例 第二十二条",
        "收到信访事项，应当予以登记，并区分情况，在15日内分别按照下列方式处理",
        "2026-09-16", "2026-10-08", "16 Sep + 15 = 1 Oct (国庆) → Thu 8 Oct"),
    "petition.accept_notice": (15, "calendar", None, "信访工作条例 第二十三条",
        "应当自收到信访事项之日起15日内书面告知信访人",
        "2026-01-23", "2026-02-09", "23 Jan + 15 = Sun 7 Feb → Mon 9 Feb"),
    "petition.jurisdiction_objection": (5, "working", None, "信访工作条例 第二十三条",
        "应当自收到之日起5个工作日内提出异议",
        "2026-09-30", "2026-10-13", "Oct 8, 9, Sat 10 (调休), 12, 13"),
    "petition.handle": (60, "calendar", 30, "信访工作条例 第三十四条",
        "应当自受理之日起60日内办结……延长期限不得超过30日",
        "2026-08-03", "2026-10-08", "3 Aug + 60 = 2 Oct (国庆) → 8 Oct"),
    "petition.review_request": (30, "calendar", None, "信访工作条例 第三十五条",
        "可以自收到书面答复之日起30日内请求原办理机关、单位的上一级机关、单位复查",
        "2026-03-06", "2026-04-07", "6 Mar + 30 = Sun 5 Apr (清明 4–6) → Tue 7 Apr"),
    "petition.review_decide": (30, "calendar", None, "信访工作条例 第三十五条",
        "应当自收到复查请求之日起30日内提出复查意见",
        "2026-06-01", "2026-07-01", "1 Jun + 30 = Wed 1 Jul"),
    "petition.recheck_request": (30, "calendar", None, "信访工作条例 第三十六条",
        "可以自收到书面答复之日起30日内向复查机关、单位的上一级机关、单位请求复核",
        "2026-01-05", "2026-02-04", "5 Jan + 30 = Wed 4 Feb"),
    "petition.recheck_decide": (30, "calendar", None, "信访工作条例 第三十六条",
        "应当自收到复核请求之日起30日内提出复核意见",
        "2026-04-02", "2026-05-06", "2 Apr + 30 = 2 May (劳动节 1–5) → Wed 6 May"),
    # 法律援助法 (2021): 七日/三日/五日 with no working-day clause → calendar days
    "legal_aid.decide": (7, "calendar", None, "法律援助法 第四十三条",
        "法律援助机构应当自收到法律援助申请之日起七日内进行审查，作出是否给予法律援助的决定",
        "2026-09-24", "2026-10-08", "24 Sep + 7 = 1 Oct (国庆) → 8 Oct"),
    "legal_aid.assign": (3, "calendar", None, "法律援助法 第四十三条",
        "决定给予法律援助的，应当自作出决定之日起三日内指派",
        "2026-09-28", "2026-10-08", "28 Sep + 3 = 1 Oct (国庆) → 8 Oct"),
    "legal_aid.objection_decide": (5, "calendar", None, "法律援助法 第四十九条",
        "司法行政部门应当自收到异议之日起五日内进行审查",
        "2026-04-28", "2026-05-06", "28 Apr + 5 = 3 May (劳动节) → Wed 6 May"),
    # 人民调解法 (2010) and local mediation rules
    "mediation.judicial_confirmation_apply": (30, "calendar", None, "人民调解法 第三十三条",
        "双方当事人认为有必要的，可以自调解协议生效之日起三十日内共同向人民法院申请司法确认",
        "2026-04-01", "2026-05-06", "1 Apr + 30 = 1 May (劳动节) → 6 May"),
    "mediation.period": (30, "calendar", 30,
        "宁波市人民调解条例 第二十七条；深圳经济特区矛盾纠纷多元化解条例 第二十五条",
        "一般在一个月内调解结束（宁波）；三十日内，当事人同意的可以延长（深圳）",
        "2026-05-02", "2026-06-01", "2 May + 30 = Mon 1 Jun"),
    "mediation.follow_up_visit": (10, "working", None,
        "地方实践（无法定期限；挂销号后回访的常见做法，按本地规定调整）",
        "", "2026-09-30", "2026-10-20", "10 working days from 30 Sep, 国庆 skipped, Sat 10 Oct counted"),
    # 诉访分离: the filing limits of the legal channels
    "referral.admin_reconsideration_file": (60, "calendar", None, "行政复议法 第二十条",
        "可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请",
        "2026-08-03", "2026-10-08", "3 Aug + 60 = 2 Oct (国庆) → 8 Oct"),
    "referral.admin_litigation_file": (6, "months", None, "行政诉讼法 第四十六条",
        "应当自知道或者应当知道作出行政行为之日起六个月内提出",
        "2026-04-03", "2026-10-08", "3 Apr + 6 months = 3 Oct (国庆) → 8 Oct"),
    "referral.labour_arbitration_file": (12, "months", None, "劳动争议调解仲裁法 第二十七条",
        "劳动争议申请仲裁的时效期间为一年",
        "2025-10-01", "2026-10-08", "1 Oct 2025 + 1 year = 1 Oct 2026 (国庆) → 8 Oct"),
    "referral.civil_litigation_limitation": (36, "months", None, "民法典 第一百八十八条",
        "向人民法院请求保护民事权利的诉讼时效期间为三年",
        "2023-10-03", "2026-10-08", "3 Oct 2023 + 3 years = 3 Oct 2026 (国庆) → 8 Oct"),
    "referral.commercial_arbitration_file": (36, "months", None,
        "民法典 第一百八十八条（仲裁法：法律对仲裁时效没有规定的，适用诉讼时效的规定）",
        "法律对仲裁时效没有规定的，适用诉讼时效的规定",
        "2023-06-17", "2026-06-17", "17 Jun 2023 + 3 years = Wed 17 Jun 2026"),
    "referral.land_contract_arbitration_file": (24, "months", None, "农村土地承包经营纠纷调解仲裁法 第十八条",
        "农村土地承包经营纠纷申请仲裁的时效期间为二年",
        "2024-10-02", "2026-10-08", "2 Oct 2024 + 2 years = 2 Oct 2026 (国庆) → 8 Oct"),
    "referral.appeal_retrial_file": (6, "months", None, "民事诉讼法 第二百一十六条",
        "当事人申请再审，应当在判决、裁定发生法律效力后六个月内提出",
        "2026-04-05", "2026-10-08", "5 Apr + 6 months = 5 Oct (国庆) → 8 Oct"),
    "referral.procuratorate_supervision_file": (6, "months", None, "人民检察院民事诉讼监督规则 第二十条",
        "应当在人民法院送达驳回再审申请裁定之日或者再审判决、裁定发生法律效力之日起六个月内提出",
        "2026-04-30", "2026-10-30", "30 Apr + 6 months = Fri 30 Oct (was 24 months before)"),
    # 信访听证: no national procedure (条例 Arts 31(6), 36 only allow a hearing) → local practice
    "hearing.decide": (5, "working", None,
        "地方实践（无全国性规定；常见为收到申请之日起5个工作日内决定，按本省听证办法调整）",
        "", "2026-09-29", "2026-10-12", "Sep 30, Oct 8, 9, Sat 10 (调休), 12"),
    "hearing.hold": (30, "calendar", None,
        "地方实践（无全国性规定；常见为决定听证之日起30日内举行，按本省听证办法调整）",
        "", "2026-01-02", "2026-02-02", "2 Jan + 30 = Sun 1 Feb → Mon 2 Feb"),
    "hearing.notice_lead": (7, "calendar", None,
        "地方实践（无全国性规定；常见为举行听证7日前送达通知，按本省听证办法调整）",
        "", "2026-02-10", "2026-02-24", "10 Feb + 7 = 17 Feb (春节 15–23) → Tue 24 Feb"),
    "hearing.conclusion_spot": (10, "calendar", None,
        "地方实践（无全国性规定；常见为当场宣布结论的10日内送达，按本省听证办法调整）",
        "", "2026-02-10", "2026-02-24", "10 Feb + 10 = 20 Feb (春节) → Tue 24 Feb"),
    "hearing.conclusion_later": (20, "calendar", None,
        "地方实践（无全国性规定；常见为听证结束后20日内送达，按本省听证办法调整）",
        "", "2026-04-25", "2026-05-15", "25 Apr + 20 = Fri 15 May"),
    # the one-stop centre's own hand-offs: no statute sets them, each basis says so (plugins/centre)
    "centre.route_matter": (1, "working", None,
        "地方实践（无法定期限）：综治中心“当日受理、一个工作日内分流交办”的通行做法，按本县规则调整",
        "", "2026-09-30", "2026-10-08", "the next working day after 30 Sep is 8 Oct"),
    "centre.part_reply": (15, "working", 15,
        "地方实践（无法定期限）：交办、协办单位十五个工作日内反馈办理结果，可延长一次；按本县交办督办办法调整",
        "", "2026-09-25", "2026-10-22", "15 working days from 中秋 25 Sep: 28 Sep … 22 Oct, Sat 10 Oct counted"),
    "centre.feedback": (3, "working", None,
        "地方实践（无法定期限）：办理结果“统一反馈”，全部答复后三个工作日内告知当事人",
        "", "2026-09-29", "2026-10-09", "30 Sep, 8 Oct, 9 Oct"),
    "centre.follow_up": (10, "working", None,
        "地方实践（无法定期限）：反馈后十个工作日内回访评价（与调解销号后回访的常见做法一致）",
        "", "2026-04-28", "2026-05-14", "劳动节 1–5 May skipped, Sat 9 May counted"),
    "centre.supervision_answer": (5, "working", None,
        "地方实践（无法定期限）：督办单五个工作日内书面回复督办事项",
        "", "2026-02-12", "2026-02-26", "13 Feb, Sat 14 Feb (调休), 春节 skipped, 24, 25, 26 Feb"),
    "centre.meeting_task": (10, "working", None,
        "地方实践（无法定期限）：联席会议议定事项十个工作日内落实并反馈",
        "", "2026-06-10", "2026-06-25", "端午 19 Jun skipped"),
}

def test_every_declared_rule_is_checked_here(app):
    from core.calendar.services import rules
    declared = set(rules())
    missing = sorted(declared - set(RULES) - _other_helpers_rules(declared))
    assert not missing, f"rules without an article check in tests/test_rules_law.py: {missing}"


def _other_helpers_rules(declared):
    # court-linked mediation rules are checked with that feature (contract §10), not here
    return {c for c in declared if c.startswith(("mediation.court_", "mediation.pre_suit"))}


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_length_unit_and_article(app, code):
    length, unit, extension, basis, words, start, due, why = RULES[code]
    rule = get_rule(code)
    assert (rule.length, rule.unit, rule.extension) == (length, unit, extension), code
    assert rule.basis == basis
    # the basis names an article (第…条) or says plainly that the length is local practice
    assert "第" in basis and "条" in basis or basis.startswith("地方实践"), basis
    # the words quoted above carry the length and unit the rule uses
    if words and unit == "working":
        assert "工作日" in words
    if words and unit == "calendar" and not basis.startswith(("宁波", "地方")):
        assert "工作日" not in words


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_worked_example(app, code):
    *_, start, due, why = RULES[code]
    out = compute_rule(code, date.fromisoformat(start))
    assert out["due"] == due, f"{code}: {why}"
    assert out["calendar_incomplete"] is False
    assert is_working_day(date.fromisoformat(due))


def test_legal_aid_counts_calendar_days_not_working_days(app):
    """法律援助法 Art 43 "七日内": 7 calendar days. Received Mon 2 Mar 2026 → decide by Mon 9 Mar,
    not Wed 11 Mar (what 7 working days gave)."""
    assert compute_rule("legal_aid.decide", date(2026, 3, 2))["due"] == "2026-03-09"
    # a last day on a rest day rolls forward: received Mon 2 Feb + 7 = Mon 9 Feb (a working day);
    # received Thu 5 Feb + 7 = 12 Feb; received Tue 10 Feb + 7 = 17 Feb (春节) → 24 Feb
    assert compute_rule("legal_aid.decide", date(2026, 2, 10))["due"] == "2026-02-24"


def test_working_days_remain_a_province_override(make_app):
    """A province still counting 7 working days (the old 2012 rule) overrides the unit with its source."""
    app = make_app({"PROVINCE_OVERRIDES": {"deadlines": {"legal_aid.decide": {
        "unit": "working", "source": "某省法律援助条例 第二十条"}}}})
    with app.app_context():
        rule = get_rule("legal_aid.decide")
        assert (rule.length, rule.unit) == (7, "working")
        assert rule.override_source == "某省法律援助条例 第二十条"
        assert compute_rule("legal_aid.decide", date(2026, 3, 2))["due"] == "2026-03-11"
