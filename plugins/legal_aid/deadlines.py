"""Legal-aid time limits (法律援助法 2021) and the filing limits of the legal channels a petition
is referred to (诉访分离: the "referral" namespace this plugin owns)."""
from flask_babel import lazy_gettext as _l

from core.toolkit import DeadlineRule

AID = "法律援助法"

# 法律援助法 Arts 43 and 49 say 七日 / 三日 / 五日 and, unlike 行政复议法 Art 88 or 行政处罚法 Art 85,
# have no working-day clause: calendar days, rolled forward to the next working day when the last day
# is a rest day or holiday (民法典 Art 203). The "7 个工作日" reading came from the repealed 2012
# 办理法律援助案件程序规定; a province that still counts working days overrides the unit in
# instance/concord.toml ([deadlines."legal_aid.decide"] unit = "working", source = "...").
RULES = [
    DeadlineRule("legal_aid.decide", 7, "calendar", "application_received", None, f"{AID} 第四十三条",
                 _l("Decide on the legal-aid application")),
    DeadlineRule("legal_aid.assign", 3, "calendar", "aid_granted", None, f"{AID} 第四十三条",
                 _l("Assign a lawyer after granting legal aid")),
    DeadlineRule("legal_aid.objection_decide", 5, "calendar", "objection_received", None, f"{AID} 第四十九条",
                 _l("Decide on an objection to a refusal or termination")),
    DeadlineRule("referral.admin_reconsideration_file", 60, "calendar", "knew_of_act", None,
                 "行政复议法 第二十条", _l("Apply for administrative reconsideration")),
    DeadlineRule("referral.admin_litigation_file", 6, "months", "knew_of_act", None,
                 "行政诉讼法 第四十六条", _l("File an administrative lawsuit")),
    DeadlineRule("referral.labour_arbitration_file", 12, "months", "knew_of_infringement", None,
                 "劳动争议调解仲裁法 第二十七条", _l("Apply for labour arbitration")),
    DeadlineRule("referral.civil_litigation_limitation", 36, "months", "knew_of_harm", None,
                 "民法典 第一百八十八条", _l("Civil limitation period")),
    # channels the contract does not name: each limit from the law that governs the channel
    DeadlineRule("referral.commercial_arbitration_file", 36, "months", "knew_of_harm", None,
                 "民法典 第一百八十八条（仲裁法：法律对仲裁时效没有规定的，适用诉讼时效的规定）", _l("Apply for arbitration (general limitation period)")),
    DeadlineRule("referral.land_contract_arbitration_file", 24, "months", "knew_of_infringement", None,
                 "农村土地承包经营纠纷调解仲裁法 第十八条", _l("Apply for land-contract arbitration")),
    DeadlineRule("referral.appeal_retrial_file", 6, "months", "judgment_effective", None,
                 "民事诉讼法 第二百一十六条", _l("Apply for a retrial")),
    # 2021 rules, in force 2021-08-01: 六个月, from service of the ruling refusing a retrial or the
    # retrial judgment taking effect (the 24 months came from nowhere in that text)
    DeadlineRule("referral.procuratorate_supervision_file", 6, "months", "retrial_refused", None,
                 "人民检察院民事诉讼监督规则 第二十条", _l("Apply to the procuratorate for supervision")),
]
