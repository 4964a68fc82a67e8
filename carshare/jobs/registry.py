"""The periodic jobs, as data: a stable id, what to run, and when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any


@dataclass(frozen=True)
class JobSpec:
    """One periodic job.

    :param id: stable id (the scheduler replaces a job with the same id, never doubles it).
    :param func: ``module:function`` taking the Flask app.
    :param trigger: APScheduler trigger name (``interval`` or ``cron``).
    :param trigger_args: arguments of the trigger.
    :param from_settings: trigger arguments read from settings: ``{"seconds": "SETTING"}``
        for a number, or ``{"at": "SETTING"}`` for an ``HH:MM`` time (cron hour and minute).
    """

    id: str
    func: str
    trigger: str
    trigger_args: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    from_settings: dict[str, str] = field(default_factory=dict)

    def resolve(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """Return the trigger arguments with the settings filled in."""
        args = dict(self.trigger_args)
        for name, setting in self.from_settings.items():
            if name == "at":
                clock = time.fromisoformat(config[setting])
                args.update(hour=clock.hour, minute=clock.minute)
            else:
                args[name] = config[setting]
        return args


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        id="close-expired-requests",
        func="carshare.jobs.tasks:close_expired_requests",
        trigger="interval",
        trigger_args={"minutes": 15},
        description="Mark requests whose time passed without a ride as unmet.",
    ),
    JobSpec(
        id="delete-abandoned-quotes",
        func="carshare.jobs.tasks:delete_abandoned_quotes",
        trigger="interval",
        trigger_args={"minutes": 5},
        description="Delete the options asked for during calls that nobody took.",
    ),
    JobSpec(
        id="delete-old-signins",
        func="carshare.jobs.tasks:delete_old_signins",
        trigger="interval",
        trigger_args={"hours": 1},
        description="Delete sign-in codes (and tries of unknown numbers) older than two days.",
    ),
    JobSpec(
        id="warm-road-times",
        func="carshare.jobs.tasks:warm_road_times",
        trigger="interval",
        trigger_args={"minutes": 10},
        description="With road data: compute road times for new places and store them.",
    ),
    JobSpec(
        id="dispatch-outbox",
        func="carshare.jobs.tasks:dispatch_outbox",
        trigger="interval",
        from_settings={"seconds": "DISPATCH_INTERVAL_SECONDS"},
        description="Send the notifications that are due.",
    ),
    JobSpec(
        id="plan-tomorrow",
        func="carshare.jobs.tasks:plan_tomorrow",
        trigger="cron",
        from_settings={"at": "PLAN_TOMORROW_AT"},
        description="Plan tomorrow and write the riders' confirmations and drivers' manifests.",
    ),
    JobSpec(
        id="expire-stale-notifications",
        func="carshare.jobs.tasks:expire_stale_notifications",
        trigger="interval",
        trigger_args={"minutes": 5},
        description="Expire late messages and put interrupted sends on the call list.",
    ),
    JobSpec(
        id="alert-expiring-documents",
        func="carshare.jobs.tasks:alert_expiring_documents",
        trigger="cron",
        trigger_args={"hour": 7, "minute": 30},
        description="Alert staff about drivers' licences and insurance expiring soon.",
    ),
    JobSpec(
        id="retention-cleanup",
        func="carshare.jobs.tasks:retention_cleanup",
        trigger="cron",
        trigger_args={"hour": 3, "minute": 15},
        description="Anonymise rides and messages older than the town's retention period; "
                    "remove residents who left before it (statistics kept).",
    ),
    JobSpec(
        id="ask-drivers",
        func="carshare.jobs.tasks:ask_drivers",
        trigger="interval",
        trigger_args={"minutes": 5},
        description="Move riders whose driver did not answer in time; ask any driver not yet "
                    "asked (confirming and planning ask at once).",
    ),
)
