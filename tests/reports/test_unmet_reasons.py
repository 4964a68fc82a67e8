"""Requests that expire unmet keep the planner's reason, so the report can say why."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from carshare.models import RequestStatus, RideRequest, utcnow
from carshare.services.requests import close_expired_requests
from tests.reports.fixtures import report_town, ride


def test_expired_requests_keep_the_planners_reason(session: Session) -> None:
    t = report_town(session)
    past = utcnow() - timedelta(days=2)
    capacity = ride(session, t, "R1", "A", past, RequestStatus.WAITING, "capacity")
    waiting = ride(session, t, "R2", "B", past, RequestStatus.WAITING, "waiting_list")
    plain = ride(session, t, "R3", "C", past, RequestStatus.REQUESTED)
    later = ride(session, t, "R4", "A", utcnow() + timedelta(days=2), RequestStatus.WAITING,
                 "no_offer")
    session.commit()
    assert close_expired_requests(session, utcnow()) == 3
    codes = {r.id: (session.get(RideRequest, r.id).status, session.get(RideRequest, r.id)
                    .outcome_code) for r in (capacity, waiting, plain, later)}
    assert codes == {capacity.id: (RequestStatus.UNMET, "capacity"),
                     waiting.id: (RequestStatus.UNMET, "expired"),
                     plain.id: (RequestStatus.UNMET, "expired"),
                     later.id: (RequestStatus.WAITING, "no_offer")}
