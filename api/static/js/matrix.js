// Membership matrix: municipalities (rows) × arrangements (columns) drawn from the page's
// JSON twin /api/membership-matrix, ordered server-side by similarity or community so
// blocks show. Hover shows the membership and its source; the filters and the CSV link
// share the query string.
import { select } from "/dist/d3.js";
import { getJSON, esc, strings, tooltip, drawn, safeHref, link } from "/static/js/common.js";

const LABEL_W = 170;
const LABEL_H = 150;

function queryFromForm(form) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) if (value) params.set(key, value);
  return params;
}

function fillOptions(form, filters, params) {
  // the filter menus list what the answer says the matrix can be filtered by
  for (const [name, refs] of Object.entries(filters)) {
    const select = form.elements.namedItem(name);
    if (!select || select.dataset.filled) continue;
    for (const r of refs) {
      const option = document.createElement("option");
      option.value = r.iri;
      option.textContent = r.label || r.iri;
      select.append(option);
    }
    select.dataset.filled = "true";
    if (params.get(name)) select.value = params.get(name);
  }
}

function fillForm(form, params) {
  for (const [key, value] of params) {
    const field = form.elements.namedItem(key);
    if (field) field.value = value;
  }
}

function draw(el, m, s) {
  el.innerHTML = "";
  const cell = Math.max(4, Math.min(16, Math.floor(1100 / Math.max(1, m.columns.length))));
  const showCols = cell >= 9;
  const showRows = cell >= 9 || m.rows.length <= 120;
  const rowH = showRows ? Math.max(cell, 11) : cell;
  const left = showRows ? LABEL_W : 8;
  const top = showCols ? LABEL_H : 8;
  const width = left + m.columns.length * cell + (showCols ? LABEL_H : 10);
  const height = top + m.rows.length * rowH + 10;
  const svg = select(el).append("svg").attr("width", width).attr("height", height)
    .attr("role", "img").attr("aria-label", `${m.rows.length} ${s.municipalities} × ${m.columns.length} ${s.arrangements}`);
  svg.append("rect").attr("x", left).attr("y", top).attr("width", m.columns.length * cell)
    .attr("height", m.rows.length * rowH).attr("class", "matrix-bg");
  if (showRows) {
    svg.append("g").selectAll("a").data(m.rows).join("a").attr("href", (r) => safeHref(r.page)).attr("tabindex", -1)
      .append("text").attr("class", "row-label").attr("x", left - 4).attr("y", (r, i) => top + i * rowH + rowH * 0.8)
      .attr("text-anchor", "end").text((r) => r.name || r.iri);
  }
  if (showCols) {
    svg.append("g").selectAll("a").data(m.columns).join("a").attr("href", (c) => safeHref(c.page)).attr("tabindex", -1)
      .append("text").attr("class", "col-label")
      .attr("transform", (c, i) => `translate(${left + i * cell + cell * 0.75},${top - 4}) rotate(-60)`)
      .text((c) => { const name = c.name || c.iri; return name.length > 28 ? `${name.slice(0, 27)}…` : name; });
  }
  const tip = tooltip();
  svg.append("g").selectAll("rect").data(m.cells).join("rect")
    .attr("class", "cell")
    .attr("x", (c) => left + c[1] * cell).attr("y", (c) => top + c[0] * rowH)
    .attr("width", cell - (cell > 5 ? 1 : 0)).attr("height", rowH - (rowH > 5 ? 1 : 0))
    .on("mousemove", (event, c) => {
      const row = m.rows[c[0]], col = m.columns[c[1]], graph = m.graphs[c[2]];
      const src = m.sources.find((x) => x.graph === graph) || { graph };
      tip.show(`<strong>${esc(row.name)}</strong> ∈ <strong>${esc(col.name)}</strong>` +
        `<br>${esc(s.source)}: ${esc(src.title || src.graph)}${src.date ? ` (${esc(src.date)})` : ""}`, event.clientX, event.clientY);
    })
    .on("mouseleave", () => tip.hide())
    .on("click", (event, c) => { const href = safeHref(m.columns[c[1]].page); if (href) window.location.href = href; });
  el.dataset.rows = String(m.rows.length);
  el.dataset.cols = String(m.columns.length);
  el.dataset.cells = String(m.cells.length);
}

function table(box, m, s) {
  // text alternative: each municipality with its arrangements (built when opened)
  const byRow = new Map();
  for (const c of m.cells) {
    if (!byRow.has(c[0])) byRow.set(c[0], []);
    byRow.get(c[0]).push(c[1]);
  }
  box.innerHTML = `<table><thead><tr><th scope="col">${esc(s.member)}</th><th scope="col">${esc(s.arrangements)}</th></tr></thead><tbody>` +
    m.rows.map((r, i) => `<tr><th scope="row">${link(r.page, r.name || r.iri)}</th><td>` +
      (byRow.get(i) || []).map((j) => link(m.columns[j].page, m.columns[j].name || m.columns[j].iri)).join(", ") +
      "</td></tr>").join("") + "</tbody></table>";
}

export async function initMatrix(el) {
  const s = strings();
  const form = document.getElementById("matrix-filters");
  const status = document.getElementById("matrix-status");
  const csv = document.getElementById("matrix-csv");
  const details = document.getElementById("matrix-table-box");
  let current = null;
  fillForm(form, new URLSearchParams(window.location.search));

  async function load() {
    const params = queryFromForm(form);
    status.textContent = s.loading;
    el.dataset.ready = "false";
    const csvParams = new URLSearchParams(params);
    csvParams.set("format", "csv");
    csv.href = `/api/membership-matrix?${csvParams}`;
    try {
      current = await getJSON(`/api/membership-matrix?${params}`);
    } catch (err) {
      status.textContent = `${s.error}: ${err.message}`;
      return;
    }
    fillOptions(form, current.filters, params);
    status.textContent = `${current.rows.length} ${s.municipalities.toLowerCase()} × ${current.columns.length} ` +
      `${s.arrangements.toLowerCase()}, ${current.cells.length} ${s.memberships.toLowerCase()}`;
    draw(el, current, s);
    if (details.open) table(document.getElementById("matrix-table"), current, s);
    drawn(el, "matrix");
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = queryFromForm(form);
    history.replaceState(null, "", `${window.location.pathname}${params.size ? "?" + params : ""}`);
    load();
  });
  details.addEventListener("toggle", () => { if (details.open && current) table(document.getElementById("matrix-table"), current, s); });
  await load();
}
