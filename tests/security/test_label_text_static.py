"""Guards for every page and script, present and future, that draws text typed by people
(issue 19, finding 1; the browser tests are in tests/browser/test_label_text.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "carshare" / "web"
TEMPLATES = sorted((WEB / "templates").rglob("*.html"))
SCRIPTS = sorted(p for p in (WEB / "static").glob("*.js"))
LEAFLET = "vendor/leaflet/leaflet.js"


def _scripts_of(template: Path) -> list[str]:
    return re.findall(r"filename='([^']+\.js)'", template.read_text(encoding="utf-8"))


@pytest.mark.parametrize("template", [t for t in TEMPLATES if LEAFLET in t.read_text("utf-8")],
                         ids=lambda t: str(t.relative_to(WEB)))
def test_every_map_page_loads_map_text_right_after_leaflet(template: Path) -> None:
    scripts = _scripts_of(template)
    assert scripts[scripts.index(LEAFLET) + 1] == "map-text.js", scripts


@pytest.mark.parametrize("template", [t for t in TEMPLATES
                                      if "<head>" in t.read_text("utf-8")],
                         ids=lambda t: str(t.relative_to(WEB)))
def test_every_page_skeleton_loads_the_trusted_types_policy_first(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    first = re.search(r"<script[^>]*>", text)
    assert first and "trusted-types.js" in first.group() and "defer" not in first.group()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_script_hands_a_string_to_an_html_sink(script: Path) -> None:
    code = script.read_text(encoding="utf-8")
    if script.name == "trusted-types.js":
        return
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|"
                         r"\.html\(|createContextualFragment|parseFromString", code)
    for call in re.finditer(r"\.(bindTooltip|bindPopup|setTooltipContent|setPopupContent|"
                            r"setContent)\(\s*([^,)]*)", code):
        assert call.group(2).startswith("carshareLabel("), call.group()
