"""The one settings class of regiokg.

Every setting can be given as an environment variable ``REGIOKG_<NAME>`` (for example
``REGIOKG_STORE=/srv/regiokg``) and most also as a CLI option. ``SETTINGS_DOC`` below is
the single table that the README and ``regiokg --help`` draw on; a test checks that every
field is documented there.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
SEEDS_DIR = PROJECT_ROOT / "seeds"


class Settings(BaseSettings):
    """Configuration of a regiokg instance (store, server limits, security)."""

    model_config = SettingsConfigDict(env_prefix="REGIOKG_", extra="ignore")

    store: Path = Field(
        default=Path("data/store"),
        description="Directory of the embedded Oxigraph store (created when missing).",
    )
    base_iri: str = Field(
        default="https://w3id.org/regiokg/id/",
        description="Base IRI of instance identifiers; /id/... on the server dereferences it.",
    )
    union_default_graph: bool = Field(
        default=True,
        description="SPARQL queries see the union of all named graphs as their default graph.",
    )
    query_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a SPARQL query over HTTP may run before it is stopped.",
    )
    max_rows: int = Field(
        default=10_000,
        gt=0,
        description="Most result rows (or triples) one SPARQL answer over HTTP returns; more is reported as truncated.",
    )
    max_request_bytes: int = Field(
        default=5_000_000,
        gt=0,
        description="Largest request body the server accepts (queries, updates, uploads).",
    )
    token: str | None = Field(
        default=None,
        description="Bearer token that allows writes over HTTP; with no token writes are disabled.",
    )
    cors_origins: list[str] = Field(
        default=["*"],
        description="Origins allowed to read over HTTP by CORS (JSON list); writes are never open by CORS alone.",
    )
    query_workers: int = Field(
        default=2,
        ge=1,
        description="Worker processes that run SPARQL protocol queries (so a runaway query can be stopped).",
    )
    validate_writes: bool = Field(
        default=True,
        description="SHACL-validate every load and write; switch off only for trusted bulk data.",
    )
    bootstrap: bool = Field(
        default=True,
        description="Load the ontology and the seed graph into an empty store when it is opened.",
    )

    def store_path(self) -> Path:
        return Path(self.store).expanduser().resolve()
