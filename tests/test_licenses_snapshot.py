"""The licence database snapshot: a fast start that knows exactly what scancode's files say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner.kernel import licenses

pytestmark = pytest.mark.perf


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    licenses._database.cache_clear()
    licenses._names.cache_clear()
    yield tmp_path / "cache" / "os2scan"
    licenses._database.cache_clear()
    licenses._names.cache_clear()


def test_the_snapshot_holds_what_scancodes_licence_files_hold(fresh_cache: Path) -> None:
    from licensedcode.models import load_licenses

    built = licenses._database()  # no snapshot yet: read from scancode's files, then saved
    (snapshot,) = fresh_cache.glob("licences-*.json")
    licenses._database.cache_clear()
    loaded = licenses._database()  # read back from the snapshot

    assert loaded == built
    original = load_licenses()
    assert set(loaded) == set(original)
    for key in ("mit", "gpl-2.0-plus", "classpath-exception-2.0", "proprietary-license"):
        lic, real = loaded[key], original[key]
        assert lic.spdx_license_key == real.spdx_license_key
        assert lic.other_spdx_license_keys == tuple(real.other_spdx_license_keys or ())
        assert (lic.category, lic.is_exception, lic.is_generic, lic.is_unknown) == (
            real.category, real.is_exception, real.is_generic, real.is_unknown
        )
        assert lic.ignorable_holders == tuple(real.ignorable_holders or ())
    assert snapshot.stat().st_size > 0


def test_a_damaged_snapshot_is_rebuilt(fresh_cache: Path) -> None:
    expected = licenses._database()
    (snapshot,) = fresh_cache.glob("licences-*.json")
    snapshot.write_text('[{"key": "mit"', encoding="utf-8")
    licenses._database.cache_clear()

    assert licenses._database() == expected
    assert snapshot.read_text(encoding="utf-8").startswith('{"fields": ["key", ')
    assert len(snapshot.read_text(encoding="utf-8")) > 1000


def test_a_snapshot_of_other_fields_is_rebuilt(fresh_cache: Path) -> None:
    expected = licenses._database()
    (snapshot,) = fresh_cache.glob("licences-*.json")
    snapshot.write_text('{"fields": ["key", "name"], "rows": [["mit", "MIT License"]]}')
    licenses._database.cache_clear()

    assert licenses._database() == expected
    assert len(snapshot.read_text(encoding="utf-8")) > 1000


def test_an_unwritable_cache_folder_still_gives_the_licences(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    licenses._database.cache_clear()

    assert licenses._database()["mit"].spdx_license_key == "MIT"


def test_the_name_tables_are_kept_in_a_snapshot_too(fresh_cache: Path) -> None:
    built = licenses._names()  # read from scancode's ~11,000 rule files, then saved
    (_snapshot,) = fresh_cache.glob("names-*.json")
    licenses._names.cache_clear()

    assert licenses._names() == built
    assert built[0]["apache software license"] == "Apache-2.0"
