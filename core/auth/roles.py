"""The built-in roles (contract §4). Permissions are data: plugins grant defaults, admins edit."""
from flask_babel import lazy_gettext as _l

ROLES = {
    "admin": (_l("Administrator"), _l("Everything, including users, roles and plugins")),
    "officer": (_l("Petition officer"), _l("Registers and routes petitions for the whole district")),
    "leader": (_l("Responsible leader"), _l("Takes on backlog cases (包案) and watches the figures")),
    "mediator": (_l("Mediator"), _l("Mediates disputes and runs hearings")),
    "grid_worker": (_l("Grid worker"), _l("Logs disputes in their own grid")),
    "legal": (_l("Legal-affairs staff"), _l("Refers matters to courts, arbitration and reconsideration")),
    "aid": (_l("Legal-aid officer"), _l("Decides and assigns legal-aid applications")),
}

# roles that may read ID numbers and phone numbers in full (contract §5)
FULL_PERSONAL_DATA_ROLES = {"admin", "officer", "legal", "aid"}
