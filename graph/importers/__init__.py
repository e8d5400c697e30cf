"""Open-data importers: CBS boundaries and municipal lineage, OpenGR, Regioatlas.

Each importer reads a file, a folder or a URL (its public location when none is given),
builds its named graph in memory, replaces that graph atomically and returns an
:class:`~graph.importers.report.ImportReport`. Re-running an import with the same input
gives the same graph (no blank nodes, no wall-clock time), so a dump does not change.

Import graphs are not SHACL-validated on write by default (``validate=False``): the shapes
check a graph on its own, and an import graph refers to municipalities and provinces whose
required facts (code, label) live in the reference graph. ``tests/test_import_data.py``
validates the import graphs together with the reference data instead.

Order matters: OpenGR and Regioatlas resolve names through the municipalities the store
knows (reference data + boundaries + lineage), so :func:`import_all` runs the boundaries
first.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import NotFound
from graph.importers.boundaries import import_boundaries
from graph.importers.dsta import import_dsta
from graph.importers.opengr import import_opengr
from graph.importers.regioatlas import import_regioatlas
from graph.importers.report import ImportReport

__all__ = ["import_all", "import_boundaries", "import_dsta", "import_opengr", "import_regioatlas", "ImportReport"]


def import_all(kg, data_dir: str | Path, *, validate: bool = False) -> list[ImportReport]:
    """Import everything in a data folder laid out like ``../shared/data`` (``geo/``,
    ``opengr/``, ``regioatlas/``), in dependency order; returns one report per graph.
    The DSTA arrangement list (``opengr/gemeenschappelijke_regelingen_dsta.csv``) is
    imported after OpenGR when present. Last, :func:`graph.classify.classify` gives every
    arrangement a policy domain and form by rules on its names (``graph/derived/classification``)."""
    data_dir = Path(data_dir)
    parts = {"geo": data_dir / "geo", "opengr": data_dir / "opengr" / "opengr_provincies.csv",
             "regioatlas": data_dir / "regioatlas"}
    missing = [str(p) for p in parts.values() if not p.exists()]
    if missing:
        raise NotFound(f"{data_dir}: not an open-data folder like ../shared/data; missing {', '.join(missing)}")
    reports = list(import_boundaries(kg, parts["geo"], validate=validate))
    reports.append(import_opengr(kg, parts["opengr"], validate=validate))
    dsta = data_dir / "opengr" / "gemeenschappelijke_regelingen_dsta.csv"
    if dsta.exists():
        reports.append(import_dsta(kg, dsta, validate=validate))
    reports.append(import_regioatlas(kg, parts["regioatlas"], validate=validate))
    from graph.classify import classify  # last: it reads the names of every arrangement imported above

    reports.append(classify(kg))
    return reports
