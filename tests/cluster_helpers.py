"""Real servers for the cluster tests: a throw-away PostgreSQL and a Dask scheduler with workers.

PostgreSQL refuses to run as root, and the tests run as root in CI: the server's files are then
given to the unprivileged `nobody` and its programs run through `runuser`. Everything listens on
127.0.0.1 only, on a free port, and lives in a temporary folder removed at the end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

PG_USER = "os2scan"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_bin() -> Path | None:
    """Debian's PostgreSQL programs (scripts/system-deps.sh installs them when missing)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    """A PostgreSQL server of its own, started with initdb and pg_ctl, trusting loopback."""

    def __init__(self) -> None:
        bindir = postgres_bin()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed: run scripts/system-deps.sh")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="os2scan-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as_nobody = os.geteuid() == 0
        if self._as_nobody:
            os.chmod(self.root, 0o755)
            shutil.chown(self.root, "nobody", "nogroup")

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_nobody:
            command = ["runuser", "-u", "nobody", "--", *command]
        result = subprocess.run(command, cwd=self.root, capture_output=True, text=True)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {result.stderr}{result.stdout}\n{tail}")

    def start(self) -> PostgresServer:
        if not self.data.exists():
            self._run("initdb", "-D", str(self.data), "-U", PG_USER, "--auth=trust",
                      "-E", "UTF8", "--no-sync", "--no-instructions")
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB "
            "-c max_connections=40"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "-t", "60", "start")
        return self

    def restart(self) -> None:
        """Stop the server (closing every client's connection) and start it again."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.start()

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def query(self, database: str, sql: str) -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            return list(connection.execute(sql).fetchall())


class DaskCluster:
    """`dask scheduler` and `dask worker` processes on 127.0.0.1, each worker one thread."""

    def __init__(self, workers: int = 2) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="os2scan-dask-"))
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.scheduler_file = self.root / "scheduler.json"
        self.workers = workers
        self._processes: list[subprocess.Popen[bytes]] = []

    def _spawn(self, name: str, args: Sequence[str]) -> None:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 - kept open by the child
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        process = subprocess.Popen(
            [sys.executable, "-m", "dask", *args],
            cwd=self.root, stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
        )
        self._processes.append(process)

    def start(self) -> DaskCluster:
        self._spawn("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                                  "--no-dashboard", "--scheduler-file", str(self.scheduler_file)])
        for number in range(self.workers):
            self._spawn(f"worker-{number}", [
                "worker", self.address, "--nworkers", "1", "--nthreads", "1",
                "--no-dashboard", "--host", "127.0.0.1", "--memory-limit", "0",
                "--name", f"worker-{number}", "--local-directory", str(self.root),
            ])
        with self.client() as client:
            client.wait_for_workers(self.workers, timeout=120)
        return self

    @contextlib.contextmanager
    def client(self) -> Iterator[object]:
        from distributed import Client

        client = Client(self.address, timeout=60)
        try:
            yield client
        finally:
            client.close()

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.root.glob("*.log"))

    def stop(self) -> None:
        for process in reversed(self._processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self._processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
