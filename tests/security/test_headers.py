"""Security headers and the content security policy on every kind of page."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from carshare import create_app
from carshare.web.security import content_security_policy

TEMPLATES = Path(__file__).resolve().parents[2] / "carshare" / "web" / "templates"


def test_headers_on_staff_phone_and_json_pages(staff_client: FlaskClient,
                                               client: FlaskClient) -> None:
    for response in (staff_client.get("/dashboard"), client.get("/me/login"),
                     client.get("/healthz"), client.get("/login")):
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "geolocation=()" in headers["Permissions-Policy"]
    assert staff_client.get("/dashboard").headers["Cache-Control"] == "no-store"


def test_map_tiles_host_is_allowed_for_images_only(migrated_url: str) -> None:
    app = create_app("testing", DATABASE_URL=migrated_url,
                     MAP_TILES_URL="https://{s}.tile.example.jp/{z}/{x}/{y}.png")
    policy = content_security_policy(app)
    assert "https://*.tile.example.jp" in policy["img-src"]
    assert policy["script-src"] == "'self'" and policy["connect-src"] == "'self'"


def test_no_template_has_inline_script_style_or_handlers() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:",
                        re.IGNORECASE)
    found = [f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
             for path in TEMPLATES.rglob("*.html")
             for match in inline.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found


def test_htmx_does_not_inject_its_indicator_style(staff_client: FlaskClient) -> None:
    html = staff_client.get("/dashboard").get_data(as_text=True)
    assert '"includeIndicatorStyles": false' in html


def test_a_bad_same_site_value_stops_the_app(migrated_url: str) -> None:
    from config import ConfigError

    try:
        create_app("testing", DATABASE_URL=migrated_url, SESSION_COOKIE_SAMESITE="lenient")
    except ConfigError as error:
        assert "SAMESITE" in str(error)
    else:
        raise AssertionError("an unknown SameSite value was accepted")


def test_rate_limit_storage_is_a_setting(app: Flask) -> None:
    limiter = app.extensions["carshare.limiter"]
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert type(limiter.storage).__name__ == "MemoryStorage"
