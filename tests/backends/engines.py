"""Real SPARQL engines for the backend tests, started on free loopback ports in a temp dir.

* Virtuoso Open-Source (Debian's ``virtuoso-opensource``: ``virtuoso-t``), with its own
  ``virtuoso.ini`` (loopback ports, small buffers, its own query timeout
  ``MaxQueryExecutionTime``); reads at ``/sparql``, writes at ``/sparql-auth`` (Digest,
  the fresh database's dba account).
* The Oxigraph server (``oxigraph serve`` from the ``oxigraph`` package on PyPI), with
  ``--timeout-s`` as its query timeout; reads at ``/query``, writes at ``/update``.

Each engine is one process for the whole session; :meth:`Engine.settings` hands out
Settings for it and :meth:`Engine.fresh` empties regiokg's graphs on it, so one test
module at a time owns an engine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from apiserver import TOKEN  # tests/test_api (put on sys.path by conftest.py)

from graph.settings import Settings

VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
DisableUnixSocket        = 1
MaxClientConnections     = 20
CheckpointInterval       = 60
CaseMode                 = 2
DirsAllowed              = {dir}
ThreadsPerQuery          = 2
NumberOfBuffers          = 20000
MaxDirtyBuffers          = 15000
MaxQueryMem              = 500M
[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections        = 20
ServerThreads               = 20
Charset                     = UTF-8
EnabledGzipContent          = 0
[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = {timeout}
MaxQueryCostEstimationTime = 0
"""


def _die_with_us() -> None:
    """In the engine's process before exec: SIGKILL when the test process dies (no orphans)."""
    import ctypes
    import signal

    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    here = Path(sys.executable).with_name("oxigraph")
    return str(here) if here.exists() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


class Backend:
    """One backend of the parametrised tests: hands out Settings for an empty store on it."""

    def __init__(self, name: str, engine: Engine | None, root: Path):
        self.name = name
        self.engine = engine
        self.root = root
        self._n = 0

    @property
    def remote(self) -> bool:
        return self.engine is not None

    def settings(self, **overrides) -> Settings:
        """Settings for an empty store (a fresh directory, or the engine emptied of regiokg data)."""
        values = {"token": TOKEN, "query_timeout": 10.0, "max_rows": 1000, "max_request_bytes": 200_000,
                  "query_workers": 2}
        values.update(overrides)
        if self.engine is None:
            self._n += 1
            return Settings(store=self.root / f"store-{self._n}", **values)
        self.engine.fresh()
        return self.engine.settings(**values)

    def cli_store(self, settings: Settings) -> tuple[str, dict[str, str]]:
        """``--store`` value and environment for a ``regiokg`` subprocess on ``settings``' store."""
        if self.engine is None:
            return str(settings.store_path()), {}
        return self.engine.query_url, self.engine.env()




class Engine:
    """One engine process; ``query_url`` / ``update_url`` and credentials for regiokg."""

    name = "engine"
    user: str | None = None
    password: str | None = None

    def __init__(self, directory: Path):
        self.directory = directory
        self.process: subprocess.Popen | None = None
        self.query_url = self.update_url = ""

    def settings(self, **overrides) -> Settings:
        values = {"store": self.query_url, "store_update": self.update_url, "store_user": self.user,
                  "store_password": self.password}
        values.update(overrides)
        return Settings(**values)

    def env(self) -> dict[str, str]:
        """The environment that points a ``regiokg`` subprocess at this engine."""
        env = {"REGIOKG_STORE": self.query_url, "REGIOKG_STORE_UPDATE": self.update_url}
        if self.user:
            env |= {"REGIOKG_STORE_USER": self.user, "REGIOKG_STORE_PASSWORD": self.password or ""}
        return env

    def fresh(self) -> None:
        """Remove everything regiokg stored on the engine (its own graphs stay)."""
        from graph.store_remote import RemoteStore

        store = RemoteStore(self.query_url, self.update_url, user=self.user, password=self.password)
        try:
            store.clear()
        finally:
            store.close()

    def _wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: {self.log_tail()}")
            try:
                if httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {seconds:g} s: {self.log_tail()}")

    def log_tail(self) -> str:
        return ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


class Virtuoso(Engine):
    name = "virtuoso"
    user = "dba"
    password = "dba"  # the account of a fresh database, on loopback, in a temp dir

    def start(self, *, timeout: int = 20) -> Virtuoso:
        self.directory.mkdir(parents=True, exist_ok=True)
        http_port = free_port()
        ini = self.directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=self.directory, sql_port=free_port(), http_port=http_port,
                                           timeout=timeout), encoding="utf-8")
        self.query_url = f"http://127.0.0.1:{http_port}/sparql"
        self.update_url = f"http://127.0.0.1:{http_port}/sparql-auth"
        self.process = subprocess.Popen([virtuoso_binary() or "virtuoso-t", "-c", str(ini), "+foreground"],
                                        cwd=self.directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        stdin=subprocess.DEVNULL, preexec_fn=_die_with_us)
        self._wait(90)
        return self

    def log_tail(self) -> str:
        log = self.directory / "virtuoso.log"
        return log.read_text(errors="replace")[-800:] if log.exists() else "(no log)"


class OxigraphServer(Engine):
    name = "oxigraph-server"

    def start(self, *, timeout: int = 20) -> OxigraphServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self.query_url = f"http://127.0.0.1:{port}/query"
        self.update_url = f"http://127.0.0.1:{port}/update"
        self._log = open(self.directory / "oxigraph.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [oxigraph_binary() or "oxigraph", "serve", "--location", str(self.directory / "db"),
             "--bind", f"127.0.0.1:{port}", "--timeout-s", str(timeout)],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=dict(os.environ),
            preexec_fn=_die_with_us)
        self._wait(30)
        return self

    def stop(self) -> None:
        super().stop()
        if getattr(self, "_log", None):
            self._log.close()

    def log_tail(self) -> str:
        log = self.directory / "oxigraph.log"
        return log.read_text(errors="replace")[-800:] if log.exists() else "(no log)"


MISSING = {
    "virtuoso": (virtuoso_binary, "virtuoso-t (Debian package virtuoso-opensource; `bash scripts/test` installs it as root)"),
    "oxigraph-server": (oxigraph_binary, "the oxigraph CLI (pip package oxigraph, in the [test] extra)"),
}
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ENGINE_TIMEOUT = 8  # the engines' own query timeout (Virtuoso MaxQueryExecutionTime, oxigraph --timeout-s)


def engine_for(name: str, engines: dict[str, Engine], tmp_path_factory) -> Engine:
    """The session's engine ``name`` (started on first use); skips (fails in CI) when its binary is missing."""
    if name not in engines:
        find, what = MISSING[name]
        if find() is None:
            message = f"backend {name}: {what} is missing"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        cls = Virtuoso if name == "virtuoso" else OxigraphServer
        engines[name] = cls(tmp_path_factory.mktemp(name)).start(timeout=ENGINE_TIMEOUT)
    return engines[name]
