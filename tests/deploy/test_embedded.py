"""The embedded default (``flask --app app serve`` on SQLite), used over real HTTP by many
staff at once: the last seats are sold once, the rest hear "full"."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.race import log_tail, race, read_back, seed_crowd
from tests.deploy.servers import embedded

ATTEMPTS = 40


def test_forty_confirms_at_once_for_three_seats_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'embedded.db'}"
    crowd = seed_crowd(url, riders=ATTEMPTS, seats=3, staff=4)
    log = tmp_path / "serve.log"
    with embedded(url, log) as base:
        result = race(base, crowd, ATTEMPTS)
    assert result.outcomes == {"confirmed": 3, "full": ATTEMPTS - 3}, (
        result.samples, log_tail(log))
    after = read_back(url, crowd)
    assert (after.confirmed, after.riders_in_plan, after.peak_load, after.active_plans) == (
        3, 3, 3, 1)
