"""The centre's clocks. No statute sets the centre's own hand-off limits: each such rule says so and names
the local practice it encodes (a county changes the length in instance/concord.toml). A routed part runs on
the receiving route's statutory rule where one exists (信访工作条例, 法律援助法, the mediation rule)."""
from flask_babel import lazy_gettext as _l

from core.toolkit import DeadlineRule

LOCAL = "地方实践（无法定期限）"

RULES = [
    DeadlineRule("centre.route_matter", 1, "working", "registered", None,
                 f"{LOCAL}：综治中心“当日受理、一个工作日内分流交办”的通行做法，按本县规则调整",
                 _l("Route a registered matter to its units")),
    DeadlineRule("centre.part_reply", 15, "working", "routed", 15,
                 f"{LOCAL}：交办、协办单位十五个工作日内反馈办理结果，可延长一次；按本县交办督办办法调整",
                 _l("The unit replies on its part of the matter")),
    DeadlineRule("centre.feedback", 3, "working", "all_answered", None,
                 f"{LOCAL}：办理结果“统一反馈”，全部答复后三个工作日内告知当事人",
                 _l("Tell the person the result")),
    DeadlineRule("centre.follow_up", 10, "working", "person_told", None,
                 f"{LOCAL}：反馈后十个工作日内回访评价（与调解销号后回访的常见做法一致）",
                 _l("Follow-up visit (回访) and rating")),
    DeadlineRule("centre.supervision_answer", 5, "working", "supervision_issued", None,
                 f"{LOCAL}：督办单五个工作日内书面回复督办事项",
                 _l("Answer the supervision order (督办单)")),
    DeadlineRule("centre.meeting_task", 10, "working", "meeting_held", None,
                 f"{LOCAL}：联席会议议定事项十个工作日内落实并反馈",
                 _l("Carry out a joint-meeting decision")),
]

# the clock a unit's part runs on, by route: the route's statutory rule where one exists
PART_RULE = {
    "petition": "petition.handle",          # 信访工作条例 第三十四条 (60 days)
    "mediation": "mediation.period",        # the mediation plugin's rule (local regulations)
    "legal_aid": "legal_aid.decide",        # 法律援助法 第四十三条
}
DEFAULT_PART_RULE = "centre.part_reply"
