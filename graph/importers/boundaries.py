"""CBS municipality and province boundaries -> geometry (GeoSPARQL WKT) and lineage graphs.

``import_boundaries`` reads TopoJSON/GeoJSON files (a file or a folder). The newest year's
municipality and province boundaries become ``graph/import/boundaries-<year>``: for each
current municipality and province a ``geo:hasGeometry`` (polygon, coordinates rounded to
5 decimals, WGS84 lon/lat = GeoSPARQL's default CRS84) and a ``geo:hasCentroid`` point,
plus ``geo:sfWithin`` the province that contains the municipality's interior point. When an
older municipality file is also given, ``graph/import/lineage`` is derived from the two
(see :mod:`graph.importers.lineage`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import shapely
from shapely import make_valid
from shapely.geometry import MultiPolygon

from graph.coverage import add_coverage
from graph.errors import BadInput
from graph.importers import lineage as lin
from graph.importers.rdfbuild import (
    DCTERMS,
    GEO,
    ORG,
    RDF,
    RDFS,
    RK,
    SKOS,
    TOOI_GEMEENTE,
    Literal,
    URIRef,
    date_literal,
    describe,
    graph_iri,
    municipality,
    new_graph,
    province,
    rk_id,
)
from graph.importers.report import ImportReport
from graph.importers.sources import SourceFile, combined_sha256, read_sources
from graph.importers.topojson import Feature, read_features

PUBLISHER = "CBS / PDOK (via github.com/cartomap/nl)"
WKT_PRECISION = 5


def polygonal(geometry):
    """A valid Polygon/MultiPolygon: ``make_valid`` can return a GeometryCollection with
    slivers (lines, points) of the simplified maps; only the polygons are kept."""
    geometry = make_valid(geometry)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for g in getattr(geometry, "geoms", [geometry]) for p in getattr(g, "geoms", [g])
             if p.geom_type == "Polygon" and not p.is_empty]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def wkt(geometry) -> Literal:
    """A GeoSPARQL WKT literal, coordinates rounded to :data:`WKT_PRECISION` decimals."""
    return Literal(shapely.to_wkt(geometry, rounding_precision=WKT_PRECISION, trim=True),
                   datatype=GEO.wktLiteral)


def feature_kind_year(feature: Feature, *, where: str) -> tuple[str, int]:
    """(``gemeente``/``provincie``, year) of a CBS feature, from ``statcode`` and ``jrstatcode``."""
    props = feature.properties
    code, yearcode = str(props.get("statcode", "")), str(props.get("jrstatcode", ""))
    if code[:2] not in ("GM", "PV") or not yearcode[:4].isdigit():
        raise BadInput(f"{where}: feature without a CBS statcode/jrstatcode ({dict(list(props.items())[:4])})")
    return ("gemeente" if code.startswith("GM") else "provincie"), int(yearcode[:4])


def load_boundaries(files: list[SourceFile]) -> tuple[dict[tuple[str, int], list[Feature]],
                                                     dict[tuple[str, int], list[SourceFile]]]:
    """Features grouped by (kind, year) over all files, and the files of each group."""
    groups: dict[tuple[str, int], list[Feature]] = defaultdict(list)
    origin: dict[tuple[str, int], list[SourceFile]] = defaultdict(list)
    for f in files:
        for feature in read_features(f.data, where=f.location):
            key = feature_kind_year(feature, where=f.location)
            groups[key].append(feature)
            if f not in origin[key]:
                origin[key].append(f)
    return dict(groups), dict(origin)


def add_geometry(g, subject: URIRef, code: str, year: int, geometry, *, centroid: bool = True) -> None:
    """Attach a polygon and (unless ``centroid`` is false) a centroid point geometry
    (IRIs ``geometrie/<code>-<year>`` and ``geometrie/<code>-<year>-centroid``)."""
    shape, point = rk_id(f"geometrie/{code}-{year}"), rk_id(f"geometrie/{code}-{year}-centroid")
    g.add((subject, GEO.hasGeometry, shape))
    g.add((shape, RDF.type, GEO.Geometry))
    g.add((shape, GEO.asWKT, wkt(geometry)))
    if not centroid:
        return
    g.add((subject, GEO.hasCentroid, point))
    g.add((point, RDF.type, GEO.Geometry))
    g.add((point, GEO.asWKT, wkt(geometry.centroid)))


def containing_province(geometry, provinces: list[tuple[str, Any]]) -> str | None:
    """The province (code) whose boundary contains the geometry's interior point."""
    point = geometry.representative_point()
    return next((code for code, shape in provinces if shape.contains(point)), None)


def build_boundaries_graph(municipalities: list[Feature], provinces: list[Feature], *, year: int,
                           files: list[SourceFile], have_centroid: frozenset[str] = frozenset()):
    """The boundaries graph of one year and the province of each municipality.

    Things in ``have_centroid`` (IRIs that another graph already gives a centroid point)
    get no second one."""
    g = new_graph()
    iri = graph_iri(f"boundaries-{year}")
    describe(g, iri, title=f"Gemeente- en provinciegrenzen {year} (CBS/PDOK, vereenvoudigd)", publisher=PUBLISHER,
             date=f"{year}-01-01", sources=[f.location for f in files], sha256=combined_sha256(files),
             description=f"Simplified WGS84 boundaries of {len(municipalities)} municipalities and "
                         f"{len(provinces)} provinces on 1 January {year}, with centroids.")
    province_shapes = [(f.properties["statcode"], polygonal(f.geometry)) for f in provinces]
    for code, shape in province_shapes:
        add_geometry(g, province(code), code, year, shape, centroid=str(province(code)) not in have_centroid)
    within = {}
    for f in sorted(municipalities, key=lambda f: f.properties["statcode"]):
        code = f.properties["statcode"]
        shape = polygonal(f.geometry)
        add_geometry(g, municipality(code), code, year, shape,
                     centroid=str(municipality(code)) not in have_centroid)
        within[code] = in_province = containing_province(shape, province_shapes)
        if in_province:
            g.add((municipality(code), GEO.sfWithin, province(in_province)))
    return iri, g, within


def build_lineage_graph(successions: list[lin.Succession], old: list[Feature], *, old_year: int, new_year: int,
                        provinces: list[Feature], files: list[SourceFile]):
    """The lineage graph: dissolved municipalities, change events, former names."""
    g = new_graph()
    iri = graph_iri("lineage")
    fallback = f"{new_year}-01-01"
    describe(g, iri, title=f"Gemeentelijke herindelingen {old_year}-{new_year}, afgeleid uit de grenzen",
             publisher=PUBLISHER, date=fallback, sources=[f.location for f in files], sha256=combined_sha256(files),
             description=f"Each municipality of {old_year} linked to the municipality of {new_year} that holds "
                         "the largest part of its area; dissolution dates from CBS.")
    province_shapes = [(f.properties["statcode"], polygonal(f.geometry)) for f in provinces]
    old_shapes = {f.properties["statcode"]: polygonal(f.geometry) for f in old}
    notes = []
    for s in successions:
        node = municipality(s.old_code)
        if s.continues:
            if s.old_name != s.successor_name:
                g.add((node, SKOS.altLabel, Literal(s.old_name)))
            continue
        if s.date is None:
            notes.append(f"{s.old_name} ({s.old_code}): no dissolution date known; dated {fallback} (upper bound)")
        g.add((node, RDF.type, RK.Municipality))
        g.add((node, RK.cbsCode, Literal(s.old_code)))
        g.add((node, RDFS.label, Literal(s.old_name)))
        g.add((node, URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef(TOOI_GEMEENTE + s.old_code.lower())))
        g.add((node, RK.dissolvedOn, date_literal(s.date or fallback)))
        g.add((node, DCTERMS.isReplacedBy, municipality(s.successor_code)))
        code = containing_province(old_shapes[s.old_code], province_shapes)
        if code:
            g.add((node, RK.province, province(code)))
        add_geometry(g, node, s.old_code, old_year, old_shapes[s.old_code])
        if s.is_split:
            for code, share in s.shares[1:]:
                if share >= lin.SPLIT_PART_MIN:
                    g.add((node, RK.partlyReplacedBy, municipality(code)))
            notes.append(f"{s.old_name} ({s.old_code}) was divided: "
                         + ", ".join(f"{c} {share:.0%}" for c, share in s.shares))
    for path, event in lin.change_events(successions, fallback_date=fallback).items():
        node = rk_id(path)
        g.add((node, RDF.type, ORG.ChangeEvent))
        g.add((node, DCTERMS.date, date_literal(event["date"])))
        g.add((node, ORG.resultingOrganization, municipality(event["result"])))
        names = []
        for s in event["originals"]:
            g.add((node, ORG.originalOrganization, municipality(s.old_code)))
            g.add((municipality(s.old_code), ORG.changedBy, node))
            names.append(s.old_name)
            if s.is_split:
                g.add((node, DCTERMS.description, Literal(
                    f"{s.old_name} was divided; area shares: "
                    + ", ".join(f"{c} {share:.0%}" for c, share in s.shares), lang="en")))
        g.add((municipality(event["result"]), ORG.resultedFrom, node))
        g.add((node, RDFS.label, Literal(f"{', '.join(sorted(names))} -> {event['name']} ({event['date']})")))
    return iri, g, notes


def import_boundaries(kg, path_or_url=None, *, validate: bool = False) -> list[ImportReport]:
    """Import the newest boundaries (and the lineage when older municipality boundaries are given)."""
    started = time.perf_counter()
    files = read_sources(path_or_url, dataset="boundaries", suffixes=(".topojson", ".json", ".geojson"))
    groups, origin = load_boundaries(files)
    years = sorted({year for kind, year in groups if kind == "gemeente"})
    if not years:
        raise BadInput(f"{path_or_url}: no municipality (GM) boundaries found")
    new_year = years[-1]
    provinces = groups.get(("provincie", new_year), [])
    current = groups[("gemeente", new_year)]
    used = origin[("gemeente", new_year)] + [f for f in origin.get(("provincie", new_year), [])
                                             if f not in origin[("gemeente", new_year)]]
    target = graph_iri(f"boundaries-{new_year}")
    have_centroid = frozenset(r["thing"].value for r in kg.select("import_existing_centroids")
                              if r["g"].value != target) if kg is not None else frozenset()
    iri, g, _ = build_boundaries_graph(current, provinces, year=new_year, files=used, have_centroid=have_centroid)
    report = ImportReport("boundaries", iri, ", ".join(f.location for f in used), rows_read=len(current) + len(provinces))
    centroids = sum(1 for t in g if t[1] == GEO.hasCentroid)
    report.counts = {"municipalities": len(current), "provinces": len(provinces), "centroids added": centroids}
    if centroids < len(current) + len(provinces):
        report.notes.append(f"{len(current) + len(provinces) - centroids} municipalities/provinces already have a "
                            "centroid point in another graph (reference data); not repeated here")
    add_coverage(g, iri)   # what this graph covers (graph/coverage.py)
    report.triples = kg.replace_graph(iri, g, validate=validate) if kg is not None else len(g)
    report.seconds = time.perf_counter() - started
    reports = [report]
    if len(years) > 1:
        started = time.perf_counter()
        old_year = years[0]
        old = groups[("gemeente", old_year)]
        lineage_files = origin[("gemeente", old_year)] + origin[("gemeente", new_year)]
        successions = lin.derive_lineage(old, current)
        iri, g, notes = build_lineage_graph(successions, old, old_year=old_year, new_year=new_year,
                                            provinces=provinces, files=lineage_files)
        dissolved = [s for s in successions if not s.continues]
        rep = ImportReport("lineage", iri, f"boundaries {old_year} and {new_year}", rows_read=len(old))
        rep.counts = {"continuing": len(successions) - len(dissolved), "dissolved": len(dissolved),
                      "renamed": sum(s.continues and s.old_name != s.successor_name for s in successions),
                      "change events": len(lin.change_events(successions, fallback_date=f"{new_year}-01-01"))}
        rep.notes = notes
        rep.details = {"dissolved": {s.old_code: [s.old_name, s.successor_code, s.successor_name, s.date]
                                     for s in dissolved}}
        add_coverage(g, iri)
        rep.triples = kg.replace_graph(iri, g, validate=validate) if kg is not None else len(g)
        rep.seconds = time.perf_counter() - started
        reports.append(rep)
    return reports
