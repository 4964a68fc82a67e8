"""Why staff open a resident's record outside a booking; the code goes to the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

OPEN_REASONS = {
    "records": _l("Keeping the record up to date"),
    "call": _l("The resident or their family phoned"),
    "consent": _l("Recording or withdrawing consent"),
    "driver": _l("Arranging a driver or a car"),
    "disclosure": _l("A disclosure or erasure request"),
    "safety": _l("A safety or emergency matter"),
}
