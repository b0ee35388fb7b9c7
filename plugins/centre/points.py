"""The one-stop centre's extension points (see core/plugins/points.py; read by convention when the centre
plugin loads). Receivers in other plugins import this module only, never the centre's models."""
from core.toolkit import Point

route_matter = Point(
    "centre.route_matter",
    payload={"sender": "Matter", "case": "Case", "route": "str",
             "unit": "Unit (the centre's lead unit on the route: name, kind, speciality; not an Organisation)",
             "user": "User or None"},
    doc="The centre routes a matter to a plugin's register (petition, mediation, legal aid…); the receiver for "
        "that route opens its record and answers {'record_type', 'record_id', …}, or None when the route is not "
        "its own.")

matter_answered = Point(
    "centre.matter_answered",
    payload={"sender": "None", "centre_code": "str", "record_type": "str", "record_id": "int", "text": "str",
             "resolved": "bool", "at": "datetime"},
    doc="A record opened from a centre matter was answered or closed; the centre updates the matter.")
