"""The resident form: name and reading, phones, home, needs, contact, consent and notes."""

from __future__ import annotations

from typing import Any

import phonenumbers
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from carshare.models import ConsentScope, ContactChannel
from carshare.models.people import ResidentBase
from carshare.services.records.resident_queries import ResidentRow
from carshare.services.records.residents import ResidentInput
from carshare.web.records.consent_fields import (
    CONSENT_SECTIONS,
    add_consent_fields,
    check_consent_fields,
    consent_data,
    consent_inputs,
)
from carshare.web.records.fields import PlainRadioField, id_select, kana_field

CHANNELS = [(ContactChannel.SMS.value, _l("SMS")), (ContactChannel.VOICE.value, _l("Voice call")),
            (ContactChannel.STAFF_CALL.value, _l("Staff call")),
            (ContactChannel.NONE.value, _l("No messages"))]
LANGUAGES = [("ja", "日本語"), ("en", "English")]


def _phone(label: Any, required: bool) -> StringField:
    first = DataRequired(_l("Enter a phone number.")) if required else Optional()
    return StringField(label, [first, Length(max=30)],
                       render_kw={"inputmode": "tel", "autocomplete": "off"})


class ResidentForm(FlaskForm):
    """Everything the town office keeps about a resident (the minimum, nothing more)."""

    SECTIONS = (
        (_l("Name"), ("family_name", "given_name", "family_name_kana", "given_name_kana",
                      "birth_year")),
        (_l("Contact"), ("phone", "phone_2", "contact_channel", "language", "caregiver_name",
                         "caregiver_phone")),
        (_l("Home and needs"), ("home_place_id", "wheelchair", "walker", "boarding_help")),
        *CONSENT_SECTIONS,
        (_l("Notes"), ("driver_notes", "staff_notes")),
    )

    family_name = StringField(_l("Family name"), [DataRequired(_l("Enter the family name.")),
                                                  Length(max=40)])
    given_name = StringField(_l("Given name"), [DataRequired(_l("Enter the given name.")),
                                                Length(max=40)])
    family_name_kana = kana_field(_l("Family name (kana)"), True, 80)
    given_name_kana = kana_field(_l("Given name (kana)"), True, 80)
    birth_year = IntegerField(
        _l("Year of birth (optional, for the report's age groups)"),
        [Optional(), NumberRange(1900, 2100, _l("Enter the year of birth as four digits, "
                                                "e.g. 1948."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    phone = _phone(_l("Phone number"), True)
    phone_2 = _phone(_l("Second phone number"), False)
    contact_channel = PlainRadioField(_l("How to reach them"), choices=CHANNELS,
                                 default=ContactChannel.STAFF_CALL.value,
                                 validators=[InputRequired(_l("Choose how to reach them."))])
    language = PlainRadioField(_l("Language"), choices=LANGUAGES, default="ja",
                          validators=[InputRequired(_l("Choose a language."))])
    caregiver_name = StringField(_l("Caregiver or family contact"), [Optional(), Length(max=80)])
    caregiver_phone = _phone(_l("Caregiver's phone number"), False)
    home_place_id = id_select(_l("Home"), required=False)
    wheelchair = BooleanField(_l("Wheelchair"))
    walker = BooleanField(_l("Walker"))
    boarding_help = BooleanField(_l("Needs help boarding"))
    driver_notes = TextAreaField(_l("Note for the driver"), [Optional(), Length(max=500)])
    staff_notes = TextAreaField(_l("Note for staff only"), [Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate the fields, then that each ticked consent says when and how."""
        valid = super().validate(extra_validators)
        return check_consent_fields(self) and valid

    def to_input(self) -> ResidentInput:
        """Return the service input of the submitted form."""
        return ResidentInput(
            family_name=self.family_name.data, given_name=self.given_name.data,
            family_name_kana=self.family_name_kana.data,
            given_name_kana=self.given_name_kana.data,
            phones=(self.phone.data or "", self.phone_2.data or ""),
            home_place_id=self.home_place_id.data, wheelchair=self.wheelchair.data,
            walker=self.walker.data, boarding_help=self.boarding_help.data,
            contact_channel=ContactChannel(self.contact_channel.data),
            language=self.language.data, caregiver_name=self.caregiver_name.data or "",
            caregiver_phone=self.caregiver_phone.data or "",
            consents=consent_inputs(self), birth_year=self.birth_year.data,
            staff_notes=self.staff_notes.data or "", driver_notes=self.driver_notes.data or "")


def national(e164: str) -> str:
    """Return an E.164 number the way staff write it (01632-2-1037)."""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def resident_data(row: ResidentRow) -> dict[str, Any]:
    """Return the form's values for an existing resident (phones in national form)."""
    values = {name: getattr(row.resident, name) for name in ResidentBase.model_fields}
    numbers = [national(p.e164) for p in row.phones] + ["", ""]
    values.update(consent_data(row.consents))
    if ConsentScope.NEEDS not in row.consents:  # needs are not shown without their consent
        values.update(wheelchair=False, walker=False, boarding_help=False)
    values.update(phone=numbers[0], phone_2=numbers[1],
                  caregiver_phone=national(values["caregiver_phone"])
                  if values["caregiver_phone"] else "",
                  contact_channel=str(values["contact_channel"]))
    return values


add_consent_fields(ResidentForm)
