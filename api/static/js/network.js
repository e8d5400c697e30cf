// Network of actors and arrangements drawn from the page's JSON twin /api/network, as
// SVG: municipalities start at their centroid (from the map's GeoJSON), other nodes at
// the mean of their neighbours, and a short force simulation spreads them; colours are
// the Louvain communities of the stored analysis run, arrangements are squares. Scroll or the buttons zoom; click a node
// to open its page. The list under the drawing is the text alternative.
import { select, geoMercator, forceSimulation, forceLink, forceCollide, forceX, forceY, zoom, zoomIdentity } from "/dist/d3.js";
import { getJSON, esc, strings, tooltip, communityColour, drawn, safeHref, link } from "/static/js/common.js";

const W = 1000;
const H = 760;

function params(form) {
  const out = new URLSearchParams();
  for (const input of form.querySelectorAll("input[name=kind]:checked")) out.append("kind", input.value);
  const domain = form.elements.namedItem("domain").value;
  if (domain) out.set("domain", domain);
  return out;
}

let geoPromise = null;
const centroids = async () => {
  geoPromise ??= getJSON("/ui-api/geo/municipalities.geojson").then((geo) =>
    new Map(geo.features.map((f) => [f.properties.iri, f.properties.centroid])));
  return geoPromise;
};

/** Start positions (lon, lat): municipalities at their centroid, the others at the mean of
 *  their placed neighbours (two passes), the rest in the middle of the country. */
function place(net, known) {
  const neighbours = net.nodes.map(() => []);
  for (const [a, b] of net.links) { neighbours[a].push(b); neighbours[b].push(a); }
  const pos = net.nodes.map((n) => known.get(n.id) || null);
  for (let pass = 0; pass < 2; pass += 1) {
    pos.forEach((p, i) => {
      if (p) return;
      const placed = neighbours[i].map((j) => pos[j]).filter(Boolean);
      if (placed.length) pos[i] = [placed.reduce((s, q) => s + q[0], 0) / placed.length, placed.reduce((s, q) => s + q[1], 0) / placed.length];
    });
  }
  net.nodes.forEach((n, i) => { [n.x, n.y] = pos[i] || [5.3, 52.2]; });
}

function layout(net) {
  const projection = geoMercator().fitExtent([[30, 30], [W - 30, H - 30]], {
    type: "MultiPoint", coordinates: net.nodes.map((n) => [n.x, n.y]),
  });
  for (const n of net.nodes) {
    const [x, y] = projection([n.x, n.y]);
    n.gx = x; n.gy = y; n.x = x; n.y = y;
    n.r = n.kind === "arrangement" ? 2.5 + Math.sqrt(n.degree) : 3 + Math.sqrt(n.degree) * 0.6;
  }
  const links = net.links.map(([a, b]) => ({ source: a, target: b }));
  const sim = forceSimulation(net.nodes)
    .force("link", forceLink(links).strength(0.02))
    .force("collide", forceCollide((n) => n.r + 1))
    .force("x", forceX((n) => n.gx).strength(0.15))
    .force("y", forceY((n) => n.gy).strength(0.15))
    .stop();
  for (let i = 0; i < 40; i += 1) sim.tick();
  return links;
}

function draw(el, net, s) {
  el.innerHTML = "";
  const links = layout(net);
  const svg = select(el).append("svg").attr("viewBox", `0 0 ${W} ${H}`).attr("aria-hidden", "true");
  const layer = svg.append("g");
  const edge = layer.append("g").attr("class", "links").selectAll("line").data(links).join("line")
    .attr("x1", (l) => l.source.x).attr("y1", (l) => l.source.y)
    .attr("x2", (l) => l.target.x).attr("y2", (l) => l.target.y);
  const tip = tooltip();
  const node = layer.append("g").attr("class", "nodes").selectAll("a").data(net.nodes).join("a")
    .attr("href", (n) => safeHref(n.page)).attr("tabindex", -1).attr("class", (n) => `node kind-${n.kind}`)
    .attr("data-id", (n) => n.id);
  node.filter((n) => n.kind === "arrangement").append("rect")
    .attr("x", (n) => n.x - n.r).attr("y", (n) => n.y - n.r).attr("width", (n) => 2 * n.r).attr("height", (n) => 2 * n.r)
    .attr("fill", (n) => communityColour(n.community));
  node.filter((n) => n.kind !== "arrangement").append("circle")
    .attr("cx", (n) => n.x).attr("cy", (n) => n.y).attr("r", (n) => n.r)
    .attr("fill", (n) => communityColour(n.community));
  node.append("title").text((n) => n.label);
  const neighbours = new Map(net.nodes.map((n) => [n, new Set([n])]));
  for (const l of links) { neighbours.get(l.source).add(l.target); neighbours.get(l.target).add(l.source); }
  node.on("mouseenter", (event, n) => {
    const near = neighbours.get(n);
    node.classed("dim", (m) => !near.has(m));
    edge.classed("hot", (l) => l.source === n || l.target === n);
    tip.show(`<strong>${esc(n.label)}</strong><br>${esc(s[`kind_${n.kind}`] || n.kind)} · ${esc(s.degree)}: ${n.degree}` +
      `<br>${esc(s.community)}: ${n.community ?? esc(s.unknown)}`,
    event.clientX, event.clientY);
  }).on("mouseleave", () => { node.classed("dim", false); edge.classed("hot", false); tip.hide(); });
  const zoomer = zoom().scaleExtent([0.5, 16]).on("zoom", (event) => layer.attr("transform", event.transform));
  svg.call(zoomer);
  // labels for the biggest hubs so the picture reads without hovering
  const hubs = net.nodes.filter((n) => n.kind !== "arrangement").sort((a, b) => b.degree - a.degree).slice(0, 12);
  layer.append("g").attr("class", "hub-labels").selectAll("text").data(hubs).join("text")
    .attr("x", (n) => n.x + n.r + 2).attr("y", (n) => n.y + 3).text((n) => n.label);
  return { svg, zoomer };
}

function list(box, net, s) {
  const groups = new Map();
  for (const n of net.nodes) {
    if (!groups.has(n.community)) groups.set(n.community, []);
    groups.get(n.community).push(n);
  }
  box.innerHTML = [...groups.entries()].sort((a, b) => (a[0] ?? 1e9) - (b[0] ?? 1e9)).map(([c, nodes]) =>
    `<h3>${esc(s.community)} ${c ?? esc(s.unknown)} (${nodes.length})</h3><ul class="plain columns">` +
    nodes.sort((a, b) => a.label.localeCompare(b.label)).map((n) =>
      `<li>${link(n.page, n.label)} <span class="muted">${esc(s[`kind_${n.kind}`] || n.kind)}, ${n.degree}</span></li>`).join("") +
    "</ul>").join("");
}

export async function initNetwork(el) {
  const s = strings();
  const form = document.getElementById("network-filters");
  const status = document.getElementById("network-status");
  const controls = document.createElement("p");
  controls.className = "zoom-controls";
  controls.innerHTML = `<button type="button" data-zoom="1.5" aria-label="${esc(s.zoom_in)}">+</button> ` +
    `<button type="button" data-zoom="0.67" aria-label="${esc(s.zoom_out)}">−</button> ` +
    `<button type="button" data-zoom="0" aria-label="${esc(s.zoom_reset)}">⟲</button>`;
  el.before(controls);
  let view = null;
  controls.addEventListener("click", (event) => {
    const factor = Number(event.target.dataset.zoom);
    if (!view || Number.isNaN(factor)) return;
    if (factor === 0) view.svg.call(view.zoomer.transform, zoomIdentity);
    else view.svg.call(view.zoomer.scaleBy, factor);
  });

  async function load() {
    const p = params(form);
    el.dataset.ready = "false";
    status.textContent = s.loading;
    for (const fmt of ["graphml", "gexf"]) {
      const q = new URLSearchParams(p);
      q.set("format", fmt);
      document.getElementById(`net-${fmt}`).href = `/api/network?${q}`;
    }
    let net;
    try {
      [net] = await Promise.all([getJSON(`/api/network?${p}`)]);
      place(net, await centroids().catch(() => new Map()));
    } catch (err) {
      status.textContent = `${s.error}: ${err.message}`;
      return;
    }
    const select = form.elements.namedItem("domain");
    if (!select.dataset.filled) {
      for (const r of net.filters.domain) {
        const option = document.createElement("option");
        option.value = r.iri;
        option.textContent = r.label || r.iri;
        select.append(option);
      }
      select.dataset.filled = "true";
    }
    const communities = new Set(net.nodes.map((n) => n.community).filter((c) => c != null)).size;
    status.textContent = `${net.nodes.length} ${s.n_nodes}, ${net.links.length} ${s.n_links}, ${communities} ${s.n_communities}`;
    view = draw(el, net, s);
    list(document.getElementById("network-list"), net, s);
    el.dataset.nodes = String(net.nodes.length);
    el.dataset.links = String(net.links.length);
    drawn(el, "network");
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  await load();
}
