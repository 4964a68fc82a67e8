"""Every test gets its kind as a marker, so that a part of the suite can be chosen
(``make test-fast`` leaves out browser, pg, subprocess and slow tests).

- ``browser``: drives Chromium (uses the ``page``/``browser`` fixtures, or lives in a module of
  browser tests);
- ``pg``: runs on PostgreSQL (the ``postgresql`` backend, or a module that needs its own
  PostgreSQL database or cluster);
- ``subprocess``: starts other processes (servers, workers, commands, a private cluster);
- ``slow``: listed in ``SLOW`` (over about 10 s on a quiet two-core machine).
"""

from __future__ import annotations

from types import ModuleType

import pytest

BROWSER_FIXTURES = frozenset({"page", "browser", "live_server", "live_url"})
PG_NAMES = frozenset({"pg_base_url", "private_cluster", "fresh_database"})
#: Names a module holds when its tests start servers, workers or commands.
PROCESS_NAMES = frozenset({"subprocess", "gunicorn", "embedded", "workers", "private_cluster",
                           "live", "_running", "free_port", "serve_app"})
#: Test files or node ids over about 10 s each (``--durations`` of a full run).
SLOW: frozenset[str] = frozenset()


def _module_names(module: ModuleType | None) -> set[str]:
    return set(vars(module)) if module is not None else set()


def kinds(item: pytest.Item) -> set[str]:
    """Return the markers a collected test gets from what it uses."""
    names = _module_names(getattr(item, "module", None))
    params = getattr(getattr(item, "callspec", None), "params", {})
    fixtures = set(getattr(item, "fixturenames", ())) - set(params)  # not parametrize's names
    found = set()
    if (fixtures | names) & BROWSER_FIXTURES or "/browser/" in item.nodeid \
            or "_browser" in item.nodeid:
        found.add("browser")
    if params.get("backend") == "postgresql" or names & PG_NAMES:
        found.add("pg")
    if names & PROCESS_NAMES:
        found.add("subprocess")
    if item.nodeid in SLOW or item.nodeid.split("::")[0] in SLOW:
        found.add("slow")
    return found


def mark(items: list[pytest.Item]) -> None:
    """Add each test's kinds as markers."""
    for item in items:
        for kind in kinds(item):
            item.add_marker(getattr(pytest.mark, kind))
