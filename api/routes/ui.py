"""The web UI: server-rendered pages (Dutch first, ``?lang=en`` for English) that are views
of the JSON API, the map's GeoJSON, and the static files.

Every page is rendered from the answer of the same function as its JSON twin under
``/api`` (Datasette's way) and links it with ``<link rel="alternate"
type="application/json">``; a page shows nothing its twin lacks:

====================  ============================================================
page                  JSON twin
====================  ============================================================
``/?q=``              ``/api/search?q=``
``/id/gemeente/...``  ``/api/municipalities/{code}``
``/id/samenwerking/`` ``/api/arrangements/{slug}``
``/id/persoon/...``   ``/api/people/{slug}``
``/id/regio/...``     ``/api/regions/{division}/{slug}``
``/id/onderwerp/...`` ``/api/topics/{slug}``
other ``/id/...``     ``/api/organisations/{slug}`` or ``/id/...?format=jsonld``
``/matrix``           ``/api/membership-matrix`` (drawn by matrix.js)
``/netwerk``          ``/api/network`` (drawn by network.js)
``/ervaring``         ``/api/experts``
``/bronnen``          ``/api/sources``
====================  ============================================================

Our own JS/CSS is served from ``api/static`` at ``/static``; the vendor bundle built from
npm packages (``npm ci && npm run build``) from ``web/dist`` at ``/dist``. Nothing is
loaded from another host.
"""

from __future__ import annotations

import contextlib
import gzip
import inspect
import json
import logging
import threading
import typing
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from api.routes import actors, arrangements, experts, municipalities, search, sources, topics
from api.routes.common import Explain, Paging
from api.routes.linked_data import describe
from api.ui import i18n
from api.ui.geo import municipality_features
from graph.analysis.figures import default_run
from graph.errors import NotFound
from graph.queries import describe_query, list_queries, load_query
from graph.settings import PROJECT_ROOT

log = logging.getLogger("regiokg.ui")


@contextlib.asynccontextmanager
async def warm_up(app: Any) -> AsyncIterator[None]:
    """Compute (or read) the default analysis runs and the map in the background when the
    app starts, so the first visitor of a page with figures does not wait for them."""
    kg = getattr(app.state, "kg", None)
    app.state.ui_warm = threading.Event()  # set when the default runs and the map are ready
    if kg is not None:
        threading.Thread(target=_warm, args=(kg, app.state.ui_warm), name="regiokg-ui-warm-up", daemon=True).start()
    yield


def _warm(kg: Any, done: threading.Event) -> None:
    try:
        _geojson(kg)  # the load run first (the home page's map), then the others
        for name in ("communities", "centrality", "overlap"):
            default_run(kg, name)
    except Exception:  # a warm-up failure must not stop the server; the page will report it
        log.exception("warming the analysis runs and the map failed")
    finally:
        done.set()


router = APIRouter(tags=["web UI"], lifespan=warm_up)

API_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(directory=str(API_DIR / "templates"))
STATIC_DIRS = {"static": API_DIR / "static", "dist": PROJECT_ROOT / "web" / "dist"}
RK = "https://w3id.org/regiokg/def#"
FOAF_PERSON = "http://xmlns.com/foaf/0.1/Person"
SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
ORGANISATION_TYPES = {RK + "Province", RK + "WaterBoard", RK + "RegionalBody", "http://www.w3.org/ns/org#Organization",
                      RK + "UnresolvedActor"}


def safe_url(url: Any) -> str | None:
    """``url`` when it may become a link: http(s) or a path on this site; None otherwise
    (``javascript:``, ``data:``, ``//other-host`` ... are shown as text, never as href).

    >>> safe_url("https://example.org/x"), safe_url("/id/gemeente/GM0203"), safe_url("javascript:alert(1)//")
    ('https://example.org/x', '/id/gemeente/GM0203', None)
    >>> safe_url("//evil.example/"), safe_url(" JAVASCRIPT:x"), safe_url(None)
    (None, None, None)
    """
    if not isinstance(url, str) or not url:
        return None
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    lowered = url.lower()
    if lowered.startswith(("http://", "https://")) and not any(c in url for c in "\n\r\t <>\"'"):
        return url
    return None


def number(value: Any, lang: str = "nl", digits: int = 3) -> str:
    """A figure for people: ``digits`` significant digits, Dutch decimal comma.

    >>> number(0.050561904761904765), number(0.050561904761904765, "en"), number(31), number(None)
    ('0,0506', '0.0506', '31', '')
    """
    if value is None:
        return ""
    if isinstance(value, (bool, int)):
        return str(value)
    text = f"{float(value):.{digits}g}"
    if "e" in text:
        text = f"{float(value):.{digits + 3}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text


def local(iri: Any, base: str) -> Any:
    """The /id/... path of an instance IRI under the base IRI; any other value unchanged."""
    return "/id/" + iri[len(base):] if isinstance(iri, str) and iri.startswith(base) else iri


TEMPLATES.env.globals["safe_url"] = safe_url
TEMPLATES.env.filters["local"] = local
TEMPLATES.env.filters["number"] = number


def language(request: Request) -> str:
    return i18n.pick_language(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE))


def render(request: Request, template: str, *, status: int = 200, twin: str | None = None,
           answer: Any = None, **context: Any) -> HTMLResponse:
    """Render a page in the request's language from its twin's ``answer``; remember an
    explicit ``?lang=`` in a cookie."""
    lang = language(request)
    other = "en" if lang == "nl" else "nl"
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch = f"{request.url.path}?{urlencode(kept + [('lang', other)])}"
    d = jsonable_encoder(answer)  # exactly what the twin sends
    src = {s["graph"]: s for s in (d or {}).get("sources", [])} if isinstance(d, dict) else {}
    response = TEMPLATES.TemplateResponse(request, template, {
        "t": i18n.translator(lang), "lang": lang, "switch_url": switch, "path": request.url.path,
        "twin": twin, "d": d, "src": src,
        "base_iri": request.app.state.settings.base_iri, **context}, status_code=status)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


async def twin_answer(route: Any, request: Request, **given: Any) -> Any:
    """The answer of the /api route function ``route`` as its JSON twin gives it: the
    arguments given, every other query parameter at its declared default (so a parameter
    added to the route later does not reach it as a ``Query`` object)."""
    from fastapi import params as fastapi_params

    arguments: dict[str, Any] = {}
    hints = typing.get_type_hints(route)
    makers: dict[Any, Any] = {Explain: _no_explain, Paging: _all}
    for name, parameter in inspect.signature(route).parameters.items():
        if name in given:
            arguments[name] = given[name]
        elif name == "request":
            arguments[name] = request
        elif name == "kg":
            arguments[name] = request.app.state.kg
        elif isinstance(parameter.default, fastapi_params.Depends):
            dependency = parameter.default.dependency or hints[name]
            arguments[name] = makers.get(dependency, dependency)()
        elif isinstance(parameter.default, fastapi_params.Param):
            arguments[name] = parameter.default.default
        elif parameter.default is not inspect.Parameter.empty:
            arguments[name] = parameter.default
    return await route(**arguments)


def _kg(request: Request):
    return request.app.state.kg


def _no_explain() -> Explain:
    return Explain(explain=False)


def _all(limit: int = 1000) -> Paging:
    return Paging(limit=limit, offset=0, explain=False)


# -- pages ----------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def page_home(request: Request, q: str | None = None) -> HTMLResponse:
    """Search and an overview map (twin: /api/search?q=)."""
    found = None
    twin = None
    if q:
        q = q[:200]
        found = await twin_answer(search.get_search, request, q=q, limit=50)
        twin = f"/api/search?{urlencode({'q': q, 'limit': 50})}"
    return render(request, "home.html", q=q or "", answer=found, twin=twin)


@router.get("/matrix", response_class=HTMLResponse, include_in_schema=False)
def page_matrix(request: Request) -> HTMLResponse:
    """The membership matrix, drawn by matrix.js from its twin /api/membership-matrix."""
    return render(request, "matrix.html", twin="/api/membership-matrix")


@router.get("/netwerk", response_class=HTMLResponse, include_in_schema=False)
def page_network(request: Request) -> HTMLResponse:
    """The network, drawn by network.js from its twin /api/network."""
    from api.routes.network import KINDS

    return render(request, "network.html", twin="/api/network", kinds=KINDS)


@router.get("/ervaring", response_class=HTMLResponse, include_in_schema=False)
async def page_expertise(request: Request, q: str | None = None, near: str | None = None,
                         limit: int = 10, date: str | None = None) -> HTMLResponse:
    """Who has experience with a topic (twin: /api/experts with the same parameters)."""
    q, near = (q or "").strip()[:200] or None, (near or "").strip() or None
    date = (date or "").strip() or None
    limit = max(1, min(100, limit))
    found, twin = None, None
    if q:
        found = await twin_answer(experts.list_experts, request, topic=q, near=near, limit=limit, date=date)
        params = {"topic": q, "limit": limit, **({"near": near} if near else {}), **({"date": date} if date else {})}
        twin = f"/api/experts?{urlencode(params)}"
    listed = await twin_answer(municipalities.list_municipalities, request, current=True, paging=_all())
    options = sorted(((m.cbs_code, m.name or m.cbs_code) for m in listed["items"]), key=lambda p: p[1])
    return render(request, "expertise.html", q=q or "", near=near or "", date=date or "", answer=found, twin=twin,
                  municipalities=options, near_known=near in {c for c, _ in options} if near else True)


@router.get("/sparql-editor", response_class=HTMLResponse, include_in_schema=False)
def page_sparql_editor(request: Request) -> HTMLResponse:
    """SPARQL editor with the project's example queries."""
    return render(request, "sparql.html", examples=example_queries(language(request)))


@router.get("/bronnen", response_class=HTMLResponse, include_in_schema=False)
async def page_sources(request: Request) -> HTMLResponse:
    """Every named graph (source) with title, publisher, date and size (twin: /api/sources)."""
    found = await twin_answer(sources.list_sources, request, paging=_all(100000))
    return render(request, "sources.html", answer=found, twin="/api/sources?limit=1000")


def _anchor(graph: str) -> str:
    return graph.rsplit("/graph/", 1)[-1]


TEMPLATES.env.filters["anchor"] = _anchor


async def render_entity_page(request: Request, iri: str) -> HTMLResponse:
    """The HTML page of one thing (called by the /id/... route for text/html): the view of
    the thing's /api answer when it has one, else of its description (JSON-LD twin)."""
    kg = _kg(request)
    types = {r["type"].value for r in await run_in_threadpool(kg.select, "api_entity_types", iri=ox.NamedNode(iri))}
    base = request.app.state.settings.base_iri
    path = iri[len(base):] if iri.startswith(base) else iri
    try:
        if RK + "Municipality" in types:
            code = path.rsplit("/", 1)[-1]
            town = await twin_answer(municipalities.get_municipality, request, key=code)
            return render(request, "municipality.html", answer=town, kind="municipality",
                          twin=f"/api/municipalities/{quote(town.cbs_code or code)}",
                          by_domain=_grouped(town, "domain"), by_form=_grouped(town, "form"))
        if RK + "CooperationArrangement" in types:
            arrangement = await twin_answer(arrangements.get_arrangement, request, slug=iri)
            return render(request, "arrangement.html", answer=arrangement, kind="arrangement", twin=arrangement.api)
        if FOAF_PERSON in types:
            person = await twin_answer(actors.get_person, request, slug=iri)
            return render(request, "person.html", answer=person, kind="person",
                          twin=f"/api/people/{quote(path.rsplit('/', 1)[-1])}")
        if path.startswith("regio/") and path.count("/") == 2:
            _, division, slug = path.split("/")
            region = await twin_answer(topics.get_region, request, division=division, slug=slug)
            return render(request, "region.html", answer=region, kind="region",
                          twin=f"/api/regions/{quote(division)}/{quote(slug)}")
        if SKOS_CONCEPT in types and path.startswith("onderwerp/"):
            topic = await twin_answer(topics.get_topic, request, slug=iri)
            return render(request, "topic.html", answer=topic, kind="topic",
                          twin=f"/api/topics/{quote(path.rsplit('/', 1)[-1])}")
        if types & ORGANISATION_TYPES:
            organisation = await twin_answer(actors.get_organisation, request, slug=iri)
            return render(request, "organisation.html", answer=organisation, kind=organisation.kind or "organisation",
                          twin=f"/api/organisations/{quote(path.rsplit('/', 1)[-1])}")
    except NotFound:
        pass  # described, but not as the API knows it: the generic page below
    return await _described_page(request, iri, path)


async def _described_page(request: Request, iri: str, path: str) -> HTMLResponse:
    _, rows = await run_in_threadpool(describe, _kg(request), iri)
    labels: dict[str, str] = {}
    facts = []
    for r in rows:
        other = r["o"]
        facts.append({"direction": r["direction"].value, "property": r["p"].value,
                      "value": other.value if not isinstance(other, ox.BlankNode) else str(other),
                      "iri": isinstance(other, ox.NamedNode), "graph": r["g"].value})
        if r["p"].value == "http://www.w3.org/2000/01/rdf-schema#label" and r["direction"].value == "out":
            labels.setdefault("label", other.value)
    facts.sort(key=lambda f: (f["direction"] != "out", f["property"], f["value"]))
    twin = f"/id/{quote(path)}?format=jsonld"
    return render(request, "entity.html", answer={"iri": iri, "label": labels.get("label", iri), "facts": facts},
                  kind="other", twin=twin)


def _grouped(found: Any, key: str) -> list[tuple[str | None, list[Any]]]:
    """The municipality's arrangements grouped by domain or form label (unknown last)."""
    groups: dict[str | None, list[Any]] = defaultdict(list)
    for m in found.arrangements:
        ref = getattr(m, key)
        groups[(ref.label or ref.iri) if ref else None].append(m)
    return sorted(groups.items(), key=lambda kv: (kv[0] is None, -len(kv[1]), (kv[0] or "").lower()))


# -- the map ----------------------------------------------------------------------------------------
_GEO_LOCK = threading.Lock()
_GEO: dict[int, tuple[Any, bytes, dict[str, bytes]]] = {}


def _geojson(kg) -> bytes:
    generation = kg.store.change_marker()
    with _GEO_LOCK:
        hit = _GEO.get(id(kg))
        if hit is not None and hit[0] == generation:
            return hit[1]
    names = {r["m"].value: r for r in kg.select("api_municipalities")}
    rows = []
    for r in kg.select("api_municipality_geometries"):
        rows.append({k: v.value for k, v in r.items()})
    load = default_run(kg, "load")
    counts = {row["actor"]: row["count"] for row in load["ranking"]}

    def label(i: str) -> str:
        row = names.get(i)
        return row["label"].value if row is not None and "label" in row else i.rsplit("/", 1)[-1]

    def page(i: str) -> str:
        base = kg.settings.base_iri
        return "/id/" + i[len(base):] if i.startswith(base) else i

    collection = municipality_features(rows, label=label, page_url=page, counts=counts)
    collection["counts"] = {"run": load["run"]["graph"], "what": "arrangements per municipality (load analysis)"}
    body = json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode()
    with _GEO_LOCK:
        _GEO[id(kg)] = (kg.store.change_marker(), body, {})
    return body


@router.get("/ui-api/geo/municipalities.geojson", include_in_schema=False)
async def ui_municipalities_geojson(request: Request) -> Response:
    """Current municipalities as GeoJSON (boundaries when imported, else centroid points),
    each with its number of arrangements from the stored load analysis."""
    kg = _kg(request)
    body = await run_in_threadpool(_geojson, kg)
    packed = _GEO.get(id(kg), (None, b"", {}))[2]
    return compressed(request, body, "application/geo+json", headers={"Cache-Control": "no-cache"},
                      cache=packed, key="geojson")


def compressed(request: Request, body: bytes, media_type: str, *, headers: dict[str, str] | None = None,
               cache: dict | None = None, key: Any = None) -> Response:
    """``body`` gzip-compressed when the client accepts it (maps and bundles are large
    JSON/JS that shrink five-fold); ``cache``/``key`` keep the compressed bytes."""
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


def example_queries(lang: str = "nl") -> list[dict[str, str]]:
    """Example queries from the project's .rq files: the competency questions (``cq_*.rq``)
    and the whole-graph overviews; the title in the page's language (a ``# nl:`` line of
    the query, else its first comment line)."""
    wanted = [n for n in list_queries() if n.startswith("cq_")]
    wanted += [n for n in ("graph_sizes", "instances_per_class", "graph_descriptions") if n in list_queries()]
    out = []
    for name in wanted:
        described = describe_query(name)
        title = described.split("\n", 1)[0] or name
        if lang == "nl":
            title = i18n.EXAMPLE_TITLES.get(name, title)
        out.append({"name": name, "title": title, "query": load_query(name)})
    return out


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
    if "\x00" in path:
        raise NotFound(f"no static file /{root}/{path!r}")
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
