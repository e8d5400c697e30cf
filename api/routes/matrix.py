"""/api/membership-matrix: municipalities x arrangements, compact, for visualisation
(the /matrix page draws this answer); CSV by ``Accept: text/csv`` (one line per cell)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import numpy as np
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import pdist

from api.deps import get_kg
from api.routes.common import Answer, QueryInfo, Ref, SourceRef, date_param, iri_or_slug, page_link, ref, value
from api.routes.protocol import choose_format
from graph.analysis.figures import default_run
from graph.kg import KnowledgeGraph

router = APIRouter(prefix="/api", tags=["matrix"])
ORDERS = ("code", "name", "similarity", "community")


class MatrixRow(BaseModel):
    iri: str
    cbs_code: str
    name: str | None
    n: int = Field(0, description="Arrangements of this municipality in the matrix.")
    page: str | None = None


class MatrixColumn(BaseModel):
    iri: str
    name: str | None
    n: int = Field(0, description="Member municipalities of this arrangement in the matrix.")
    page: str | None = None


class MatrixFilters(BaseModel):
    """The values the matrix can be filtered by (those occurring on memberships)."""

    province: list[Ref] = Field(default_factory=list)
    domain: list[Ref] = Field(default_factory=list)
    form: list[Ref] = Field(default_factory=list)


class Matrix(BaseModel):
    rows: list[MatrixRow]
    columns: list[MatrixColumn]
    cells: list[tuple[int, int, int]] = Field(description="[row index, column index, index into `graphs`]")
    graphs: list[str]
    order: str
    filters: MatrixFilters
    sources: list[SourceRef]
    query: list[QueryInfo]


def similarity_order(keys: list[str], sets: dict[str, set[str]]) -> list[str]:
    """``keys`` ordered so that similar sets sit together (average-linkage clustering on
    Jaccard distance, optimal leaf order up to 400 keys).

    >>> similarity_order(["a", "b", "c"], {"a": {1, 2}, "b": {9}, "c": {1, 2, 3}})
    ['b', 'a', 'c']
    """
    if len(keys) < 3:
        return sorted(keys)
    universe = sorted({x for k in keys for x in sets[k]}, key=str)
    column = {x: i for i, x in enumerate(universe)}
    matrix = np.zeros((len(keys), len(universe)), dtype=bool)
    for i, key in enumerate(keys):
        for x in sets[key]:
            matrix[i, column[x]] = True
    tree = linkage(pdist(matrix, metric="jaccard"), method="average", optimal_ordering=len(keys) <= 400)
    return [keys[i] for i in leaves_list(tree)]


def _community_index(kg) -> dict[str, int]:
    found = default_run(kg, "communities")["communities"]
    return {m["actor"]: i for i, group in enumerate(found, start=1) for m in group["members"]}


@router.get("/membership-matrix", response_model=Matrix,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                             "description": "The matrix; with Accept: text/csv one line per cell with its source."}})
async def get_membership_matrix(
    request: Request,
    province: str | None = Query(None, description="Province: slug in provincie/ (PV25) or IRI."),
    domain: str | None = Query(None, description="Policy domain: slug in beleidsdomein/ or IRI."),
    form: str | None = Query(None, description="Cooperation form: slug in samenwerkingsvorm/ or IRI."),
    date: str | None = Query(None, description="YYYY-MM-DD: memberships current on that date."),
    order: str = Query("code", pattern="^(code|name|similarity|community)$",
                       description="Row and column order: code (CBS code / name), name, similarity (clustered "
                                   "on shared members), community (the stored Louvain run)."),
    explain: bool = Query(False, description="Include the SPARQL text behind the answer."),
    kg: KnowledgeGraph = Depends(get_kg),
):
    """Which municipality is a member of which arrangement."""
    media = choose_format(request, ["application/json", "text/csv"], aliases={}, what="the membership matrix")
    answer = Answer(kg, explain=explain)
    rows_in = await answer.select(
        "api_membership_matrix", wantProvince=iri_or_slug(request, province, "provincie", name="province"),
        wantDomain=iri_or_slug(request, domain, "beleidsdomein", name="domain"),
        wantForm=iri_or_slug(request, form, "samenwerkingsvorm", name="form"), onDate=date_param(date))
    rows: dict[str, MatrixRow] = {}
    columns: dict[str, MatrixColumn] = {}
    pairs: dict[tuple[str, str], str] = {}
    for r in rows_in:
        m, a, g = value(r, "m"), value(r, "arrangement"), value(r, "g")
        rows.setdefault(m, MatrixRow(iri=m, cbs_code=value(r, "cbs"), name=value(r, "mLabel"), n=0,
                                      page=page_link(request, m)))
        columns.setdefault(a, MatrixColumn(iri=a, name=value(r, "aLabel"), n=0, page=page_link(request, a)))
        pairs.setdefault((m, a), g)
        answer.cite(g)
    by_row: dict[str, set[str]] = defaultdict(set)
    by_col: dict[str, set[str]] = defaultdict(set)
    for m, a in pairs:
        by_row[m].add(a)
        by_col[a].add(m)
    for m, row in rows.items():
        row.n = len(by_row[m])
    for a, col in columns.items():
        col.n = len(by_col[a])
    row_list = sorted(rows.values(), key=lambda x: (x.cbs_code, x.iri))
    col_list = sorted(columns.values(), key=lambda x: ((x.name or "").lower(), x.iri))
    if order == "name":
        row_list.sort(key=lambda x: ((x.name or "").lower(), x.iri))
    elif order == "similarity":
        ordered_rows = await run_in_threadpool(similarity_order, [x.iri for x in row_list], by_row)
        ordered_cols = await run_in_threadpool(similarity_order, [x.iri for x in col_list], by_col)
        row_list, col_list = [rows[i] for i in ordered_rows], [columns[i] for i in ordered_cols]
    elif order == "community":
        community = await run_in_threadpool(_community_index, kg)
        answer.cite(default_run(kg, "communities")["run"]["graph"])
        row_list.sort(key=lambda x: (community.get(x.iri, 1 << 30), -x.n, x.cbs_code))
        # an arrangement sits with the community most of its members belong to
        def col_key(x: MatrixColumn):
            counts: dict[int, int] = defaultdict(int)
            for m in by_col[x.iri]:
                counts[community.get(m, 1 << 30)] += 1
            best = min(counts, key=lambda c: (-counts[c], c)) if counts else 1 << 30
            return (best, -x.n, (x.name or "").lower())
        col_list.sort(key=col_key)
    row_index = {x.iri: i for i, x in enumerate(row_list)}
    col_index = {x.iri: i for i, x in enumerate(col_list)}
    graphs = sorted(set(pairs.values()))
    graph_index = {g: i for i, g in enumerate(graphs)}
    cells = sorted((row_index[m], col_index[a], graph_index[g]) for (m, a), g in pairs.items())
    sources = await answer.sources()
    if media == "text/csv":
        return Response(matrix_csv(row_list, col_list, cells, graphs, sources), media_type="text/csv; charset=utf-8",
                        headers={"Vary": "Accept", "Content-Disposition": 'attachment; filename="regiokg-matrix.csv"'})
    options = MatrixFilters()
    for r in await answer.select("api_matrix_filters"):
        found = ref(request, r["value"], r.get("label"))
        if found is not None:
            getattr(options, value(r, "facet")).append(found)
    return Matrix(rows=row_list, columns=col_list, cells=cells, graphs=graphs, order=order, filters=options,
                  sources=sources, query=answer.queries)


def matrix_csv(rows: list[MatrixRow], columns: list[MatrixColumn], cells: list[tuple[int, int, int]],
               graphs: list[str], sources: list[SourceRef]) -> str:
    """One line per cell: the municipality, the arrangement and the graph stating it."""
    titles = {s.graph: s for s in sources}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["municipality", "cbs_code", "municipality_iri", "arrangement", "arrangement_iri",
                     "source_title", "source_date", "source_graph"])
    for i, j, g in cells:
        source = titles.get(graphs[g])
        writer.writerow([rows[i].name or "", rows[i].cbs_code, rows[i].iri, columns[j].name or "", columns[j].iri,
                         (source.title if source else "") or "", (source.date if source else "") or "", graphs[g]])
    return buffer.getvalue()
