"""Loading the roads: the CLI builds a graph with progress and reports snapping; staff see the
road data page with the places to fix."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from carshare.models import AuditLog, Place, PlaceKind, Resident
from carshare.roads.store import current_graph
from carshare.services.road_snapping import snap_report
from tests.conftest import csrf_token, login
from tests.factories import add, hash_password
from tests.roads.conftest import river_town
from tests.roads.osm_town import write_town


def test_snapping_reports_a_place_far_from_any_road(session: Session) -> None:
    t = river_town(session)
    add(session, Place(town_id=t["town"].id, kind=PlaceKind.SHOP, name="川岸の店",
                       lat=44.8965, lon=141.72, settlement="本町"))  # 170 m north of the road
    session.commit()
    report = snap_report(session, t["town"].id)
    assert report is not None and report.total == 6
    assert report.on_road == 4
    [off, shop] = report.to_check  # off the network first, then the farthest
    assert (off.name, off.metres) == ("far_farm", None)
    assert shop.name == "川岸の店" and 150 < shop.metres < 190
    assert report.off_network == 1


def test_the_cli_builds_with_progress_and_lists_places_to_fix(
        app: Flask, session: Session, tmp_path: Path) -> None:
    river_town(session)
    extract = write_town(tmp_path / "region.osm.pbf")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["roads", "build", str(extract), "--bbox",
                                 "141.69,44.89,141.81,44.93"])
    assert result.exit_code == 0, result.output
    assert "Building the road graph" in result.output
    assert "川町 (river): 4 of 5 places within 150 m of a road" in result.output
    assert "check home #" in result.output and "no road within 2 km" in result.output
    assert "far_farm" not in result.output  # a home's name stays out of the terminal log
    status = runner.invoke(args=["roads", "status"])
    assert "Road graph" in status.output and "region.osm.pbf" in status.output


def test_the_cli_refuses_a_bad_extract_and_keeps_the_graph(app: Flask, road_root: Path,
                                                          tmp_path: Path) -> None:
    before = current_graph(road_root)
    bad = tmp_path / "notes.osm.pbf"
    bad.write_bytes(b"not an extract")
    result = app.test_cli_runner().invoke(args=["roads", "build", str(bad)])
    assert result.exit_code != 0 and "cannot read" in result.output
    result = app.test_cli_runner().invoke(args=["roads", "build", str(bad), "--bbox", "9,9"])
    assert result.exit_code != 0 and "min_lon,min_lat,max_lon,max_lat" in result.output
    assert current_graph(road_root) == before


def test_staff_see_the_places_to_fix_and_the_view_is_audited(
        app: Flask, client: FlaskClient, session: Session) -> None:
    t = river_town(session)
    farm = t["places"]["far_farm"]
    add(session, Resident(town_id=t["town"].id, family_name="<b>遠野</b>", given_name="一",
                          family_name_kana="トオノ", given_name_kana="ハジメ",
                          home_place_id=farm.id))
    farm.name = "<script>x</script>遠野宅"
    session.commit()
    t["staff"].password_hash = hash_password("river-staff-2026")
    session.commit()
    assert login(client, "river-staff", "river-staff-2026").status_code == 302
    html = client.get("/settings/roads").get_data(as_text=True)
    assert "道路データ" in html and "時刻は道路網から計算しています" in html
    assert "5 か所のうち 4 か所が道路から 150 m 以内にあります。" in html
    assert "&lt;script&gt;x&lt;/script&gt;遠野宅" in html and "<script>x" not in html
    assert "2 km 以内に道路なし" in html
    session.rollback()  # see what the request committed
    views = session.exec(select(AuditLog).where(AuditLog.entity == "place",
                                                AuditLog.action == "list")).all()
    assert [v.entity_id for v in views] == [farm.id]


def test_staff_are_told_when_a_saved_place_is_far_from_the_roads(
        staff_client: FlaskClient, session: Session) -> None:
    shop = session.exec(select(Place).where(Place.kind == PlaceKind.SHOP)).first()
    url = f"/records/places/{shop.id}"
    form = {"kind": "shop", "name": "北の店", "kana": "", "settlement": "本町",
            "csrf_token": csrf_token(staff_client.get(url).get_data(as_text=True))}

    def save(lat: str, lon: str) -> str:
        response = staff_client.post(url, data={**form, "lat": lat, "lon": lon},
                                     follow_redirects=True)
        assert response.status_code == 200
        return response.get_data(as_text=True)
    on_road = save("44.9051", "141.78")  # on the test town's north road
    assert "変更を保存しました" in on_road and "道路から" not in on_road
    near = save("44.9085", "141.78")
    assert "この位置は最寄りの道路から 3" in near and "m 離れています" in near
    assert "2 km 以上離れています" in save("44.99", "141.60")


def test_road_times_are_stored_once_and_read_by_every_process(
        app: Flask, session: Session) -> None:
    from carshare.domain import types as d
    from carshare.jobs.tasks import warm_road_times
    from carshare.services import travel
    from carshare.services.road_cache import cache_file, wait_for_warming

    t = river_town(session)
    wait_for_warming()  # the places' own background warm-up
    assert warm_road_times(app) == {"river": 5}
    graph = travel.road_graph()
    file = cache_file(graph.path, t["town"].id)
    assert file.exists()
    stamp = file.stat().st_mtime_ns
    assert warm_road_times(app) == {"river": 5} and file.stat().st_mtime_ns == stamp
    travel._road_times.cache_clear()  # a new process: starts from the file, asks no engine
    travel._engine.cache_clear()
    times = travel.road_times(graph.config_file, t["town"].id)
    assert times.size() == 5
    calls: list = []
    times.source = type("Counting", (), {"matrix": lambda *a, **k: calls.append(a)})()
    model = travel.travel_for(session, t["town"].id)
    home, clinic = (d.Place(p.id, p.name, p.lat, p.lon) for p in
                    (t["places"]["south_home"], t["places"]["north_clinic"]))
    assert 700 < model.matrix([home], [clinic], None)[0][0][0] < 1_000 and calls == []


def test_a_saved_place_has_its_road_times_before_the_next_quote(
        app: Flask, session: Session) -> None:
    from carshare.jobs.tasks import warm_road_times
    from carshare.services import travel
    from carshare.services.road_cache import wait_for_warming

    t = river_town(session)
    warm_road_times(app)
    graph = travel.road_graph()
    assert travel.road_times(graph.config_file, t["town"].id).size() == 5
    add(session, Place(town_id=t["town"].id, kind=PlaceKind.HOME, name="新しい家",
                       lat=44.9051, lon=141.76, settlement="本町"))  # a new caller's home
    t["places"]["north_shop"].lat = 44.8951  # moved across the river
    session.commit()
    wait_for_warming()
    times = travel.road_times(graph.config_file, t["town"].id)  # renewed from the stored file
    assert times.size() == 7
    session.rollback()
    add(session, Place(town_id=t["town"].id, kind=PlaceKind.HOME, name="取り消し",
                       lat=44.8951, lon=141.79, settlement="本町"))
    session.rollback()  # never committed: nothing computed
    wait_for_warming()
    assert travel.road_times(graph.config_file, t["town"].id).size() == 7
