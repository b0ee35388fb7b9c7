"""The hearing plugin's extension points (see core/plugins/points.py)."""
from core.toolkit import Point

concluded = Point(
    "hearing.concluded", payload={"sender": "PetitionCase or None", "hearing": "Hearing", "text": "str"},
    doc="A hearing's conclusion was served. The sender is the petition the hearing was held on (None for a "
        "hearing on no petition); the petition plugin feeds the conclusion into its next written opinion.")
