"""A portfolio scan through a real two-worker Dask cluster into a real PostgreSQL server.

The reference is the embedded default: the same portfolio scanned locally into SQLite. The
cluster scan runs as its own `os2scan` process, so its peak memory and the modules it loaded
are its own: the client plans and stores, the workers alone load scancode's licence index.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from scanner.kernel.models import ScanResult
from scanner.store import Store

pytestmark = pytest.mark.cluster

DEMO = Path(__file__).resolve().parents[1] / "scanner" / "demo"

#: Runs the os2scan command line, then writes what the process used to the file in argv[1].
CLIENT = textwrap.dedent(
    """
    import atexit, json, sys

    def report():
        # VmHWM: this process's peak resident memory (getrusage would also count the
        # memory of the process it was started from, which Linux keeps across exec)
        status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
        cache = sys.modules.get("licensedcode.cache")
        with open(sys.argv[1], "w") as handle:
            json.dump({
                "peak_mb": int(status) / 1024,
                "index_loaded": bool(cache is not None and cache._LICENSE_CACHE is not None),
            }, handle)

    atexit.register(report)
    from scanner.cli import main
    main(sys.argv[2:])
    """
)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio plus a fork of one of its repositories: the fork's blobs are the
    same as the original's, so a scan that plans globally detects them once."""
    root = tmp_path_factory.mktemp("portfolio")
    shutil.copytree(DEMO / "kalender", root / "kalender-fork")
    entries = "".join(
        f"      - path: {DEMO / name}\n" for name in ("kalender", "borger-api", "borger-web")
    )
    (root / "portfolio.yaml").write_text(
        "name: OS2 demo with a fork\nproducts:\n  - name: OS2demo\n    repositories:\n"
        f"{entries}      - path: {root / 'kalender-fork'}\n"
        f"  - name: OS2data\n    repositories:\n      - path: {DEMO / 'data-tools'}\n",
        encoding="utf-8",
    )
    return root / "portfolio.yaml"


@pytest.fixture(scope="module")
def local_findings(portfolio: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The portfolio scanned the embedded way: the local detector into SQLite."""
    from scanner.cli import main

    root = tmp_path_factory.mktemp("local")
    database = root / "scans.sqlite"
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", str(portfolio), "--db", str(database), "--workspace", str(root / "ws"),
              "--jobs", "1", "--quiet"])
    assert exit_info.value.code == 0
    return findings(database)


def findings(database: Path | str) -> dict[str, Any]:
    """What a scan found, without what differs between any two scans (ids, times, counts)."""
    with Store.open(database) as store:
        scan_id = store.latest_scan_id()
        assert scan_id is not None
        result: ScanResult = store.load_result(scan_id)
        detections = store.count_detections()
    return {
        "repositories": {
            str(r.checkout.path): (r.checkout.error, r.facts, r.files)
            for r in result.repositories
        },
        "violations": sorted(
            (v.rule, v.severity.value, v.product, v.repository, v.path or "", v.line or 0,
             v.license or "", v.message)
            for v in result.violations
        ),
        "cached blobs": detections,
    }


def cluster_scan(
    tmp_path: Path, portfolio: Path, database: str, scheduler: str, *extra: str
) -> subprocess.Popen[str]:
    script = tmp_path / "client.py"
    script.write_text(CLIENT, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "usage.json"), "scan", str(portfolio),
         "--db", database, "--dask", scheduler, "--workspace", str(tmp_path / "ws"), "--quiet",
         *extra],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def files_detected_on_workers(cluster: Any) -> int:
    """How many files the workers' detectors ran on, in total, since they started."""

    def count(dask_worker: Any) -> int:
        plugin = dask_worker.plugins.get("os2scan-detector")
        return plugin.pool.files_detected if plugin and plugin.pool else 0

    with cluster.client() as client:
        return sum(client.run(count).values())


def test_a_two_worker_cluster_scan_into_postgresql_finds_what_a_local_sqlite_scan_finds(
    tmp_path: Path, portfolio: Path, local_findings: dict[str, Any], dask_cluster: Any,
    postgres_url: str,
) -> None:
    before = files_detected_on_workers(dask_cluster)
    code, out, err = finish(cluster_scan(tmp_path, portfolio, postgres_url, dask_cluster.address))
    assert code == 0, err + dask_cluster.log()
    assert "in 5 repositories" in out

    assert findings(postgres_url) == local_findings
    # Planned globally: the fork's blobs were detected once, on the workers, not by the client.
    assert files_detected_on_workers(dask_cluster) - before == local_findings["cached blobs"]
    usage = json.loads((tmp_path / "usage.json").read_text())
    assert usage["index_loaded"] is False
    assert usage["peak_mb"] < 700

    # A second scan finds everything in the shared cache: the workers detect nothing.
    again = tmp_path / "again"
    again.mkdir()
    code, out, err = finish(cluster_scan(again, portfolio, postgres_url, dask_cluster.address))
    assert code == 0, err
    assert files_detected_on_workers(dask_cluster) - before == local_findings["cached blobs"]


def test_each_worker_process_loads_the_licence_index_once(dask_cluster: Any) -> None:
    from scanner.cluster.client import ClusterDetector, ClusterOptions

    def state(dask_worker: Any) -> tuple[int, bool]:
        from scanner.analysis.index import index_loaded

        return os.getpid(), index_loaded()

    detector = ClusterDetector.connect(ClusterOptions(scheduler=dask_cluster.address))
    detector.close()
    with dask_cluster.client() as client:
        first = client.run(state)
    detector = ClusterDetector.connect(ClusterOptions(scheduler=str(dask_cluster.scheduler_file)))
    detector.close()
    with dask_cluster.client() as client:
        second = client.run(state)
    assert len(first) == 2
    assert all(loaded for _pid, loaded in first.values())
    assert first == second  # the same processes: registering again reloads nothing


def test_a_worker_killed_mid_batch_changes_nothing_in_the_findings(
    tmp_path: Path, portfolio: Path, local_findings: dict[str, Any], dask_cluster: Any,
    postgres_url: str,
) -> None:
    process = cluster_scan(tmp_path, portfolio, postgres_url, dask_cluster.address,
                           "--batch-files", "1", "--plan-window", "1")
    killed = None
    with dask_cluster.client() as client:
        deadline = time.monotonic() + 120
        while killed is None and process.poll() is None and time.monotonic() < deadline:
            busy = [
                worker
                for worker, keys in client.processing().items()
                if any(str(key).startswith("os2scan-detect") for key in keys)
            ]
            if busy:
                pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed = pid
            time.sleep(0.02)
    code, _out, err = finish(process)
    assert killed is not None, "no batch was ever seen running"
    assert code == 0, err + dask_cluster.log()
    assert findings(postgres_url) == local_findings
    with dask_cluster.client() as client:
        client.wait_for_workers(2, timeout=120)  # the nanny replaced the killed worker
        assert killed not in client.run(os.getpid).values()


def test_postgresql_restarted_mid_scan_fails_clearly_keeps_what_was_committed_and_a_rerun_completes(
    tmp_path: Path, portfolio: Path, local_findings: dict[str, Any], dask_cluster: Any,
    postgres_server: Any, postgres_url: str,
) -> None:
    database = postgres_url.rsplit("/", 1)[1]
    process = cluster_scan(tmp_path, portfolio, postgres_url, dask_cluster.address,
                           "--batch-files", "1", "--plan-window", "1")
    deadline = time.monotonic() + 120
    stored: list[tuple[object, ...]] = [(0,)]
    while process.poll() is None and time.monotonic() < deadline:
        with_tables = postgres_server.query(
            database, "SELECT count(*) FROM pg_tables WHERE tablename = 'repositories'"
        )
        if with_tables == [(1,)]:
            stored = postgres_server.query(database, "SELECT count(*) FROM repositories")
            if stored[0][0]:
                break
        time.sleep(0.02)
    assert process.poll() is None, "the scan ended before the server could be restarted"
    postgres_server.restart()
    code, _out, err = finish(process)
    assert code in (2, 3)
    assert len(err.strip().splitlines()) == 1, err
    assert "database" in err
    assert "Traceback" not in err

    committed = postgres_server.query(database, "SELECT count(*) FROM repositories")
    assert committed[0][0] >= 1
    kept = postgres_server.query(database, "SELECT count(*) FROM detections")
    assert kept[0][0] >= 1

    before = files_detected_on_workers(dask_cluster)
    rerun = tmp_path / "rerun"
    rerun.mkdir()
    code, _out, err = finish(cluster_scan(rerun, portfolio, postgres_url, dask_cluster.address))
    assert code == 0, err
    assert findings(postgres_url) == local_findings
    # the rerun detected only what the interrupted scan had not committed
    redone = files_detected_on_workers(dask_cluster) - before
    assert redone == local_findings["cached blobs"] - kept[0][0]


def test_an_unreachable_scheduler_is_one_line_and_exit_2(
    tmp_path: Path, portfolio: Path
) -> None:
    from cluster_helpers import free_port

    for scheduler, reason in (
        (f"tcp://127.0.0.1:{free_port()}", "cannot reach the Dask scheduler"),
        (str(tmp_path / "no-scheduler.json"), "no such Dask scheduler file"),
    ):
        code, _out, err = finish(cluster_scan(tmp_path, portfolio,
                                             str(tmp_path / "scans.sqlite"), scheduler))
        assert code == 2
        assert len(err.strip().splitlines()) == 1, err
        assert reason in err
    assert not (tmp_path / "scans.sqlite").exists()  # nothing was started, nothing written
