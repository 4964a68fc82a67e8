"""Task functions for tests: they wait, fail, or count, and are registered for one test."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask

from carshare.tasks import catalogue

GATE = threading.Event()
STATE: dict[str, Any] = {"running": 0, "most": 0, "calls": 0, "fail_first": 0}
_GUARD = threading.Lock()


def wait(_app: Flask, **_kwargs: Any) -> str:
    """Run until :data:`GATE` opens; record how many of these ran at once."""
    with _GUARD:
        STATE["running"] += 1
        STATE["calls"] += 1
        STATE["most"] = max(STATE["most"], STATE["running"])
    try:
        assert GATE.wait(60), "the test never opened the gate"
    finally:
        with _GUARD:
            STATE["running"] -= 1
    return "done"


def flaky(_app: Flask, **_kwargs: Any) -> str:
    """Fail the first ``STATE['fail_first']`` calls, then succeed."""
    with _GUARD:
        STATE["calls"] += 1
        if STATE["calls"] <= STATE["fail_first"]:
            raise RuntimeError("solver exploded")
    return "finally"


def register(monkeypatch: pytest.MonkeyPatch, name: str, func: str, **options: Any) -> None:
    """Add a task to the catalogue for this test, and reset the shared state."""
    GATE.clear()
    STATE.update(running=0, most=0, calls=0, fail_first=0)
    monkeypatch.setitem(catalogue.TASKS, name,
                        catalogue.TaskDef(name, f"tests.tasks.helpers:{func}", **options))
