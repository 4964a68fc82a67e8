"""Staff cost pages: settings, fuel prices, trip costs, receipts, ledgers, bad input, access."""

from __future__ import annotations

from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import AuditLog, FuelPrice, Gift, TownCostSettings, TripCostItem
from tests.conftest import csrf_token, login


@pytest.fixture
def staff(client: FlaskClient, trip: dict[str, Any]) -> FlaskClient:
    """A client signed in as the small town's staff member."""
    assert login(client, "teshio-staff", "x" * 12).status_code == 302
    fresh_csrf()
    return client


def fresh_csrf() -> None:
    """Forget the CSRF token cached in ``g``: the test's app context outlives the requests,
    and signing in starts a new session without that token."""
    g.pop("csrf_token", None)


def trip_url(t: dict[str, Any], tail: str = "") -> str:
    """The staff URL of the trip's cost page."""
    return f"/costs/trips/{t['offer'].id}/{t['day'].isoformat()}{tail}"


def post(client: FlaskClient, page: str, url: str, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Post ``data`` with the CSRF token of ``page``."""
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_trip_page_shows_items_parts_and_receipt_links(staff: FlaskClient,
                                                       trip: dict[str, Any]) -> None:
    html = staff.get(trip_url(trip)).get_data(as_text=True)
    assert "¥170.0/L" in html and "20.0 km/L" in html
    for request in trip["requests"]:
        assert f"/costs/receipts/{request.id}?size=a6" in html


def test_staff_enters_a_toll_and_it_reaches_the_receipt(staff: FlaskClient, session: Session,
                                                        trip: dict[str, Any]) -> None:
    response = post(staff, trip_url(trip), trip_url(trip, "/items"),
                    {"kind": "toll", "amount_yen": "３００", "extra": "y", "note": "高速"})
    assert response.status_code == 302
    assert [(i.kind, i.amount_yen) for i in session.exec(select(TripCostItem))] == [
        ("toll", 300)]
    html = staff.get(f"/costs/receipts/{trip['requests'][0].id}?size=a6").get_data(as_text=True)
    assert "costs-a6.css" in html
    assert "Toll" in html or "通行料" in html
    assert "not a fare" in html or "運賃ではありません" in html


@pytest.mark.parametrize(("data", "status"), [
    ({"kind": "toll", "amount_yen": "500000"}, 400),
    ({"kind": "toll", "amount_yen": "-5"}, 400),
    ({"kind": "toll", "amount_yen": "abc"}, 400),
    ({"kind": "fuel", "amount_yen": "100"}, 400),
    ({"kind": "insurance", "amount_yen": "100"}, 400),  # not enabled in the town
    ({"kind": "toll"}, 400),
])
def test_bad_items_answer_4xx_and_write_nothing(staff: FlaskClient, session: Session,
                                                trip: dict[str, Any], data: dict,
                                                status: int) -> None:
    response = post(staff, trip_url(trip), trip_url(trip, "/items"), data)
    assert response.status_code == status
    assert 'class="error"' in response.get_data(as_text=True)
    assert session.exec(select(TripCostItem)).all() == []


def test_settings_are_saved_and_audited(staff: FlaskClient, session: Session,
                                        trip: dict[str, Any]) -> None:
    data = {"split_rule": "extra_only", "rounding_unit": "100", "rounding_mode": "down",
            "insurance_enabled": "y"}
    response = post(staff, "/costs/settings", "/costs/settings", data)
    assert response.status_code == 302
    row = session.exec(select(TownCostSettings)).one()
    assert (row.split_rule, row.rounding_unit, row.rounding_mode) == ("extra_only", 100, "down")
    assert row.insurance_enabled and not row.rental_enabled
    entry = session.exec(select(AuditLog).where(AuditLog.entity == "town_cost_settings")).one()
    assert "split_rule: whole_trip → extra_only" in entry.reason


@pytest.mark.parametrize("data", [
    {"split_rule": "fare", "rounding_unit": "10", "rounding_mode": "up"},
    {"split_rule": "whole_trip", "rounding_unit": "5", "rounding_mode": "up"},
    {"split_rule": "whole_trip", "rounding_unit": "ten", "rounding_mode": "up"},
    {"split_rule": "whole_trip", "rounding_unit": "10", "rounding_mode": "sideways"},
    {},
])
def test_bad_settings_answer_400_and_write_nothing(staff: FlaskClient, session: Session,
                                                   data: dict[str, str]) -> None:
    response = post(staff, "/costs/settings", "/costs/settings", data)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert session.exec(select(TownCostSettings)).all() == []


def test_fuel_price_is_entered_replaced_and_audited(staff: FlaskClient, session: Session,
                                                    trip: dict[str, Any]) -> None:
    day = trip["day"].isoformat()
    page = "/costs/fuel-prices"
    assert post(staff, page, page, {"valid_from": day, "yen_per_litre": "１７２．５"}
                ).status_code == 302
    assert post(staff, page, page, {"valid_from": day, "yen_per_litre": "168"}).status_code == 302
    rows = session.exec(select(FuelPrice).order_by(FuelPrice.valid_from)).all()
    assert [str(r.yen_per_litre) for r in rows] == ["170.0", "168.0"]  # the fixture's, then ours
    reasons = [a.reason for a in session.exec(select(AuditLog).where(
        AuditLog.entity == "fuel_price").order_by(AuditLog.id))]
    assert reasons == [f"{day}: None → 172.5 yen/L", f"{day}: 172.5 → 168 yen/L"]


@pytest.mark.parametrize("price", ["abc", "0", "49.9", "501", "-170", "172.55", "", "1e3",
                                   "NaN", "Infinity"])
def test_bad_fuel_prices_answer_400_and_write_nothing(staff: FlaskClient, session: Session,
                                                      price: str) -> None:
    page = "/costs/fuel-prices"
    response = post(staff, page, page, {"valid_from": "2026-04-01", "yen_per_litre": price})
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert len(session.exec(select(FuelPrice)).all()) == 1  # only the fixture's


def test_missing_fuel_price_tells_staff_to_enter_one(staff: FlaskClient, session: Session,
                                                     trip: dict[str, Any]) -> None:
    session.delete(session.exec(select(FuelPrice)).one())
    session.commit()
    html = staff.get(trip_url(trip)).get_data(as_text=True)
    assert 'role="alert"' in html and 'href="/costs/fuel-prices"' in html
    response = staff.get(f"/costs/receipts/{trip['requests'][0].id}")
    assert response.status_code == 409
    listing = staff.get(f"/costs/?day={trip['day'].isoformat()}").get_data(as_text=True)
    assert "¥" not in listing.split("<tbody>")[1].split("</tbody>")[0]


def test_ledger_totals_the_month_and_keeps_gifts_apart(staff: FlaskClient, session: Session,
                                                       trip: dict[str, Any]) -> None:
    t = trip
    post(staff, trip_url(t), trip_url(t, "/distance"), {"km": "84.0", "note": "odometer"})
    post(staff, trip_url(t), trip_url(t, "/items"), {"kind": "toll", "amount_yen": "125",
                                                     "extra": "y"})
    post(staff, trip_url(t), trip_url(t, "/items"), {"kind": "parking", "amount_yen": "300"})
    month = t["day"].strftime("%Y-%m")
    ledger = f"/costs/ledger?driver_id={t['driver'].id}&month={month}"
    gift = post(staff, ledger, f"/costs/ledger/{t['driver'].id}/gifts?month={month}",
                {"given_on": t["day"].isoformat(), "description": "かぼちゃ",
                 "value_yen": "2000", "rider_id": str(t["riders"][0].id)})
    assert gift.status_code == 302
    html = staff.get(ledger).get_data(as_text=True)
    # 84 km × ¥170 ÷ 20 km/L = ¥714, + ¥125 toll + ¥300 parking = ¥1,139 → ¥1,140.
    assert "<strong>¥1,140</strong>" in html
    assert "かぼちゃ" in html and "¥2,000" in html
    assert session.exec(select(Gift)).one().value_yen == 2000


@pytest.mark.parametrize("data", [
    {"description": "", "value_yen": "100"},
    {"description": "花", "value_yen": "-1"},
    {"description": "花", "value_yen": "100001"},
    {"description": "花", "rider_id": "999999"},
    {"description": "花", "given_on": "yesterday"},
])
def test_bad_gifts_answer_400_and_write_nothing(staff: FlaskClient, session: Session,
                                                trip: dict[str, Any], data: dict) -> None:
    t = trip
    ledger = f"/costs/ledger?driver_id={t['driver'].id}"
    response = post(staff, ledger, f"/costs/ledger/{t['driver'].id}/gifts",
                    {"given_on": t["day"].isoformat()} | data)
    assert response.status_code == 400
    assert session.exec(select(Gift)).all() == []


@pytest.mark.parametrize("url", [
    "/costs/?day=2026-13-45", "/costs/trips/1/not-a-date", "/costs/ledger?month=May",
    "/costs/ledger?driver_id=abc", "/costs/receipts/1?size=a5",
])
def test_wrong_types_in_urls_answer_400(staff: FlaskClient, url: str) -> None:
    assert staff.get(url).status_code == 400


def test_another_towns_staff_sees_nothing(app, session: Session, trip: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import small_town

    small_town(session, slug="other")
    other = app.test_client()
    assert login(other, "other-staff", "x" * 12).status_code == 302
    fresh_csrf()
    t = trip
    assert other.get(trip_url(t)).status_code == 404
    assert other.get(f"/costs/receipts/{t['requests'][0].id}").status_code == 404
    assert other.get(f"/costs/ledger?driver_id={t['driver'].id}").status_code == 404
    response = post(other, "/costs/fuel-prices", trip_url(t, "/items"),
                    {"kind": "toll", "amount_yen": "100"})
    assert response.status_code == 404
    assert session.exec(select(TripCostItem)).all() == []


def test_cost_pages_need_a_signed_in_staff_member(client: FlaskClient,
                                                  trip: dict[str, Any]) -> None:
    for url in ("/costs/", "/costs/settings", trip_url(trip), "/costs/ledger"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("size", ["a4", "a6"])
def test_receipt_states_each_item_of_the_riders_part(staff: FlaskClient, session: Session,
                                                     trip: dict[str, Any], size: str) -> None:
    t = trip
    post(staff, trip_url(t), trip_url(t, "/distance"), {"km": "84.0"})
    post(staff, trip_url(t), trip_url(t, "/items"), {"kind": "parking", "amount_yen": "300"})
    post(staff, trip_url(t), trip_url(t, "/items"), {"kind": "toll", "amount_yen": "125",
                                                     "extra": "y"})
    response = staff.get(f"/costs/receipts/{t['requests'][0].id}?size={size}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # Hand-computed: ¥714 fuel + ¥300 + ¥125 = ¥1,139 → ¥1,140 for two riders: ¥570 each,
    # fuel 357.31 → 357, parking 150.13 → 150, toll 62.55 → 63.
    part = html[html.index('class="part"'):]
    for label, amount in (("燃料費", "¥357"), ("駐車料", "¥150"), ("通行料", "¥63")):
        assert f'<th scope="row">{label}</th><td class="num">{amount}</td>' in part
    assert "<strong>¥570</strong>" in part
    assert "運賃ではありません" in html  # "it is not a fare"
    assert ("costs-a6.css" in html) is (size == "a6")
    assert t["riders"][0].family_name in html
    printed = session.exec(select(AuditLog).where(AuditLog.action == "print")).all()
    assert [a.resident_id for a in printed] == [t["riders"][0].id]


def test_receipt_of_a_ride_not_yet_completed_is_refused(staff: FlaskClient, session: Session,
                                                        trip: dict[str, Any]) -> None:
    from tests.costs.conftest import book

    trip["offer"].seats = 3
    session.add(trip["offer"])
    session.commit()
    waiting = book(session, trip | {"riders": trip["riders"][::-1]}, 0)
    response = staff.get(f"/costs/receipts/{waiting.id}")
    assert response.status_code == 409
    assert "まだ誰も降車していません" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_cost_page_renders_in_both_languages(staff: FlaskClient, trip: dict[str, Any],
                                                   lang: str) -> None:
    from flask_babel import refresh

    staff.get(f"/lang/{lang}")
    refresh()  # the test's app context outlives requests and caches the locale
    t = trip
    month = t["day"].strftime("%Y-%m")
    pages = ["/costs/", f"/costs/?day={t['day'].isoformat()}", "/costs/settings",
             "/costs/fuel-prices", trip_url(t), f"/costs/receipts/{t['requests'][0].id}",
             f"/costs/receipts/{t['requests'][1].id}?size=a6", "/costs/ledger",
             f"/costs/ledger?driver_id={t['driver'].id}&month={month}"]
    for url in pages:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}"' in response.get_data(as_text=True)
    listing = staff.get(pages[1]).get_data(as_text=True)
    assert trip_url(t) in listing and "¥" in listing


def test_control_characters_are_refused(staff: FlaskClient, session: Session,
                                        trip: dict[str, Any]) -> None:
    response = post(staff, trip_url(trip), trip_url(trip, "/items"),
                    {"kind": "toll", "amount_yen": "100", "note": "a\x00b"})
    assert response.status_code == 400
    assert session.exec(select(TripCostItem)).all() == []


def test_prices_and_items_of_another_town_cannot_be_removed(app, session: Session,  # type: ignore[no-untyped-def]
                                                            trip: dict[str, Any]) -> None:
    from tests.factories import small_town

    small_town(session, slug="other")
    other = app.test_client()
    assert login(other, "other-staff", "x" * 12).status_code == 302
    fresh_csrf()
    item = TripCostItem(town_id=trip["town"].id, offer_id=trip["offer"].id,
                        service_date=trip["day"], kind="toll", amount_yen=100)
    session.add(item)
    session.commit()
    price = session.exec(select(FuelPrice)).one()
    for url in (f"/costs/fuel-prices/{price.id}/delete", f"/costs/items/{item.id}/delete"):
        assert post(other, "/costs/fuel-prices", url, {}).status_code == 404
    assert len(session.exec(select(FuelPrice)).all()) == 1
    assert len(session.exec(select(TripCostItem)).all()) == 1


def test_staff_removes_a_mistaken_price_and_item_with_audit(staff: FlaskClient, session: Session,
                                                            trip: dict[str, Any]) -> None:
    post(staff, trip_url(trip), trip_url(trip, "/items"), {"kind": "parking", "amount_yen": "300"})
    item = session.exec(select(TripCostItem)).one()
    price = session.exec(select(FuelPrice)).one()
    assert post(staff, trip_url(trip), f"/costs/items/{item.id}/delete", {}).status_code == 302
    page = "/costs/fuel-prices"
    assert post(staff, page, f"/costs/fuel-prices/{price.id}/delete", {}).status_code == 302
    session.expire_all()
    assert session.exec(select(TripCostItem)).all() == []
    assert session.exec(select(FuelPrice)).all() == []
    deleted = {a.entity for a in session.exec(select(AuditLog).where(AuditLog.action == "delete"))}
    assert deleted == {"trip_cost_item", "fuel_price"}
