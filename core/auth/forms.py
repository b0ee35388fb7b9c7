from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=60)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class UserRolesForm(FlaskForm):
    roles = SelectMultipleField(_l("Roles"), validators=[DataRequired()])


class UserForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=60)])
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=100)])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=8, max=200)])
    roles = SelectMultipleField(_l("Roles"), validators=[DataRequired()])
    region_code = SelectField(_l("Region"), validators=[Optional()])
    active = BooleanField(_l("Active"), default=True)
