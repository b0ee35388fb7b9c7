"""WTForms for the petition pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (BooleanField, DateField, DateTimeLocalField, HiddenField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .models import CATEGORIES, CHANNELS, DECISIONS, ROUTES, SATISFACTION


def _choices(d):
    return [(k, v) for k, v in d.items()]


class IntakeForm(FlaskForm):
    channel = SelectField(_l("Channel"), choices=_choices(CHANNELS), validators=[DataRequired()])
    received_at = DateTimeLocalField(_l("Received at"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    name = StringField(_l("Petitioner's name"), validators=[DataRequired(), Length(max=100)])
    id_number = StringField(_l("ID number"), validators=[Optional(), Length(max=18)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    region_id = SelectField(_l("Region"), validators=[DataRequired()],
                            render_kw={"data-searchable": _l("Type part of the name to narrow the list")})
    group_size = IntegerField(_l("Number of people"), default=1, validators=[NumberRange(1, 10000)])
    representatives = TextAreaField(_l("Representatives (one per line: name, ID number, phone; at most 5)"),
                                    validators=[Optional(), Length(max=1000)])
    request = TextAreaField(_l("Request"), validators=[DataRequired(), Length(max=4000)])
    facts = TextAreaField(_l("Facts and reasons"), validators=[Optional(), Length(max=8000)])
    skip_level_reason = StringField(_l("Level-skipping (reason, if any)"), validators=[Optional(), Length(max=200)])
    urgent_reason = StringField(_l("Urgent (reason, if any)"), validators=[Optional(), Length(max=200)])
    files = MultipleFileField(_l("Attachments (letter scan, photos, documents)"))
    repeat_of = HiddenField()
    confirmed = HiddenField()


class ClassifyForm(FlaskForm):
    category = SelectField(_l("Category"), choices=[("", "—")] + _choices(CATEGORIES), validators=[DataRequired()])
    route = SelectField(_l("Statutory route"), choices=[("", "—")] + _choices(ROUTES), validators=[Optional()])


class UnitForm(FlaskForm):
    handling_unit = SelectField(_l("Handling unit"), coerce=int)


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class MergeForm(FlaskForm):
    target = StringField(_l("Reference of the item that carries the matter"),
                         validators=[DataRequired(), Length(max=30)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class ReplyForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=_choices(DECISIONS))
    text = TextAreaField(_l("Opinion (request, facts and reasons, legal basis, how to challenge)"),
                         validators=[DataRequired(), Length(max=8000)])


class OpinionForm(FlaskForm):
    text = TextAreaField(_l("Opinion"), validators=[DataRequired(), Length(max=8000)])


class RatingForm(FlaskForm):
    code = HiddenField()
    satisfaction = SelectField(_l("Your rating"), choices=[("", "—")] + _choices(SATISFACTION), validators=[DataRequired()])


__all__ = ["IntakeForm", "ClassifyForm", "UnitForm", "ReasonForm", "ReplyForm", "OpinionForm", "RatingForm",
           "BooleanField"]


# -- backlog cases (积案) and 包案 ------------------------------------------------------------------
class BacklogAssignForm(FlaskForm):
    leader_id = SelectField(_l("Responsible leader"), coerce=int)
    team = SelectMultipleField(_l("Team"), coerce=int, validators=[Optional()])
    plan = TextAreaField(_l("Resolution plan"), validators=[DataRequired(), Length(max=8000)])
    target_date = DateField(_l("Target date"), validators=[Optional()])


class BacklogStepForm(FlaskForm):
    description = StringField(_l("Step"), validators=[DataRequired(), Length(max=500)])
    owner_id = SelectField(_l("Owner"), coerce=int)
    due_on = DateField(_l("Due on"), validators=[DataRequired()])


class BacklogStepDoneForm(FlaskForm):
    step_id = HiddenField(validators=[DataRequired()])
    note = StringField(_l("Result"), validators=[Optional(), Length(max=500)])


class BacklogReviewForm(FlaskForm):
    note = TextAreaField(_l("Progress found"), validators=[DataRequired(), Length(max=4000)])


class BacklogCloseOutForm(FlaskForm):
    evidence = TextAreaField(_l("How it was resolved (evidence attached to this case)"),
                             validators=[DataRequired(), Length(max=4000)])
    visit_on = DateField(_l("Follow-up visit on"), validators=[DataRequired()])
    visit_by = StringField(_l("Visited by"), validators=[DataRequired(), Length(max=100)])
    visit_result = TextAreaField(_l("What the petitioner said at the follow-up visit"),
                                 validators=[DataRequired(), Length(max=4000)])


# -- leader reception (领导接访) ---------------------------------------------------------------------
class ReceptionForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    leader_id = SelectField(_l("Receiving leader (A)"), coerce=int)
    deputy_id = SelectField(_l("Stand-in leader (B)"), coerce=int, validators=[Optional()])
    region_id = SelectField(_l("Region"), coerce=int)
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    capacity = IntegerField(_l("Visitors at most"), default=10, validators=[NumberRange(1, 200)])


class RotaForm(FlaskForm):
    start = DateField(_l("From"), validators=[DataRequired()])
    weeks = IntegerField(_l("Weeks"), default=8, validators=[NumberRange(1, 26)])
    weekday = SelectField(_l("Weekday"), coerce=int, choices=[(0, _l("Monday")), (1, _l("Tuesday")),
                                                               (2, _l("Wednesday")), (3, _l("Thursday")),
                                                               (4, _l("Friday"))])
    leaders = SelectMultipleField(_l("Leaders, in turn"), coerce=int)
    region_id = SelectField(_l("Region"), coerce=int)
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])


class BookingForm(FlaskForm):
    slot = StringField(_l("Time (HH:MM)"), validators=[DataRequired(), Length(max=5)])
    visitor_name = StringField(_l("Visitor's name"), validators=[DataRequired(), Length(max=100)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    topic = TextAreaField(_l("Matter"), validators=[DataRequired(), Length(max=500)])
