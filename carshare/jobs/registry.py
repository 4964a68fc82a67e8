"""The periodic jobs, as data: a stable id, what to run, and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class JobSpec:
    """One periodic job.

    :param id: stable id (the scheduler replaces a job with the same id, never doubles it).
    :param func: ``module:function`` taking the Flask app.
    :param trigger: APScheduler trigger name (``interval`` or ``cron``).
    :param trigger_args: arguments of the trigger.
    """

    id: str
    func: str
    trigger: str
    trigger_args: dict[str, Any] = field(default_factory=dict)
    description: str = ""


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        id="close-expired-requests",
        func="carshare.jobs.tasks:close_expired_requests",
        trigger="interval",
        trigger_args={"minutes": 15},
        description="Mark requests whose time passed without a ride as unmet.",
    ),
)
