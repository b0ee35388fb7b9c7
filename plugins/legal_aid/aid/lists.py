"""The lists of 法律援助法 (2021) as codes: matters (Arts 31–32), exempt groups (Art 42), termination
grounds (Art 48) and the standard application documents."""
from flask_babel import lazy_gettext as _l

LAW = "法律援助法"

# Art 31: economic hardship plus one of these matters
MEANS_TESTED = {
    "state_compensation": _l("State compensation (Art 31(1))"),
    "social_insurance": _l("Social insurance or social assistance (Art 31(2))"),
    "pension": _l("Survivors' pension (抚恤金) (Art 31(3))"),
    "maintenance": _l("Maintenance for parents, children or spouse (Art 31(4))"),
    "labour": _l("Labour relationship or wages (Art 31(5))"),
    "legal_capacity": _l("Legal capacity (Art 31(6))"),
    "injury": _l("Work, traffic, food/drug or medical injury (Art 31(7))"),
    "environment": _l("Environmental or ecological damage (Art 31(8))"),
    "other_31": _l("Other matter set by law or regulation (Art 31(9))"),
}
# Art 32: no means test
NO_MEANS_TEST = {
    "hero_honour": _l("Relative defending a hero's or martyr's honour (Art 32(1))"),
    "good_samaritan": _l("Rights arising from a good-samaritan act (Art 32(2))"),
    "acquittal_compensation": _l("State compensation after acquittal on retrial (Art 32(3))"),
    "abuse_victim": _l("Victim of abuse, abandonment or domestic violence (Art 32(4))"),
    "other_32": _l("Other matter set by law or regulation (Art 32(5))"),
}
MATTERS = {**MEANS_TESTED, **NO_MEANS_TEST}

# Art 42: exempt from the economic-hardship check
EXEMPT_GROUPS = {
    "no_income_vulnerable": _l("Minor, elderly or disabled person without fixed income (Art 42(1))"),
    "welfare_recipient": _l("Recipient of social or judicial assistance or special care (Art 42(2))"),
    "migrant_worker": _l("Migrant worker claiming wages or work-injury damages (Art 42(3))"),
    "other_42": _l("Other person set by law or regulation (Art 42(4))"),
}
ELIGIBILITY = {"means_test": _l("Economic hardship checked (Arts 34, 41)"),
               "no_means_test": _l("No means test (Art 32)"), "exempt": _l("Exempt from the check (Art 42)")}
HARDSHIP_EVIDENCE = {"data_sharing": _l("Checked through data sharing (Art 41)"),
                     "pledge": _l("Signed personal pledge (Art 41)")}

# Art 48
TERMINATION_GROUNDS = {
    "fraud": _l("Aid obtained by deception (Art 48(1))"),
    "false_evidence": _l("Important facts hidden or false evidence (Art 48(2))"),
    "unlawful_use": _l("Aid used for unlawful activity (Art 48(3))"),
    "no_longer_eligible": _l("Economic situation changed, no longer eligible (Art 48(4))"),
    "case_ended": _l("The case ended or was withdrawn (Art 48(5))"),
    "own_lawyer": _l("The person hired their own lawyer or agent (Art 48(6))"),
    "request_stop": _l("The person asks to stop with good reason (Art 48(7))"),
    "other_48": _l("Other ground set by law or regulation (Art 48(8))"),
}

DOCUMENTS = {
    "id": _l("Identity document"),
    "application_form": _l("Signed application form"),
    "hardship": _l("Proof or pledge of economic hardship"),
    "case_materials": _l("Materials of the matter (contracts, decisions, evidence)"),
    "agent_authority": _l("Proof of authority of an agent"),
}
DEFAULT_DOCUMENTS = ["id", "application_form", "hardship", "case_materials"]
