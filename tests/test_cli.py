"""The command line as a pipeline stage: a reader that stops early is not an error."""

from __future__ import annotations

import os
import subprocess
import sys

from graph.settings import PROJECT_ROOT


def test_stats_piped_into_head_ends_quietly(kg, settings):
    kg.close()
    env = {k: v for k, v in os.environ.items() if k != "REGIOKG_STORE"}
    # What `regiokg stats | head -1` does: the reader takes one line and closes the pipe.
    proc = subprocess.Popen([sys.executable, "-m", "api.cli.main", "--store", str(settings.store), "stats"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=PROJECT_ROOT)
    first = proc.stdout.readline().decode()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert first.strip().endswith("named graphs") and "triples in" in first
    assert "BrokenPipe" not in err and "error" not in err, err
