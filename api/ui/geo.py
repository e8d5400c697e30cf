"""Municipality shapes and points for the maps, from the geometries in the store.

Boundaries (``geo:hasGeometry``) come from the boundaries import; when there are none a
municipality is drawn as its centroid point (``geo:hasCentroid``) from the reference data.
"""

from __future__ import annotations

import math
import re
from typing import Any

import shapely
import shapely.wkt
from shapely.geometry import mapping

_CRS_PREFIX = re.compile(r"^\s*<[^>]*>\s*")


def parse_wkt(text: str | None) -> Any:
    """A shapely geometry from a GeoSPARQL WKT literal (an optional CRS IRI prefix is dropped);
    None for empty or unreadable text."""
    if not text:
        return None
    try:
        return shapely.wkt.loads(_CRS_PREFIX.sub("", text))
    except shapely.errors.GEOSException:
        return None


def _rounded(coords: Any, digits: int) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(c, digits) for c in coords]
    return [_rounded(c, digits) for c in coords]


def to_geojson_geometry(shape: Any, *, tolerance: float = 0.0005, digits: int = 4) -> dict:
    """GeoJSON geometry of a shape, simplified (degrees) and rounded to keep maps light."""
    if shape.geom_type == "GeometryCollection":
        parts = [g for g in shape.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        shape = shapely.union_all(parts) if parts else shape.representative_point()
    if tolerance and shape.geom_type in ("Polygon", "MultiPolygon"):
        simpler = shape.simplify(tolerance, preserve_topology=True)
        shape = simpler if not simpler.is_empty else shape
    geometry = mapping(shape)
    return {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"], digits)}


def municipality_features(rows: list[dict[str, Any]], *, label: Any, page_url: Any,
                          counts: dict[str, int] | None = None) -> dict:
    """A GeoJSON FeatureCollection of the current municipalities (dissolved ones left out).

    ``rows`` come from ``ui_municipality_geometries.rq``; ``label(iri)`` and
    ``page_url(iri)`` name and link them; ``counts`` adds ``arrangements`` per IRI.
    The collection says ``"kind": "polygons"`` when any boundary was found, else ``"points"``.
    """
    features = []
    polygons = 0
    for row in one_row_each(rows):
        if row.get("dissolved"):
            continue
        shape = parse_wkt(row.get("wkt"))
        centre = parse_wkt(row.get("centroid"))
        shape = None if shape is None or shape.is_empty else shape
        centre = None if centre is None or centre.is_empty else centre
        if shape is None and centre is None:
            continue
        if shape is not None and shape.geom_type in ("Polygon", "MultiPolygon"):
            polygons += 1
        if centre is None:
            centre = shape.representative_point()
        geometry = to_geojson_geometry(shape if shape is not None else centre)
        features.append({
            "type": "Feature",
            "id": row["cbs"],
            "geometry": geometry,
            "properties": {
                "iri": row["m"], "cbs": row["cbs"], "name": label(row["m"]),
                "province": label(row.get("province")) if row.get("province") else None,
                "url": page_url(row["m"]),
                "centroid": [round(centre.x, 4), round(centre.y, 4)],
                "arrangements": (counts or {}).get(row["m"], 0),
            },
        })
    return {"type": "FeatureCollection", "kind": "polygons" if polygons else "points",
            "features": features}


def one_row_each(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per municipality (the query repeats one per combination of optional values),
    merging the values found, ordered by CBS code."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        into = merged.setdefault(row["m"], {})
        for key, value in row.items():
            if value is not None and key not in into:
                into[key] = value
    return sorted(merged.values(), key=lambda r: (r.get("cbs") or "", r["m"]))


def centroids(rows: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """``{municipality iri: (lon, lat)}`` for every municipality with a geometry."""
    out = {}
    for row in one_row_each(rows):
        centre = parse_wkt(row.get("centroid"))
        if centre is None:
            shape = parse_wkt(row.get("wkt"))
            centre = shape.representative_point() if shape is not None else None
        if centre is not None:
            out[row["m"]] = (centre.x, centre.y)
    return out


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lon, lat) points.

    >>> round(distance_km((5.0, 52.0), (6.0, 52.0)))
    68
    """
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))
