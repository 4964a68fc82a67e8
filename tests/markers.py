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
#: Tests over about 10 s on SQLite (``PYTEST_ADDOPTS=--durations=80`` of a full CI run,
#: 2026-12-03): node ids without their parameters.
SLOW: frozenset[str] = frozenset({
    "tests/api/test_schema.py::test_api_keeps_its_description",
    "tests/domain/test_kernel.py::test_kernel_best_insertion_matches_python",
    "tests/domain/test_kernel.py::test_kernel_feasibility_and_cost_match_evaluator",
    "tests/domain/test_own_stops.py::test_every_plan_keeps_the_drivers_own_trips",
    "tests/domain/test_own_stops.py::test_quotes_and_replans_keep_own_trips_and_promises",
    "tests/domain/test_properties.py::test_replanning_never_breaks_a_promise",
    "tests/domain/test_properties.py::test_solver_routes_pass_evaluator_and_ortools",
    "tests/reliability/test_solver_faults.py::test_a_solver_that_raises_changes_nothing_and_says_so",
    "tests/roads/test_closures.py::test_a_closure_re_plans_the_ride_round_the_bypass",
    "tests/roads/test_closures.py::test_lifting_restores_the_day",
    "tests/roads/test_closures.py::test_no_way_round_shows_the_ride_at_risk",
    "tests/security/test_bad_input.py::test_fuzz_every_form_no_5xx_no_invalid_row",
    "tests/security/test_bad_input.py::"
    "test_payloads_in_every_text_field_are_stored_or_refused_and_shown_harmlessly",
    "tests/security/test_matrix.py::test_matrix_every_route_every_role",
    "tests/test_console_pages.py::test_replan_runs_in_the_background_and_shows_progress",
    "tests/test_demo_history.py::test_history_fills_last_months_report_and_costs",
})


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
    if item.nodeid.split("[")[0] in SLOW:
        found.add("slow")
    return found


def mark(items: list[pytest.Item]) -> None:
    """Add each test's kinds as markers."""
    for item in items:
        for kind in kinds(item):
            item.add_marker(getattr(pytest.mark, kind))
