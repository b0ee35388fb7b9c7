"""Tables of the legal-channels plugin: the channel list (依法分类处理清单), referrals to a legal channel,
legal-aid providers and legal-aid applications, with the code lists their columns take."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.toolkit import VersionedMixin, db
from core.toolkit import Organisation, Person
from core.toolkit import Region

# -- the lists of 法律援助法 (2021) as codes: matters (Arts 31–32), exempt groups (Art 42), termination grounds
# (Art 48) and the standard application documents (the legal-aid application's code lists, kept with the
# other code lists of this plugin's records) -------------------------------------------------------------
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

# contract §5 channel codes
CHANNELS = {
    "admin_reconsideration": _l("Administrative reconsideration"),
    "admin_litigation": _l("Administrative litigation"),
    "labour_arbitration": _l("Labour arbitration"),
    "commercial_arbitration": _l("Commercial arbitration"),
    "land_contract_arbitration": _l("Rural land-contract arbitration"),
    "civil_litigation": _l("Civil litigation"),
    "appeal_retrial": _l("Appeal or retrial"),
    "procuratorate_supervision": _l("Procuratorate supervision"),
}
REFERRAL_STATES = {
    "draft": _l("Draft"), "notified": _l("Notice served"), "sent": _l("Sent to the body"),
    "received": _l("Receipt returned"), "accepted": _l("Accepted by the body"), "refused": _l("Refused by the body"),
    "answered": _l("Outcome recorded"), "feedback": _l("Feedback given"), "closed": _l("Closed"),
}
REFERRAL_OPEN = ("draft", "notified", "sent", "received", "accepted", "answered", "feedback", "refused")
SERVICE_METHODS = {"in_person": _l("In person"), "post": _l("By post"), "electronic": _l("Electronically"),
                   "proxy": _l("To an agent")}


class ChannelRule(VersionedMixin, db.Model):
    """One line of a 依法分类处理清单: request type → channel → legal basis → receiving body → filing limit.
    ``department`` None is the district's default list; a department may keep its own lines."""
    __tablename__ = "legal_aid_channel_rule"
    __record_label__ = _l("Channel list line")
    __value_labels__ = {"channel": CHANNELS}
    __tracked_labels__ = {"request_type": _l("Request type"), "channel": _l("Legal channel"), "basis": _l("Legal basis"),
                          "body_kind": _l("Receiving body"), "rule_code": _l("Time limit"), "active": _l("Active")}
    __tracked__ = ("request_type", "channel", "basis", "body_kind", "rule_code", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    request_type: Mapped[str] = mapped_column(String(200), nullable=False)
    keywords: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    channel: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    basis: Mapped[str] = mapped_column(String(300), nullable=False)
    body_kind: Mapped[str] = mapped_column(String(30), nullable=False)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"))
    rule_code: Mapped[str] = mapped_column(String(80), nullable=False)
    what_to_bring: Mapped[str] = mapped_column(Text, nullable=False, default="")
    sort: Mapped[int] = mapped_column(Integer, nullable=False, default=100)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    department: Mapped[Organisation | None] = relationship(foreign_keys=[department_id], lazy="joined")
    body: Mapped[Organisation | None] = relationship(foreign_keys=[body_id], lazy="joined")

    @property
    def channel_label(self) -> str:
        return str(CHANNELS.get(self.channel, self.channel))


class Referral(VersionedMixin, db.Model):
    """A matter led out of the petition system to a legal channel, tracked until the body answers."""
    __tablename__ = "legal_aid_referral"
    __record_label__ = _l("Referral to a legal channel")
    __value_labels__ = {"state": REFERRAL_STATES, "channel": CHANNELS}
    __tracked__ = ("state", "channel", "body", "knew_at", "outcome_reference")
    __tracked_labels__ = {"state": _l("Stage"), "channel": _l("Legal channel"), "body": _l("Receiving body"),
                          "knew_at": _l("Date the person knew of the act"),
                          "outcome_reference": _l("Body's reference number")}

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    source_type: Mapped[str] = mapped_column(String(10), nullable=False)          # petition | dispute | direct
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition_case.id"), index=True)
    dispute_id: Mapped[int | None] = mapped_column(Integer, index=True)           # mediation is optional: no FK
    source_reference: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("core_person.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    request: Mapped[str] = mapped_column(Text, nullable=False, default="")
    channel_rule_id: Mapped[int | None] = mapped_column(ForeignKey("legal_aid_channel_rule.id"))
    channel: Mapped[str | None] = mapped_column(String(40), index=True)
    basis: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    rule_code: Mapped[str | None] = mapped_column(String(80))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    knew_at: Mapped[date | None] = mapped_column(Date)
    what_to_bring: Mapped[str] = mapped_column(Text, nullable=False, default="")
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="draft", index=True)
    served_at: Mapped[datetime | None] = mapped_column(DateTime)
    service_method: Mapped[str | None] = mapped_column(String(20))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    receipt_at: Mapped[datetime | None] = mapped_column(DateTime)
    receipt_number: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome_reference: Mapped[str | None] = mapped_column(String(60))
    outcome_text: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime)
    feedback_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    alerted_days: Mapped[int | None] = mapped_column(Integer)   # the last "days left" an alert was sent for
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    person: Mapped[Person | None] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")
    body: Mapped[Organisation | None] = relationship(lazy="joined")
    channel_rule: Mapped[ChannelRule | None] = relationship(lazy="joined")

    @property
    def state_label(self) -> str:
        return str(REFERRAL_STATES.get(self.state, self.state))

    @property
    def channel_label(self) -> str:
        return str(CHANNELS.get(self.channel, self.channel or ""))

    def __str__(self) -> str:
        return self.reference


PROVIDER_KINDS = {"lawyer": _l("Lawyer"), "legal_worker": _l("Grassroots legal worker"),
                  "aid_staff": _l("Legal-aid centre staff")}


class Provider(VersionedMixin, db.Model):
    """A lawyer or legal worker who takes legal-aid cases (法律援助法 Art 12–13)."""
    __tablename__ = "legal_aid_provider"
    __record_label__ = _l("Legal-aid provider")
    __value_labels__ = {"kind": PROVIDER_KINDS}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("core_person.id"))
    licence: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    relations: Mapped[str] = mapped_column(String(500), nullable=False, default="")  # declared, one name per line
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return str(PROVIDER_KINDS.get(self.kind, self.kind))


AID_STATES = {
    "received": _l("Application received"), "supplementing": _l("Supplementing materials"), "granted": _l("Aid granted"),
    "refused": _l("Aid refused"), "objection": _l("Objection pending"), "assigned": _l("Assigned"),
    "terminated": _l("Terminated"), "closed": _l("Closed"), "archived": _l("Archived"),
    "withdrawn": _l("Treated as withdrawn"),
}
AID_OPEN = ("received", "supplementing", "granted", "objection", "assigned")


class AidApplication(VersionedMixin, db.Model):
    """An application for legal aid (法律援助法 Arts 38–50)."""
    __tablename__ = "legal_aid_application"
    __record_label__ = _l("Legal-aid application")
    __value_labels__ = {"state": AID_STATES, "matter_type": MATTERS, "eligibility": ELIGIBILITY}
    __tracked__ = ("state", "provider", "matter_type", "eligibility")
    __tracked_labels__ = {"state": _l("Stage"), "provider": _l("Assigned to"), "matter_type": _l("Matter"),
                          "eligibility": _l("Eligibility")}

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("core_person.id"), nullable=False, index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("core_region.id"), nullable=False, index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("legal_aid_referral.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    matter_type: Mapped[str] = mapped_column(String(40), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    opposing_party: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    opposing_org_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"))
    eligibility: Mapped[str] = mapped_column(String(20), nullable=False)      # means_test | no_means_test | exempt
    exempt_group: Mapped[str | None] = mapped_column(String(30))
    hardship_evidence: Mapped[str | None] = mapped_column(String(20))        # data_sharing | pledge
    documents_required: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    documents_missing: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    supplement_by: Mapped[date | None] = mapped_column(Date)
    detainee: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    forward_by: Mapped[datetime | None] = mapped_column(DateTime)
    forwarded_at: Mapped[datetime | None] = mapped_column(DateTime)
    limitation_due: Mapped[date | None] = mapped_column(Date)
    early_aid: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    state: Mapped[str] = mapped_column(String(15), nullable=False, default="received", index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("legal_aid_provider.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime)
    objection_at: Mapped[datetime | None] = mapped_column(DateTime)
    objection_text: Mapped[str | None] = mapped_column(Text)
    objection_result: Mapped[str | None] = mapped_column(Text)
    objection_against: Mapped[str | None] = mapped_column(String(12))       # refused | terminated
    termination_ground: Mapped[str | None] = mapped_column(String(30))
    termination_text: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    case_report: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    centre_code: Mapped[str | None] = mapped_column(String(30), index=True)   # one-stop centre's case code (一案一码)

    applicant: Mapped[Person] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")
    provider: Mapped[Provider | None] = relationship(lazy="joined")
    opposing_org: Mapped[Organisation | None] = relationship(lazy="joined")
    referral: Mapped[Referral | None] = relationship(lazy="joined")

    @property
    def state_label(self) -> str:
        return str(AID_STATES.get(self.state, self.state))

    def __str__(self) -> str:
        return self.reference
