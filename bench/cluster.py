"""The cluster path against the local pool, on the same portfolio (see docs/scaling.md).

The portfolio is the demo portfolio plus the bench tree (bench/tree.py) as one more git
repository. Each run starts the same throw-away servers the tests use (a PostgreSQL server and
a Dask scheduler with two single-threaded workers on 127.0.0.1) and measures:

  local cold     `os2scan scan --jobs 2` into an empty SQLite database
  cluster cold   `os2scan scan --dask` into an empty PostgreSQL database (the workers'
                 licence index already loaded: a long-lived cluster pays it once)
  local warm / cluster warm   the same scans again, every blob in the cache

wall time, CPU time (the os2scan process tree; for the cluster also the workers and the
scheduler), the client's peak memory, and whether both paths stored the same findings. Writes
bench/results/cluster.json.

    flock <suite lock> .venv/bin/python bench/cluster.py
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from cluster_helpers import DaskCluster, PostgresServer  # noqa: E402
from measure import measure  # noqa: E402
from tree import build_tree, make_repository, tree_files  # noqa: E402

from scanner.store import Store  # noqa: E402

DEMO = ROOT / "examples" / "demo"


def findings(database: Path | str) -> Any:
    with Store.open(database) as store:
        scan_id = store.latest_scan_id()
        assert scan_id is not None
        result = store.load_result(scan_id)
    return (
        {r.checkout.name: (r.checkout.error, r.facts, r.files) for r in result.repositories},
        sorted((v.rule, v.repository, v.path or "", v.message) for v in result.violations),
    )


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system
    return total


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="os2scan-cluster-bench-"))
    tree = build_tree(BENCH / "work")
    repository = make_repository(tree, work / "bench-tree")
    portfolio = work / "portfolio.yaml"
    demo = "".join(f"      - path: {DEMO / n}\n" for n in
                   ("kalender", "borger-api", "borger-web", "data-tools"))
    portfolio.write_text(
        f"name: bench\nproducts:\n  - name: demo\n    repositories:\n{demo}"
        f"  - name: bench\n    repositories:\n      - path: {repository}\n",
        encoding="utf-8",
    )
    os2scan = str(ROOT / ".venv" / "bin" / "os2scan")
    server = PostgresServer().start()
    cluster = DaskCluster(workers=2).start()
    rows: dict[str, dict[str, float]] = {}
    try:
        url = server.create_database("bench")
        # Load the index on the workers once, as a long-lived cluster has it loaded.
        from scanner.cluster.client import ClusterDetector, ClusterOptions

        ClusterDetector.connect(ClusterOptions(scheduler=cluster.address)).close()
        with cluster.client() as client:
            server_pids = [*client.run(os.getpid).values(),
                           client.run_on_scheduler(os.getpid)]
        sqlite = work / "local.sqlite"
        for label, command, remote in (
            ("local cold", ["--db", str(sqlite), "--jobs", "2"], False),
            ("cluster cold", ["--db", url, "--dask", cluster.address], True),
            ("local warm", ["--db", str(sqlite), "--jobs", "2"], False),
            ("cluster warm", ["--db", url, "--dask", cluster.address], True),
        ):
            before = cpu_of(server_pids) if remote else 0.0
            run = measure([os2scan, "scan", str(portfolio), "--quiet",
                           "--workspace", str(work / "ws"), *command], cwd=work)
            if run.returncode != 0:
                print(run.stderr, file=sys.stderr)
                return 1
            rows[label] = {
                "wall_s": round(run.wall, 2),
                "client_cpu_s": round(run.cpu, 2),
                "cluster_cpu_s": round(cpu_of(server_pids) - before, 2) if remote else 0.0,
                "client_peak_rss_mb": round(run.peak_rss / 2**20),
            }
            print(f"{label:13} {rows[label]}", flush=True)
        same = findings(sqlite) == findings(url)
        print(f"files in the portfolio: {len(tree_files(tree))} (bench tree) + demo; "
              f"same findings: {same}")
        results = BENCH / "results"
        results.mkdir(exist_ok=True)
        (results / "cluster.json").write_text(
            json.dumps({"runs": rows, "same_findings": same}, indent=2) + "\n", encoding="utf-8"
        )
        return 0 if same else 1
    finally:
        cluster.stop()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
