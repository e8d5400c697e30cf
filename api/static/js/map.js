// Maps of the Netherlands drawn as SVG from /ui-api/geo/municipalities.geojson (no tiles:
// everything comes from our own server; the counts are those of the stored load analysis). Modes: "choropleth" (arrangements per
// municipality) and "highlight" (given CBS codes). A visually-hidden list is the text
// alternative.
import { select, geoMercator, geoPath, geoBounds, zoom } from "/dist/d3.js";
import { getJSON, strings, esc, drawn, safeHref, link } from "/static/js/common.js";

let geoPromise = null;
const loadGeo = () => (geoPromise ??= getJSON("/ui-api/geo/municipalities.geojson"));

function shade(value, max) {
  // light-to-dark blue ramp; contrast with the white borders stays readable
  const t = max ? Math.sqrt(value / max) : 0;
  const mix = (a, b) => Math.round(a + (b - a) * t);
  return `rgb(${mix(222, 8)},${mix(235, 69)},${mix(247, 148)})`;
}

/** The area to show: the highlighted municipalities with a margin (at least ~1.6° × 1°,
 *  so a few neighbours stay in view), or the whole country. */
function focusArea(geo, wanted) {
  const chosen = geo.features.filter((f) => wanted.has(f.properties.cbs));
  if (!chosen.length) return geo;
  const box = geoBounds({ type: "FeatureCollection", features: chosen });
  const [[x0, y0], [x1, y1]] = box;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const hw = Math.max((x1 - x0) * 0.65, 0.8), hh = Math.max((y1 - y0) * 0.65, 0.5);
  return { type: "MultiPoint", coordinates: [[cx - hw, cy - hh], [cx + hw, cy + hh]] };
}

/** The colour legend of the choropleth: the ramp from 0 to the largest count. */
function legend(el, max, s) {
  const box = document.createElement("p");
  box.className = "legend";
  box.id = "map-legend";
  const steps = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * max));
  box.innerHTML = `<span>${esc(s.legend)}: ${esc(s.legend_arrangements)}</span> <span>0</span><span class="ramp">` +
    steps.map((v) => `<span style="background:${shade(v, max)}" title="${v}"></span>`).join("") +
    `</span><span>${max}</span>`;
  el.after(box);
}

/** The legend of a highlight map: what the coloured areas are (the map's data-legend) and the grey ones. */
function highlightLegend(el, s) {
  const box = document.createElement("p");
  box.className = "legend";
  box.id = "map-legend";
  box.innerHTML = `<span>${esc(s.legend)}:</span> <span class="ramp"><span style="background:#d95f02"></span></span>` +
    `<span>${esc(el.dataset.legend || "")}</span> <span class="ramp"><span style="background:#d9d9d9"></span></span>` +
    `<span>${esc(s.legend_other)}</span>`;
  el.after(box);
}

export async function drawMap(el, { mode = "highlight", codes = [], zoomTo = false, width = 520, height = 600 } = {}) {
  const s = strings();
  let geo;
  try {
    geo = await loadGeo();
  } catch (err) {
    el.textContent = `${err.message}`;
    return;
  }
  const wanted = new Set(codes.filter(Boolean));
  const projection = geoMercator().fitSize([width, height], zoomTo ? focusArea(geo, wanted) : geo);
  const path = geoPath(projection).pointRadius(3.2);
  const svg = select(el).append("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("aria-hidden", "true")
    .attr("focusable", "false");
  const layer = svg.append("g");
  const max = Math.max(1, ...geo.features.map((f) => f.properties.arrangements));
  const fill = (f) => {
    if (mode === "choropleth") return shade(f.properties.arrangements, max);
    return wanted.has(f.properties.cbs) ? "#d95f02" : "#d9d9d9";
  };
  const ordered = geo.features.slice().sort((a, b) => wanted.has(a.properties.cbs) - wanted.has(b.properties.cbs));
  layer.selectAll("path").data(ordered).join("path")
    .attr("d", path)
    .attr("class", (f) => (wanted.has(f.properties.cbs) ? "area highlighted" : "area"))
    .attr("data-cbs", (f) => f.properties.cbs)
    .attr("fill", fill)
    .on("click", (event, f) => { const href = safeHref(f.properties.url); if (href) window.location.href = href; })
    .append("title").text((f) => `${f.properties.name} (${f.properties.cbs}): ${f.properties.arrangements} ${s.arrangements.toLowerCase()}`);
  svg.call(zoom().scaleExtent([1, 12]).on("zoom", (event) => layer.attr("transform", event.transform)));
  if (mode === "choropleth") legend(el, max, s);
  else highlightLegend(el, s);
  if (geo.kind === "points") {
    const note = document.getElementById("map-note");
    if (note) note.textContent = s.map_points_note;
  }
  // text alternative: the highlighted municipalities, or all with their counts
  const list = document.createElement("ul");
  list.className = "visually-hidden";
  const shown = mode === "choropleth" ? geo.features : geo.features.filter((f) => wanted.has(f.properties.cbs));
  list.innerHTML = shown.map((f) => `<li>${link(f.properties.url, f.properties.name)}` +
    (mode === "choropleth" ? `: ${f.properties.arrangements}` : "") + "</li>").join("");
  el.after(list);
  el.dataset.features = String(geo.features.length);
  el.dataset.highlighted = String(layer.selectAll("path.highlighted").size());
  el.dataset.kind = geo.kind;
  drawn(el, "map");
}
