"""bench/RESULTS.md: each benchmark script owns one ``## <name>`` section and replaces
only that one (notes sections such as ``## Load notes`` are written by hand)."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(section: str, path: Path = RESULTS) -> None:
    """Replace the section whose heading is ``section``'s first line (``## Name``), or
    append it; everything else in the file stays as it is."""
    heading = section.splitlines()[0]
    if not heading.startswith("## "):
        raise ValueError(f"a section starts with '## ', not {heading!r}")
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.M | re.S)
    body = section.rstrip("\n") + "\n"
    found = pattern.search(text)
    text = pattern.sub(lambda _: body + "\n", text, count=1) if found else text.rstrip("\n") + "\n\n" + body
    path.write_text(text, encoding="utf-8")
