from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (DateField, HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from . import risks
from .models import CATEGORIES, SOURCES


class CaptureForm(FlaskForm):
    grid_id = SelectField(_l("Grid"), validators=[DataRequired()])
    category = SelectField(_l("Dispute category"), choices=[], validators=[DataRequired()])
    risk_level = RadioField(_l("Risk"), choices=[], default="yellow", validators=[DataRequired()])
    summary = StringField(_l("What happened"), validators=[DataRequired(), Length(max=200)])
    party_name = StringField(_l("Party name"), validators=[Optional(), Length(max=100)])
    party_phone = StringField(_l("Party phone"), validators=[Optional(), Length(max=30)])
    # the other side: an agreement needs two parties (人民调解法 第二十九条), and a dispute has them from the start
    other_party_name = StringField(_l("Other party's name"), validators=[Optional(), Length(max=100)])
    other_party_phone = StringField(_l("Other party's phone"), validators=[Optional(), Length(max=30)])
    source = SelectField(_l("Source"), choices=[], default="patrol")
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    photo = FileField(_l("Photo"), description=_l("Optional; without a connection it waits on the phone and is sent "
                                                  "with the record"),
                      render_kw={"accept": "image/jpeg,image/png"})
    client_uuid = HiddenField()

    def fill_choices(self, grids):
        self.grid_id.choices = [(str(g.id), g.name) for g in grids]
        self.category.choices = [("", "—")] + [(k, str(v)) for k, v in CATEGORIES.items()]
        self.risk_level.choices = risks.choices()
        self.source.choices = [(k, str(v)) for k, v in SOURCES.items()]


class ActionForm(FlaskForm):
    text = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    legal_channel = SelectField(_l("Legal channel"), choices=[], validate_choice=False)
    mediator_id = StringField(_l("Mediator"), validators=[Optional(), Length(max=10)])
    party_id = StringField(_l("Party"), validators=[Optional(), Length(max=10)])
    photo = FileField(_l("Photo"))
    version = HiddenField()


class GridForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=30)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    region_id = SelectField(_l("Village or community"), validators=[DataRequired()])
    boundary = TextAreaField(_l("Boundary"), validators=[Optional(), Length(max=500)])
    households = IntegerField(_l("Households"), default=0, validators=[Optional(), NumberRange(0, 1_000_000)])
    workers = SelectMultipleField(_l("Grid workers"), choices=[], validate_choice=False)


class GridImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()],
                     description=_l("Columns: code, name, region_code, boundary, households, workers (user names)"))


class AgreementForm(FlaskForm):
    facts = TextAreaField(_l("Facts of the dispute"), validators=[DataRequired(), Length(max=10_000)])
    issues = TextAreaField(_l("Issues in dispute"), validators=[DataRequired(), Length(max=10_000)])
    responsibilities = TextAreaField(_l("Each party's responsibility"), validators=[Optional(), Length(max=10_000)])
    terms = TextAreaField(_l("Terms agreed"), validators=[DataRequired(), Length(max=10_000)])
    performance = TextAreaField(_l("Manner of performance"), validators=[Optional(), Length(max=10_000)])
    perform_by = DateField(_l("Perform by"), validators=[Optional()])


class SignForm(FlaskForm):
    signed_on = DateField(_l("Signed on"), validators=[DataRequired()])


class CommitteeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    region_id = SelectField(_l("Region"), validators=[DataRequired()])
    mediators = SelectMultipleField(_l("Mediators"), choices=[], validate_choice=False)
