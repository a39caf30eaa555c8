"""Cutting a scan's missing blobs into batches for the cluster: each blob once, largest first."""

from __future__ import annotations

from scanner.cluster.batches import BatchLimits, plan_batches


def test_a_blob_shared_by_many_repositories_is_sent_once() -> None:
    items = [("a" * 40, f"/ws/repo{n}/LICENSE", 1000) for n in range(300)]
    items.append(("b" * 40, "/ws/repo0/main.py", 10))
    batches = plan_batches(items)
    shas = [sha for batch in batches for sha, _path, _size in batch]
    assert sorted(shas) == ["a" * 40, "b" * 40]


def test_largest_files_go_first_in_batches_within_the_limits() -> None:
    items = [(f"{n:040x}", f"/ws/r/f{n}", size) for n, size in enumerate([5, 900, 40, 7000, 60])]
    batches = plan_batches(items, BatchLimits(files=2, bytes=1000))
    sizes = [[size for _sha, _path, size in batch] for batch in batches]
    assert sizes == [[7000], [900, 60], [40, 5]]  # a file above the byte limit goes alone
    assert plan_batches([]) == []
