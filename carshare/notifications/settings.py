"""The notification settings, read once from the app config into a plain value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from carshare.notifications.decide import parse_hours


@dataclass(frozen=True)
class NotifySettings:
    """What the outbox needs to know about the town's rules."""

    tz: ZoneInfo
    hours: tuple[time, time]
    evening_at: time
    before: timedelta
    max_attempts: int = 5
    lease: timedelta = timedelta(minutes=5)
    public_url: str = ""
    secret_key: str = field(default="", repr=False)  # derives sign-in codes when sent

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> NotifySettings:
        """Build the settings from ``app.config``.

        :raise ValueError: when the hours or times are malformed.
        """
        return cls(tz=ZoneInfo(config["TIMEZONE"]), hours=parse_hours(config["NOTIFY_HOURS"]),
                   evening_at=time.fromisoformat(config["REMINDER_EVENING_AT"]),
                   before=timedelta(minutes=config["REMINDER_BEFORE_MINUTES"]),
                   max_attempts=config["NOTIFY_MAX_ATTEMPTS"],
                   lease=timedelta(seconds=config["NOTIFY_LEASE_SECONDS"]),
                   public_url=config["PUBLIC_URL"].rstrip("/"),
                   secret_key=config["SECRET_KEY"])

    @classmethod
    def from_app(cls) -> NotifySettings:
        """Build the settings of the current Flask app."""
        from flask import current_app

        return cls.from_config(current_app.config)
