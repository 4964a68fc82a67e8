"""A twilio HTTP client for tests: adds Prism's ``Prefer`` header and records requests."""

from __future__ import annotations

from typing import Any

from twilio.http.http_client import TwilioHttpClient


class RecordingClient(TwilioHttpClient):
    """Send through the real SDK transport; ``prefer`` picks Prism's answer (``code=429``)."""

    def __init__(self, timeout: float = 5.0) -> None:
        super().__init__(timeout=timeout)
        self.prefer: list[str] = []  # one Prefer value per coming request; empty: success
        self.sent: list[dict[str, Any]] = []

    def request(self, method: str, url: str, params: Any = None, data: Any = None,  # type: ignore[override]
                headers: Any = None, **kwargs: Any) -> Any:
        prefer = self.prefer.pop(0) if self.prefer else ""
        headers = {**(headers or {}), **({"Prefer": prefer} if prefer else {})}
        self.sent.append({"url": url, "data": dict(data or {})})
        return super().request(method, url, params=params, data=data, headers=headers, **kwargs)
