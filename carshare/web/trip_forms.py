"""Forms of trip handling."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from carshare.presenters.outcomes import OUTCOME_CHOICES
from carshare.web.validators import InHorizon


class CancelForm(FlaskForm):
    """End a ride with an outcome code and a reason."""

    outcome = SelectField(_l("Outcome"), choices=OUTCOME_CHOICES,
                          validators=[InputRequired(_l("Choose an outcome."))])
    reason = StringField(_l("Reason"), [DataRequired(_l("Enter the reason.")), Length(max=300)])
    return_too = RadioField(_l("The return that day"),
                            choices=[("yes", _l("Cancel the return too")),
                                     ("no", _l("Keep the return"))],
                            validators=[Optional()])
    submit = SubmitField(_l("Cancel the ride"))


class WeatherForm(FlaskForm):
    """Declare a road closure or blizzard for a day, optionally for one settlement."""

    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date.")), InHorizon()])
    settlement = SelectField(_l("Area"), validators=[Optional()])
    reason = StringField(_l("Reason"), [DataRequired(_l("Enter the reason.")), Length(max=300)])
    submit = SubmitField(_l("Show the rides it would cancel"))
