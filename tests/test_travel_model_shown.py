"""Every page that shows times says which travel model produced them (issue 20): here, with
no road data loaded, the straight-line estimate; tests/roads checks the road wording."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session

from tests.test_resident_signin import _sign_in

STAFF_NOTE = "時刻は直線距離からの推定です（道路データは未取込）。"
PLAIN_NOTE = "時刻は距離から計算した目安です。"


def test_staff_pages_say_the_times_are_estimates(staff_client: FlaskClient) -> None:
    for url in ("/dashboard", "/console", "/settings/roads"):
        html = staff_client.get(url).get_data(as_text=True)
        assert STAFF_NOTE in html, url
    staff_client.get("/lang/en")
    html = staff_client.get("/dashboard").get_data(as_text=True)
    assert "Times are estimates from the straight-line distance (no road data loaded)." in html


def test_a_rider_reads_it_in_plain_words(client: FlaskClient, session: Session,
                                         demo: None) -> None:
    _sign_in(client, session, "鈴木")
    html = client.get("/me/rides").get_data(as_text=True)
    assert PLAIN_NOTE in html and STAFF_NOTE not in html
