from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional


class GroupForm(FlaskForm):
    name = StringField(_l("Group name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("e.g. 第一村民小组"))
    suffix = StringField(_l("Local code"), validators=[Optional(), Length(max=3)],
                         description=_l("Three digits added to the village code; empty takes the next free one."))


class RegionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    urban_rural_code = StringField(_l("Urban-rural code"), validators=[Optional(), Length(max=3)],
                                   description=_l("NBS 城乡分类代码, three digits, e.g. 220 (village); optional."))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()],
                     description=_l("UTF-8, header row: code,name,level,parent_code,urban_rural_code"))
