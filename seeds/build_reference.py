"""Write seeds/reference/gemeenten-2025.trig: the 342 municipalities and 12 provinces of 2025.

Reference facts the graph needs on a fresh machine (so a map can place every municipality
before any boundaries are imported): for each municipality its name, CBS code, province,
TOOI identifier and a representative point; for each province its name, CBS code, TOOI
identifier and a representative point. They are derived from the CBS/PDOK boundaries as
published in the cartomap/nl repository (``wgs84/gemeente_2025.topojson`` and
``wgs84/provincie_2025.topojson``), which the project keeps beside the repository in
``../shared/data/geo`` and never copies.

The output is deterministic (sorted by code, fixed number formatting, no blank nodes, no
wall-clock time), so re-running the script on the same input gives a byte-identical file;
``tests/test_seeds.py`` checks that.

Usage::

    python seeds/build_reference.py ../shared/data/geo            # writes the default output
    python seeds/build_reference.py ../shared/data/geo --out x.trig
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from shapely.geometry import MultiPolygon, Point, Polygon

GRAPH = "https://w3id.org/regiokg/graph/reference/gemeenten-2025"
ID = "https://w3id.org/regiokg/id/"
CARTOMAP_COMMIT = "01e3b4cea860e7bb5dc3bddbfff72d3e4f4709e6"
MUNICIPALITY_FILE = "gemeente_2025.topojson"
PROVINCE_FILE = "provincie_2025.topojson"
DEFAULT_OUT = Path(__file__).resolve().parent / "reference" / "gemeenten-2025.trig"
DECIMALS = 5

PREFIXES = """@prefix rk:      <https://w3id.org/regiokg/def#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix geo:     <http://www.opengis.net/ont/geosparql#> .
@prefix gm:      <https://w3id.org/regiokg/id/gemeente/> .
@prefix pv:      <https://w3id.org/regiokg/id/provincie/> .
@prefix geom:    <https://w3id.org/regiokg/id/geometrie/> .
@prefix o:       <https://w3id.org/regiokg/id/organisatie/> .
"""


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat positions of every arc of a quantized, delta-encoded TopoJSON topology."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join the arcs of one ring; a negative index ~i means arc i reversed."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def shape(geometry: dict, arcs: list[list[tuple[float, float]]]) -> Polygon | MultiPolygon:
    """A shapely (Multi)Polygon for one TopoJSON Polygon/MultiPolygon geometry."""
    def polygon(rings: list[list[int]]) -> Polygon:
        shell, *holes = (ring(r, arcs) for r in rings)
        return Polygon(shell, holes)

    if geometry["type"] == "Polygon":
        return polygon(geometry["arcs"])
    if geometry["type"] == "MultiPolygon":
        return MultiPolygon([polygon(p) for p in geometry["arcs"]])
    raise ValueError(f"unsupported geometry type {geometry['type']!r} for {geometry.get('id')}")


def features(path: Path) -> list[tuple[dict, Polygon | MultiPolygon]]:
    """(properties, shape) for every geometry of the single object in a TopoJSON file."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    (collection,) = topology["objects"].values()
    return [(g["properties"], shape(g, arcs)) for g in collection["geometries"]]


def literal(text: str) -> str:
    """A Turtle string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wkt_point(point: Point, *, decimals: int = DECIMALS) -> str:
    return f'"POINT({point.x:.{decimals}f} {point.y:.{decimals}f})"^^geo:wktLiteral'


def province_of(point: Point, provinces: list[tuple[str, Polygon | MultiPolygon]]) -> str:
    """The code of the province containing ``point``; the nearest one if the simplified
    boundaries leave it just outside all of them."""
    for code, area in provinces:
        if area.contains(point):
            return code
    return min(provinces, key=lambda item: item[1].distance(point))[0]


def build(geo_dir: Path) -> str:
    """The TriG text of the reference graph, from the two TopoJSON files in ``geo_dir``."""
    municipality_path, province_path = geo_dir / MUNICIPALITY_FILE, geo_dir / PROVINCE_FILE
    provinces = sorted(((p["statcode"], p["statnaam"], s) for p, s in features(province_path)))
    municipalities = sorted(((p["statcode"], p["statnaam"], s) for p, s in features(municipality_path)))
    province_areas = [(code, area) for code, _, area in provinces]
    digest = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (municipality_path, province_path)}
    base = f"https://github.com/cartomap/nl/blob/{CARTOMAP_COMMIT}/wgs84/"

    out = [
        "# Reference facts: the 342 municipalities and 12 provinces of the Netherlands on 1 January 2025,",
        "# with CBS code, province, TOOI identifier and a representative point (shapely",
        "# representative_point of the simplified CBS/PDOK boundary, WGS84 lon/lat, 5 decimals).",
        "# Generated by seeds/build_reference.py from cartomap/nl wgs84/gemeente_2025.topojson and",
        "# wgs84/provincie_2025.topojson; do not edit by hand, re-run the script.",
        "",
        PREFIXES,
        f"<{GRAPH}> {{",
        "",
        f"  <{GRAPH}> a rk:ReferenceData ;",
        '      dcterms:title "Gemeenten en provincies van Nederland per 1 januari 2025"@nl ,',
        '                    "Municipalities and provinces of the Netherlands on 1 January 2025"@en ;',
        "      dcterms:publisher o:cbs ;",
        '      dcterms:date "2025-01-01"^^xsd:date ;',
        f"      dcterms:source {literal(base + MUNICIPALITY_FILE)} , {literal(base + PROVINCE_FILE)} ;",
        "      dcterms:description "
        + literal(
            "Gemeente- en provinciegrenzen van CBS/PDOK (vereenvoudigd, WGS84) via de repository "
            f"cartomap/nl, commit {CARTOMAP_COMMIT}; invoer SHA-256 "
            + ", ".join(f"{name} {value}" for name, value in sorted(digest.items()))
            + "; omgezet door seeds/build_reference.py. Provincie van een gemeente: de provincie die "
            "het representatieve punt van de gemeente bevat."
        )
        + "@nl .",
        "",
        '  o:cbs a org:Organization ; rdfs:label "Centraal Bureau voor de Statistiek" ; skos:altLabel "CBS" .',
        "",
    ]
    for code, name, area in provinces:
        number = code.lower()
        out += [
            f"  pv:{code} a rk:Province ; rdfs:label {literal(name)} ; rk:cbsCode {literal(code)} ;",
            f"      owl:sameAs <https://identifier.overheid.nl/tooi/id/provincie/{number}> ;",
            f"      geo:hasCentroid geom:{code}-punt .",
            f"  geom:{code}-punt a geo:Geometry ; geo:asWKT {wkt_point(area.representative_point())} .",
        ]
    out.append("")
    for code, name, area in municipalities:
        point = area.representative_point()
        out += [
            f"  gm:{code} a rk:Municipality ; rdfs:label {literal(name)} ; rk:cbsCode {literal(code)} ;",
            f"      rk:province pv:{province_of(point, province_areas)} ;",
            f"      owl:sameAs <https://identifier.overheid.nl/tooi/id/gemeente/{code.lower()}> ;",
            f"      geo:hasCentroid geom:{code}-punt .",
            f"  geom:{code}-punt a geo:Geometry ; geo:asWKT {wkt_point(point)} .",
        ]
    out += ["}", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("geo_dir", type=Path, help="folder with gemeente_2025.topojson and provincie_2025.topojson")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output TriG file (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    for name in (MUNICIPALITY_FILE, PROVINCE_FILE):
        if not (args.geo_dir / name).is_file():
            parser.error(f"{args.geo_dir / name} not found: pass the folder holding {MUNICIPALITY_FILE} and {PROVINCE_FILE}")
    text = build(args.geo_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
