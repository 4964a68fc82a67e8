"""axe-core checks and screenshots shared by the browser tests."""

from __future__ import annotations

import os

TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
SHOTS = os.environ.get("SCREENSHOT_DIR", "")  # a folder to keep screenshots in, if set


def all_violations(page, impacts: tuple[str, ...] | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """Return the axe violations (WCAG 2.x A and AA) of the current page, described; only
    those of ``impacts`` when given."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    found = Axe().run(page, options=options).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in found if impacts is None or v["impact"] in impacts]


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Return the serious and critical axe violations of the current page, described."""
    return all_violations(page, ("serious", "critical"))


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Keep a full-page screenshot as ``name`` in ``SCREENSHOT_DIR`` when it is set."""
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def look(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Check the page with axe (no violation at all) and keep a screenshot when asked to."""
    assert all_violations(page) == [], page.url
    shoot(page, name)
