// Membership matrix: municipalities (rows) × arrangements (columns) from /ui-api/matrix,
// ordered server-side by similarity or community so blocks show. Hover shows the
// membership and its source; the filters and the CSV link share the query string.
import { select } from "/dist/d3.js";
import { getJSON, esc, strings, tooltip, drawn, lang } from "/static/js/common.js";

const LABEL_W = 170;
const LABEL_H = 150;

function queryFromForm(form) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) if (value) params.set(key, value);
  return params;
}

function fillForm(form, params) {
  for (const [key, value] of params) {
    const field = form.elements.namedItem(key);
    if (field) field.value = value;
  }
}

function draw(el, m, s) {
  el.innerHTML = "";
  const cell = Math.max(4, Math.min(16, Math.floor(1100 / Math.max(1, m.cols.length))));
  const showCols = cell >= 9;
  const showRows = cell >= 9 || m.rows.length <= 120;
  const rowH = showRows ? Math.max(cell, 11) : cell;
  const left = showRows ? LABEL_W : 8;
  const top = showCols ? LABEL_H : 8;
  const width = left + m.cols.length * cell + (showCols ? LABEL_H : 10);
  const height = top + m.rows.length * rowH + 10;
  const svg = select(el).append("svg").attr("width", width).attr("height", height)
    .attr("role", "img").attr("aria-label", `${m.rows.length} ${s.municipalities} × ${m.cols.length} ${s.arrangements}`);
  svg.append("rect").attr("x", left).attr("y", top).attr("width", m.cols.length * cell)
    .attr("height", m.rows.length * rowH).attr("class", "matrix-bg");
  if (showRows) {
    svg.append("g").selectAll("a").data(m.rows).join("a").attr("href", (r) => r.url).attr("tabindex", -1)
      .append("text").attr("class", "row-label").attr("x", left - 4).attr("y", (r, i) => top + i * rowH + rowH * 0.8)
      .attr("text-anchor", "end").text((r) => r.label);
  }
  if (showCols) {
    svg.append("g").selectAll("a").data(m.cols).join("a").attr("href", (c) => c.url).attr("tabindex", -1)
      .append("text").attr("class", "col-label")
      .attr("transform", (c, i) => `translate(${left + i * cell + cell * 0.75},${top - 4}) rotate(-60)`)
      .text((c) => (c.label.length > 28 ? `${c.label.slice(0, 27)}…` : c.label));
  }
  const tip = tooltip();
  svg.append("g").selectAll("rect").data(m.cells).join("rect")
    .attr("class", "cell")
    .attr("x", (c) => left + c[1] * cell).attr("y", (c) => top + c[0] * rowH)
    .attr("width", cell - (cell > 5 ? 1 : 0)).attr("height", rowH - (rowH > 5 ? 1 : 0))
    .on("mousemove", (event, c) => {
      const row = m.rows[c[0]], col = m.cols[c[1]], src = m.sources[c[2]] || {};
      tip.show(`<strong>${esc(row.label)}</strong> ∈ <strong>${esc(col.label)}</strong><br>` +
        (c[3] ? `${esc(s.from)} ${esc(c[3])} ` : "") + (c[4] ? `${esc(s.until)} ${esc(c[4])} ` : "") +
        (c[5] ? `${esc(s.attested)} ${esc(c[5])}` : "") +
        `<br>${esc(s.source)}: ${esc(src.title || src.iri)}${src.date ? ` (${esc(src.date)})` : ""}`, event.clientX, event.clientY);
    })
    .on("mouseleave", () => tip.hide())
    .on("click", (event, c) => { window.location.href = m.cols[c[1]].url; });
  el.dataset.rows = String(m.rows.length);
  el.dataset.cols = String(m.cols.length);
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
    m.rows.map((r, i) => `<tr><th scope="row"><a href="${esc(r.url)}">${esc(r.label)}</a></th><td>` +
      (byRow.get(i) || []).map((j) => `<a href="${esc(m.cols[j].url)}">${esc(m.cols[j].label)}</a>`).join(", ") +
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
    params.set("lang", lang());
    status.textContent = s.loading;
    el.dataset.ready = "false";
    const csvParams = new URLSearchParams(params);
    csvParams.delete("order");
    csv.href = `/ui-api/matrix.csv?${csvParams}`;
    try {
      current = await getJSON(`/ui-api/matrix?${params}`);
    } catch (err) {
      status.textContent = `${s.error}: ${err.message}`;
      return;
    }
    status.textContent = `${current.rows.length} ${s.municipalities.toLowerCase()} × ${current.cols.length} ` +
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
