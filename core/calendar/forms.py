"""Admin forms for the holiday table (CSRF via Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError


def _supported_year(form, field):
    if field.data and not 1901 <= field.data.year <= 2099:
        raise ValidationError(_l("Dates must lie in the years 1901–2099."))


def _kinds():
    """The two kinds of entry (``SelectChoice`` where WTForms has it; tuples before 3.3)."""
    pairs = [("holiday", _l("Holiday (day off)")), ("workday", _l("Make-up working day (调休)"))]
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:  # pragma: no cover - WTForms < 3.3
        return pairs
    return [SelectChoice(value, label) for value, label in pairs]


class HolidayForm(FlaskForm):
    date = DateField(_l("Date"), validators=[DataRequired(message=_l("Enter a date as YYYY-MM-DD.")), _supported_year])
    kind = SelectField(_l("Kind"), choices=_kinds)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("e.g. 春节, 国庆节"))
