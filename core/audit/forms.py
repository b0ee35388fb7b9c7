"""Chatter and audit-search forms. CSRF is checked for every POST by the app-wide CSRFProtect."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class _NoCsrf(FlaskForm):
    class Meta:
        csrf = False  # the app-wide CSRFProtect already refuses a POST without a valid token


class NoteForm(_NoCsrf):
    text = TextAreaField(_l("Note"), validators=[DataRequired(message=_l("The note is empty.")), Length(max=10_000)])


class AttachmentForm(_NoCsrf):
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file to attach."))],
                     description=_l("PDF, PNG, JPEG, DOCX, XLSX or TXT"))


class ActivityForm(_NoCsrf):
    summary = StringField(_l("To do"), validators=[DataRequired(message=_l("An activity needs a summary.")),
                                                   Length(max=200)])
    assignee = SelectField(_l("Assigned to"), coerce=int,
                           validators=[DataRequired(message=_l("Choose an active user to assign the activity to."))])
    due_date = DateField(_l("Due date"), validators=[Optional()])


class AuditSearchForm(_NoCsrf):
    record_type = StringField(_l("Record type"), validators=[Optional(), Length(max=64)])
    record_id = StringField(_l("Record ID"), validators=[Optional(), Length(max=64)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
