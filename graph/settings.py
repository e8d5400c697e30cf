"""The one settings class of regiokg.

Every setting can be given as an environment variable ``REGIOKG_<NAME>`` (for example
``REGIOKG_STORE=/srv/regiokg``); ``--store`` is also a CLI option. ``SETTINGS_DOC`` below,
made from the fields of :class:`Settings` (their defaults and descriptions), is the single
table that the README section "Settings" and ``regiokg --help`` are generated from;
``python -m graph.settings`` rewrites the README section and a test checks that it is
up to date.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
SEEDS_DIR = PROJECT_ROOT / "seeds"


class Settings(BaseSettings):
    """Configuration of a regiokg instance (store, server limits, security)."""

    model_config = SettingsConfigDict(env_prefix="REGIOKG_", extra="ignore")

    store: Path | str = Field(
        default=Path("data/store"),
        description=("Directory of the embedded Oxigraph store (created when missing), or the SPARQL query "
                     "endpoint of a remote engine (a URL: http://host:port/sparql; README 'When one machine is "
                     "not enough')."),
    )
    store_update: str | None = Field(
        default=None,
        description="SPARQL Update endpoint of a remote store (default: the REGIOKG_STORE URL).",
    )
    store_user: str | None = Field(
        default=None,
        description="User name for a remote store that wants credentials (HTTP Basic or Digest, as the engine asks).",
    )
    store_password: str | None = Field(
        default=None,
        description="Password for REGIOKG_STORE_USER.",
    )
    base_iri: str = Field(
        default="https://w3id.org/regiokg/id/",
        description=("Base IRI of instance identifiers: seeds, imports and analysis are stored under it and "
                     "/id/... on the server dereferences it (set it before the store is first filled)."),
    )
    union_default_graph: bool = Field(
        default=True,
        description="SPARQL queries see the union of all named graphs as their default graph.",
    )
    query_timeout: float = Field(
        default=10.0,
        gt=0,
        description=("Seconds a SPARQL query or a read under /api, /ui-api or /id may run over HTTP before it "
                     "is stopped."),
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
    cors_write_origins: list[str] = Field(
        default=[],
        description=("Origins whose browsers may send writes (CORS preflight with Authorization, PUT, DELETE "
                     "or to /update), JSON list; none by default."),
    )
    query_workers: int = Field(
        default=2,
        ge=1,
        description=("Worker processes that run SPARQL protocol queries and the /api, /ui-api and /id reads "
                     "(so a runaway one can be stopped)."),
    )
    query_memory_mb: int = Field(
        default=2048,
        ge=0,
        description=("Address space (MB, RLIMIT_AS) of each query worker; a query or read needing more is stopped "
                     "(0: no cap)."),
    )
    query_max_depth: int = Field(
        default=100,
        ge=1,
        description="Deepest nesting of brackets ({ ( [) a SPARQL text may have; checked before it is parsed.",
    )
    validate_writes: bool = Field(
        default=True,
        description="SHACL-validate every load and write; switch off only for trusted bulk data.",
    )
    bootstrap: bool = Field(
        default=True,
        description="Load the ontology and the seed graph into an empty store when it is opened.",
    )

    @field_validator("store", mode="before")
    @classmethod
    def _store_location(cls, value: object) -> object:
        """A URL stays text (``Path`` would fold its ``//``); anything else is a directory."""
        if isinstance(value, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value):
            if not re.match(r"^https?://", value):
                raise ValueError(f"a remote store must be an http:// or https:// URL, not {value!r}")
            return value
        return Path(value) if isinstance(value, str) else value

    def store_is_remote(self) -> bool:
        return isinstance(self.store, str)

    def store_path(self) -> Path:
        if isinstance(self.store, str):
            raise ValueError(f"the store {self.store} is a remote SPARQL engine, not a directory")
        return Path(self.store).expanduser().resolve()

    def store_location(self) -> str | Path:
        """The directory of the embedded store, or the URL of the remote engine."""
        return self.store if isinstance(self.store, str) else self.store_path()

    def open_store(self) -> Any:
        """The :class:`graph.store.Store` these settings name."""
        from graph.store import open_store

        return open_store(self.store_location(), update=self.store_update, user=self.store_user,
                          password=self.store_password)


# -- the settings table ---------------------------------------------------------------------
#: CLI options that set a setting (the rest are environment variables only).
CLI_OPTIONS = {"store": "--store"}
README_BEGIN = "<!-- settings table: generated by `python -m graph.settings` from graph/settings.py -->"
README_END = "<!-- end of settings table -->"


@dataclass(frozen=True)
class SettingDoc:
    """One row of the settings table."""

    name: str
    env: str
    default: str
    description: str
    option: str | None


def _shown(value: object) -> str:
    """A default as a user types it: ``true``, ``unset``, ``data/store``, ``["*"]``."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | dict):
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


SETTINGS_DOC: tuple[SettingDoc, ...] = tuple(
    SettingDoc(name, f"REGIOKG_{name.upper()}", _shown(field.get_default(call_default_factory=True)),
               field.description or "", CLI_OPTIONS.get(name))
    for name, field in Settings.model_fields.items()
)


def settings_markdown() -> str:
    """The README's settings table (Markdown), between its two marker lines."""
    lines = [README_BEGIN, "", "| setting | default | CLI option | meaning |", "|---|---|---|---|"]
    for doc in SETTINGS_DOC:
        lines.append(f"| `{doc.env}` | `{doc.default}` | {f'`{doc.option}`' if doc.option else ''} | "
                     f"{doc.description.replace('|', '/')} |")
    return "\n".join([*lines, "", README_END])


def settings_help() -> str:
    """The settings for ``regiokg --help`` (click keeps the lines as they are after ``\\b``)."""
    lines = ["\b", "Settings (environment variables):"]
    for doc in SETTINGS_DOC:
        option = f", option {doc.option}" if doc.option else ""
        lines.append(f"  {doc.env} (default {doc.default}{option}): {doc.description}")
    return "\n".join(lines)


def readme_with_settings(readme: str) -> str:
    """``readme`` with the text between the markers replaced by :func:`settings_markdown`."""
    start, end = readme.find(README_BEGIN), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no settings markers ({README_BEGIN!r} ... {README_END!r})")
    return readme[:start] + settings_markdown() + readme[end + len(README_END):]


if __name__ == "__main__":
    readme_path = PROJECT_ROOT / "README.md"
    text = readme_path.read_text(encoding="utf-8")
    updated = readme_with_settings(text)
    if updated != text:
        readme_path.write_text(updated, encoding="utf-8")
    print(f"{readme_path}: settings table {'rewritten' if updated != text else 'already up to date'}", file=sys.stderr)
