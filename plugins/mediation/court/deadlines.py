"""Court-linked mediation (诉调对接) clocks, as data for the deadline engine, each with its source.

Checked against the texts (see README, "Court-linked mediation"):
- 最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》(in force 2025-01-01) 第三条: mediation after
  the case is filed runs from the day the mediator or mediation organisation signs for the materials the
  court hands over; 15 days under ordinary procedure, 7 under summary procedure; "双方当事人同意延长的，
  可以将调解期限延长30日" (the extension is not counted in the trial period).
- Pre-suit (委派) mediation: 30 days (最高人民法院关于人民法院特邀调解的规定, 法释〔2016〕14号, as courts
  publish it: "诉前调解期限为30日"); that text lets both parties agree to go on; the 30 days of extension
  here are a setting a province can change in instance/concord.toml.
- 司法确认: 人民调解法 第三十三条 and 民事诉讼法 第二百零五条: both parties apply jointly within 30 days of
  the agreement taking effect (``mediation.judicial_confirmation_apply`` in the plugin's own deadlines.py).
"""
from flask_babel import lazy_gettext as _l

from core.toolkit import DeadlineRule

SPC_2025 = "最高人民法院关于严格依法规范民事案件立案与调解工作的意见 第三条"
ORDINARY = "mediation.court_commissioned_ordinary"
SUMMARY = "mediation.court_commissioned_summary"
PRE_SUIT = "mediation.pre_suit"
CONFIRMATION = "mediation.judicial_confirmation_apply"
CLOCKS = (ORDINARY, SUMMARY, PRE_SUIT, CONFIRMATION)   # the clocks a court case's mediator is reminded of

RULES = [
    DeadlineRule(ORDINARY, 15, "calendar", "mediator_signed_receipt", 30, SPC_2025 + "（普通程序十五日，双方同意可延长三十日）",
                 _l("Commissioned mediation after filing, ordinary procedure")),
    DeadlineRule(SUMMARY, 7, "calendar", "mediator_signed_receipt", 30, SPC_2025 + "（简易程序七日，双方同意可延长三十日）",
                 _l("Commissioned mediation after filing, summary procedure")),
    DeadlineRule(PRE_SUIT, 30, "calendar", "mediator_signed_receipt", 30,
                 "最高人民法院关于人民法院特邀调解的规定（法释〔2016〕14号）：委派调解三十日，双方同意可延长",
                 _l("Pre-suit mediation commissioned by a court")),
]


def rule_for(kind: str, procedure: str) -> str:
    """The clock a court case runs on: pre-suit (委派) 30 days; after filing (委托) 15 or 7 by procedure."""
    if kind == "pre_suit":
        return PRE_SUIT
    return SUMMARY if procedure == "summary" else ORDINARY
