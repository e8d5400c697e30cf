"""schemathesis against /openapi.json: every operation, bounded examples, writes with the
token; 0 server errors, 0 undocumented status codes or content types."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from apiserver import TOKEN, Server, load_fixture, make_settings

from graph.kg import KnowledgeGraph


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    """A disposable writable server (the run sends writes with the token)."""
    settings = make_settings(tmp_path_factory.mktemp("api-fuzz"), query_timeout=5.0)
    kg = KnowledgeGraph.open(settings)
    load_fixture(kg)
    kg.close()
    with Server(settings) as srv:
        yield srv


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_nothing_undocumented(fuzz_server, tmp_path):
    exe = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
    assert exe, "schemathesis is not installed (it is in the test extra: pip install -e '.[test]')"
    cmd = [exe, "run", f"{fuzz_server.url}/openapi.json",
           "--checks", "not_a_server_error,status_code_conformance,content_type_conformance",
           "--max-examples", "8", "--seed", "14", "--workers", "2", "--request-timeout", "30",
           "--phases", "examples,coverage,fuzzing", "-H", f"Authorization: Bearer {TOKEN}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=400, cwd=tmp_path)
    summary = out.stdout[-3000:]
    assert out.returncode == 0, summary
    assert "generated," in summary and " passed" in summary, summary
    # the fuzzing did not stop the server
    import httpx

    assert httpx.get(fuzz_server.url + "/health", timeout=10).status_code == 200
