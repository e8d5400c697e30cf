"""The store on disk: crash safety, dump/restore round trip, locking, CLI read commands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from cli_helpers import run_cli

from graph.errors import ParseError
from graph.kg import KnowledgeGraph
from graph.settings import PROJECT_ROOT, Settings
from graph.synthetic import GRAPH as SYNTHETIC
from graph.synthetic import Scale, generate


@pytest.fixture(scope="module")
def large_file(tmp_path_factory):
    """About 200,000 valid synthetic quads in one described graph (each load also writes
    their default-graph copies: some 400,000 quads in one transaction)."""
    path = tmp_path_factory.mktemp("large") / "large.nq"
    n = generate(path, Scale(municipalities=450, memberships_per_municipality=60))
    assert n > 170_000
    return path


def _load_process(store, path, validate):
    env = dict(os.environ, REGIOKG_VALIDATE_WRITES="true" if validate else "false")
    return subprocess.Popen([sys.executable, "-m", "api.cli.main", "--store", str(store), "load", str(path)],
                            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_kill_9_during_large_load_leaves_store_as_before(tmp_path, large_file):
    """Killed at any moment, a load leaves the store as before or fully loaded, never half."""
    with open(large_file, encoding="utf-8") as lines:
        loaded_lines = sum(1 for _ in lines)
    reference = tmp_path / "reference"
    run_cli("stats", store=reference, check=True)
    started = time.monotonic()
    proc = _load_process(reference, large_file, validate=False)
    assert proc.wait(timeout=600) == 0, proc.stderr.read().decode()
    full = time.monotonic() - started

    outcomes = []
    for i, fraction in enumerate((0.25, 0.5, 0.75)):
        store = tmp_path / f"store{i}"
        before = tmp_path / f"before{i}.nq"
        run_cli("dump", str(before), store=store, check=True)
        proc = _load_process(store, large_file, validate=(i == 1))
        time.sleep(full * fraction)
        assert proc.poll() is None, "the load finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = tmp_path / f"after{i}.nq"
        run_cli("dump", str(after), store=store, check=True)
        lines = after.read_text(encoding="utf-8").splitlines(keepends=True)
        synthetic = [line for line in lines if line.rstrip().endswith(f"<{SYNTHETIC}> .")]
        rest = "".join(line for line in lines if not line.rstrip().endswith(f"<{SYNTHETIC}> ."))
        assert rest == before.read_text(encoding="utf-8"), f"kill at {fraction:.0%} changed other graphs"
        assert len(synthetic) in (0, loaded_lines), f"kill at {fraction:.0%} left {len(synthetic)} of {loaded_lines}"
        outcomes.append("before" if not synthetic else "complete")
    assert "before" in outcomes, outcomes


def test_dump_restore_round_trip_is_identical(kg, tmp_path):
    first = tmp_path / "first.nq"
    kg.dump(first)
    kg.restore(first)
    second = tmp_path / "second.trig"
    kg.dump(tmp_path / "again.nq")
    kg.dump(second)
    assert first.read_bytes() == (tmp_path / "again.nq").read_bytes()
    # the TriG dump (with prefixes, much smaller) restores to the same store
    assert "@prefix rk: <https://w3id.org/regiokg/def#>" in second.read_text(encoding="utf-8")
    assert second.stat().st_size < first.stat().st_size / 2
    kg.restore(second)
    kg.dump(tmp_path / "from-trig.nq")
    assert first.read_bytes() == (tmp_path / "from-trig.nq").read_bytes()


def test_restore_syntax_error_keeps_old_store(kg, tmp_path):
    before = tmp_path / "before.nq"
    kg.dump(before)
    bad = tmp_path / "bad.nq"
    bad.write_text('<http://x/a> <http://x/b> "c" .\n<http://x/a> <http://x/b> .\n')
    with pytest.raises(ParseError, match="bad.nq:2: syntax error") as caught:
        kg.restore(bad)
    assert caught.value.line == 2
    kg.dump(tmp_path / "after.nq")
    assert before.read_bytes() == (tmp_path / "after.nq").read_bytes()


def test_second_process_gets_clear_lock_error(kg):
    proc = run_cli("stats", store=kg.store.path)
    assert proc.returncode == 1
    assert f"the store {kg.store.path} is held by process {os.getpid()}" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cli_query_formats(tmp_path):
    store = tmp_path / "store"
    q = "SELECT ?g WHERE { GRAPH ?g { ?g a ?k } } ORDER BY ?g LIMIT 2"
    as_json = json.loads(run_cli("query", q, "--format", "json", store=store, check=True).stdout)
    assert as_json["head"]["vars"] == ["g"] and len(as_json["results"]["bindings"]) == 2
    csv = run_cli("query", q, "--format", "csv", store=store, check=True).stdout.splitlines()
    assert csv[0] == "g" and len(csv) == 3
    ask = run_cli("query", "ASK { ?s ?p ?o }", store=store, check=True).stdout.strip()
    assert ask == "true"
    bad = run_cli("query", "SELEC ?x", store=store)
    assert bad.returncode == 1 and bad.stderr.startswith("error: malformed SPARQL query")


def test_cli_query_knows_the_project_prefixes(tmp_path):
    """The README's example: rk: (and org:, skos:, ...) work without PREFIX lines; a prefix
    the query declares itself wins; error positions stay those of the text given."""
    store = tmp_path / "store"
    q = "SELECT ?m ?code WHERE { ?m a rk:Municipality ; rk:cbsCode ?code } ORDER BY ?code LIMIT 2"
    rows = run_cli("query", q, "--format", "csv", store=store, check=True).stdout.splitlines()
    assert rows[0] == "m,code" and len(rows) == 3 and rows[1].endswith(",GM" + rows[1][-4:])
    own = run_cli("query", "PREFIX rk: <urn:nothing#> ASK { ?m a rk:Municipality }", store=store, check=True)
    assert own.stdout.strip() == "false"
    bad = run_cli("query", "SELECT ?m WHERE { ?m a rk:Municipality", store=store)
    assert bad.returncode == 1 and "error at 1:" in bad.stderr


def test_cli_stats_and_graphs_agree_with_store(tmp_path):
    store = tmp_path / "store"
    stats = json.loads(run_cli("stats", "--json", store=store, check=True).stdout)
    graphs = json.loads(run_cli("graphs", "--json", store=store, check=True).stdout)
    assert sum(stats["graphs"].values()) == stats["triples"]
    assert {g["iri"]: g["triples"] for g in graphs} == stats["graphs"]
    with KnowledgeGraph.open(Settings(store=store)) as kg:
        assert kg.store.count() == stats["triples"]
