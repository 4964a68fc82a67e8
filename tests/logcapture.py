"""Capture every formatted log line while a test runs, as a log file would get them."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server


class Capture(logging.Handler):
    """Collect formatted log lines, as a log file would get them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def captured(app: Flask) -> Iterator[Capture]:
    """Every log line of every logger while the test runs (the app installed masking)."""
    handler, root = Capture(), logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in ("carshare", "werkzeug"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old)


def serve_app(app: Flask) -> Iterator[str]:
    """Serve ``app`` on Werkzeug's development server on 127.0.0.1 (its access log included);
    yield the base URL, then stop it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def gunicorn_logging_to_stdout(port: int, workers: int) -> list[str]:
    """The command that serves the app with the deployed gunicorn settings on 127.0.0.1:port,
    its access and error logs on standard output."""
    return [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
            "-w", str(workers), "-b", f"127.0.0.1:{port}", "--access-logfile", "-",
            "--error-logfile", "-", "app:app"]
