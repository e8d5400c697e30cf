"""Running the real `regiokg` command in a subprocess (shared by the CLI tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from graph.settings import PROJECT_ROOT


def run_cli(*args: str, store: Path | None = None, env: dict | None = None, timeout: float = 300,
            check: bool = False) -> subprocess.CompletedProcess:
    """Run the real ``regiokg`` command in a subprocess."""
    full_env = dict(os.environ)
    full_env.pop("REGIOKG_STORE", None)
    if env:
        full_env.update(env)
    cmd = [sys.executable, "-m", "api.cli.main"]
    if store is not None:
        cmd += ["--store", str(store)]
    proc = subprocess.run(cmd + list(args), capture_output=True, text=True, env=full_env, timeout=timeout,
                          cwd=PROJECT_ROOT)
    if check and proc.returncode != 0:
        raise AssertionError(f"regiokg {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc
