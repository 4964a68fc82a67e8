"""The driver accepts or declines a rider they were asked to take."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from carshare.db import get_session
from carshare.models import Assignment, Offer, utcnow
from carshare.services.driver_answers import AnswerError, answer
from carshare.web.driver.blueprint import bp, driver_required, me, not_yours, tz
from carshare.web.driver.messages import driver_message


@bp.post("/requests/<int:assignment_id>/<choice>")
@driver_required
def answer_request(assignment_id: int, choice: str):  # type: ignore[no-untyped-def]
    """Accept or decline; an expired licence or insurance cannot accept (told whom to call)."""
    resident, driver = me()
    session = get_session()
    row = session.get(Assignment, assignment_id)
    offer = session.get(Offer, row.offer_id) if row else None
    if offer is None or offer.driver_id != driver.id or choice not in ("accept", "decline"):
        not_yours("assignment", assignment_id)
    try:
        moved = answer(session, resident, driver, row, choice == "accept", utcnow(), tz())
    except AnswerError as error:
        session.rollback()
        from carshare.web.driver.day import _render, today

        return _render(today(), driver_message(error.code), 409)
    if choice == "accept":
        flash(_("Thank you. The rider is on your trip."))
    else:
        flash(_("Declined. The rider was moved to another car.") if moved else
              _("Declined. The town office will look after the rider."))
    return redirect(url_for("driver.day"))
