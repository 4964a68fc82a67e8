"""A dispatcher or scheduler in its own process, for the concurrency and crash tests.

    python -m tests.notifications.worker dispatch DATABASE_URL LOG [GO_FILE]
    python -m tests.notifications.worker scheduler DATABASE_URL LOG

Each message the console channel 'sends' is one line of LOG. ``dispatch`` waits for GO_FILE
to exist (so two processes start together) and prints the outcome counts as JSON.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import signal
import sys
import time
from pathlib import Path

from carshare import create_app
from carshare.db import get_engine
from carshare.notifications import ConsoleNotifier, OutgoingMessage
from carshare.notifications.settings import NotifySettings

SEND_SECONDS = 0.004  # a little provider latency, so a kill lands mid-run


class SlowConsole(ConsoleNotifier):
    """The console channel with a provider's latency before the message 'leaves'."""

    def send(self, message: OutgoingMessage) -> str:
        time.sleep(SEND_SECONDS)
        return super().send(message)


def log_to(path: str) -> None:
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("carshare.notify.console")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def main(mode: str, url: str, log: str, go_file: str = "") -> None:
    faulthandler.register(signal.SIGUSR1)  # dump the stacks if a test hangs
    log_to(log)
    app = create_app("testing", DATABASE_URL=url, DISPATCH_INTERVAL_SECONDS=1)
    if mode == "scheduler":
        from carshare.jobs import runner, tasks

        tasks.make_notifier = lambda _config: SlowConsole()  # type: ignore[assignment]
        runner.run_forever(app)
        return
    from carshare.services.notify_dispatch import dispatch_due

    while go_file and not Path(go_file).exists():
        time.sleep(0.01)
    with app.app_context():
        counts = dispatch_due(get_engine(), ConsoleNotifier(),
                              NotifySettings.from_config(app.config))
    print(json.dumps(counts))


if __name__ == "__main__":
    main(*sys.argv[1:])
