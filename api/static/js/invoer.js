// /invoer: upload a document and decide on its proposals through /api/documents.
// The write token stays in this tab (sessionStorage), sent as a Bearer header.
(function () {
  "use strict";
  const tokenInput = document.getElementById("token");
  if (tokenInput) {
    tokenInput.value = sessionStorage.getItem("regiokg-token") || "";
    tokenInput.addEventListener("change", () => sessionStorage.setItem("regiokg-token", tokenInput.value));
  }
  function token() {
    const value = tokenInput ? tokenInput.value.trim() : "";
    if (value) sessionStorage.setItem("regiokg-token", value);
    return value;
  }
  async function errorText(response) {
    try {
      const body = await response.json();
      return (body.error && body.error.message) || response.statusText;
    } catch (e) {
      return response.statusText;
    }
  }

  const form = document.getElementById("upload");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = document.getElementById("upload-status");
      const file = document.getElementById("file").files[0];
      if (!file) return;
      const params = new URLSearchParams({ filename: file.name });
      for (const name of ["title", "publisher", "date"]) {
        const value = document.getElementById(name).value.trim();
        if (value) params.set(name, value);
      }
      status.textContent = "Bezig met inlezen…";
      const response = await fetch("/api/documents?" + params.toString(), {
        method: "POST", body: file,
        headers: { "Authorization": "Bearer " + token(), "Content-Type": file.type || "application/octet-stream" },
      });
      if (!response.ok) {
        status.textContent = "Fout: " + (await errorText(response));
        status.classList.add("error");
        return;
      }
      const doc = await response.json();
      window.location.assign("/invoer/" + doc.doc_id);
    });
  }

  const layout = document.querySelector(".invoer-layout");
  if (layout) {
    const doc = layout.dataset.doc;
    const status = document.getElementById("decision-status");
    async function decide(body) {
      status.textContent = "Bezig…";
      const response = await fetch("/api/documents/" + doc + "/decisions", {
        method: "POST", body: JSON.stringify(body),
        headers: { "Authorization": "Bearer " + token(), "Content-Type": "application/json" },
      });
      if (!response.ok) {
        status.textContent = "Fout: " + (await errorText(response));
        status.classList.add("error");
        return;
      }
      window.location.reload();
    }
    layout.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (button) {
        if (button.classList.contains("accept")) decide({ accept: [button.dataset.id] });
        else if (button.classList.contains("reject")) decide({ reject: [button.dataset.id] });
        else if (button.classList.contains("accept-kind")) decide({ accept_kind: button.dataset.kind });
        else if (button.classList.contains("reject-kind")) decide({ reject_kind: button.dataset.kind });
        return;
      }
      const mark = event.target.closest("mark");
      if (mark) {   // a highlighted span: show its proposals
        document.querySelectorAll(".proposal.focus").forEach((li) => li.classList.remove("focus"));
        const ids = mark.dataset.ids.split(" ");
        ids.forEach((id) => document.getElementById("p-" + id).classList.add("focus"));
        document.getElementById("p-" + ids[0]).scrollIntoView({ block: "nearest" });
      }
    });
    layout.addEventListener("mouseover", (event) => {
      const li = event.target.closest(".proposal");
      document.querySelectorAll("mark.hover").forEach((m) => m.classList.remove("hover"));
      if (!li) return;
      document.querySelectorAll("mark").forEach((m) => {
        if (m.dataset.ids.split(" ").includes(li.dataset.id)) m.classList.add("hover");
      });
    });
  }
})();
