"""Browser tests: the real app served on 127.0.0.1, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS, MISSING

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "live_server", "live_url", "page"]

if not CHROMIUM.exists():
    pytest.skip(MISSING, allow_module_level=True)


@pytest.fixture(scope="session")
def live_url(live_server: dict) -> str:
    """The base URL of the app serving the demo town."""
    return live_server["url"]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Serve the app with the demo town on a free port; yield its URL and the app."""
    from sqlmodel import Session
    from werkzeug.serving import make_server

    from carshare import create_app, migrate
    from carshare.db import get_engine
    from carshare.models import utcnow
    from carshare.services.demo import seed_demo
    from carshare.timeutil import TOKYO

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'live.db'}"
    migrate.upgrade(url)
    app = create_app("testing", DATABASE_URL=url)
    with app.app_context(), Session(get_engine()) as session:
        seed_demo(session, utcnow(), TOKYO)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    server.shutdown()


@pytest.fixture
def page(browser, live_url: str) -> Iterator:  # type: ignore[no-untyped-def]
    """A fresh page signed in as the demo staff member, in Japanese."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1366, "height": 900},
                                  locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(30_000)  # a loaded 2-core CI machine can be slow
    page.goto("/login")
    page.fill("#username", "madoguchi")
    page.fill("#password", "teshio-demo-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    yield page
    context.close()
