"""`make bench`: os2scan against the scancode command, side by side, on real third-party code.

For each tree (`packages`, `reuse`, `small`; see tree.py) one run measures, with the same
number of processes N:
  scancode        `scancode -l -c -n N --json out.json <tree>`
  os2scan cold    `os2scan scan` (`os2scan check` for the small repository) with an empty
                  database
  os2scan warm    the same again, nothing changed (three times; the median is shown)
  os2scan incr    after a commit that edits 1% of the files, then after one that edits 10%
  + a fork        the repository and a copy with one file changed, as two repositories
wall time, CPU time, files per second, the peak memory of the whole process tree (RSS and PSS
sums), how many files the detector ran on, files left not fully checked, and the per-file
agreement of os2scan's detected SPDX licence with scancode's
`detected_license_expression_spdx` (what os2scan's detector found, mentions included; see
compare.py), and, as information, with the licence os2scan grants the file. It prints a
table per tree, lists every disagreement, and writes bench/results/latest.json (and
latest.md, the tables for the README).

    .venv/bin/python bench/run.py [--tree NAME ...] [--processes N] [--reuse-scancode] [--readme]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from compare import (  # noqa: E402
    compare,
    compare_copyrights,
    compare_holders,
    os2scan_expression,
    scancode_copyrights,
    scancode_errors,
    scancode_expressions,
    scancode_holders,
)
from measure import Measurement, measure  # noqa: E402
from tree import TREES, build_tree, change_files, git, make_repository, tree_files, tree_key  # noqa: E402

from scanner.store import Store  # noqa: E402

#: What each tree must reach (ratios are the scancode command's wall time over os2scan's).
TARGETS: dict[str, dict[str, float]] = {
    "packages": {
        "cold_speedup": 4.0,
        "warm_speedup": 100.0,
        "agreement": 0.99,
        "peak_memory_gb": 1.5,
    },
    "reuse": {"cold_speedup": 5.0, "warm_speedup": 100.0, "agreement": 0.99, "peak_memory_gb": 1.5},
    "small": {"cold_wall_s": 3.0, "warm_wall_s": 0.5, "peak_memory_gb": 1.5},
}

#: Trees checked as one member repository's CI does (`os2scan check`), not scanned as a portfolio.
CHECKED = {"small"}

README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tree", action="append", choices=sorted(TREES), help="tree to measure (repeatable; "
        "default: all)"
    )
    parser.add_argument("--processes", "-n", type=int, default=2, help="N for both tools")
    parser.add_argument(
        "--share",
        type=float,
        action="append",
        help="share of files changed for an incremental run (repeatable; default 0.01 and 0.1)",
    )
    parser.add_argument("--work", type=Path, default=BENCH / "work")
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument(
        "--reuse-scancode",
        action="store_true",
        help="reuse the scancode command's last output for this tree and N "
        "(its timing is then from that earlier run)",
    )
    parser.add_argument(
        "--readme", action="store_true", help="copy the tables into README.md's Performance section"
    )
    args = parser.parse_args(argv)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)

    compile_bytecode()
    start = start_floor()
    machine_before, own_before, started = _busy_cpu(), _own_cpu(), time.monotonic()
    reports = [bench_tree(name, work, args) for name in args.tree or list(TREES)]
    elapsed = time.monotonic() - started
    others = max(0.0, (_busy_cpu() - machine_before) - (_own_cpu() - own_before))
    document = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "processes": args.processes,
        "start": start,
        # CPU seconds the rest of the machine used while the bench ran, of all it had.
        "other_work": {
            "cpu_s": round(others, 1),
            "available_cpu_s": round(elapsed * (os.cpu_count() or 1), 1),
        },
        "trees": reports,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.json").write_text(json.dumps(document, indent=2) + "\n")
    tables = markdown(document)
    (args.results / "latest.md").write_text(tables)
    print()
    print(tables)
    print(f"bench: wrote {args.results / 'latest.json'}")
    if args.readme:
        update_readme(ROOT / "README.md", tables)
    return 0


def compile_bytecode() -> None:
    """Compile os2scan's modules, as installing its wheel does.

    The editable install in `.venv` runs from the sources; where bytecode is never written
    (PYTHONDONTWRITEBYTECODE, as in many CI images), every run would compile about 150 modules
    again, a tenth of a second that no installed os2scan pays.
    """
    packages = [str(ROOT / name) for name in ("scanner", "rules", "reports")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", "-x", r"[/\\]demo[/\\]", *packages],
        check=True, stdout=subprocess.DEVNULL,
    )
    print("bench: compiled os2scan's modules to bytecode, as an installed wheel has them")


def _command_env() -> dict[str, str]:
    """The environment every measured command runs in: the bench's own, writing no bytecode
    (what is compiled is compiled once, by `compile_bytecode`)."""
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def start_floor(runs: int = 5) -> dict[str, float]:
    """What any run pays before it reads the tree (median wall seconds of `runs` each): the
    Python of the venv starting and doing nothing, and `os2scan --version`, which imports the
    whole command line as every command does. A warm run can never be faster than these."""
    bin_dir = Path(sys.executable).parent
    env = _command_env()
    floor = {}
    for key, command in (
        ("python_s", [sys.executable, "-c", "pass"]),
        ("os2scan_version_s", [str(bin_dir / "os2scan"), "--version"]),
    ):
        walls = [
            _check(measure(command, cwd=ROOT, env=env, memory=False)).wall for _ in range(runs)
        ]
        floor[key] = round(statistics.median(walls), 4)
    print(
        f"bench: Python starts in {floor['python_s'] * 1000:.0f} ms, `os2scan --version` takes "
        f"{floor['os2scan_version_s'] * 1000:.0f} ms",
        flush=True,
    )
    return floor


def bench_tree(name: str, work: Path, args: argparse.Namespace) -> dict[str, object]:
    """Measure both tools on one tree; returns its report."""
    bin_dir = Path(sys.executable).parent
    n = args.processes
    tree = build_tree(work, name)
    files = tree_files(tree)
    print(f"bench: {name}: {len(files)} files, {_size(tree, files) / 1e6:.1f} MB", flush=True)

    scancode, scancode_json = run_scancode(bin_dir, tree, work, name, n, reuse=args.reuse_scancode)

    run_dir = work / "run" / name
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    repo = make_repository(tree, run_dir / "repo")
    portfolio = run_dir / "portfolio.yaml"
    portfolio.write_text(
        "name: bench\nproducts:\n  - name: bench\n    repositories:\n      - path: repo\n",
        encoding="utf-8",
    )
    db = run_dir / "os2scan.sqlite"

    def os2scan(database: Path, suffix: str = "") -> list[str]:
        common = ["--db", str(database), "--jobs", str(n), "--quiet"]
        if name in CHECKED:
            return [str(bin_dir / "os2scan"), "check", str(repo), *common, "--fail-on", "never",
                    "--output", str(run_dir / f"check{suffix}.txt")]
        return [str(bin_dir / "os2scan"), "scan", str(portfolio), *common,
                "--workspace", str(run_dir / f"workspace{suffix}")]

    command = os2scan(db)
    env = _command_env()

    runs: dict[str, dict[str, object]] = {}
    runs["scancode"] = _row(scancode, len(files), detected=len(files), n=n)

    print(f"bench: {name}: os2scan cold ...", flush=True)
    cold = _check(measure(command, cwd=run_dir, env=env, memory=False))
    cold_scan = _load(db)
    print(f"bench: {name}: os2scan cold again, for its memory ...", flush=True)
    sampled = _check(measure(os2scan(run_dir / "memory.sqlite", "-memory"), cwd=run_dir, env=env))
    cold = _with_memory(cold, sampled)
    runs["os2scan cold"] = _row(cold, len(files), detected=cold_scan["scanned"], n=n)

    # A warm scan takes well under a second, where a busy machine's scheduling shows most:
    # it is run three times and the median (by wall time) is reported.
    print(f"bench: {name}: os2scan warm (3 runs) ...", flush=True)
    warm_runs = []
    for _ in range(3):
        m = _check(measure(command, cwd=run_dir, env=env, memory=False))
        warm_runs.append((m, _load(db)))
    warm, warm_scan = sorted(warm_runs, key=lambda pair: pair[0].wall)[1]
    warm_row = _row(warm, len(files), detected=max(s["scanned"] for _, s in warm_runs), n=n)
    warm_row["wall_s_all"] = [round(m.wall, 3) for m, _ in warm_runs]
    warm_row["cpu_s_median"] = round(statistics.median(m.cpu for m, _ in warm_runs), 3)
    runs["os2scan warm (median of 3)"] = warm_row

    incremental = []
    for share in args.share or [0.01, 0.1]:
        changed = change_files(repo, share)
        changed_blobs = sorted(git(repo, "rev-parse", f"HEAD:{p}") for p in changed)
        print(f"bench: {name}: os2scan incremental ({len(changed)} files changed) ...", flush=True)
        m = _check(measure(command, cwd=run_dir, env=env, memory=False))
        scan = _load(db)
        runs[f"os2scan incremental, {share:.0%} changed"] = _row(
            m, len(files), detected=scan["scanned"], n=n
        )
        incremental.append(
            {
                "share": share,
                "changed": len(changed),
                "changed_paths": changed,
                "detected": scan["scanned"],
                "detected_exactly_changed": sorted(scan["detected_blobs"]) == changed_blobs,
                "wall_vs_cold": m.wall / cold.wall,
                "cpu_vs_cold": m.cpu / cold.cpu if cold.cpu else 0.0,
            }
        )

    fork_run = None
    if name not in CHECKED:
        # A second repository holding the same files but one: the cache is shared.
        fork = run_dir / "fork"
        git(run_dir, "clone", "-q", str(repo), str(fork))
        forked = change_files(fork, 0.01)
        forked_blobs = sorted(git(fork, "rev-parse", f"HEAD:{p}") for p in forked)
        two = run_dir / "portfolio-fork.yaml"
        two.write_text(
            portfolio.read_text(encoding="utf-8")
            + "  - name: fork\n    repositories:\n      - path: fork\n",
            encoding="utf-8",
        )
        print(f"bench: {name}: os2scan with a fork ({len(forked)} files differ) ...", flush=True)
        m = _check(
            measure([command[0], command[1], str(two), *command[3:]], cwd=run_dir, env=env,
                    memory=False)
        )
        scan = _load(db)
        runs["os2scan + a fork (2 repositories)"] = _row(
            m, 2 * len(files), detected=scan["scanned"], n=n
        )
        fork_run = {
            "changed": len(forked),
            "detected": scan["scanned"],
            "detected_exactly_changed": sorted(scan["detected_blobs"]) == forked_blobs,
            "wall_vs_cold": m.wall / cold.wall,
            "cpu_vs_cold": m.cpu / cold.cpu if cold.cpu else 0.0,
        }

    scancode_found = scancode_expressions(scancode_json)
    agreement = compare(cold_scan["files"], scancode_found)
    granted = compare(cold_scan["files"], scancode_found, view=os2scan_expression)
    copyright_files, copyright_same, copyright_diff = compare_copyrights(
        cold_scan["files"], scancode_copyrights(scancode_json)
    )
    holder_files, holder_same, holder_diff = compare_holders(
        cold_scan["files"], scancode_holders(scancode_json)
    )
    warm_same = all(
        warm_scan["files"][p].license_expression == f.license_expression
        for p, f in cold_scan["files"].items()
    )
    not_fully_checked = {
        p: f.skipped
        for p, f in cold_scan["files"].items()
        if f.skipped and f.skipped.startswith("not fully checked")
    }
    ratios = {
        "cold_speedup": scancode.wall / cold.wall,
        "cold_speedup_cpu": scancode.cpu / cold.cpu if cold.cpu else 0.0,
        "warm_speedup": cold.wall / warm.wall,
        "warm_speedup_cpu": cold.cpu / warm.cpu if warm.cpu else 0.0,
        "cold_wall_s": cold.wall,
        "warm_wall_s": warm.wall,
        "incremental": incremental,
        "fork": fork_run,
        "peak_memory_gb": cold.peak_pss / 1e9,
        "peak_memory_rss_sum_gb": cold.peak_rss / 1e9,
        "agreement": agreement.share,
        "agreement_granted": granted.share,
        "copyright_agreement": copyright_same / copyright_files if copyright_files else 0.0,
        "holder_agreement": holder_same / holder_files if holder_files else 0.0,
        "warm_results_identical": warm_same,
        "timeouts": sum(1 for v in not_fully_checked.values() if "timeout" in v),
    }
    print(f"bench: {name}: done", flush=True)
    return {
        "name": name,
        "command": "check" if name in CHECKED else "scan",
        "tree": {
            "files": len(files),
            "bytes": _size(tree, files),
            "key": tree_key(work, name),
            "top": sorted({f.split("/")[0] for f in files}),
        },
        "processes": n,
        "scancode_reused": bool(args.reuse_scancode and scancode.extra.get("reused", False)),
        "runs": runs,
        "ratios": ratios,
        "targets": TARGETS[name],
        "not_fully_checked": not_fully_checked,
        "scancode_errors": scancode_errors(scancode_json),
        "agreement": {
            "files": agreement.files,
            "agreeing": agreement.agreeing,
            "scancode_files_with_license": agreement.with_license,
            "disagreements": [asdict(d) for d in agreement.disagreements],
            "granted_agreeing": granted.agreeing,
            "granted_disagreements": [asdict(d) for d in granted.disagreements],
        },
        "copyright_disagreements": copyright_diff,
        "holder_disagreements": holder_diff,
    }


# --- the two tools --------------------------------------------------------------------------------


def run_scancode(
    bin_dir: Path, tree: Path, work: Path, name: str, n: int, *, reuse: bool
) -> tuple[Measurement, Path]:
    out = work / f"scancode-{name}-{tree_key(work, name)}-n{n}.json"
    saved = out.with_suffix(".measure.json")
    if reuse and out.exists() and saved.exists():
        print(f"bench: reusing the scancode command's output {out.name}", flush=True)
        data = json.loads(saved.read_text())
        m = Measurement(**data)
        m.extra["reused"] = True
        return m, out
    print(f"bench: scancode -l -c -n {n} (this takes a minute or two) ...", flush=True)
    command = [str(bin_dir / "scancode"), "-l", "-c", "-n", str(n), "--json", str(out), str(tree)]
    m = measure(command, cwd=work, memory=False)
    if m.returncode not in (0, 1) or not out.exists():  # 1: some file had a scan error
        raise SystemExit(
            f"bench: the scancode command failed ({m.returncode}):\n{m.stderr[-2000:]}"
        )
    print(f"bench: scancode -l -c -n {n} again, for its memory ...", flush=True)
    spare = out.with_suffix(".memory.json")
    m = _with_memory(m, measure([*command[:-2], str(spare), str(tree)], cwd=work))
    spare.unlink(missing_ok=True)
    m.stdout = m.stderr = ""
    saved.write_text(json.dumps(asdict(m)))
    return m, out


def _with_memory(timed: Measurement, sampled: Measurement) -> Measurement:
    """The timed run's times with the memory peaks of a sampled run of the same command."""
    timed.peak_rss, timed.peak_pss = sampled.peak_rss, sampled.peak_pss
    timed.peak_processes, timed.samples = sampled.peak_processes, sampled.samples
    timed.extra["memory_run_wall_s"] = round(sampled.wall, 3)
    return timed


def _check(m: Measurement) -> Measurement:
    if m.returncode not in (0, 1):
        raise SystemExit(f"bench: os2scan failed ({m.returncode}):\n{m.stderr[-3000:]}")
    return m


def _load(db: Path) -> dict[str, object]:
    """The latest scan's files (path -> FileFinding), files detected, and blobs detected."""
    with Store.open(db) as store:
        scan_id = store.latest_scan_id()
        assert scan_id is not None, "os2scan stored no complete scan"
        result = store.load_result(scan_id)
        previous = store.previous_scan_id(scan_id)
        before = set()
        if previous:
            before = {f.blob_sha for r in store.load_result(previous).repositories for f in r.files}
    repos = [r for r in result.repositories if r.checkout.ok]
    if not repos:
        errors = [r.checkout.error for r in result.repositories]
        raise SystemExit(f"bench: os2scan scanned no repository: {errors}")
    files = {f.path: f for r in repos for f in r.files}
    # Blobs new in this scan: the ones a correct incremental scan must (and may only) detect.
    new_blobs = {f.blob_sha for f in files.values() if f.blob_sha not in before and not f.skipped}
    return {
        "files": files,
        "scanned": sum(r.scanned_files for r in repos),
        "detected_blobs": new_blobs if before else set(),
    }


def _row(m: Measurement, files: int, *, detected: int, n: int) -> dict[str, object]:
    return {
        "processes": n,
        "files": files,
        "detected": detected,
        "wall_s": round(m.wall, 3),
        "cpu_s": round(m.cpu, 2),
        "files_per_s": round(files / m.wall, 2) if m.wall else None,
        "peak_rss_sum_mb": round(m.peak_rss / 1e6) if m.samples else None,
        "peak_pss_sum_mb": round(m.peak_pss / 1e6) if m.samples else None,
        "peak_processes": m.peak_processes,
        "memory_samples": m.samples,
        "reused": bool(m.extra.get("reused")),
    }


# --- output ---------------------------------------------------------------------------------------


def _busy_cpu() -> float:
    """CPU seconds the whole machine has spent busy (user, system and the like) since boot."""
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def _own_cpu() -> float:
    """CPU seconds of this process and of every command it ran and waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def machine() -> dict[str, object]:
    try:
        commit = git(ROOT, "rev-parse", "--short", "HEAD")
    except Exception:  # noqa: BLE001 - a bench outside a checkout still runs
        commit = "unknown"
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "scancode": metadata.version("scancode-toolkit"),
        "os2scan_commit": commit,
        "platform": platform.platform(terse=True),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def markdown(document: dict) -> str:  # type: ignore[type-arg]
    m = document["machine"]
    other = document.get("other_work", {"cpu_s": "?", "available_cpu_s": "?"})
    lines = [
        f"Measured {document['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GiB RAM, "
        f"Python {m['python']}, scancode-toolkit {m['scancode']}, os2scan at "
        f"{m['os2scan_commit']}; N = {document['processes']} processes for both tools. While "
        f"it ran, other work on the machine used {other['cpu_s']:g} of the "
        f"{other['available_cpu_s']:g} CPU seconds its cores had (the more, the noisier the "
        "wall times); CPU time (user + system of the whole process tree) is given beside them "
        "and is the steadier figure. Times come from runs without the memory sampler; the "
        "memory columns from a cold run of each tool that was sampled.",
        "",
    ]
    start = document.get("start")
    if start:
        lines += [
            f"Before it reads a tree, every run pays the start: the venv's Python starts in "
            f"{start['python_s'] * 1000:.0f} ms, and `os2scan --version` (Python and the whole "
            f"command line imported) takes {start['os2scan_version_s'] * 1000:.0f} ms.",
            "",
        ]
    for report in document["trees"]:
        lines += _tree_markdown(report, start)
    return "\n".join(lines)


def _tree_markdown(report: dict, start: dict | None = None) -> list[str]:  # type: ignore[type-arg]
    r = report["ratios"]
    t = report["targets"]
    a = report["agreement"]
    tree = report["tree"]
    ok = lambda good: "met" if good else "NOT met"  # noqa: E731
    lines = [
        f"**{report['name']}**: {tree['files']} files, {tree['bytes'] / 1e6:.1f} MB "
        f"({', '.join(tree['top'])}); os2scan runs `os2scan {report['command']}`."
        + (" The scancode row is reused from an earlier run." if report["scancode_reused"] else ""),
        "",
        "| run | files | detected | wall (s) | CPU (s) | files/s | peak PSS (MB) "
        "| peak RSS sum (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in report["runs"].items():
        label = f"`scancode -l -c -n {row['processes']}`" if name == "scancode" else name
        lines.append(
            f"| {label} | {row['files']} | {row['detected']} | {row['wall_s']:.2f} | "
            f"{row['cpu_s']:.1f} | "
            f"{row['files_per_s']:.1f} | {row['peak_pss_sum_mb'] or '-'} | "
            f"{row['peak_rss_sum_mb'] or '-'} |"
        )
    lines += ["", "| measure | measured | target |", "|---|---:|---|"]
    if "cold_speedup" in t:
        lines += [
            f"| cold speedup vs the scancode command (same N), wall | {r['cold_speedup']:.1f}x | "
            f">= {t['cold_speedup']:.0f}x ({ok(r['cold_speedup'] >= t['cold_speedup'])}) |",
            f"| the same in CPU time | {r['cold_speedup_cpu']:.1f}x | |",
            f"| warm (unchanged) speedup vs cold, wall | {r['warm_speedup']:.0f}x | "
            f">= {t['warm_speedup']:.0f}x ({ok(r['warm_speedup'] >= t['warm_speedup'])}) |",
            f"| the same in CPU time | {r['warm_speedup_cpu']:.0f}x | |",
        ]
        if start:
            needed = report["runs"]["os2scan cold"]["wall_s"] / t["warm_speedup"]
            lines.append(
                f"| a warm run {t['warm_speedup']:.0f}x faster than cold would take | "
                f"{needed * 1000:.0f} ms | Python alone starts in {start['python_s'] * 1000:.0f} "
                f"ms, `os2scan --version` takes {start['os2scan_version_s'] * 1000:.0f} ms |"
            )
    else:
        lines += [
            f"| cold check, wall | {r['cold_wall_s']:.2f} s | <= {t['cold_wall_s']:g} s "
            f"({ok(r['cold_wall_s'] <= t['cold_wall_s'])}) |",
            f"| warm check, wall | {r['warm_wall_s']:.2f} s | <= {t['warm_wall_s']:g} s "
            f"({ok(r['warm_wall_s'] <= t['warm_wall_s'])}) |",
            f"| the scancode command on the same files, wall | "
            f"{report['runs']['scancode']['wall_s']:.1f} s | |",
        ]
    lines += [
        f"| incremental, {i['changed']} of {tree['files']} files changed, vs cold "
        f"| {i['wall_vs_cold']:.2f} of the wall time, {i['cpu_vs_cold']:.2f} of the CPU "
        f"time; files detected: {i['detected']} | only the changed files detected "
        f"({ok(i['detected_exactly_changed'])}) |"
        for i in r["incremental"]
    ]
    if r["fork"]:
        f = r["fork"]
        lines.append(
            f"| a fork with {f['changed']} file changed, added as a second repository, vs cold "
            f"| {f['wall_vs_cold']:.2f} of the wall time, {f['cpu_vs_cold']:.2f} of the CPU "
            f"time; files detected: {f['detected']} | only its own blob detected "
            f"({ok(f['detected_exactly_changed'])}) |"
        )
    lines += [
        f"| peak memory, os2scan cold, N = {report['processes']} (PSS sum) | "
        f"{r['peak_memory_gb']:.2f} GB | <= {t['peak_memory_gb']} GB "
        f"({ok(r['peak_memory_gb'] <= t['peak_memory_gb'])}) |",
        f"| files left as timeout | {r['timeouts']} | 0 ({ok(r['timeouts'] == 0)}) |",
        f"| licence agreement with scancode (what the detector found) | "
        f"{a['agreeing']}/{a['files']} = "
        f"{r['agreement']:.1%} | "
        + (
            f">= {t['agreement']:.0%} ({ok(r['agreement'] >= t['agreement'])}) |"
            if "agreement" in t
            else "(information) |"
        ),
        f"| the same with mentions set apart (the licence os2scan grants) | "
        f"{a['granted_agreeing']}/{a['files']} = {r['agreement_granted']:.1%} | (information) |",
        f"| copyright statements agreement (the same words) | {r['copyright_agreement']:.1%} "
        "| (information) |",
        f"| holders agreement (both cleaned as os2scan cleans holders) | "
        f"{r.get('holder_agreement', 0):.1%} | (information) |",
        "",
    ]
    for path, why in report["not_fully_checked"].items():
        lines.append(f"- os2scan: `{path}` {why}")
    for path, why in report["scancode_errors"].items():
        lines.append(f"- scancode: `{path}` {why}")
    for d in a["disagreements"]:
        lines.append(
            f"- licences differ in `{d['path']}`: os2scan {d['os2scan'] or 'none'} / scancode "
            f"{d['scancode'] or 'none'}" + (f" ({d['note']})" if d["note"] else "")
        )
    if not a["disagreements"]:
        lines.append("- no file where the detected licences differ")
    holders_differ = report.get("holder_disagreements", [])
    if holders_differ:
        shown = ", ".join(f"`{path}`" for path in holders_differ[:5])
        more = f" and {len(holders_differ) - 5} more" if len(holders_differ) > 5 else ""
        lines.append(f"- holders differ in {shown}{more}")
    for d in a["granted_disagreements"]:
        if d not in a["disagreements"]:
            lines.append(
                f"- with mentions set apart, `{d['path']}`: os2scan grants "
                f"{d['os2scan'] or 'none'} / scancode {d['scancode'] or 'none'}"
            )
    lines.append("")
    return lines


def update_readme(readme: Path, table: str) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        print(f"bench: {readme.name} has no {README_START} ... {README_END} markers; not updated")
        return
    text = text[: start + len(README_START)] + "\n" + table + "\n" + text[end:]
    readme.write_text(text, encoding="utf-8")
    print(f"bench: updated the table in {readme.name}")


def _size(tree: Path, files: list[str]) -> int:
    return sum((tree / f).stat().st_size for f in files)


if __name__ == "__main__":
    raise SystemExit(main())
