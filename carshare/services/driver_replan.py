"""Move one rider off a driver's offer onto another car, or put them on the staff call list."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, or_, select

from carshare.models import (
    Assignment,
    AssignmentState,
    Offer,
    Plan,
    PlanStatus,
    RequestStatus,
    Resident,
    RideRequest,
    Route,
    Stop,
)
from carshare.services.outbox import alert_staff
from carshare.services.quoting import QuoteError, moves, place

BOOKED = (RequestStatus.PLANNED, RequestStatus.CONFIRMED)


def riders_on(session: Session, offer: Offer, now: datetime) -> list[RideRequest]:
    """Return the rides still to come that the offer carries (promised or in an active plan)."""
    in_route = (select(Stop.request_id).join(Route, Stop.route_id == Route.id)
                .join(Plan, Route.plan_id == Plan.id)
                .where(Route.offer_id == offer.id, Plan.status == PlanStatus.ACTIVE,
                       Stop.request_id.is_not(None)))
    query = select(RideRequest).where(
        RideRequest.status.in_(BOOKED), RideRequest.window_end >= now,
        or_(RideRequest.promised_offer_id == offer.id, RideRequest.id.in_(in_route)))
    return list(session.exec(query.order_by(RideRequest.window_start, RideRequest.id)))


def move_rider(session: Session, actor: Resident, request: RideRequest, tz: ZoneInfo,
               reason: str) -> bool:
    """Place the rider in another driver's car (commits); alert staff when none can take them.

    :param reason: short code for the audit trail and the alert key, e.g. ``withdraw:<offer>``.
    :return: ``True`` when the rider was moved.
    """
    refused = set(session.exec(select(Assignment.offer_id).where(
        Assignment.request_id == request.id,
        Assignment.state.in_((AssignmentState.DECLINED, AssignmentState.EXPIRED)))))
    for option in moves(session, request, tz):
        if option.option.vehicle_id in refused:
            continue  # never ask a driver again who already said no to this rider
        try:
            place(session, actor, request, option.option.vehicle_id, tz, "driver_replan")
        except QuoteError:
            continue
        return True
    alert_staff(session, request.town_id, f"driver:{reason}:{request.id}",
                f"the driver can no longer take this ride ({reason.split(':')[0]}) and no "
                "other car can; call the rider", request_id=request.id)
    session.commit()
    return False
