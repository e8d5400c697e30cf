"""/api/network: the actor-arrangement network (the /netwerk page draws this answer), with
each actor's community from the stored Louvain run; GraphML or GEXF (for Gephi) by
``?format=graphml|gexf`` or the Accept header."""

from __future__ import annotations

import io
from collections import Counter

import networkx as nx
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import get_kg
from api.routes.common import Answer, QueryInfo, Ref, SourceRef, page_link, ref, value
from api.routes.municipalities import AnalysisRunRef
from api.routes.protocol import choose_format
from graph.analysis import views
from graph.analysis.figures import default_run
from graph.errors import BadInput
from graph.kg import KnowledgeGraph

router = APIRouter(prefix="/api", tags=["network"])
KINDS = views.ACTOR_KINDS
KIND_HELP = "Actor kinds (repeatable): " + ", ".join(KINDS) + ". Default: municipality, province, water-board."
MEDIA = {"json": "application/json", "graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}


class NetworkNode(BaseModel):
    id: str
    label: str
    kind: str = Field(description="arrangement or the kind of actor: " + ", ".join(KINDS))
    degree: int
    community: int | None = Field(None, description="Louvain community of the default communities run "
                                                    "(an arrangement: the one most of its members are in).")
    page: str | None = None


class NetworkFilters(BaseModel):
    """The policy domains the network can be narrowed to."""

    domain: list[Ref] = Field(default_factory=list)


class Network(BaseModel):
    nodes: list[NetworkNode]
    links: list[tuple[int, int]] = Field(description="[index of actor, index of arrangement]")
    kinds: list[str]
    filters: NetworkFilters
    communities: AnalysisRunRef
    sources: list[SourceRef]
    query: list[QueryInfo]


def network_graph(kg, *, kinds: tuple[str, ...], domain: str | None) -> tuple[nx.Graph, dict]:
    """The bipartite view for ``kinds`` (and arrangements of ``domain``) with ``community``
    on every node, and the communities run it comes from."""
    graph = views.bipartite_view(kg, filters=views.Filters(domain=domain), kinds=kinds)
    found = default_run(kg, "communities")
    community = {m["actor"]: i for i, group in enumerate(found["communities"], start=1) for m in group["members"]}
    for node, attrs in graph.nodes(data=True):
        if attrs["bipartite"] == 0:
            attrs["community"] = community.get(node)
        else:
            counts = Counter(community[m] for m in graph[node] if m in community)
            attrs["community"] = min(counts, key=lambda c: (-counts[c], c)) if counts else None
    return graph, found["run"]


def export(graph: nx.Graph, fmt: str) -> bytes:
    """GraphML or GEXF bytes (community -1 where none)."""
    g = nx.Graph()
    for node, attrs in graph.nodes(data=True):
        g.add_node(node, label=attrs["label"], kind=attrs["kind"],
                   community=attrs["community"] if attrs["community"] is not None else -1)
    g.add_edges_from(graph.edges)
    buffer = io.BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, buffer)
    return buffer.getvalue()


@router.get("/network", response_model=Network,
            responses={200: {"content": {"application/graphml+xml": {"schema": {"type": "string"}},
                                         "application/gexf+xml": {"schema": {"type": "string"}}},
                             "description": "The network; GraphML or GEXF by ?format= or Accept."}})
async def get_network(
    request: Request,
    kind: list[str] | None = Query(None, description=KIND_HELP),
    domain: str | None = Query(None, description="Only arrangements of this policy domain (slug or IRI)."),
    kg: KnowledgeGraph = Depends(get_kg),
):
    """Actors and the arrangements they are members of."""
    media = choose_format(request, list(MEDIA.values()), aliases={}, what="the network", name_overrides=MEDIA)
    chosen = tuple(sorted(set(kind or ("municipality", "province", "water-board"))))
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise BadInput(f"unknown actor kind(s) {', '.join(unknown)}; use {', '.join(KINDS)}",
                       details={"parameter": "kind"})
    graph, run = await run_in_threadpool(network_graph, kg, kinds=chosen, domain=domain or None)
    if media != "application/json":
        fmt = "graphml" if media == MEDIA["graphml"] else "gexf"
        return Response(await run_in_threadpool(export, graph, fmt), media_type=media,
                        headers={"Vary": "Accept", "Content-Disposition": f'attachment; filename="regiokg-network.{fmt}"'})
    answer = Answer(kg)
    answer.cite(run["graph"])
    order = sorted(graph.nodes)
    index = {n: i for i, n in enumerate(order)}
    nodes = [NetworkNode(id=n, label=graph.nodes[n]["label"], kind=graph.nodes[n]["kind"], degree=graph.degree(n),
                         community=graph.nodes[n]["community"], page=page_link(request, n)) for n in order]
    links = sorted((index[a], index[b]) if graph.nodes[a]["bipartite"] == 0 else (index[b], index[a])
                   for a, b in graph.edges)
    domains = [ref(request, r["value"], r.get("label"))
               for r in await answer.select("api_matrix_filters") if value(r, "facet") == "domain"]
    options = NetworkFilters(domain=[d for d in domains if d is not None])
    queries = [QueryInfo(name="analysis_memberships", params={"domain": domain} if domain else {}), *answer.queries]
    return Network(nodes=nodes, links=links, kinds=list(chosen), filters=options, communities=AnalysisRunRef(**run),
                   sources=await answer.sources(), query=queries)
