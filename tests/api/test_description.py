"""The OpenAPI description: generated from the models, complete, and honest about errors."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

EXPECTED = {
    "/api/v1/places", "/api/v1/places/{place_id}", "/api/v1/residents",
    "/api/v1/residents/{resident_id}", "/api/v1/offers", "/api/v1/offers/{offer_id}",
    "/api/v1/ride-requests", "/api/v1/ride-requests/{request_id}/quote",
    "/api/v1/ride-requests/{request_id}/confirm", "/api/v1/ride-requests/{request_id}/cancel",
    "/api/v1/plans", "/api/v1/trips/{offer_id}/events", "/api/v1/reports",
}


def test_every_use_case_is_described(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and EXPECTED <= set(doc["paths"])
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert doc["security"] == [{"bearer": []}]


def test_errors_are_documented_as_problems(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            answers = op["responses"]
            assert "401" in answers and "422" in answers, (method, path)
            if method != "get":
                assert {"403", "409", "415"} <= set(answers), (method, path)
            for status, answer in answers.items():
                media = set(answer.get("content", {}))
                expected = "application/problem+json" if status >= "400" else "application/json"
                assert media == {expected}, (method, path, status)


def test_input_models_refuse_unknown_fields(client: FlaskClient) -> None:
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for name in ("PlaceIn", "ResidentIn", "OfferIn", "BookingIn", "ConfirmIn", "CancelIn",
                 "EventIn", "PlaceList", "RideList"):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["PlaceIn"]["properties"]["lat"]["maximum"] == 46.0


def test_cli_token_for_a_staff_member(app: Flask, town: dict) -> None:
    runner = app.test_cli_runner()
    made = runner.invoke(args=["api-token", "create", "--town", "mini", "--name", "cli",
                               "--user", "mini-staff"])
    assert made.exit_code == 0, made.output
    wrong = runner.invoke(args=["api-token", "create", "--town", "mini", "--name", "cli2",
                                "--user", "other-staff"])
    assert wrong.exit_code != 0 and "no staff member" in wrong.output
    listed = runner.invoke(args=["api-token", "list", "--town", "mini"]).output
    assert "user=mini-staff" in listed and "user=-" in listed
