"""The SPARQL 1.1 Protocol query endpoint: /sparql (GET, POST form, POST sparql-query).

Queries run in the sandbox's worker processes (stoppable, see graph/sandbox.py); the
answer is serialised there in the negotiated format. ``GET /sparql`` without a query
answers the SPARQL service description.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import rdflib
from fastapi import APIRouter, Depends, Request, Response
from rdflib.namespace import RDF
from starlette.datastructures import Headers, QueryParams

from api.deps import get_sandbox, get_settings
from api.routes.protocol import (
    GRAPH_ALIASES,
    GRAPH_FORMATS,
    RESULT_ALIASES,
    RESULT_FORMATS,
    choose_format,
    choose_format_from,
    iri_param,
    media_type_of,
    read_body,
)
from graph.errors import BadInput, NotAcceptable, RegiokgError
from graph.sandbox import QuerySandbox
from graph.settings import Settings

router = APIRouter(tags=["sparql"])

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = "http://www.w3.org/ns/formats/"
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON", "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV", "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle", "application/n-triples": "N-Triples", "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML", "application/trig": "TriG", "application/n-quads": "N-Quads",
}


class UnsupportedMediaType(RegiokgError):
    status = 415
    code = "unsupported_media_type"


@router.get("/sparql", summary="SPARQL query (GET) or the service description")
async def get_sparql(request: Request, settings: Settings = Depends(get_settings),
                     sandbox: QuerySandbox = Depends(get_sandbox)) -> Response:
    """Run the query in ``query`` (SPARQL 1.1 Protocol); without it, describe the service."""
    params = request.query_params
    if "query" not in params:
        return service_description(request, settings)
    return await run_query(request, sandbox, params["query"], params.getlist("default-graph-uri"),
                           params.getlist("named-graph-uri"))


@router.post("/sparql", summary="SPARQL query (POST form-encoded or application/sparql-query)")
async def post_sparql(request: Request, settings: Settings = Depends(get_settings),
                      sandbox: QuerySandbox = Depends(get_sandbox)) -> Response:
    """Run a query sent as a form field ``query`` or as an ``application/sparql-query`` body."""
    body = await read_body(request, settings.max_request_bytes)
    ctype = media_type_of(request)
    url_params = request.query_params
    if ctype == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        if "update" in form and "query" not in form:
            raise BadInput("this is a SPARQL update; send it to /update")
        if "query" not in form:
            raise BadInput("missing form field 'query'")
        default = form.get("default-graph-uri", []) + url_params.getlist("default-graph-uri")
        named = form.get("named-graph-uri", []) + url_params.getlist("named-graph-uri")
        return await run_query(request, sandbox, form["query"][0], default, named)
    if ctype == "application/sparql-query":
        return await run_query(request, sandbox, body.decode("utf-8", errors="replace"),
                               url_params.getlist("default-graph-uri"), url_params.getlist("named-graph-uri"))
    raise UnsupportedMediaType(
        f"unsupported Content-Type {ctype or '(none)'!r} for a query; use application/x-www-form-urlencoded "
        "(field 'query') or application/sparql-query")


async def run_query(request: Request, sandbox: QuerySandbox, text: str, default_graphs: list[str],
                    named_graphs: list[str]) -> Response:
    """Negotiate, then check and run in a worker (the server process never parses the text)."""
    formats = query_formats(request.query_params.get("format"), request.headers.get("accept"))
    body, content_type, headers = await answer(sandbox, text, default_graphs, named_graphs, formats)
    return Response(body, media_type=content_type, headers=headers)


def query_formats(format_name: str | None, accept: str | None) -> dict[str, Any]:
    """The answer's media type for each query form, or the 406 to raise for that form.

    The form (SELECT/ASK or CONSTRUCT/DESCRIBE) is known only once the worker has parsed
    the text, so both negotiations are done before and the worker picks by the form."""
    formats: dict[str, Any] = {}
    for form, offered, aliases, what, overrides in (
            ("solutions", list(RESULT_FORMATS), RESULT_ALIASES, "a SELECT/ASK query", None),
            ("graph", list(GRAPH_FORMATS), GRAPH_ALIASES, "a CONSTRUCT/DESCRIBE query",
             {"json": "application/ld+json", "xml": "application/rdf+xml"})):
        try:
            formats[form] = choose_format_from(format_name, accept, offered, aliases=aliases, what=what,
                                               name_overrides=overrides)
        except NotAcceptable as exc:
            formats[form] = exc
    formats["boolean"] = formats["solutions"]
    return formats


async def answer(sandbox: QuerySandbox, text: str, default_graphs: list[str], named_graphs: list[str],
                 formats: dict[str, Any]) -> tuple[bytes, str, dict[str, str]]:
    """Check and run ``text`` in a worker: the body, its Content-Type and the other headers.

    The one implementation of a protocol query, for the route and for :func:`serve_get`."""
    if not text.strip():
        raise BadInput("empty query")
    default_graphs = [iri_param(g, "default-graph-uri") for g in default_graphs]
    named_graphs = [iri_param(g, "named-graph-uri") for g in named_graphs]
    result = await sandbox.run(text, formats=formats, default_graph=default_graphs or None,
                               named_graphs=named_graphs or None)
    media = result.media_type
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers["X-Regiokg-Truncated"] = (f"true; the answer stops after {sandbox.max_rows} "
                                          "rows (REGIOKG_MAX_ROWS)")
        headers["X-Regiokg-Max-Rows"] = str(sandbox.max_rows)
    content_type = media + ("; charset=utf-8" if media.startswith("text/") else "")
    return result.body, content_type, headers


async def serve_get(scope: dict[str, Any], send: Any, sandbox: QuerySandbox,
                    render_error: Callable[[Exception], tuple[int, bytes]]) -> bool:
    """``GET /sparql?query=...`` answered straight on the ASGI connection (called by the
    request guard in api/app.py, which has already refused bad bytes in the target).

    The same answer as :func:`get_sparql` (the same :func:`query_formats` and
    :func:`answer`), without FastAPI's routing, dependency solving and response classes,
    which cost more than a small query itself (bench/RESULTS.md, "HTTP"). ``False`` when the
    request is not this case (no ``query``, or a CORS request: ``Origin`` set): the route
    answers it then. ``render_error`` gives an error's status and JSON body, as the app's
    exception handlers do."""
    params = QueryParams(scope.get("query_string", b""))  # Starlette's parser, as the route reads them
    headers = Headers(scope=scope)
    if "query" not in params or "origin" in headers:
        return False
    try:
        formats = query_formats(params.get("format"), headers.get("accept"))
        body, content_type, extra = await answer(sandbox, params["query"], params.getlist("default-graph-uri"),
                                                 params.getlist("named-graph-uri"), formats)
        status = 200
        out = [(b"content-type", content_type.encode("latin-1"))]
        out += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
    except Exception as exc:  # the app's error answer, as its exception handlers give it
        status, body = render_error(exc)
        out = [(b"content-type", b"application/json")]
    out.append((b"content-length", str(len(body)).encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": body})
    return True


def service_description(request: Request, settings: Settings) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint (Turtle unless asked otherwise)."""
    media = choose_format(request, [m for m in GRAPH_FORMATS if m not in ("application/trig", "application/n-quads")],
                          aliases=GRAPH_ALIASES, what="the service description")
    g = rdflib.Graph()
    g.bind("sd", SD)
    endpoint = rdflib.URIRef(str(request.url_for("get_sparql")))
    service = endpoint
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    if settings.union_default_graph:
        g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in FORMAT_IRIS.values():
        g.add((service, SD.resultFormat, rdflib.URIRef(FORMATS_NS + name)))
    g.add((service, rdflib.RDFS.comment, rdflib.Literal(
        f"regiokg SPARQL endpoint. Queries stop after {settings.query_timeout:g} s (REGIOKG_QUERY_TIMEOUT) and "
        f"answer at most {settings.max_rows} rows (REGIOKG_MAX_ROWS). SERVICE and LOAD are refused. "
        "The project's prefixes (rk:, org:, skos:, ...) are predeclared; a query's own PREFIX wins. "
        "Updates at /update need a bearer token.", lang="en")))
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
           "application/rdf+xml": "xml"}[media]
    body = g.serialize(format=fmt, encoding="utf-8")
    return Response(body, media_type=media, headers={"Vary": "Accept"})
