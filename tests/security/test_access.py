"""Access rules the matrix does not spell out: the admin's towns, the driver's window and
minimum view of riders, a rider's own rides, cross-town ids inside forms."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlmodel import Session, select

from carshare.db import get_engine
from carshare.models import Resident, RideRequest, StaffTown, StaffUser
from carshare.services.users import UserError, link_town, towns_of
from tests.security.conftest import World
from tests.security.world import MARK_A, MARK_B, tomorrow


def _token(client, page: str = "/dashboard") -> str:  # type: ignore[no-untyped-def]
    from tests.conftest import csrf_token

    return csrf_token(client.get(page).get_data(as_text=True))


def test_admin_switches_town_and_then_sees_only_that_town(world: World) -> None:
    admin = world.by_role["admin"]
    a_page, b_page = (f"/records/residents/{t.ids['resident_id']}" for t in (world.a, world.b))
    assert admin.get(a_page).status_code == 200 and admin.get(b_page).status_code == 404
    html = admin.get("/dashboard").get_data(as_text=True)
    assert 'name="town_id"' in html and "小町" in html  # the switcher lists both towns
    response = admin.post("/town", data={"town_id": world.b.data["town"].id,
                                         "csrf_token": _token(admin)})
    assert response.status_code == 302
    page = admin.get(b_page)
    assert page.status_code == 200 and MARK_B in page.get_data(as_text=True)
    assert admin.get(a_page).status_code == 404
    assert MARK_A not in admin.get("/records/residents").get_data(as_text=True)


def test_admin_cannot_switch_to_a_town_not_linked(app: Flask, world: World) -> None:
    with app.app_context(), Session(get_engine()) as session:
        session.exec(StaffTown.__table__.delete())  # type: ignore[attr-defined]
        session.commit()
    admin = world.by_role["admin"]
    response = admin.post("/town", data={"town_id": world.b.data["town"].id,
                                         "csrf_token": _token(admin)})
    assert response.status_code == 404
    assert admin.get(f"/records/residents/{world.b.ids['resident_id']}").status_code == 404
    assert 'name="town_id"' not in admin.get("/dashboard").get_data(as_text=True)


def test_a_switch_left_in_the_session_is_dropped_when_the_link_goes(app: Flask,
                                                                    world: World) -> None:
    admin = world.by_role["admin"]
    admin.post("/town", data={"town_id": world.b.data["town"].id, "csrf_token": _token(admin)})
    with app.app_context(), Session(get_engine()) as session:
        session.exec(StaffTown.__table__.delete())  # type: ignore[attr-defined]
        session.commit()
    assert admin.get(f"/records/residents/{world.b.ids['resident_id']}").status_code == 404
    assert admin.get(f"/records/residents/{world.a.ids['resident_id']}").status_code == 200


def test_staff_cannot_switch_town_even_with_a_link_row(app: Flask, world: World) -> None:
    with app.app_context(), Session(get_engine()) as session:
        staff = session.get(StaffUser, world.a.data["staff"].id)
        session.add(StaffTown(staff_user_id=staff.id, town_id=world.b.data["town"].id))
        session.commit()
        assert [t.id for t in towns_of(session, staff.id)] == [world.a.data["town"].id]
        try:
            link_town(session, staff.id, "other")
        except UserError as error:
            assert "only admins" in str(error)
        else:
            raise AssertionError("a staff account was linked to a second town")
    client = world.by_role["staff_a"]
    response = client.post("/town", data={"town_id": world.b.data["town"].id,
                                          "csrf_token": _token(client)})
    assert response.status_code == 404


def test_switching_never_writes_the_admins_home_town(app: Flask, world: World) -> None:
    admin = world.by_role["admin"]
    admin.post("/town", data={"town_id": world.b.data["town"].id, "csrf_token": _token(admin)})
    token = _token(admin, f"/records/residents/{world.b.ids['resident_id']}")
    admin.post(f"/records/residents/{world.b.ids['resident_id']}/deactivate",
               data={"csrf_token": token})
    with app.app_context(), Session(get_engine()) as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == "admin-x")).one()
        assert user.town_id == world.a.data["town"].id


def test_driver_sees_the_minimum_about_riders(world: World) -> None:
    page = world.by_role["driver"].get(f"/driver/day?day={tomorrow().isoformat()}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    ids = world.a.ids
    # the family name the driver greets them by (「…様」) and the phone; never the given name
    assert f'{ids["rider_family"]}様' in html and "163221000" in html
    assert ids["rider_given"] not in html and ids["rider_kana"] not in html


def test_driver_manifest_only_from_the_day_before_to_the_day_after(world: World) -> None:
    driver = world.by_role["driver"]
    for shift, status in ((-2, 404), (-1, 200), (0, 200), (1, 200), (2, 404), (30, 404)):
        day = tomorrow() - timedelta(days=1) + timedelta(days=shift)
        assert driver.get(f"/driver/day?day={day.isoformat()}").status_code == status, shift


def test_driver_cannot_press_for_a_trip_outside_the_window(world: World) -> None:
    driver = world.by_role["driver"]
    token = _token(driver, "/driver/day")
    far = (tomorrow() + timedelta(days=5)).isoformat()
    response = driver.post(f"/driver/trips/{world.a.ids['offer_id']}/{far}/press",
                           data={"csrf_token": token, "kind": "start",
                                 "client_event_id": "a" * 16})
    assert response.status_code == 404


def test_rider_sees_only_their_own_rides(app: Flask, world: World) -> None:
    rider = world.by_role["rider"]  # rider 1 of town A; rider 0 has the booked ride
    with app.app_context(), Session(get_engine()) as session:
        before = session.get(RideRequest, world.a.ids["request_id"]).status
    html = rider.get("/me/rides").get_data(as_text=True)
    assert MARK_A not in html
    assert rider.get(f"/me/book/{world.a.ids['request_id']}/options").status_code == 404
    response = rider.post(f"/me/rides/{world.a.ids['request_id']}/cancel",
                          data={"csrf_token": _token(rider, "/me/")})
    assert response.status_code == 404
    with app.app_context(), Session(get_engine()) as session:
        assert session.get(RideRequest, world.a.ids["request_id"]).status == before


def test_another_towns_offer_in_a_reassign_form_is_refused(app: Flask, world: World) -> None:
    client = world.by_role["staff_a"]
    request_id = world.a.ids["request_id"]
    token = _token(client, f"/requests/{request_id}")
    response = client.post(f"/requests/{request_id}/reassign",
                           data={"csrf_token": token, "offer_id": world.b.ids["offer_id"]})
    assert response.status_code in (302, 303, 400, 404, 409)
    with app.app_context(), Session(get_engine()) as session:
        request = session.get(RideRequest, request_id)
        assert request.promised_offer_id != world.b.ids["offer_id"]


def test_another_towns_place_in_a_booking_is_refused(app: Flask, world: World) -> None:
    client = world.by_role["staff_a"]
    rider_id = world.a.data["riders"][1].id
    token = _token(client, f"/book/{rider_id}")
    before = _count_requests(app)
    response = client.post(f"/book/{rider_id}", data={
        "csrf_token": token, "pickup_place_id": world.b.ids["place_id"],
        "dropoff_place_id": world.b.ids["place_id"], "day": tomorrow().isoformat(),
        "window_kind": "arrive_by", "clock": "10:00", "party_size": "1",
        "return_mode": "none"})
    assert response.status_code == 400
    assert _count_requests(app) == before
    assert MARK_B not in response.get_data(as_text=True)


def _count_requests(app: Flask) -> int:
    with app.app_context(), Session(get_engine()) as session:
        return len(session.exec(select(RideRequest)).all())


def test_a_resident_of_another_town_cannot_sign_in_on_this_towns_phone_page(
        app: Flask, world: World) -> None:
    from tests.conftest import csrf_token

    client = app.test_client()
    with app.app_context(), Session(get_engine()) as session:
        other = session.get(Resident, world.b.data["driver"].resident_id)
        assert other.town_id != world.a.data["town"].id
    token = csrf_token(client.get("/me/login").get_data(as_text=True))
    client.post("/me/login", data={"csrf_token": token, "phone": "090-1111-2222"})
    with app.app_context(), Session(get_engine()) as session:
        from carshare.models import SigninCode

        codes = session.exec(select(SigninCode)).all()
        assert {c.resident_id for c in codes} <= {world.a.data["driver"].resident_id}
