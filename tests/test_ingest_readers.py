"""Text, HTML, PDF and DOCX in; bad input out with a clear error and nothing written.
The PDF and DOCX fixtures are made here from our own text."""

from __future__ import annotations

import io
import json

import pytest
from cli_helpers import run_cli

from graph.errors import BadInput, PayloadTooLarge
from graph.ingest.readers import read_bytes, read_path

TEXT = ["Raadsvoorstel windenergie Dronten", "Dronten, 12 mei 2025",
        "De gemeente Dronten heeft een windturbinepark gebouwd.",
        "Wethouder Ton van Amerongen (Dronten) licht het voorstel toe."]


def make_pdf(lines: list[str], *, title: str | None = None, text: bool = True) -> bytes:
    """A one-page PDF with the lines in Helvetica (hand-built: objects, xref, trailer)."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    ops = ["BT /F1 11 Tf 50 780 Td 14 TL"] + [f"({esc(line)}) Tj T*" for line in lines] + ["ET"] if text \
        else ["0 0 1 rg 50 600 200 100 re f"]   # a picture-like page: no text at all
    stream = "\n".join(ops).encode("latin-1")
    info = f"<< /Title ({esc(title)}) /Author (Gemeente Dronten) /CreationDate (D:20250512) >>" if title else "<< >>"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               info.encode("latin-1")]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(lines: list[str], *, title: str) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.core_properties.title = title
    document.core_properties.author = "Gemeente Dronten"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HTML = """<!doctype html><html><head><title>Dronten bouwt windpark</title>
<meta name="author" content="Gemeente Dronten"><meta property="og:site_name" content="Gemeente Dronten">
<meta name="date" content="2025-05-12"></head><body>
<nav><a href="/">Home</a> | <a href="/nieuws">Nieuws</a> | Cookie-instellingen</nav>
<article><h1>Dronten bouwt windpark</h1>
<p>De gemeente Dronten heeft een windturbinepark gebouwd. Het park telt twintig turbines en levert stroom aan
ruim dertigduizend huishoudens in de polder.</p>
<p>Wethouder Ton van Amerongen (Dronten) licht het voorstel toe aan de gemeenteraad en de inwoners.</p>
</article><footer>Cookie-instellingen | Privacy</footer></body></html>"""


@pytest.mark.parametrize("kind", ["text", "html", "pdf", "docx"])
def test_each_format_gives_its_text_and_metadata(kind):
    data, name = {
        "text": ("\n\n".join(TEXT).encode(), "voorstel.txt"),
        "html": (HTML.encode(), "nieuws.html"),
        "pdf": (make_pdf(TEXT, title="Raadsvoorstel windenergie Dronten"), "voorstel.pdf"),
        "docx": (make_docx(TEXT, title="Raadsvoorstel windenergie Dronten"), "voorstel.docx"),
    }[kind]
    doc = read_bytes(data, name)
    assert doc.kind == kind
    assert "windturbinepark gebouwd" in doc.text
    assert "Ton van Amerongen" in doc.text
    if kind == "html":   # the main text, not the navigation and footer
        assert "Cookie-instellingen" not in doc.text and doc.title == "Dronten bouwt windpark"
        assert doc.publisher == "Gemeente Dronten"
    elif kind in ("pdf", "docx"):
        assert doc.title == "Raadsvoorstel windenergie Dronten" and doc.publisher == "Gemeente Dronten"
        assert doc.found["title"].startswith(kind.upper())
    if kind == "pdf":
        assert doc.date == "2025-05-12"
    if kind == "text":
        assert doc.title == TEXT[0] and doc.date == "2025-05-12" and doc.found["date"].startswith("first date")


def test_the_extractors_read_every_format_alike(tmp_path):
    from graph.ingest.review import ReviewQueue
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    files = {"v.txt": "\n\n".join(TEXT).encode(), "v.pdf": make_pdf(TEXT, title="Raadsvoorstel"),
             "v.docx": make_docx(TEXT, title="Raadsvoorstel"), "v.html": HTML.encode()}
    with KnowledgeGraph.open(Settings(store=tmp_path / "store")) as kg:
        queue = ReviewQueue(kg)
        for name, data in files.items():
            out = queue.ingest(read_bytes(data, name))
            facts = {(p["kind"], p["summary"]) for p in out["proposals"]}
            assert ("experience", "Dronten — heeft-gedaan — windturbines") in facts, name
            assert any(k == "post" and "Ton van Amerongen: wethouder of Dronten" in s for k, s in facts), name
            for p in out["proposals"]:   # spans point into the document's text
                assert 0 <= p["start"] < p["end"] <= len(out["text"])
    # via the command line too, with the spans quoted in --json
    path = tmp_path / "v.pdf"
    path.write_bytes(files["v.pdf"])
    out = json.loads(run_cli("ingest", str(path), "--json", store=tmp_path / "store2", check=True).stdout)
    assert all(p["text"] == p["sentence_text"][p["start"] - p["sentence"][0]:p["end"] - p["sentence"][0]]
               for p in out["proposals"] if p["sentence"][0] <= p["start"] and p["end"] <= p["sentence"][1])


def _bad_inputs(tmp_path):
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"  \n")
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(make_pdf([], text=False))
    unsupported = tmp_path / "tabel.xlsx"
    unsupported.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    image = tmp_path / "foto.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    huge = tmp_path / "groot.txt"
    with huge.open("wb") as f:   # 100 MB, sparse: the size is checked before anything is read
        f.truncate(100 * 1024 * 1024)
    return {"empty": (empty, "empty"), "scanned": (scanned, "no text layer"),
            "unsupported": (unsupported, "not a DOCX"), "image": (image, "unsupported document type"),
            "huge": (huge, "more than the")}


def test_bad_input_gets_a_clear_error_and_writes_nothing(tmp_path):
    store = tmp_path / "store"
    run_cli("stats", store=store, check=True)   # create the store
    run_cli("dump", str(tmp_path / "before.nq"), store=store, check=True)
    for name, (path, message) in _bad_inputs(tmp_path).items():
        proc = run_cli("ingest", str(path), store=store)
        assert proc.returncode == 1, name
        assert proc.stderr.startswith("error: ") and message in proc.stderr, (name, proc.stderr)
        assert "Traceback" not in proc.stderr
    run_cli("dump", str(tmp_path / "after.nq"), store=store, check=True)
    assert (tmp_path / "before.nq").read_bytes() == (tmp_path / "after.nq").read_bytes()
    assert not (tmp_path / "store.review").exists() or not list((tmp_path / "store.review").glob("*.json"))


def test_too_much_text_and_zip_bombs_are_refused():
    with pytest.raises(PayloadTooLarge, match="characters"):
        read_bytes(("Dronten bouwt een windpark. " * 80_000).encode(), "lang.txt")   # 2.2 M characters
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:   # a "DOCX" of 120 MB zeros, 120 kB packed
        z.writestr("word/document.xml", b"\0" * 120_000_000)
    assert len(out.getvalue()) < 1_000_000
    with pytest.raises(PayloadTooLarge, match="unpacks"):
        read_bytes(out.getvalue(), "bom.docx")


def test_reader_errors_are_typed(tmp_path):
    inputs = _bad_inputs(tmp_path)
    with pytest.raises(PayloadTooLarge):
        read_path(inputs["huge"][0])
    for name in ("empty", "scanned", "unsupported", "image"):
        with pytest.raises(BadInput):
            read_path(inputs[name][0])


@pytest.fixture
def web(tmp_path):
    """A real HTTP server on loopback serving our own pages (stdlib http.server in a thread)."""
    import http.server
    import threading

    pages = {"/nieuws/dronten-bouwt-windpark": ("text/html; charset=utf-8", HTML.encode()),
             "/stukken/voorstel.pdf": ("application/pdf", make_pdf(TEXT, title="Raadsvoorstel windenergie Dronten")),
             "/foto": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)}
    served: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):   # noqa: N802 - the http.server API
            served.append(self.path)
            if self.path == "/groot":   # declares 100 MB; the reader must not wait for it
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(100 * 1024 * 1024))
                self.end_headers()
                return
            if self.path not in pages:
                self.send_error(404, "Not Found")
                return
            kind, body = pages[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", served
    server.shutdown()
    server.server_close()


def test_ingest_reads_an_address_too(web, tmp_path):
    base, _ = web
    store = tmp_path / "store"
    out = json.loads(run_cli("ingest", f"{base}/nieuws/dronten-bouwt-windpark", "--json", store=store, check=True).stdout)
    assert out["kind"] == "html" and out["title"] == "Dronten bouwt windpark"   # typed by its Content-Type
    assert out["filename"] == f"{base}/nieuws/dronten-bouwt-windpark"   # the address is the source
    assert ("experience", "Dronten — heeft-gedaan — windturbines") in {(p["kind"], p["summary"]) for p in out["proposals"]}
    pdf = json.loads(run_cli("ingest", f"{base}/stukken/voorstel.pdf", "--json", store=store, check=True).stdout)
    assert pdf["kind"] == "pdf" and pdf["publisher"] == "Gemeente Dronten"
    run_cli("dump", str(tmp_path / "before.nq"), store=store, check=True)
    for path, message in (("/bestaat-niet", "answered 404"), ("/foto", "unsupported document type 'image/png'"),
                          ("/groot", "104,857,600 bytes is more than")):
        proc = run_cli("ingest", base + path, store=store)
        assert proc.returncode == 1 and proc.stderr.startswith("error: ") and message in proc.stderr, proc.stderr
    proc = run_cli("ingest", "ftp://127.0.0.1/x.txt", store=store)   # not an address we fetch: a missing file
    assert proc.returncode == 1 and "no such file" in proc.stderr
    run_cli("dump", str(tmp_path / "after.nq"), store=store, check=True)
    assert (tmp_path / "before.nq").read_bytes() == (tmp_path / "after.nq").read_bytes()
    queued = json.loads(run_cli("review", "list", "--json", store=store, check=True).stdout)
    assert sorted(e["kind"] for e in queued) == ["html", "pdf"]
