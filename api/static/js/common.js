// Helpers shared by the page scripts: strings, JSON fetching, escaping, tooltips.

/** The interface strings a page embedded as JSON (script#strings and script#common-strings). */
export function strings() {
  const out = {};
  for (const id of ["common-strings", "strings"]) {
    const el = document.getElementById(id);
    if (el) Object.assign(out, JSON.parse(el.textContent));
  }
  return out;
}

export const lang = () => document.body.dataset.lang || "nl";

/** GET a JSON document from our own server; throws an Error with the server's message. */
export async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body && body.error ? body.error.message : `${response.status} ${response.statusText}`;
    throw new Error(message);
  }
  return body;
}

/** Escape text for HTML. */
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** ``url`` when it may become a link (http(s) or a path on this site), else null:
 *  javascript:, data: and other schemes are never put in an href. */
export function safeHref(url) {
  if (typeof url !== "string" || !url) return null;
  if (url.startsWith("/") && !url.startsWith("//") && !url.includes("\\")) return url;
  if (/^https?:\/\//i.test(url) && !/[\s<>"']/.test(url)) return url;
  return null;
}

/** An <a> for a safe URL, else the escaped text alone. */
export function link(url, text) {
  const href = safeHref(url);
  return href ? `<a href="${esc(href)}">${esc(text)}</a>` : esc(text);
}

/** A tooltip bound to element #tooltip: show(html, event) / hide(). */
export function tooltip() {
  const el = document.getElementById("tooltip");
  return {
    show(html, x, y) {
      el.innerHTML = html;
      el.hidden = false;
      const box = el.getBoundingClientRect();
      const left = Math.min(x + 14, window.innerWidth - box.width - 8);
      el.style.left = `${left + window.scrollX}px`;
      el.style.top = `${y + 14 + window.scrollY}px`;
    },
    hide() { el.hidden = true; },
  };
}

/** Colours for communities (Okabe-Ito and Tableau, distinguishable, readable on white). */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B",
  "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#76B7B2", "#EDC948", "#9C755F", "#E15759", "#BAB0AC"];
export const communityColour = (c) => (c == null || c < 0 ? "#888" : PALETTE[c % PALETTE.length]);

/** Mark a drawing as finished (for people with screen readers, tests and timings). */
export function drawn(el, name) {
  el.dataset.ready = "true";
  if (performance.mark) performance.mark(`drawn:${name}`);
}
