"""Road-network travel times from OpenStreetMap, computed in-process by Valhalla (issue 20).

``build`` turns a region's ``.osm.pbf`` extract into a routing graph under ``instance/roads``;
``engine`` answers many-to-many matrices (optionally avoiding closed areas) and snaps places to
the nearest road; ``store`` says which graph is current.  Nothing here knows the database:
:mod:`carshare.services.road_travel` joins the graph to a town's places, settings and closures.
"""
