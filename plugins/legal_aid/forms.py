"""WTForms for the legal-channels and legal-aid pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.toolkit import ORG_KINDS
from .models import (CHANNELS, DOCUMENTS, EXEMPT_GROUPS, HARDSHIP_EVIDENCE, MATTERS, PROVIDER_KINDS, SERVICE_METHODS,
                     TERMINATION_GROUNDS)


def _choices(d, blank=False):
    return ([("", "—")] if blank else []) + [(k, v) for k, v in d.items()]


class ReferralNewForm(FlaskForm):
    petition_id = SelectField(_l("Petition"), validators=[DataRequired()])
    channel = SelectField(_l("Legal channel"), choices=_choices(CHANNELS, blank=True), validators=[Optional()])
    knew_at = DateField(_l("Date the person knew of the act"), validators=[Optional()])


class ReferralEditForm(FlaskForm):
    channel = SelectField(_l("Legal channel"), choices=_choices(CHANNELS, blank=True), validators=[Optional()])
    body_id = SelectField(_l("Receiving body"), validators=[Optional()])
    knew_at = DateField(_l("Date the person knew of the act"), validators=[Optional()])
    request = TextAreaField(_l("Request"), validators=[DataRequired(), Length(max=4000)])
    what_to_bring = TextAreaField(_l("What to bring (separate items with ；)"), validators=[Optional(), Length(max=4000)])


class NotifyForm(FlaskForm):
    service_method = SelectField(_l("How the notice was served"), choices=_choices(SERVICE_METHODS))


class ReceiptForm(FlaskForm):
    receipt_number = StringField(_l("Receipt number (回执)"), validators=[DataRequired(), Length(max=60)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class OutcomeForm(FlaskForm):
    outcome_reference = StringField(_l("Body's reference number"), validators=[DataRequired(), Length(max=60)])
    outcome_text = TextAreaField(_l("Outcome"), validators=[DataRequired(), Length(max=4000)])


class FeedbackForm(FlaskForm):
    feedback_note = TextAreaField(_l("Feedback to the person"), validators=[DataRequired(), Length(max=4000)])


class ChannelLineForm(FlaskForm):
    department_id = SelectField(_l("Department (empty: the district's default list)"), validators=[Optional()])
    request_type = StringField(_l("Request type"), validators=[DataRequired(), Length(max=200)])
    keywords = StringField(_l("Keywords (comma-separated)"), validators=[Optional(), Length(max=300)])
    channel = SelectField(_l("Legal channel"), choices=_choices(CHANNELS))
    basis = StringField(_l("Legal basis"), validators=[DataRequired(), Length(max=300)])
    body_kind = SelectField(_l("Kind of receiving body"), choices=_choices(ORG_KINDS))
    body_id = SelectField(_l("Receiving body"), validators=[Optional()])
    rule_code = SelectField(_l("Filing-limit rule"))
    what_to_bring = TextAreaField(_l("What to bring (separate items with ；)"), validators=[Optional(), Length(max=4000)])
    sort = IntegerField(_l("Order"), default=100, validators=[Optional(), NumberRange(0, 10000)])
    active = BooleanField(_l("Active"), default=True)


class AidNewForm(FlaskForm):
    name = StringField(_l("Applicant's name"), validators=[DataRequired(), Length(max=100)])
    id_number = StringField(_l("ID number"), validators=[Optional(), Length(max=18)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    region_id = SelectField(_l("Region"), validators=[DataRequired()])
    matter_type = SelectField(_l("Matter (法律援助法 Arts 31–32)"), choices=_choices(MATTERS))
    summary = TextAreaField(_l("Summary of the matter"), validators=[DataRequired(), Length(max=4000)])
    opposing_party = StringField(_l("Opposing party"), validators=[Optional(), Length(max=200)])
    exempt_group = SelectField(_l("Exempt from the hardship check (Art 42)"), choices=_choices(EXEMPT_GROUPS, True),
                               validators=[Optional()])
    hardship_evidence = SelectField(_l("Economic hardship checked by"), choices=_choices(HARDSHIP_EVIDENCE, True),
                                    validators=[Optional()])
    documents_missing = SelectMultipleField(_l("Missing materials"), choices=_choices(DOCUMENTS),
                                            validators=[Optional()])
    detainee = BooleanField(_l("The applicant is detained (forward within 24 hours)"))
    limitation_due = DateField(_l("A limitation period expires on"), validators=[Optional()])
    referral_id = StringField(_l("Referral"), validators=[Optional(), Length(max=10)])


class SupplementForm(FlaskForm):
    documents_missing = SelectMultipleField(_l("Missing materials (all in one notice)"), choices=_choices(DOCUMENTS))
    supplement_by = DateField(_l("Supply by"), validators=[DataRequired()])


class ProviderChoiceForm(FlaskForm):
    provider_id = SelectField(_l("Lawyer or legal worker"), validators=[DataRequired()])


class EarlyAidForm(ProviderChoiceForm):
    limitation_due = DateField(_l("The limitation period expires on"), validators=[Optional()])


class TextForm(FlaskForm):
    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=4000)])


class ObjectionDecisionForm(FlaskForm):
    upheld = SelectField(_l("Decision"), choices=[("no", _l("Reject: the decision stands")),
                                                  ("yes", _l("Uphold: the decision is corrected"))])
    text = TextAreaField(_l("Reasons"), validators=[DataRequired(), Length(max=4000)])


class TerminateForm(FlaskForm):
    ground = SelectField(_l("Ground (Art 48)"), choices=_choices(TERMINATION_GROUNDS))
    text = TextAreaField(_l("Facts"), validators=[DataRequired(), Length(max=4000)])


class ReportForm(FlaskForm):
    report = TextAreaField(_l("Case report"), validators=[DataRequired(), Length(max=8000)])


class ProviderForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=_choices(PROVIDER_KINDS))
    organisation_id = SelectField(_l("Organisation"), validators=[Optional()])
    licence = StringField(_l("Licence number"), validators=[Optional(), Length(max=40)])
    relations = TextAreaField(_l("Declared relations (one name per line)"), validators=[Optional(), Length(max=500)])
