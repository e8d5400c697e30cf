// Search box with suggestions (ARIA combobox): type, move with the arrow keys, Enter opens
// the chosen suggestion (or submits the search when none is chosen), Escape closes.
import { getJSON, esc, lang, safeHref } from "/static/js/common.js";

const KIND_LABELS = {
  nl: { municipality: "gemeente", province: "provincie", "water-board": "waterschap", arrangement: "samenwerking",
    person: "persoon", topic: "onderwerp", "regional-body": "regionaal orgaan", organisation: "organisatie",
    unresolved: "onbekende deelnemer", other: "overig" },
  en: { municipality: "municipality", province: "province", "water-board": "water board", arrangement: "arrangement",
    person: "person", topic: "topic", "regional-body": "regional body", organisation: "organisation",
    unresolved: "unresolved participant", other: "other" },
};

export function initSearch(input) {
  const list = document.getElementById(input.getAttribute("aria-controls"));
  let items = [];
  let active = -1;
  let timer = null;
  let seq = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const mark = () => {
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) input.setAttribute("aria-activedescendant", `sugg-${active}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const render = () => {
    const kinds = KIND_LABELS[lang()] || KIND_LABELS.nl;
    list.innerHTML = items.map((r, i) =>
      `<li id="sugg-${i}" role="option" aria-selected="false" data-url="${esc(safeHref(r.page || r.iri) || "")}">` +
      `<span class="name">${esc(r.label)}</span> <span class="badge kind-${esc(r.kind)}">${esc(kinds[r.kind] || r.kind)}</span>` +
      (r.matched !== r.label ? ` <span class="muted">(${esc(r.matched)})</span>` : "") + "</li>").join("");
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    active = -1;
    mark();
  };
  const suggest = async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) { items = []; render(); return; }
    const found = await getJSON(`/api/search?q=${encodeURIComponent(q)}&limit=10`);
    if (mine === seq) { items = found.items; render(); }
  };

  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 120); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && items.length) {
      active = (active + 1) % items.length; mark(); event.preventDefault();
    } else if (event.key === "ArrowUp" && items.length) {
      active = (active - 1 + items.length) % items.length; mark(); event.preventDefault();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      const href = safeHref(items[active].page || items[active].iri);
      if (href) window.location.href = href;
    } else if (event.key === "Escape") {
      close();
    }
  });
  list.addEventListener("mousedown", (event) => {
    const li = event.target.closest("li[data-url]");
    if (li && li.dataset.url) { event.preventDefault(); window.location.href = li.dataset.url; }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
}
