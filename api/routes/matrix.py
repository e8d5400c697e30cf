"""/api/membership-matrix: municipalities x arrangements, compact, for visualisation."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from api.deps import get_kg
from api.routes.common import Answer, QueryInfo, SourceRef, date_param, iri_or_slug, value
from graph.kg import KnowledgeGraph

router = APIRouter(prefix="/api", tags=["matrix"])


class MatrixRow(BaseModel):
    iri: str
    cbs_code: str
    name: str | None


class MatrixColumn(BaseModel):
    iri: str
    name: str | None


class Matrix(BaseModel):
    rows: list[MatrixRow]
    columns: list[MatrixColumn]
    cells: list[tuple[int, int, int]] = Field(description="[row index, column index, index into `graphs`]")
    graphs: list[str]
    sources: list[SourceRef]
    query: list[QueryInfo]


@router.get("/membership-matrix", response_model=Matrix)
async def get_membership_matrix(
    request: Request,
    province: str | None = Query(None, description="Province: slug in provincie/ (PV25) or IRI."),
    domain: str | None = Query(None, description="Policy domain: slug in beleidsdomein/ or IRI."),
    form: str | None = Query(None, description="Cooperation form: slug in samenwerkingsvorm/ or IRI."),
    date: str | None = Query(None, description="YYYY-MM-DD: memberships current on that date."),
    explain: bool = Query(False, description="Include the SPARQL text behind the answer."),
    kg: KnowledgeGraph = Depends(get_kg),
) -> Matrix:
    """Which municipality is a member of which arrangement (rows by CBS code, columns by name)."""
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
        rows.setdefault(m, MatrixRow(iri=m, cbs_code=value(r, "cbs"), name=value(r, "mLabel")))
        columns.setdefault(a, MatrixColumn(iri=a, name=value(r, "aLabel")))
        pairs.setdefault((m, a), g)
        answer.cite(g)
    row_list = sorted(rows.values(), key=lambda x: (x.cbs_code, x.iri))
    col_list = sorted(columns.values(), key=lambda x: ((x.name or "").lower(), x.iri))
    row_index = {x.iri: i for i, x in enumerate(row_list)}
    col_index = {x.iri: i for i, x in enumerate(col_list)}
    graphs = sorted(set(pairs.values()))
    graph_index = {g: i for i, g in enumerate(graphs)}
    cells = sorted((row_index[m], col_index[a], graph_index[g]) for (m, a), g in pairs.items())
    return Matrix(rows=row_list, columns=col_list, cells=cells, graphs=graphs, sources=await answer.sources(),
                  query=answer.queries)
