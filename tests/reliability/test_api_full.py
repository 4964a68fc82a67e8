"""Through the API as on the console: the car filled by others answers 409 "full"."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from carshare.db import get_engine
from carshare.models import ApiScope
from carshare.services.api_tokens import create_token
from tests.api.conftest import Api
from tests.reliability.crowd import crowd_town


def test_the_last_seat_then_full(app: Flask, client: FlaskClient) -> None:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        crowd = crowd_town(session, riders=2, seats=1)
        secret = create_token(session, crowd.town_id, "sync", ApiScope.WRITE, None, None).secret
    api = Api(client, secret)
    first, second = crowd.request_ids
    assert api.post(f"/ride-requests/{first}/confirm",
                    {"offer_id": crowd.offer_id}).status_code == 200
    refused = api.post(f"/ride-requests/{second}/confirm", {"offer_id": crowd.offer_id})
    problem = refused.get_json()
    assert refused.status_code == 409 and problem["type"].endswith(":full")
    assert problem["detail"].startswith("This car has just been filled")
    assert api.get(f"/ride-requests/{second}").get_json()["status"] == "requested"
