"""Read an OpenStreetMap extract with pyosmium: count its roads, or keep those in a box."""

from __future__ import annotations

from pathlib import Path

import osmium

BBox = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def count_roads(extract: Path) -> tuple[int, int]:
    """Return (nodes on roads, roads) of an extract (ways tagged ``highway``)."""
    nodes: set[int] = set()
    ways = 0
    for way in osmium.FileProcessor(str(extract), osmium.osm.WAY):
        if "highway" in way.tags:
            ways += 1
            nodes.update(n.ref for n in way.nodes)
    return len(nodes), ways


def clip(extract: Path, out: Path, bbox: BBox) -> tuple[int, int]:
    """Write the roads with at least one node inside ``bbox`` (whole, so none is cut short).

    :return: (nodes, roads) written.
    """
    min_lon, min_lat, max_lon, max_lat = bbox
    inside: set[int] = set()
    for node in osmium.FileProcessor(str(extract), osmium.osm.NODE):
        loc = node.location
        if loc.valid() and min_lon <= loc.lon <= max_lon and min_lat <= loc.lat <= max_lat:
            inside.add(node.id)
    keep_ways, keep_nodes = [], set()
    for way in osmium.FileProcessor(str(extract), osmium.osm.WAY):
        refs = [n.ref for n in way.nodes]
        if "highway" in way.tags and any(r in inside for r in refs):
            keep_ways.append(way.id)
            keep_nodes.update(refs)
    wanted = set(keep_ways)
    writer = osmium.SimpleWriter(str(out), overwrite=True)
    try:
        for node in osmium.FileProcessor(str(extract), osmium.osm.NODE):
            if node.id in keep_nodes:
                writer.add_node(node)
        for way in osmium.FileProcessor(str(extract), osmium.osm.WAY):
            if way.id in wanted:
                writer.add_way(way)
    finally:
        writer.close()
    return len(keep_nodes), len(keep_ways)
