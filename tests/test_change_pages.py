"""Changing a booked ride from the call: the caller's rides, the prefilled form, the swap."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import RequestStatus, RideRequest
from tests.conftest import csrf_token
from tests.test_console_pages import _book_form, _next, _suzuki


def _book(client: FlaskClient, rider: int, clock: str, **extra: str) -> tuple[int, str]:
    """Quote a ride for ``rider`` and confirm its first option; return (id, summary html)."""
    form = {**_book_form(client, rider), "day": _next(1).isoformat(), "clock": clock, **extra}
    response = client.post(f"/book/{rider}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    options = client.get(response.headers["Location"]).get_data(as_text=True)
    request_id = int(re.search(r"/requests/(\d+)/", response.headers["Location"]).group(1))
    offer_id = re.search(r'name="offer_id" value="(\d+)"', options).group(1)
    done = client.post(f"/requests/{request_id}/confirm",
                       data={"csrf_token": csrf_token(options), "offer_id": offer_id},
                       follow_redirects=True)
    assert done.status_code == 200
    return request_id, done.get_data(as_text=True)


def test_a_ride_is_changed_from_the_callers_list(staff_client: FlaskClient,
                                                 session: Session) -> None:
    rider = _suzuki(session)
    old, _summary = _book(staff_client, rider, "10:00")
    page = staff_client.get(f"/book/{rider}").get_data(as_text=True)
    assert f"change={old}" in page and f"#cancel-{old}" in page  # change and cancel on the match
    form_page = staff_client.get(f"/book/{rider}?change={old}").get_data(as_text=True)
    assert "予約の変更" in form_page
    assert f'name="replaces_id" type="hidden" value="{old}"' in form_page
    assert 'value="10:00"' in form_page  # prefilled with the booked ride
    new, summary = _book(staff_client, rider, "10:30", replaces_id=str(old))
    assert "前の予約は取り消し、この乗車に変更しました。" in summary
    session.expire_all()
    replaced = session.get(RideRequest, old)
    assert (replaced.status, replaced.outcome_code) == (RequestStatus.CANCELLED, "changed")
    assert session.get(RideRequest, new).replaces_id == old
    assert session.get(RideRequest, new).status in (RequestStatus.CONFIRMED,
                                                    RequestStatus.PLANNED)


def test_a_ride_of_someone_else_cannot_be_changed(staff_client: FlaskClient,
                                                  session: Session) -> None:
    rider = _suzuki(session)
    other = session.exec(select(RideRequest).where(RideRequest.rider_id != rider,
                                                   RideRequest.outbound_id.is_(None))).first()
    form = {**_book_form(staff_client, rider), "day": _next(1).isoformat(), "clock": "10:00",
            "replaces_id": str(other.id)}
    response = staff_client.post(f"/book/{rider}", data=form)
    assert response.status_code == 400
    assert "この予約は変更できません" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(RideRequest, other.id).status == other.status
