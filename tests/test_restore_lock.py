"""`regiokg restore` beside other commands: a command that opens the store while a restore
runs is refused in one line and never breaks the restore; dump -> restore -> dump is
byte-identical."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from cli_helpers import run_cli

from graph.settings import PROJECT_ROOT

GRAPH = "https://w3id.org/regiokg/graph/reference/restore-lock"


def write_dump(path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'<{GRAPH}> <http://purl.org/dc/terms/title> "restore lock test"@en <{GRAPH}> .\n')
        for i in range(n):
            out.write(f'<https://w3id.org/regiokg/id/organisatie/r{i}> <http://www.w3.org/2000/01/rdf-schema#label> '
                      f'"Restore {i}" <{GRAPH}> .\n')


@pytest.mark.slow
def test_stats_during_restore_is_refused_in_one_line_and_the_restore_completes(tmp_path):
    store = tmp_path / "store"
    dump = tmp_path / "big.nq"
    write_dump(dump, 150_000)
    env = {k: v for k, v in os.environ.items() if k != "REGIOKG_STORE"}
    restore = subprocess.Popen([sys.executable, "-m", "api.cli.main", "--store", str(store), "restore", str(dump)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=PROJECT_ROOT)
    # The commands start once the restore holds its lock (its pid in the lock file): a command
    # that opened the store first would make the restore itself refused ("in use"), rightly.
    lock = tmp_path / "store.restore-lock"
    deadline = time.monotonic() + 240
    while restore.poll() is None and time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(restore.pid):
            break
        time.sleep(0.01)
    outcomes = []
    while restore.poll() is None and time.monotonic() < deadline:
        stats = run_cli("stats", store=store, env={"REGIOKG_BOOTSTRAP": "false"})
        outcomes.append(stats)
        if stats.returncode != 0:
            lines = stats.stderr.strip().splitlines()
            assert len(lines) == 1, stats.stderr
            # refused in one line: being restored, or (in the last moment) open in the restore
            assert any(w in lines[0] for w in ("being restored", "held by", "in use by another process")), lines[0]
    out, err = restore.communicate(timeout=240)
    assert restore.returncode == 0, err
    assert "restored 150001 quads" in out
    assert any("being restored" in o.stderr for o in outcomes), "no stats ran while the restore built the store"
    assert not list(tmp_path.glob("store.restoring*")) and not list(tmp_path.glob("store.old"))
    after = run_cli("stats", store=store, env={"REGIOKG_BOOTSTRAP": "false"}, check=True)
    assert "150001" in after.stdout.replace(",", "").replace(" ", "")


def test_dump_restore_dump_is_byte_identical(tmp_path):
    first, second = tmp_path / "first.nq", tmp_path / "second.nq"
    run_cli("dump", str(first), store=tmp_path / "a", check=True)
    run_cli("restore", str(first), store=tmp_path / "b", check=True)
    run_cli("dump", str(second), store=tmp_path / "b", check=True)
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 100_000


def test_blank_nodes_keep_their_labels_through_dump_and_restore(tmp_path):
    from graph.store import OxigraphStore

    source, first, second = tmp_path / "source.nq", tmp_path / "first.nq", tmp_path / "second.nq"
    p = "<https://w3id.org/regiokg/def#p>"
    source.write_text(f"_:x {p} _:y <{GRAPH}> .\n_:y {p} \"x\" <{GRAPH}> .\n_:x {p} \"y\" <{GRAPH}> .\n")
    store = OxigraphStore(tmp_path / "a")
    store.restore(source)
    store.dump(first)
    store.close()
    other = OxigraphStore(tmp_path / "b")
    other.restore(first)
    other.dump(second)
    other.close()
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text().count("_:") == 4  # the blank nodes are there, with the same labels
