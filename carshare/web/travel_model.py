"""Every page knows which travel model produced its times (issue 20)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from carshare.services.travel import model_info


def init_app(app: Flask) -> None:
    """Give every template ``travel_model`` (road data or great-circle estimates)."""
    app.context_processor(_context)


def _context() -> dict[str, Any]:
    return {"travel_model": model_info()}
