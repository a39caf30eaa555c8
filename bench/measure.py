"""Run a command and measure it: wall time and the peak memory of its whole process tree.

CPU time (user + system of the process and the descendants it waited for) is kept beside the
wall time: on a machine shared with other work it is the steadier of the two.

Memory is sampled every 0.1 s with psutil over the process and all its descendants. Two sums
are kept: RSS (what `ps` shows; pages shared between forked workers are counted once per
process) and PSS (each shared page divided among the processes sharing it, so the sum is the
memory the tree really holds). Both peaks are reported.

Reading a process's PSS makes the kernel walk its page tables: about 20 ms for a process
holding scancode's licence index, so sampling three of them every 0.1 s takes half a core of
a two-core machine from the command measured. Times are therefore taken from runs without
the sampler (`memory=False`), and memory from a run of its own.
"""

from __future__ import annotations

import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

INTERVAL = 0.1


@dataclass
class Measurement:
    command: list[str]
    returncode: int
    wall: float
    peak_rss: int  # bytes, sum over the process tree
    peak_pss: int  # bytes, sum over the process tree (0 where the platform has no PSS)
    peak_processes: int
    samples: int
    cpu: float = 0.0  # user + system seconds of the process and every descendant it reaped
    stdout: str = ""
    stderr: str = ""
    extra: dict[str, object] = field(default_factory=dict)


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and its descendants until stopped."""

    def __init__(self, pid: int, interval: float = INTERVAL) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._halt.is_set():
            self.sample(root)
            self._halt.wait(self.interval)

    def sample(self, root: psutil.Process) -> None:
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        rss = pss = 0
        alive = 0
        for process in processes:
            try:
                info = process.memory_full_info()
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            except psutil.AccessDenied:
                try:
                    rss += process.memory_info().rss
                    alive += 1
                except psutil.Error:
                    pass
                continue
            rss += info.rss
            pss += getattr(info, "pss", 0)
            alive += 1
        self.samples += 1
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_processes = max(self.peak_processes, alive)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def measure(
    command: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    *,
    memory: bool = True,
) -> Measurement:
    """Run `command` to completion, sampling its process tree's memory unless `memory` is
    False (the peaks are then 0); never raises on a failure exit."""
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sampler = TreeSampler(process.pid)
    if memory:
        sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    if memory:
        sampler.stop()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
    return Measurement(
        command=command,
        returncode=process.returncode,
        wall=wall,
        peak_rss=sampler.peak_rss,
        peak_pss=sampler.peak_pss,
        peak_processes=sampler.peak_processes,
        samples=sampler.samples,
        cpu=cpu,
        stdout=stdout,
        stderr=stderr,
    )
