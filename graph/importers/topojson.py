"""Decode TopoJSON (and read GeoJSON) into shapely geometries, with no other dependency.

TopoJSON stores shared borders once as *arcs*; with a ``transform`` the arc positions are
quantized integers, delta-encoded along each arc. A polygon ring is a list of arc indexes,
where ``~i`` (that is ``-i - 1``) means arc ``i`` reversed. Consecutive arcs share their
end point, so the first point of every arc after the first is dropped when stitching.
This mirrors topojson-client's ``feature()``.

>>> topo = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
...         "arcs": [[[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]]],
...         "objects": {"x": {"type": "GeometryCollection", "geometries": [
...             {"type": "Polygon", "arcs": [[0]], "properties": {"statcode": "GM0001"}}]}}}
>>> [(f.properties["statcode"], f.geometry.area) for f in read_topology(topo)]
[('GM0001', 1.0)]

Complexity: linear in the number of arc points.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from graph.errors import BadInput


@dataclass(frozen=True)
class Feature:
    """One decoded geometry with its properties (``statcode``, ``statnaam`` ...)."""

    properties: dict[str, Any] = field(hash=False)
    geometry: BaseGeometry = field(hash=False)


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    decoded: list[list[tuple[float, float]]] = []
    for arc in topology.get("arcs", []):
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    coords: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        coords.extend(points if not coords else points[1:])
    return coords


def _geometry(obj: dict[str, Any], arcs: list[list[tuple[float, float]]], where: str) -> BaseGeometry:
    kind = obj.get("type")
    if kind == "Polygon":
        rings = [_ring(r, arcs) for r in obj["arcs"]]
        return Polygon(rings[0], rings[1:])
    if kind == "MultiPolygon":
        return MultiPolygon([Polygon(rs[0], rs[1:]) for rs in ([_ring(r, arcs) for r in p] for p in obj["arcs"])])
    raise BadInput(f"{where}: unsupported TopoJSON geometry type {kind!r} (expected Polygon or MultiPolygon)")


def read_topology(topology: dict[str, Any], *, where: str = "topology") -> list[Feature]:
    """Decode every geometry of every object of a TopoJSON ``Topology`` into features."""
    if topology.get("type") != "Topology":
        raise BadInput(f"{where}: not a TopoJSON Topology (type is {topology.get('type')!r})")
    arcs = _decode_arcs(topology)
    features = []
    for name, obj in sorted(topology.get("objects", {}).items()):
        geometries = obj.get("geometries", [obj]) if obj.get("type") == "GeometryCollection" else [obj]
        for i, geom in enumerate(geometries):
            props = dict(geom.get("properties") or {})
            try:
                features.append(Feature(props, _geometry(geom, arcs, f"{where}, object {name}, geometry {i}")))
            except (IndexError, ValueError, TypeError) as exc:
                raise BadInput(f"{where}, object {name}, geometry {i}: broken arcs ({exc})") from exc
    return features


def read_features(data: bytes, *, where: str = "input") -> list[Feature]:
    """Parse TopoJSON or GeoJSON bytes into features; errors name ``where``."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"{where}: not valid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise BadInput(f"{where}: expected a TopoJSON or GeoJSON object")
    if doc.get("type") == "Topology":
        return read_topology(doc, where=where)
    if doc.get("type") == "FeatureCollection":
        return [Feature(dict(f.get("properties") or {}), shape(f["geometry"])) for f in doc.get("features", [])]
    if doc.get("type") == "Feature":
        return [Feature(dict(doc.get("properties") or {}), shape(doc["geometry"]))]
    raise BadInput(f"{where}: neither TopoJSON (type Topology) nor GeoJSON (FeatureCollection), type is {doc.get('type')!r}")
