"""The web UI: server-rendered pages (Dutch first, ``?lang=en`` for English), the small JSON
endpoints their scripts draw from (``/ui-api/...``), exports, and the static files.

Pages: ``/`` (search and overview map), ``/matrix``, ``/netwerk``, ``/ervaring``
(expertise finder), ``/sparql-editor``, ``/bronnen`` (sources) and the HTML answer of
``/id/...`` through :func:`render_entity_page`. Our own JS/CSS is served from
``api/static`` at ``/static``; the vendor bundle built from npm packages (``npm ci &&
npm run build``) from ``web/dist`` at ``/dist``. Nothing is loaded from another host.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import re
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from api.ui import expertise, i18n, pages, views
from api.ui.data import RK, UIData
from api.ui.geo import municipality_features
from graph.errors import BadInput, NotFound
from graph.queries import describe_query, list_queries, load_query
from graph.settings import PROJECT_ROOT

log = logging.getLogger("regiokg.ui")


@contextlib.asynccontextmanager
async def warm_up(app: Any) -> AsyncIterator[None]:
    """Compute the whole-graph views (labels, memberships, figures, map) in the background
    when the app starts, so the first visitor does not wait for them."""
    kg = getattr(app.state, "kg", None)
    if kg is not None:
        data = UIData(kg)
        app.state.ui_data = data
        threading.Thread(target=_warm, args=(data,), name="regiokg-ui-warm-up", daemon=True).start()
    yield


def _warm(data: UIData) -> None:
    try:
        data.label_index()
        views.figures(data)
        views.positions(data)
        for lang in i18n.LANGUAGES:
            _geojson(data, lang)
    except Exception:  # a warm-up failure must not stop the server; the page will report it
        log.exception("warming the web UI views failed")


router = APIRouter(tags=["web UI"], lifespan=warm_up)

API_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(directory=str(API_DIR / "templates"))
STATIC_DIRS = {"static": API_DIR / "static", "dist": PROJECT_ROOT / "web" / "dist"}
_DATA_LOCK = threading.Lock()


def ui_data(request: Request) -> UIData:
    """The app's cached UI views (one per knowledge graph)."""
    kg = request.app.state.kg
    with _DATA_LOCK:
        data = getattr(request.app.state, "ui_data", None)
        if data is None or data.kg is not kg:
            data = UIData(kg)
            request.app.state.ui_data = data
    return data


def language(request: Request) -> str:
    return i18n.pick_language(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE))


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the request's language; remember an explicit ``?lang=`` in a cookie."""
    lang = language(request)
    other = "en" if lang == "nl" else "nl"
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch = f"{request.url.path}?{urlencode(kept + [('lang', other)])}"
    response = TEMPLATES.TemplateResponse(request, template, {
        "t": i18n.translator(lang), "lang": lang, "switch_url": switch, "path": request.url.path,
        **context}, status_code=status)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


# -- pages ----------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page_home(request: Request, q: str | None = None) -> HTMLResponse:
    """Search with suggestions and an overview map."""
    data = ui_data(request)
    lang = language(request)
    counts = {"municipalities": len({r["member"] for r in data.memberships() if r["memberKind"] == "municipality"}),
              "arrangements": len(data.members_of()), "memberships": len(data.memberships())}
    results = data.search(q, lang=lang, limit=50) if q else None
    return render(request, "home.html", q=q or "", results=results, counts=counts)


@router.get("/matrix", response_class=HTMLResponse, include_in_schema=False)
def page_matrix(request: Request) -> HTMLResponse:
    """The membership matrix (drawn by matrix.js from /ui-api/matrix)."""
    data = ui_data(request)
    lang = language(request)
    return render(request, "matrix.html", options=filter_options(data, lang))


@router.get("/netwerk", response_class=HTMLResponse, include_in_schema=False)
def page_network(request: Request) -> HTMLResponse:
    """The network view (drawn by network.js from /ui-api/network)."""
    data = ui_data(request)
    return render(request, "network.html", options=filter_options(data, language(request)))


@router.get("/ervaring", response_class=HTMLResponse, include_in_schema=False)
def page_expertise(request: Request, q: str | None = None, near: str | None = None) -> HTMLResponse:
    """Expertise finder: who has experience with a topic, with evidence and contacts."""
    data = ui_data(request)
    lang = language(request)
    found = expertise.find_experts(data, q, near=near or None, lang=lang) if q else None
    municipalities = sorted(((m["m"], data.label(m["m"], lang)) for m in data.municipalities()
                             if not m.get("dissolved")), key=lambda p: p[1])
    return render(request, "expertise.html", q=q or "", near=near or "", found=found,
                  municipalities=municipalities)


@router.get("/sparql-editor", response_class=HTMLResponse, include_in_schema=False)
def page_sparql_editor(request: Request) -> HTMLResponse:
    """SPARQL editor with the project's example queries."""
    return render(request, "sparql.html", examples=example_queries())


@router.get("/bronnen", response_class=HTMLResponse, include_in_schema=False)
def page_sources(request: Request) -> HTMLResponse:
    """Every named graph (source) with title, publisher, date and size."""
    data = ui_data(request)
    sources = sorted(data.sources().values(), key=lambda s: s["iri"])
    for s in sources:
        s["anchor"] = s["iri"].rsplit("/graph/", 1)[-1]
    return render(request, "sources.html", sources=sources)


def render_entity_page(request: Request, iri: str) -> HTMLResponse:
    """The HTML page of one thing (called by the /id/... linked-data route for text/html)."""
    data = ui_data(request)
    lang = language(request)
    t = i18n.translator(lang)
    types = data.types(iri)
    if not types and not data.select("ui_entity_facts", s=iri):
        return render(request, "entity.html", status=404, ctx={"iri": iri, "label": t("not_found"),
                                                               "facts": [], "incoming": [], "experiences": []},
                      kind="other")
    if RK + "Municipality" in types:
        return render(request, "municipality.html", ctx=pages.municipality_context(data, iri, lang=lang, t=t),
                      kind="municipality")
    if RK + "CooperationArrangement" in types:
        return render(request, "arrangement.html", ctx=pages.arrangement_context(data, iri, lang=lang, t=t),
                      kind="arrangement")
    return render(request, "entity.html", ctx=pages.entity_context(data, iri, lang=lang), kind=data.kind(iri))


# -- JSON for the page scripts ----------------------------------------------------------------------
@router.get("/ui-api/search")
def ui_search(request: Request, q: str = Query("", max_length=200), limit: int = Query(10, ge=1, le=50)) -> list:
    """Suggestions: things whose name matches ``q`` (municipalities, arrangements, people, topics)."""
    return ui_data(request).search(q, lang=language(request), limit=limit)


@router.get("/ui-api/geo/municipalities.geojson")
def ui_municipalities_geojson(request: Request) -> Response:
    """Current municipalities as GeoJSON: boundaries when imported, else centroid points."""
    data, lang = ui_data(request), language(request)
    body = _geojson(data, lang)
    packed = data.cached("gzip", dict)
    return compressed(request, body, "application/geo+json", headers={"Cache-Control": "no-cache"},
                      cache=packed, key=f"geojson:{lang}")


def compressed(request: Request, body: bytes, media_type: str, *, headers: dict[str, str] | None = None,
               cache: dict | None = None, key: Any = None) -> Response:
    """``body`` gzip-compressed when the client accepts it (maps, matrices and bundles are
    large JSON/JS that shrink five-fold); ``cache``/``key`` keep the compressed bytes."""
    headers = dict(headers or {})
    headers["Vary"] = "Accept-Encoding"
    if "gzip" not in request.headers.get("accept-encoding", "") or len(body) < 1024:
        return Response(body, media_type=media_type, headers=headers)
    packed = cache.get(key) if cache is not None else None
    if packed is None:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        if cache is not None:
            cache[key] = packed
    headers["Content-Encoding"] = "gzip"
    return Response(packed, media_type=media_type, headers=headers)


def _geojson(data: UIData, lang: str) -> bytes:
    def compute() -> bytes:
        counts = {k: len(v) for k, v in data.arrangements_of().items()}
        collection = municipality_features(data.municipalities(), label=lambda i: data.label(i, lang),
                                           page_url=data.page_url, counts=counts)
        return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode()
    return data.cached(f"geojson:{lang}", compute)


def _matrix_filters(province: str | None, domain: str | None, form: str | None, date: str | None) -> dict:
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise BadInput(f"date {date!r} is not an ISO date (YYYY-MM-DD)", details={"parameter": "date"})
    return {"province": province or None, "domain": domain or None, "form": form or None, "on": date or None}


@router.get("/ui-api/matrix")
def ui_matrix(request: Request, province: str | None = None, domain: str | None = None, form: str | None = None,
              date: str | None = None, order: str = Query("similarity", pattern="^(similarity|community|name)$")) -> Response:
    """Municipalities × arrangements for the filters (IRIs), rows and columns ordered."""
    data = ui_data(request)
    filters = _matrix_filters(province, domain, form, date)
    key = f"matrix:{language(request)}:{order}:{sorted(filters.items())}"
    body = data.cached(key, lambda: _json_bytes(views.matrix(data, lang=language(request), order=order, **filters)))
    return compressed(request, body, "application/json", cache=data.cached("gzip", dict), key=key)


@router.get("/ui-api/matrix.csv")
def ui_matrix_csv(request: Request, province: str | None = None, domain: str | None = None,
                  form: str | None = None, date: str | None = None) -> Response:
    """The filtered memberships as CSV, each with its source."""
    data = ui_data(request)
    text = views.matrix_csv(data, lang=language(request), **_matrix_filters(province, domain, form, date))
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="regiokg-matrix.csv"'})


def _network(request: Request, types: str | None, domain: str | None):
    data = ui_data(request)
    kinds = tuple(sorted(k for k in (types or "").split(",") if k)) or None
    key = f"network:{language(request)}:{kinds}:{domain}"
    return data.cached(key, lambda: views.network(data, lang=language(request), kinds=kinds, domain=domain or None))


@router.get("/ui-api/network")
def ui_network(request: Request, types: str | None = None, domain: str | None = None) -> Response:
    """Actors and arrangements with community, page link and geographic start position."""
    data = ui_data(request)
    key = f"network-json:{language(request)}:{types}:{domain}"
    body = data.cached(key, lambda: _json_bytes(views.network_json(_network(request, types, domain))))
    return compressed(request, body, "application/json", cache=data.cached("gzip", dict), key=key)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


@router.get("/ui-api/network.{fmt}")
def ui_network_export(request: Request, fmt: str, types: str | None = None, domain: str | None = None) -> Response:
    """The same network as GraphML or GEXF for Gephi."""
    if fmt not in ("graphml", "gexf"):
        raise NotFound(f"no network export as {fmt!r}: use /ui-api/network.graphml or /ui-api/network.gexf")
    body = views.network_export(_network(request, types, domain), fmt=fmt)
    return Response(body, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="regiokg-network.{fmt}"'})


@router.get("/ui-api/experts")
def ui_experts(request: Request, topic: str = Query(..., min_length=1, max_length=200),
               near: str | None = None) -> dict:
    """Ranked actors with evidence for a topic (``near`` a municipality IRI)."""
    return expertise.find_experts(ui_data(request), topic, near=near or None, lang=language(request))


@router.get("/ui-api/examples")
def ui_examples() -> list:
    """Example SPARQL queries from the project's .rq files."""
    return example_queries()


def example_queries() -> list[dict[str, str]]:
    """Example queries from the project's .rq files: the competency questions (``cq_*.rq``)
    and the whole-graph overviews (graph sizes and descriptions, instances per class)."""
    wanted = [n for n in list_queries() if n.startswith("cq_")]
    wanted += [n for n in ("graph_sizes", "instances_per_class", "graph_descriptions") if n in list_queries()]
    out = []
    for name in wanted:
        title = describe_query(name).split("\n", 1)[0] or name
        out.append({"name": name, "title": title, "query": load_query(name)})
    return out


def filter_options(data: UIData, lang: str) -> dict[str, list[tuple[str, str]]]:
    """Provinces, domains, forms present in the memberships (IRI, label) for filter menus."""
    def options(key: str) -> list[tuple[str, str]]:
        values = {r.get(key) for r in data.memberships() if r.get(key)}
        return sorted(((v, data.label(v, lang)) for v in values), key=lambda p: p[1].lower())
    kinds = sorted({r["memberKind"] for r in data.memberships()} - {"arrangement"})  # arrangements always shown
    return {"province": options("province"), "domain": options("domain"), "form": options("form"),
            "kinds": kinds}


# -- static files ----------------------------------------------------------------------------------
@router.get("/static/{path:path}", include_in_schema=False)
def static_file(request: Request, path: str) -> Response:
    """Our own scripts and styles (api/static)."""
    return _file(request, "static", path)


@router.get("/dist/{path:path}", include_in_schema=False)
def dist_file(request: Request, path: str) -> Response:
    """The vendor bundle built from npm packages (web/dist; ``npm ci && npm run build``)."""
    return _file(request, "dist", path)


_STATIC_GZIP: dict[tuple[str, float], bytes] = {}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


def _file(request: Request, root: str, path: str) -> Response:
    base = STATIC_DIRS[root].resolve()
    target = (base / path).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        hint = " (run `npm ci && npm run build` to build web/dist)" if root == "dist" else ""
        raise NotFound(f"no static file /{root}/{path}{hint}")
    headers = {"Cache-Control": "public, max-age=300"}
    media = MEDIA_TYPES.get(target.suffix)
    if media is None:
        return FileResponse(target, headers=headers)
    key = (str(target), target.stat().st_mtime)
    return compressed(request, target.read_bytes(), media, headers=headers, cache=_STATIC_GZIP, key=key)
