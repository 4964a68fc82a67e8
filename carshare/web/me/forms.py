"""Forms of the phone sign-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp


class PhoneForm(FlaskForm):
    """Ask for the phone number on record."""

    phone = StringField(_l("Your phone number"), [DataRequired(_l("Enter a phone number.")),
                                                  Length(max=30)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    submit = SubmitField(_l("Send me a code"))


class CodeForm(FlaskForm):
    """The six-digit code from the SMS or the voice call."""

    code = StringField(_l("Code"), [DataRequired(_l("Enter the code.")),
                                    Regexp(r"^\s*[0-9０-９]{6}\s*$",
                                           message=_l("The code has six digits."))],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})
    submit = SubmitField(_l("Sign in"))
