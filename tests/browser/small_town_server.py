"""Serve the small test town on a free port, for browser tests of one module."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session


def serve_small_town(tmp_path_factory: pytest.TempPathFactory,
                     name: str) -> Iterator[dict[str, Any]]:
    """Yield the server's url, app and town (slug the configured one), then stop it."""
    from werkzeug.serving import make_server

    from carshare import create_app, migrate
    from carshare.db import get_engine
    from tests.factories import small_town

    url = f"sqlite:///{tmp_path_factory.mktemp(name) / f'{name}.db'}"
    migrate.upgrade(url)
    app = create_app("testing", DATABASE_URL=url)
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        town = small_town(session, seats=2, slug="teshio")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app, "town": town}
    server.shutdown()
