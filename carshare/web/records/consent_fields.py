"""The consent part of the resident form: per scope, whether, when and how it was given."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import Optional

from carshare.models import ConsentMethod, ConsentScope, ResidentConsent
from carshare.services.consents import ConsentInput
from carshare.web.records.fields import PlainDateField, PlainRadioField

SCOPE_LABELS = {
    ConsentScope.RIDES: _l("Use of their personal data to arrange rides"),
    ConsentScope.NEEDS: _l("Keeping their mobility and health needs"),
    ConsentScope.PROVIDER_ABROAD: _l(
        "Sending their phone number to the SMS and voice provider in the USA (Twilio)"),
    ConsentScope.CAREGIVER: _l("Copying ride messages to the caregiver"),
}
METHODS = [(ConsentMethod.PHONE.value, _l("By phone")),
           (ConsentMethod.PAPER.value, _l("On paper")),
           (ConsentMethod.IN_PERSON.value, _l("In person")),
           (ConsentMethod.UNRECORDED.value, _l("Not recorded (before 2026)"))]
CONSENT_SECTIONS = tuple(
    (label, (f"consent_{s.value}", f"consent_{s.value}_on", f"consent_{s.value}_how"))
    for s, label in SCOPE_LABELS.items())


def add_consent_fields(form_class: type) -> None:
    """Add a tick box, a date and a method field per consent scope to ``form_class``."""
    for scope in ConsentScope:
        name = f"consent_{scope.value}"
        setattr(form_class, name, BooleanField(_l("Consent given")))
        setattr(form_class, f"{name}_on", PlainDateField(_l("Given on"), [Optional()]))
        setattr(form_class, f"{name}_how", PlainRadioField(
            _l("How it was given"), choices=METHODS, validate_choice=False))


def check_consent_fields(form: Any) -> bool:
    """Add an error to each ticked consent that lacks its date or a known method."""
    valid = True
    for scope in ConsentScope:
        name = f"consent_{scope.value}"
        if not form[name].data:
            continue
        if form[f"{name}_on"].data is None and not form[f"{name}_on"].errors:
            form[f"{name}_on"].errors = [_l("Enter the date the consent was given.")]
            valid = False
        if form[f"{name}_how"].data not in ConsentMethod._value2member_map_:
            form[f"{name}_how"].errors = [_l("Choose how the consent was given.")]
            valid = False
    return valid


def consent_inputs(form: Any) -> dict[ConsentScope, ConsentInput | None]:
    """Return the consents of a validated form (``None``: not given, or withdrawn)."""
    result: dict[ConsentScope, ConsentInput | None] = {}
    for scope in ConsentScope:
        name = f"consent_{scope.value}"
        result[scope] = (ConsentInput(form[f"{name}_on"].data,
                                      ConsentMethod(form[f"{name}_how"].data))
                         if form[name].data else None)
    return result


def consent_data(consents: dict[ConsentScope, ResidentConsent]) -> dict[str, object]:
    """Return the form values of a resident's stored consents."""
    values: dict[str, object] = {}
    for scope, row in consents.items():
        name = f"consent_{scope.value}"
        values.update({name: True, f"{name}_on": row.given_on, f"{name}_how": row.method.value})
    return values
