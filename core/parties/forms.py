from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    code = StringField(_l("Code"), validators=[Optional(), Length(max=40)],
                       description=_l("A short code apps use to find this organisation, e.g. JS-FY; optional."))
    region_id = SelectField(_l("Region"), validators=[Optional()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    active = BooleanField(_l("Active"), default=True)
