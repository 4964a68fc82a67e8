"""Staff see the driver's progress on the dashboard (read-only helper)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.models import TripEventKind, utcnow
from carshare.services.driver_trips import Press, record
from carshare.services.trip_progress import events_for
from tests.conftest import login
from tests.driver.conftest import book, tomorrow


def test_dashboard_shows_progress(client: FlaskClient, session: Session,
                                  town: dict[str, Any]) -> None:
    ride = book(session, town, 0)
    person = session.get(type(town["riders"][0]), town["driver"].resident_id)
    record(session, town["town"].id, person, Press(town["offer"].id, tomorrow(),
                                                   TripEventKind.PICKED_UP, ride.id, "e" * 32,
                                                   utcnow()))
    progress = events_for(session, town["offer"].id, tomorrow())
    assert progress.count(TripEventKind.PICKED_UP) == 1 and not progress.started
    assert progress.of(ride.id)[TripEventKind.PICKED_UP].by_resident_id == person.id
    assert login(client, "teshio-staff", "x" * 12).status_code == 302
    html = client.get(f"/dashboard/days?day={tomorrow().isoformat()}").get_data(as_text=True)
    assert 'class="progress"' in html and "乗車1人" in html
