"""Load throughput: `regiokg restore` (bulk) and `regiokg load` (validated) against rdflib.

Generates synthetic regiokg data (graph/synthetic.py), then measures in one run, each in a
fresh subprocess so peak memory (max RSS) is per path:
  baseline   rdflib.Dataset().parse(file, format="nquads")
  restore    `regiokg restore FILE` (trusted bulk path)
  load       `regiokg load FILE` (parse + SHACL validation + one atomic write), on a
             complete synthetic graph of about --validated-triples triples (pySHACL is
             slow), against rdflib's parse of that same file
Prints triples/s, seconds, peak MB and the ratio to the baseline, and writes the
``## Load`` section of bench/RESULTS.md (--no-write to skip).

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
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from bench.results import write_section  # noqa: E402
from graph.namespaces import PREFIXES  # noqa: E402
from graph.synthetic import generate, scale_for_triples  # noqa: E402

CHILD = r"""
import json, resource, sys, time
kind, path, store = sys.argv[1:4]
t = time.perf_counter()
if kind == "baseline":
    import rdflib
    n = len(rdflib.Dataset().parse(path, format="trig" if path.endswith(".trig") else "nquads"))
else:
    from click.testing import CliRunner
    from api.cli.main import cli
    args = ["--store", store, "restore" if kind == "restore" else "load", path]
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    if res.exit_code:
        raise SystemExit(res.output)
    n = None  # the caller knows the count
seconds = time.perf_counter() - t
print(json.dumps({"kind": kind, "triples": n, "seconds": seconds,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(kind: str, path: Path, store: Path, triples: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if kind == "restore":
        env["REGIOKG_BOOTSTRAP"] = "false"
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path), str(store)], capture_output=True,
                         text=True, env=env, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["triples"] is not None and result["triples"] != triples:
        raise SystemExit(f"{kind} of {path.name} read {result['triples']} triples, expected {triples}")
    result["triples"] = triples
    return result




def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=3_500_000, help="size of the synthetic graph")
    ap.add_argument("--validated-triples", type=int, default=200_000,
                    help="size of the (complete, smaller) synthetic graph for the validated path")
    ap.add_argument("--no-write", dest="write", action="store_false", help="do not update bench/RESULTS.md")
    args = ap.parse_args()
    load_avg = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big, small, trig = tmp / "synthetic.nq", tmp / "validated.nq", tmp / "synthetic.trig"
        n = generate(big, scale_for_triples(args.triples))
        m = generate(small, scale_for_triples(args.validated_triples))
        with open(trig, "wb") as out:  # the same data as TriG with prefixes, as `regiokg dump x.trig` writes
            ox.serialize(ox.parse(path=str(big), format=ox.RdfFormat.N_QUADS), out, format=ox.RdfFormat.TRIG,
                         prefixes=PREFIXES)
        mb = {p: p.stat().st_size / 2**20 for p in (big, trig, small)}
        print(f"synthetic files: {n} quads (N-Quads {mb[big]:.0f} MB, TriG {mb[trig]:.0f} MB), "
              f"{m} quads for the validated path", flush=True)
        for label, kind, path, count, baseline in (
                ("rdflib parse", "baseline", big, n, None),
                ("regiokg restore", "restore", big, n, 0),
                ("rdflib parse", "baseline", trig, n, None),
                ("regiokg restore", "restore", trig, n, 2),
                ("rdflib parse", "baseline", small, m, None),
                ("regiokg load", "load", small, m, 4)):
            r = run(kind, path, tmp / f"s{len(rows)}", count)
            r["label"], r["baseline"], r["file"] = label, baseline, f"{path.suffix[1:]}, {mb[path]:.0f} MB"
            rows.append(r)
            shutil.rmtree(tmp / f"s{len(rows) - 1}", ignore_errors=True)
            print(f"{label:<16}{path.name:<16}{r['triples']:>10} triples {r['seconds']:8.1f} s "
                  f"{r['triples'] / r['seconds']:>10.0f} triples/s {r['peak_mb']:8.0f} MB peak", flush=True)
    lines = [
        "## Load",
        "",
        f"`python bench/load.py --triples {args.triples} --validated-triples {args.validated_triples}` on "
        f"{platform.machine()} with {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load_avg:.1f} at the start; synthetic N-Quads from graph/synthetic.py. Each path runs "
        "in a fresh process (peak = its max RSS). `regiokg restore` is the trusted bulk path; `regiokg load` "
        "parses, SHACL-validates (pySHACL) and writes in one transaction, measured on a complete smaller graph "
        "(pySHACL's cost grows with the graph) against rdflib on that same file.",
        "",
        "| path | file | triples | seconds | triples/s | peak MB | vs rdflib parse of the same file |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        rate = r["triples"] / r["seconds"]
        ratio = ""
        if r["baseline"] is not None:
            base = rows[r["baseline"]]
            ratio = f"{rate / (base['triples'] / base['seconds']):.1f}x"
        lines.append(f"| {r['label']} | {r['file']} | {r['triples']:,} | {r['seconds']:.1f} | {rate:,.0f} | "
                     f"{r['peak_mb']:,.0f} | {ratio} |")
    section = "\n".join(lines) + "\n"
    print(section)
    if args.write:
        write_section(section)


if __name__ == "__main__":
    main()
