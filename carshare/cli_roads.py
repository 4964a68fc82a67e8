"""``flask --app app roads build EXTRACT.osm.pbf``: load the region's roads, with a progress bar,
then say how many of each town's places snap to a road (issue 20)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

roads_cli = AppGroup("roads", help="Road data for travel times (OpenStreetMap).")
STAGE_WORDS = {"initialize": "reading", "parseways": "roads", "parserelations": "turn rules",
               "parseareaways": "areas", "parsenodes": "junctions", "buildareas": "areas",
               "constructedges": "road segments", "build": "graph tiles",
               "enhance": "speeds and access", "filter": "unused roads", "hierarchy": "levels",
               "shortcuts": "shortcuts", "restrictions": "turn restrictions",
               "validate": "checks", "cleanup": "tidying up", "done": "done"}


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        box = tuple(float(v) for v in value.split(","))
    except ValueError:
        box = ()
    if len(box) != 4 or not (-180 <= box[0] < box[2] <= 180 and -90 <= box[1] < box[3] <= 90):
        raise click.BadParameter("give min_lon,min_lat,max_lon,max_lat, e.g. "
                                 "141.5,44.7,142.1,45.5", param_hint="--bbox")
    return box  # type: ignore[return-value]


@roads_cli.command("build")
@click.argument("extract", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bbox", default=None, help="Keep only roads in min_lon,min_lat,max_lon,max_lat.")
@with_appcontext
def roads_build(extract: Path, bbox: str | None) -> None:
    """Build the routing graph from an OpenStreetMap extract (.osm.pbf) and use it."""
    from carshare.roads.build import BuildError, build_graph
    from carshare.services.travel import configured_root

    root = configured_root()
    if root is None:
        raise click.ClickException("road data is switched off (CARSHARE_ROADS_DIR=off)")
    root.mkdir(parents=True, exist_ok=True)
    with click.progressbar(length=1, label="Building the road graph", show_percent=True,
                           item_show_func=lambda s: s) as bar:
        def progress(stage: str, done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos, STAGE_WORDS.get(stage, stage))
        try:
            info = build_graph(extract.resolve(), root, _bbox(bbox), progress)
        except BuildError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Road graph {info.build_id}: {info.ways} roads, {info.nodes} road nodes "
               f"from {info.source}; it is in use now.")
    _snapping_summary()
    _warm()


@roads_cli.command("warm")
@with_appcontext
def roads_warm() -> None:
    """Compute and store the road times between each town's places (the scheduler also does
    this every ten minutes)."""
    _warm()


def _warm() -> None:
    import time

    from carshare.db import get_engine, session_scope
    from carshare.services.road_cache import warm_all

    started = time.monotonic()
    with session_scope(get_engine()) as session:
        done = warm_all(session)
    for slug, points in done.items():
        click.echo(f"Road times stored for {slug}: {points} places.")
    if done:
        click.echo(f"({time.monotonic() - started:.1f} s)")


@roads_cli.command("status")
@with_appcontext
def roads_status() -> None:
    """Say which road graph is in use and how each town's places snap to it."""
    from carshare.services.travel import road_graph

    graph = road_graph()
    if graph is None:
        click.echo("No road data: travel times are great-circle estimates.")
        return
    click.echo(f"Road graph {graph.build_id} from {graph.source}, built {graph.built_at}: "
               f"{graph.ways} roads, {graph.nodes} road nodes.")
    _snapping_summary()


def _snapping_summary() -> None:
    from sqlmodel import select

    from carshare.db import get_engine, session_scope
    from carshare.models import PlaceKind, Town
    from carshare.services.road_snapping import NEAR_M, snap_report

    with session_scope(get_engine()) as session:
        for town in session.exec(select(Town).order_by(Town.id)):
            report = snap_report(session, town.id)
            if report is None:
                continue
            click.echo(f"{town.name} ({town.slug}): {report.on_road} of {report.total} places "
                       f"within {NEAR_M} m of a road (median {report.median_m} m, farthest "
                       f"{report.farthest_m} m).")
            for place in report.to_check:
                who = (f"home #{place.place_id}" if place.kind is PlaceKind.HOME
                       else f"{place.name} (#{place.place_id})")  # no names of homes in logs
                where = ("no road within 2 km: times are estimated" if place.metres is None
                         else f"{place.metres} m from the nearest road")
                click.echo(f"  check {who}: {where}")
    click.echo("Staff see the same list, with names, on the road data page (/settings/roads).")
