"""Documents in: plain text, HTML, PDF and DOCX turned into one text with its own metadata.

Every reader returns a :class:`Document` whose ``text`` is what the extractors read and
whose character offsets the proposals' spans refer to. Metadata the file itself carries
(an HTML ``<title>``/``<meta>``, PDF document info, DOCX core properties; in plain text a
first line as title and a Dutch date near the top) fills ``title``, ``publisher`` and
``date`` where the caller gave none. Bad input raises :class:`~graph.errors.BadInput` (or
:class:`~graph.errors.PayloadTooLarge`) before anything is stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import BadInput, PayloadTooLarge

MAX_DOCUMENT_BYTES = 20_000_000   # a council paper is kilobytes; 20 MB is a very large PDF
MIN_TEXT_CHARS = 20               # fewer letters than this: nothing to read (e.g. a scanned PDF)
MAX_TEXT_CHARS = 2_000_000        # ~1,000 pages; the extractors read ~50k characters a second
MAX_UNZIPPED_BYTES = 100_000_000  # a DOCX whose parts unpack to more than this is refused (zip bomb)

MONTHS = {"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
          "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
          "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
          "october": 10}
DATE_RE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
MONTH_ONLY = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\b(?!\s+\d{4})", re.IGNORECASE)
MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
KINDS = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html",
         ".xhtml": "html", ".pdf": "pdf", ".docx": "docx"}


@dataclass
class Document:
    """A document read from a file: its text and what is known about it."""

    text: str
    kind: str                      # text, html, pdf, docx
    filename: str
    sha256: str
    size: int
    title: str | None = None
    publisher: str | None = None
    date: str | None = None        # ISO date (YYYY-MM-DD) or year (YYYY)
    found: dict[str, str] = field(default_factory=dict)   # metadata field -> where it was found

    @property
    def doc_id(self) -> str:
        """The document's identifier: the first 16 hex digits of its SHA-256."""
        return self.sha256[:16]


def kind_of(filename: str, data: bytes) -> str:
    """The document kind from the file's first bytes, else its name; BadInput if unsupported.

    >>> kind_of("x.bin", b"%PDF-1.4 ...")
    'pdf'
    >>> kind_of("nota.txt", "Raadsvoorstel".encode())
    'text'
    """
    head = data[:512].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if filename.lower().endswith(".docx") or b"word/" in data[:4096]:
            return "docx"
        raise BadInput(f"{filename}: a zip archive that is not a DOCX document; supported: "
                       "plain text, HTML, PDF, DOCX", code="unsupported_type")
    if head.startswith((b"<!doctype html", b"<html")) or (filename.lower().endswith((".html", ".htm"))):
        return "html"
    suffix = Path(filename).suffix.lower()
    if suffix in KINDS and KINDS[suffix] in ("pdf", "docx"):
        raise BadInput(f"{filename}: named {suffix} but its content is not a {KINDS[suffix].upper()} file",
                       code="unsupported_type")
    if suffix and suffix not in KINDS:
        raise BadInput(f"{filename}: unsupported document type {suffix!r}; supported: plain text (.txt), "
                       "HTML (.html), PDF (.pdf), DOCX (.docx)", code="unsupported_type")
    if b"\x00" in data[:4096]:
        raise BadInput(f"{filename}: binary content that is not PDF or DOCX; supported: plain text, HTML, "
                       "PDF, DOCX", code="unsupported_type")
    return "text"


def read_path(path: str | Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read a document from disk (size checked before reading)."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no such file", code="not_a_file")
    size = path.stat().st_size
    if size > max_bytes:
        raise PayloadTooLarge(f"{path.name}: {size:,} bytes is more than the {max_bytes:,} bytes a document "
                              "may have; split it or extract the text first")
    return read_bytes(path.read_bytes(), path.name, max_bytes=max_bytes)


#: a fetched document's type by its Content-Type, when its address names none
CONTENT_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
                 "text/markdown": ".md", "application/pdf": ".pdf",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


def is_url(text: str) -> bool:
    """Whether ``regiokg ingest`` was given an address rather than a path.

    >>> is_url("https://www.vng.nl/nieuws/denktank"), is_url("../shared/sources/000.txt")
    (True, False)
    """
    return re.match(r"(?i)^https?://", text) is not None


def read_url(url: str, *, max_bytes: int = MAX_DOCUMENT_BYTES, timeout: float = 30.0) -> Document:
    """Fetch a document over http(s) and read it: refused on a declared Content-Length over
    ``max_bytes`` before the body is read, and never more than ``max_bytes + 1`` bytes read.
    The type comes from the bytes, the address's file name, else the Content-Type; the
    document's ``filename`` is the address (it becomes the graph's ``dcterms:source``)."""
    import urllib.error
    import urllib.request
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadInput(f"{url}: not an http(s) address", code="bad_url")
    request = urllib.request.Request(url, headers={"User-Agent": "regiokg-ingest", "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked above
            declared = response.headers.get("Content-Length") or ""
            if declared.isdigit() and int(declared) > max_bytes:
                raise PayloadTooLarge(f"{url}: {int(declared):,} bytes is more than the {max_bytes:,} bytes a "
                                      "document may have; split it or extract the text first")
            data = response.read(max_bytes + 1)
            content_type = response.headers.get_content_type()
            final = response.geturl()
    except urllib.error.HTTPError as exc:
        raise BadInput(f"{url}: the server answered {exc.code} {exc.reason}", code="fetch_failed") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BadInput(f"{url}: could not be fetched ({reason})", code="fetch_failed") from None
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"{url}: more than the {max_bytes:,} bytes a document may have; split it or "
                              "extract the text first")
    name = unquote(urlsplit(final).path.rstrip("/").rsplit("/", 1)[-1]) or (parts.hostname or "document")
    if Path(name).suffix.lower() not in KINDS:
        suffix = CONTENT_TYPES.get(content_type)
        if suffix is None:
            raise BadInput(f"{url}: unsupported document type {content_type!r}; supported: plain text, HTML, PDF, "
                           "DOCX", code="unsupported_type")
        name += suffix
    doc = read_bytes(data, name, max_bytes=max_bytes)
    doc.filename = url
    return doc


def read_bytes(data: bytes, filename: str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read a document from its bytes; ``filename`` gives the name and a type hint."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"{filename}: {len(data):,} bytes is more than the {max_bytes:,} bytes a "
                              "document may have; split it or extract the text first")
    if not data.strip():
        raise BadInput(f"{filename}: the file is empty", code="empty_document")
    kind = kind_of(filename, data)
    reader = {"text": _read_text, "html": _read_html, "pdf": _read_pdf, "docx": _read_docx}[kind]
    text, meta = reader(data, filename)
    text = normalise_text(text)
    if len(text) > MAX_TEXT_CHARS:
        raise PayloadTooLarge(f"{filename}: its text has {len(text):,} characters, more than the {MAX_TEXT_CHARS:,} "
                              "one document may have; split it")
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_TEXT_CHARS:
        what = ("no text layer (a scanned PDF?); run OCR first" if kind == "pdf"
                else "no readable text")
        raise BadInput(f"{filename}: {what} ({letters} letters found)", code="no_text")
    doc = Document(text=text, kind=kind, filename=filename, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    for key in ("title", "publisher", "date"):
        if meta.get(key):
            setattr(doc, key, meta[key])
            doc.found[key] = meta.get(key + "_from", kind + " metadata")
    if not doc.title:
        first = next((line.strip() for line in text.splitlines()
                      if len(line.strip()) >= 8 and " | " not in line), None)   # not a breadcrumb trail
        if first:
            doc.title = first[:200]
            doc.found["title"] = "first line of the text"
    if not doc.date:
        found = find_date(text[:600])
        if found:
            doc.date = found
            doc.found["date"] = "first date in the opening of the text"
    return doc


def normalise_text(text: str) -> str:
    """NFC, one kind of line end, no trailing spaces, at most two empty lines in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{4,}", "\n\n\n", text).strip("\n")


def parse_date(text: str, year: int | None = None) -> str | None:
    """The first date in ``text``: ``29 september 2017`` or ``2017-09-29``; ``1 december``
    (in ``year``, when given); ``juni 2018`` (a month: ``2018-06``). The one date reader of
    ingestion (document metadata and the dates of memberships and meetings).

    >>> parse_date("Verslag ledenbijeenkomst  29 september 2017, Dronten")
    '2017-09-29'
    >>> parse_date("treedt per 1 december toe tot de regio", 2025)
    '2025-12-01'
    >>> parse_date("In juni 2018, tijdens het VNG-congres")
    '2018-06'
    >>> parse_date("geen datum") is None
    True
    """
    candidates = _dates(text, year)
    return candidates[0] if candidates else None


def _dates(text: str, year: int | None) -> list[str]:
    """Every date :func:`parse_date` reads in ``text``, in the order they appear."""
    candidates: list[tuple[int, str]] = []
    for m in DATE_RE.finditer(text):
        with contextlib.suppress(ValueError):   # 31 februari is no date
            candidates.append((m.start(), dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()))
    for m in ISO_DATE_RE.finditer(text):
        with contextlib.suppress(ValueError):
            candidates.append((m.start(), dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()))
    if year:
        for m in MONTH_ONLY.finditer(text):
            with contextlib.suppress(ValueError):
                candidates.append((m.start(), dt.date(year, MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()))
    for m in MONTH_YEAR.finditer(text):
        if not any(abs(c[0] - m.start()) < 4 for c in candidates):
            candidates.append((m.start(), f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"))
    return [value for _, value in sorted(candidates)]


def find_date(text: str) -> str | None:
    """The first full date (day, month and year) in ``text``, else None.

    >>> find_date("juni 2018; 29 september 2017")
    '2017-09-29'
    """
    return next((d for d in _dates(text, None) if len(d) == 10), None)


def _decode(data: bytes) -> str:
    for codec in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_text(data: bytes, filename: str) -> tuple[str, dict]:
    return _decode(data), {}


def _read_html(data: bytes, filename: str) -> tuple[str, dict]:
    import trafilatura  # imported late: only HTML needs it

    html = _decode(data)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True) or ""
    meta: dict = {}
    info = trafilatura.extract_metadata(html)
    if info is not None:
        if info.title:
            meta["title"], meta["title_from"] = info.title, "HTML title"
        publisher = info.sitename or info.author
        if publisher:
            meta["publisher"], meta["publisher_from"] = publisher, "HTML site name/author"
        if info.date:
            meta["date"], meta["date_from"] = info.date[:10], "HTML date metadata"
    if meta.get("title") and not text.startswith(meta["title"]):
        text = meta["title"] + "\n\n" + text
    return text, meta


def _read_pdf(data: bytes, filename: str) -> tuple[str, dict]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info: Any = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise BadInput(f"{filename}: not a readable PDF ({exc})", code="unreadable_document") from None
    meta: dict = {}
    title = (info.get("/Title") or "").strip() if hasattr(info, "get") else ""
    author = (info.get("/Author") or "").strip() if hasattr(info, "get") else ""
    if title:
        meta["title"], meta["title_from"] = str(title), "PDF document info /Title"
    if author:
        meta["publisher"], meta["publisher_from"] = str(author), "PDF document info /Author"
    created = str(info.get("/CreationDate") or "") if hasattr(info, "get") else ""
    stamp = re.match(r"D:(\d{4})(\d{2})(\d{2})", created)
    if stamp:
        meta["date"], meta["date_from"] = "-".join(stamp.groups()), "PDF document info /CreationDate"
    return "\n\n".join(pages), meta


def _read_docx(data: bytes, filename: str) -> tuple[str, dict]:
    import zipfile

    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile as exc:
        raise BadInput(f"{filename}: not a readable DOCX document ({exc})", code="unreadable_document") from None
    if unpacked > MAX_UNZIPPED_BYTES:
        raise PayloadTooLarge(f"{filename}: the DOCX unpacks to {unpacked:,} bytes, more than {MAX_UNZIPPED_BYTES:,}")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise BadInput(f"{filename}: not a readable DOCX document ({exc})", code="unreadable_document") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    core = document.core_properties
    meta: dict = {}
    if core.title:
        meta["title"], meta["title_from"] = core.title, "DOCX core properties (title)"
    if core.author:
        meta["publisher"], meta["publisher_from"] = core.author, "DOCX core properties (author)"
    if core.created and core.created.year > 1980:
        meta["date"], meta["date_from"] = core.created.date().isoformat(), "DOCX core properties (created)"
    return "\n".join(lines), meta
