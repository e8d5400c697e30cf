// SPARQL editor: CodeMirror 6 (bundled from npm, no other hosts) over the /sparql
// protocol endpoint. Example queries come from the project's .rq files; results show as
// a table and download as CSV or JSON.
import { EditorView, EditorState, keymap, lineNumbers, highlightActiveLine, drawSelection, defaultKeymap,
  history, historyKeymap, StreamLanguage, syntaxHighlighting, defaultHighlightStyle,
  bracketMatching, sparql } from "/dist/editor.js";
import { esc, strings, link } from "/static/js/common.js";

const RESULTS_JSON = "application/sparql-results+json";
const ID_BASE = "https://w3id.org/regiokg/id/";

function cell(term) {
  if (!term) return "";
  if (term.type === "uri") {
    // only http(s) IRIs become links (ours to their page here); javascript: and the like stay text
    const local = term.value.startsWith(ID_BASE) ? `/id/${term.value.slice(ID_BASE.length)}` : term.value;
    return link(local, term.value);
  }
  return esc(term.value) + (term["xml:lang"] ? `<span class="muted">@${esc(term["xml:lang"])}</span>` : "");
}

async function post(query, accept) {
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
    body: new URLSearchParams({ query }),
  });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(body && body.error ? body.error.message : `${response.status} ${response.statusText}`);
  }
  return response;
}

export function initSparql() {
  const s = strings();
  const examples = JSON.parse(document.getElementById("examples").textContent);
  const textarea = document.getElementById("sparql-text");
  const status = document.getElementById("sparql-status");
  const out = document.getElementById("sparql-results");
  const run = async () => {
    const query = view.state.doc.toString();
    status.textContent = s.loading;
    out.innerHTML = "";
    out.dataset.ready = "false";
    delete status.dataset.truncated;
    const started = performance.now();
    try {
      const response = await post(query, `${RESULTS_JSON}, text/turtle;q=0.9`);
      const type = response.headers.get("content-type") || "";
      const ms = Math.round(performance.now() - started);
      if (type.includes("sparql-results+json")) {
        const body = await response.json();
        if ("boolean" in body) {
          out.innerHTML = `<p class="ask">${body.boolean}</p>`;
          status.textContent = `ASK → ${body.boolean} (${ms} ms)`;
        } else {
          const vars = body.head.vars;
          const rows = body.results.bindings;
          out.innerHTML = `<table><thead><tr>${vars.map((v) => `<th scope="col">?${esc(v)}</th>`).join("")}</tr></thead><tbody>` +
            rows.map((r) => `<tr>${vars.map((v) => `<td>${cell(r[v])}</td>`).join("")}</tr>`).join("") + "</tbody></table>";
          // the server sends "true; the answer stops after N rows (REGIOKG_MAX_ROWS)"
          const truncated = (response.headers.get("x-regiokg-truncated") || "").trim();
          const cut = /^true\b/i.test(truncated);
          status.textContent = `${rows.length} ${s.rows} (${ms} ms)${cut ? ` — ${s.truncated}: ${truncated.replace(/^true;?\s*/i, "")}` : ""}`;
          status.dataset.truncated = String(cut);
        }
      } else {
        out.innerHTML = `<pre>${esc(await response.text())}</pre>`;
        status.textContent = `${type} (${ms} ms)`;
      }
      out.dataset.ready = "true";
    } catch (err) {
      status.textContent = `${s.error}: ${err.message}`;
      out.dataset.ready = "error";
    }
  };
  const download = async (accept, extension) => {
    try {
      const response = await post(view.state.doc.toString(), accept);
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = `regiokg-query.${extension}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      status.textContent = `${s.error}: ${err.message}`;
    }
  };
  const view = new EditorView({
    parent: document.getElementById("editor"),
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(), bracketMatching(),
        StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle),
        keymap.of([{ key: "Mod-Enter", run: () => { run(); return true; } }, ...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of({ "aria-label": "SPARQL" }),
        EditorView.updateListener.of((update) => { if (update.docChanged) textarea.value = update.state.doc.toString(); }),
      ],
    }),
  });
  textarea.hidden = true;
  window.regiokgEditor = view;
  const setQuery = (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  document.querySelectorAll("[data-example]").forEach((button) => button.addEventListener("click", () => {
    setQuery(examples[Number(button.dataset.example)].query);
    run();
  }));
  document.getElementById("run-query").addEventListener("click", run);
  document.getElementById("download-csv").addEventListener("click", () => download("text/csv", "csv"));
  document.getElementById("download-json").addEventListener("click", () => download(RESULTS_JSON, "json"));
  document.getElementById("editor").dataset.ready = "true";
}
