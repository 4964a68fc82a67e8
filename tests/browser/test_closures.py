"""Staff enter a road closure in the browser and see the rides it affects (issue 20.4).

The app serves the test town with its own road graph (built here, offline): a ride planned
along the north road, whose middle staff close for the ride's day.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session

from tests.browser.axe import shoot, violations
from tests.roads.osm_town import NORTH_LAT
from tests.roads.test_closures import FUTURE


@pytest.fixture(scope="module")
def road_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Serve the test town with its roads and one planned ride; stop it afterwards."""
    from werkzeug.serving import make_server

    from carshare import create_app, migrate
    from carshare.db import get_engine
    from carshare.roads.build import build_graph
    from carshare.services import travel
    from tests.roads.osm_town import write_town
    from tests.roads.test_closures import _planned_ride

    folder = tmp_path_factory.mktemp("closure_roads")
    build_graph(write_town(folder / "town.osm.pbf"), folder / "graphs")
    url = f"sqlite:///{folder / 'closures.db'}"
    migrate.upgrade(url)
    app = create_app("testing", DATABASE_URL=url, ROADS_DIR=str(folder / "graphs"))
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        ride = _planned_ride(session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "ride": ride}
    server.shutdown()
    travel.configure(None)


def test_a_closure_is_entered_and_its_ride_re_planned(browser, road_server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=road_server["url"], locale="ja-JP",
                                  viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.fill("#username", "river-staff")
    page.fill("#password", "x" * 12)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    page.click("summary:has-text('その他')")
    page.click("nav.main-nav a:has-text('通行止め')")
    page.wait_for_url("**/closures")
    assert violations(page) == []
    page.fill("#day", FUTURE.isoformat())
    page.check("input[name=kind][value=segment]")
    page.fill("#lat", str(NORTH_LAT))
    page.fill("#lon", "141.745")
    page.fill("#lat2", str(NORTH_LAT))
    page.fill("#lon2", "141.755")
    page.fill("#radius_m", "60")
    page.fill("#note", "北の道 橋の工事 <終日>")
    page.click("button:has-text('通行止めを登録する'), input[value='通行止めを登録する']")
    page.wait_for_selector("p.flash")
    said = page.inner_text("p.flash")
    assert "通行止めを登録しました" in said and "影響のある乗車 1件：再計画を始めました" in said
    assert page.inner_text("table.closures") .count("北の道 橋の工事 <終日>") == 1
    shoot(page, "closure-entered.png")
    assert violations(page) == []
    page.click("text=再計画の進み具合を見る")
    page.wait_for_url("**/dashboard/replan/*")
    page.wait_for_selector("text=完了", timeout=60_000)
    page.goto("/closures")
    page.click("table.closures button:has-text('解除')")
    page.wait_for_selector("p.flash")
    assert "通行止めを解除しました" in page.inner_text("p.flash")
    assert "職員が解除" in page.inner_text("table.closures")
    shoot(page, "closure-lifted.png")
    assert violations(page) == []
    context.close()
