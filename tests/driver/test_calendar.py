"""The driver's calendar feed: secret URL (hash stored), stable UIDs, cancelled trips, reset."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from icalendar import Calendar
from sqlmodel import Session

from carshare.models import Driver, RequestStatus
from carshare.services.driver_calendar import reset_token
from carshare.services.planning import replan_after_cancel
from carshare.timeutil import TOKYO
from tests.conftest import csrf_token
from tests.driver.conftest import book, tomorrow


def _feed_url(client: FlaskClient) -> str:
    token = csrf_token(client.get("/driver/calendar").get_data(as_text=True))
    html = client.post("/driver/calendar/reset", data={"csrf_token": token}).get_data(as_text=True)
    return re.search(r'value="http://localhost(/driver/calendar/[^"]+\.ics)"', html).group(1)


def _events(client: FlaskClient, url: str) -> list:  # type: ignore[type-arg]
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return list(Calendar.from_ical(response.data).walk("VEVENT"))


def test_feed_lists_trips_and_publishes_cancellations(driver_client: FlaskClient,
                                                      session: Session,
                                                      town: dict[str, Any]) -> None:
    ride = book(session, town, 0)
    url = _feed_url(driver_client)
    session.expire_all()
    stored = session.get(Driver, town["driver"].id).calendar_token_hash
    assert stored and stored not in url and len(stored) == 64
    (event,) = _events(driver_client, url)
    uid = str(event["UID"])
    assert uid == f"trip-{town['offer'].id}-{tomorrow().isoformat()}@carshare"
    assert str(event["STATUS"]) == "CONFIRMED" and "1" in str(event["SUMMARY"])
    assert "花" not in driver_client.get(url).get_data(as_text=True)  # no names leave the town
    ride.status = RequestStatus.CANCELLED
    session.add(ride)
    replan_after_cancel(session, ride.id, TOKYO)
    session.commit()
    (cancelled,) = _events(driver_client, url)
    assert str(cancelled["UID"]) == uid and str(cancelled["STATUS"]) == "CANCELLED"


def test_reset_revokes_the_old_url(driver_client: FlaskClient, session: Session,
                                   town: dict[str, Any]) -> None:
    first = _feed_url(driver_client)
    second = _feed_url(driver_client)
    assert first != second
    assert driver_client.get(first).status_code == 404
    assert driver_client.get(second).status_code == 200
    assert driver_client.get("/driver/calendar/nonsense.ics").status_code == 404


def test_token_of_an_inactive_driver_is_refused(client: FlaskClient, session: Session,
                                                town: dict[str, Any]) -> None:
    token = reset_token(session, town["driver"])
    assert client.get(f"/driver/calendar/{token}.ics").status_code == 200
    town["driver"].active = False
    session.add(town["driver"])
    session.commit()
    assert client.get(f"/driver/calendar/{token}.ics").status_code == 404
