"""Load throughput: `regiokg restore` (bulk) and `regiokg load` (validated) against rdflib.

Generates synthetic regiokg data (graph/synthetic.py), then measures in one run, each in a
fresh subprocess so peak memory (max RSS) is per path:
  baseline   rdflib.Dataset().parse(file, format="nquads")
  restore    `regiokg restore FILE` (trusted bulk path)
  load       `regiokg load FILE` (parse + SHACL validation + one atomic write), on a
             prefix of the file of --validated-triples triples (pySHACL is slow; the
             throughput is what is reported)
Prints triples/s, seconds, peak MB and the ratio to the baseline.

    python bench/load.py --triples 3500000
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package: drop bench/ from the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.synthetic import generate, scale_for_triples  # noqa: E402

CHILD = r"""
import json, resource, sys, time
kind, path, store = sys.argv[1:4]
t = time.perf_counter()
if kind == "baseline":
    import rdflib
    n = len(rdflib.Dataset().parse(path, format="nquads"))
else:
    from click.testing import CliRunner
    from api.cli.main import cli
    args = ["--store", store, "restore" if kind == "restore" else "load", path]
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    if res.exit_code:
        raise SystemExit(res.output)
    n = sum(1 for _ in open(path, encoding="utf-8"))
seconds = time.perf_counter() - t
print(json.dumps({"kind": kind, "triples": n, "seconds": seconds,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(kind: str, path: Path, store: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if kind == "restore":
        env["REGIOKG_BOOTSTRAP"] = "false"
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path), str(store)], capture_output=True,
                         text=True, env=env, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=3_500_000, help="size of the synthetic graph")
    ap.add_argument("--validated-triples", type=int, default=200_000, help="size for the validated path")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "synthetic.nq"
        n = generate(data, scale_for_triples(args.triples))
        small = tmp / "validated.nq"
        with open(data, encoding="utf-8") as src, open(small, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= args.validated_triples:
                    break
                dst.write(line)
        results = [run("baseline", data, tmp / "s0"), run("restore", data, tmp / "s1"),
                   run("load", small, tmp / "s2")]
    base = results[0]["triples"] / results[0]["seconds"]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; synthetic file: {n} quads")
    print(f"{'path':<10}{'triples':>10}{'seconds':>10}{'triples/s':>12}{'peak MB':>10}{'vs rdflib':>11}")
    for r in results:
        rate = r["triples"] / r["seconds"]
        print(f"{r['kind']:<10}{r['triples']:>10}{r['seconds']:>10.1f}{rate:>12.0f}{r['peak_mb']:>10.0f}{rate / base:>10.1f}x")


if __name__ == "__main__":
    main()
