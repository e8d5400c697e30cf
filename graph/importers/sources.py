"""Reading importer input from a file, a folder or a URL (the one place that downloads).

Every importer takes ``PATH_OR_URL``; without one it uses the public location of the
dataset (:data:`PUBLIC`), so a user with internet needs no download step. Tests always pass
``../shared/data`` paths and never download.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from graph.errors import BadInput, NotFound, RegiokgError

OPENSTATE = "https://raw.githubusercontent.com/openstate/datasets/master/"
CARTOMAP = "https://raw.githubusercontent.com/cartomap/nl/"
REGIOATLAS_FILES = (
    "Bestuurlijk/arrondissementen1.csv", "Bestuurlijk/coropplusregios.csv", "Bestuurlijk/coropregios.csv",
    "Bestuurlijk/coropsubregios.csv", "Bestuurlijk/nuts1regioslandsdelen.csv",
    "Bestuurlijk/nuts2regiosprovincies.csv", "Bestuurlijk/nuts3regios.csv", "Bestuurlijk/provincies.csv",
    "Bestuurlijk/ressorten1.csv", "Fysiek/mirtgebieden.csv",
    "Fysiek/omgevingsdienstenregionaleuitvoeringsdiensten.csv", "Fysiek/regionaleuitvoeringsdienstenbrzo.csv",
    "Sociaal/arbeidsmarktregios.csv", "Sociaal/centrumgemeentemaatschappelijkeopvangbeschermdwonen.csv",
    "Sociaal/centrumgemeentenvrouwenopvanggeweldinhuiselijkekring.csv", "Sociaal/ggds.csv",
    "Sociaal/hlzregioshervorminglangdurigezorg.csv", "Sociaal/intergemeentelijkesocialediensten.csv",
    "Sociaal/jeugdzorgregios1.csv", "Sociaal/kamervankoophandel.csv",
    "Sociaal/passendonderwijsprimaironderwijs.csv", "Sociaal/passendonderwijsvoortgezetonderwijs.csv",
    "Sociaal/rcfkenniscentrahandhaving.csv", "Sociaal/regionaleplatformsarbeidsmarkt.csv",
    "Sociaal/rmcregiosregionaalmeldencoordinatiepunt.csv", "Sociaal/socialewerkvoorziening.csv",
    "Sociaal/veiligthuisregios.csv", "Sociaal/wmoregios.csv", "Sociaal/zorgkantoorregios.csv",
    "Veiligheid/politieeenheden.csv", "Veiligheid/regionaalinformatieenexpertisecentra.csv",
    "Veiligheid/veiligheidshuizen.csv", "Veiligheid/veiligheidsregios.csv", "Veiligheid/vptregios2014.csv",
)

#: The public location of each dataset (what ``regiokg import X`` reads without PATH_OR_URL).
PUBLIC: dict[str, tuple[str, ...]] = {
    "opengr": (OPENSTATE + "gemeenschappelijke_regelingen/provincies/opengr_provincies.csv",),
    "dsta": (OPENSTATE + "gemeenschappelijke_regelingen/partial/gemeenschappelijke_regelingen.csv",),
    "boundaries": (
        CARTOMAP + "01e3b4cea860e7bb5dc3bddbfff72d3e4f4709e6/wgs84/gemeente_2025.topojson",
        CARTOMAP + "01e3b4cea860e7bb5dc3bddbfff72d3e4f4709e6/wgs84/provincie_2025.topojson",
        CARTOMAP + "10e524b4348439e7d022bef107fa5cb000120449/wgs84/gemeente_2016.topojson",
    ),
    "regioatlas": tuple(OPENSTATE + "gemeenschappelijke_regelingen/regioatlas/" + f for f in REGIOATLAS_FILES),
}
DOWNLOAD_TIMEOUT = 60.0


@dataclass(frozen=True)
class SourceFile:
    """One input file: its name (relative, with ``/``), bytes and where it came from."""

    name: str
    data: bytes
    location: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def download(url: str, *, timeout: float = DOWNLOAD_TIMEOUT) -> bytes:
    """Fetch ``url`` (the only network access of the importers); a clear error when offline."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - public https data
            return response.read()
    except urllib.error.HTTPError as exc:
        raise NotFound(f"downloading {url} failed: HTTP {exc.code} {exc.reason}; pass a local PATH instead") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RegiokgError(f"cannot download {url} ({reason}); are you offline? Pass a local file or folder "
                           "as PATH_OR_URL (e.g. ../shared/data/...)", code="download_failed", status=502) from None


def read_sources(path_or_url: str | Path | None, *, dataset: str, suffixes: tuple[str, ...]) -> list[SourceFile]:
    """The input files of ``dataset``: a URL, a file, or every matching file under a folder
    (recursively, sorted); ``None`` means the dataset's public location."""
    if path_or_url is None:
        return [SourceFile(url.rsplit("/", 1)[-1] if dataset != "regioatlas" else url.split("/regioatlas/", 1)[-1],
                           download(url), url) for url in PUBLIC[dataset]]
    text = str(path_or_url)
    if text.startswith(("http://", "https://")):
        return [SourceFile(text.rsplit("/", 1)[-1], download(text), text)]
    path = Path(text)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(suffixes))
        if not files:
            raise NotFound(f"{path}: no {'/'.join(suffixes)} files in this folder")
        return [SourceFile(p.relative_to(path).as_posix(), p.read_bytes(), str(p)) for p in files]
    if path.is_file():
        return [SourceFile(path.name, path.read_bytes(), str(path))]
    raise NotFound(f"{path}: no such file or folder (give a {dataset} file, a folder of them, or a URL)")


def combined_sha256(files: list[SourceFile]) -> str:
    """One file: its SHA-256. Several: the SHA-256 of their ``sha256sum`` listing (sorted)."""
    if len(files) == 1:
        return files[0].sha256
    listing = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))
    return hashlib.sha256(listing.encode()).hexdigest()


def decode_text(source: SourceFile) -> str:
    """UTF-8 text (a BOM is dropped); a clear error naming the file otherwise."""
    try:
        return source.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{source.location}: not UTF-8 text (byte {exc.start}); convert it to UTF-8") from None
