"""Ride along (issue 17): riders going the driver's way are carried there and back.

村上 健一's Friday: home → the clinic about an hour away, there by 10:00, leaving after 13:00,
home by 15:00, 20 minutes of extra driving for the whole trip. 鈴木 清 wants to be at the clinic
by 10:00 and 山本 弘子 (two people) by 10:30; both go home after 13:00. Planned through the
day planning service, as the evening run and staff's "re-plan" do.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlmodel import Session, select

from carshare.models import (
    Notification,
    RequestStatus,
    RideRequest,
    StopKind,
    WindowKind,
)
from carshare.services.booking import window
from carshare.services.planning import plan_day
from carshare.services.plans import active_plan, routes_of
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, add, small_town


def friday(session: Session, seats: int) -> dict[str, Any]:
    """A town with 村上's trip offering ``seats`` and the two riders' four legs."""
    town = small_town(session, seats=3, slug=f"friday{seats}")
    offer = town["offer"]
    offer.depart_after, offer.return_by = time(8), time(15)
    offer.destination_place_id = town["clinic"].id
    offer.arrive_by, offer.leave_after = time(10), time(13)
    offer.seats, offer.extra_minutes = seats, 20
    session.add(offer)
    legs = {}
    for name, rider, by, party in (("suzuki", town["riders"][0], "10:00", 1),
                                   ("yamamoto", town["riders"][1], "10:30", 2)):
        legs[name] = _ride(session, town, rider, rider.home_place_id, town["clinic"].id,
                           WindowKind.ARRIVE_BY, by, party)
        legs[f"{name}-back"] = _ride(session, town, rider, town["clinic"].id,
                                     rider.home_place_id, WindowKind.PICKUP_AFTER, "13:00",
                                     party, outbound_id=legs[name].id)
    session.commit()
    return {**town, "legs": legs}


def _ride(session: Session, town: dict, rider, pickup: int, dropoff: int,  # type: ignore[no-untyped-def]
          kind: WindowKind, clock: str, party: int, **extra) -> RideRequest:
    start, end = window(FUTURE, kind, time.fromisoformat(clock), TOKYO)
    return add(session, RideRequest(
        town_id=town["town"].id, rider_id=rider.id, pickup_place_id=pickup,
        dropoff_place_id=dropoff, window_kind=kind, window_start=start, window_end=end,
        party_size=party, **extra))


def _at(clock: time) -> datetime:
    return datetime.combine(FUTURE, clock, tzinfo=TOKYO)


def test_both_riders_ride_with_the_driver_there_and_back(session: Session) -> None:
    town = friday(session, seats=3)
    legs = town["legs"]
    result = plan_day(session, town["town"].id, FUTURE, TOKYO, time_limit_s=2,
                      deterministic=True)
    assert result.served == 4 and result.unserved == {}
    [(route, stops)] = routes_of(session, active_plan(session, town["town"].id, FUTURE))
    assert route.offer_id == town["offer"].id
    by_leg = {(s.request_id, s.kind): s for s in stops if s.request_id}
    for name in ("suzuki", "yamamoto"):
        out, back = legs[name], legs[f"{name}-back"]
        # picked up at home and dropped at the clinic before the driver is there (by 10:00)
        assert by_leg[out.id, StopKind.PICKUP].service_start_at < _at(time(10))
        dropped = by_leg[out.id, StopKind.DROPOFF].service_start_at
        assert out.window_start <= dropped <= out.window_end and dropped < _at(time(10))
        # taken home after the driver leaves the clinic (13:00), within their pick-up window
        pickup = by_leg[back.id, StopKind.PICKUP].service_start_at
        assert _at(time(13)) <= pickup <= back.window_end
        assert by_leg[back.id, StopKind.DROPOFF].service_start_at > pickup
    assert route.ends_at <= _at(time(15))
    outbound = [s for s in stops if s.request_id in (legs["suzuki"].id, legs["yamamoto"].id)]
    homeward = [s for s in stops if s not in outbound and s.request_id]
    assert max(s.service_start_at for s in outbound) < min(s.service_start_at for s in homeward)
    for leg in legs.values():
        session.refresh(leg)
        assert leg.status is RequestStatus.PLANNED and leg.outcome_code is None


def test_the_rider_left_out_for_want_of_seats_is_told_why(session: Session) -> None:
    town = friday(session, seats=2)  # 鈴木 and the 山本 pair do not fit together
    result = plan_day(session, town["town"].id, FUTURE, TOKYO, time_limit_s=2,
                      deterministic=True)
    assert result.served == 2 and len(result.unserved) == 2
    assert set(result.unserved.values()) == {"capacity"}
    left_out = [session.get(RideRequest, rid) for rid in result.unserved]
    assert len({r.rider_id for r in left_out}) == 1, "one rider, both legs"
    for ride in left_out:
        session.refresh(ride)
        assert ride.status is RequestStatus.WAITING and ride.outcome_code == "capacity"
    alerts = session.exec(select(Notification).where(
        Notification.template == "staff_alert",
        Notification.ride_request_id.in_(list(result.unserved)))).all()
    assert len(alerts) == 2  # on the staff call list, with the reason
    assert all("capacity" in a.last_error for a in alerts)


def test_a_return_pinned_to_the_drivers_leaving_time_can_be_confirmed(session: Session) -> None:
    """The return's only option picks up exactly when the driver leaves the clinic: the
    promise is still stored as a window (start < end) and the call ends booked."""
    from datetime import timedelta

    from carshare.models import utcnow
    from carshare.services.booking import BookingInput, create_booking, return_leg
    from carshare.services.quoting import answer, confirm

    town = small_town(session, seats=3, slug="pinned")
    offer = town["offer"]
    offer.depart_after, offer.return_by = time(8), time(15)
    offer.destination_place_id = town["clinic"].id
    offer.arrive_by, offer.leave_after = time(10), time(13, 30)
    offer.extra_minutes = 20
    session.add(offer)
    session.commit()
    rider = town["riders"][0]
    booking = create_booking(session, town["staff"], BookingInput(
        rider_id=rider.id, pickup_place_id=rider.home_place_id,
        dropoff_place_id=town["clinic"].id, day=FUTURE, window_kind=WindowKind.ARRIVE_BY,
        clock=time(10), return_mode="after", return_clock=time(13)), utcnow(), TOKYO,
        quote=True)
    confirm(session, town["staff"], booking.outbound, offer.id, TOKYO)
    inbound = return_leg(session, booking.outbound.id)
    option = answer(session, inbound, TOKYO).options[0]
    confirm(session, town["staff"], inbound, option.option.vehicle_id, TOKYO)
    session.expire_all()
    back = session.get(RideRequest, inbound.id)
    assert back.status == RequestStatus.CONFIRMED
    assert back.promised_pickup_start < back.promised_pickup_end
    assert back.promised_pickup_end - back.promised_pickup_start <= timedelta(minutes=20)
