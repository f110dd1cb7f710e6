"""Which distribution provides a module: remembered in the cache folder until one is installed."""

from __future__ import annotations

import json
import shutil
import sys
from importlib import machinery, metadata
from pathlib import Path

import pytest

from lemma.reuse.distributions import MAP_FILE, installed


def install(folder: Path, name: str, version: str, module: str) -> None:
    """A distribution as pip leaves it: its metadata folder, naming its top-level module."""
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "top_level.txt").write_text(f"{module}\n")
    (folder / module).mkdir()
    (folder / module / "__init__.py").write_text("")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of installed distributions, first on sys.path."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_the_map_is_kept_and_made_again_when_a_distribution_is_installed(
    site: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    install(site, "lemmafake", "1.0", "lemmafake_mod")
    assert installed(cache).providers["lemmafake_mod"] == ["lemmafake"]
    # The next build reads the file: what it says is what the map is.
    document = json.loads((cache / MAP_FILE).read_text())
    document["map"]["lemmafake_mod"] = ["as-kept"]
    (cache / MAP_FILE).write_text(json.dumps(document))
    assert installed(cache).providers["lemmafake_mod"] == ["as-kept"]
    # Installing another distribution makes the map again.
    install(site, "otherfake", "2.0", "otherfake_mod")
    found = installed(cache).providers
    assert found["lemmafake_mod"] == ["lemmafake"]
    assert found["otherfake_mod"] == ["otherfake"]


def test_an_upgrade_is_seen_in_the_versions_kept(site: Path, tmp_path: Path) -> None:
    # A cached run names the versions its post imported: a kept version that outlived an
    # upgrade would show the old run's figures for the new library.
    cache = tmp_path / "cache"
    install(site, "lemmafake", "1.0", "lemmafake_mod")
    assert installed(cache).versions["lemmafake"] == "1.0"
    assert installed(cache).versions["lemmafake"] == "1.0"  # now from the file
    shutil.rmtree(site / "lemmafake-1.0.dist-info")
    shutil.rmtree(site / "lemmafake_mod")
    install(site, "lemmafake", "1.1", "lemmafake_mod")
    assert installed(cache).versions["lemmafake"] == "1.1"


def test_the_versions_are_those_importlib_metadata_gives(tmp_path: Path) -> None:
    found = installed(tmp_path)
    names = {name for names in found.providers.values() for name in names}
    assert {"numpy", "pytest"} <= names
    for name in names:
        assert found.versions[name] == metadata.version(name)
    assert installed(tmp_path) == found  # read back from the file, the same


def test_the_map_is_that_of_importlib_metadata(tmp_path: Path) -> None:
    # Read from the metadata folders directly, it must name the providers importlib.metadata
    # names, for every module, in the same order (the first found is the one imported).
    found = installed(tmp_path)
    for module, names in metadata.packages_distributions().items():
        assert found.providers[module] == names, module


def test_the_modules_of_a_distribution_without_top_level_txt_are_the_files_it_installed(
    site: Path, tmp_path: Path
) -> None:
    # Wheels built by hatchling, flit or maturin list no top_level.txt: the RECORD tells.
    info = site / "recfake-1.0.dist-info"
    info.mkdir()
    description = "Name: not-this\nVersion: 9\n"  # in the description, below the header
    (info / "METADATA").write_text(f"Name: recfake\nVersion: 1.0\n\n{description}")
    record = [
        "recpkg/__init__.py,sha256=x,0",
        "recpkg/data/table.csv,sha256=x,0",
        "recsingle.py,sha256=x,0",
        f"recnative{machinery.EXTENSION_SUFFIXES[0]},sha256=x,0",  # this interpreter's suffix
        "recfake-1.0.dist-info/METADATA,,",
        "../../bin/recfake,sha256=x,0",
        '"recquoted/a,b.py",sha256=x,0',
    ]
    (info / "RECORD").write_text("\n".join(record) + "\n")
    found = installed(tmp_path / "cache")
    provided = {module for module, names in found.providers.items() if "recfake" in names}
    assert provided == {"recpkg", "recsingle", "recnative", "recquoted"}
    assert found.versions["recfake"] == "1.0"


@pytest.mark.parametrize(
    "content",
    ["not json", '{"stamp": 1, "map": {"x": "no list"}}', "[]", '{"stamp": 1, "map": {}}'],
)
def test_a_damaged_file_is_made_again(tmp_path: Path, content: str) -> None:
    (tmp_path / MAP_FILE).write_text(content)
    assert "pytest" in installed(tmp_path).providers["_pytest"]
    assert json.loads((tmp_path / MAP_FILE).read_text())["map"]["_pytest"] == ["pytest"]


def test_the_map_is_kept_whichever_way_lemma_was_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `lemma build` puts the script's folder first on sys.path, `python build.py` the site's:
    # neither provides a distribution, and switching must not make the map again (0.3 s).
    cache = tmp_path / "cache"
    installed(cache)
    document = json.loads((cache / MAP_FILE).read_text())
    document["map"]["_pytest"] = ["as-kept"]
    (cache / MAP_FILE).write_text(json.dumps(document))
    scripts = tmp_path / "bin"
    scripts.mkdir()
    monkeypatch.syspath_prepend(str(scripts))
    # and the console script names the interpreter python3 where `python -m lemma` says python
    (scripts / "python3").symlink_to(sys.executable)
    monkeypatch.setattr(sys, "executable", str(scripts / "python3"))
    assert installed(cache).providers["_pytest"] == ["as-kept"]
