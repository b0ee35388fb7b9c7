from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class SequenceForm(FlaskForm):
    pattern = StringField(_l("Pattern"), validators=[DataRequired(), Length(max=200)],
                          description=_l("Fields: {year}, {yy:02d}, {n:05d} (the number). Example: JS-XF-{year}-{n:05d}"))
    next_number = IntegerField(_l("Next number this year"), validators=[Optional(), NumberRange(min=1, max=10**9)],
                               description=_l("Leave empty to keep counting. Can only be raised, e.g. to continue a paper register."))
