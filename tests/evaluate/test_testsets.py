"""The test-set registry: provenance, checksums of the shared files, overrides, clear misses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vi2en.errors import Vi2enError
from vi2en.evaluate.testsets import (
    DEFAULT_REGISTRY,
    load_registry,
    resolve_testset,
    sha256_file,
    verify_checksums,
)

EXPECTED = {"ntrex128", "flores200-devtest", "tatoeba-test", "iwslt15-tst2012",
            "iwslt15-tst2013"}


def test_registry_lists_the_sets_with_provenance_and_anchors():
    sets = load_registry()
    assert set(sets) == EXPECTED
    for entry in sets.values():
        assert entry["url"] and entry["license"] and entry["how_to_get"]
        assert set(entry["sha256"]) == {v for k, v in entry["local"].items()
                                        if k != "dir" and v}
    anchors = {name: [(a["BLEU"], a["chrF2"]) for a in sets[name]["anchors"]] for name in sets}
    assert anchors["ntrex128"] == [(23.2, 51.3)]
    assert (25.3, 52.7) in anchors["flores200-devtest"]
    assert anchors["tatoeba-test"] == [(42.8, 60.8)]
    assert sets["iwslt15-tst2012"]["normalize"] == ["moses"]


@pytest.mark.parametrize("name", ["ntrex128", "iwslt15-tst2012"])
def test_shared_sets_resolve_and_match_their_checksums(shared_dir, name):
    found = resolve_testset(name)
    assert found.source.is_file() and found.reference.is_file()
    assert found.source.parent == (shared_dir / "data" / found.source.parent.name).resolve()
    assert verify_checksums(found) == []


def test_ntrex_has_docids_and_tst2012_is_marked_tokenized(shared_dir):
    assert resolve_testset("ntrex128").docids.name == "document_ids.tsv"
    tst = resolve_testset("iwslt15-tst2012")
    assert tst.docids is None and tst.normalize == ("moses",)


def test_missing_set_says_how_to_get_it(tmp_path):
    with pytest.raises(Vi2enError, match=r"test set flores200-devtest is not on disk .*"
                                         r"dl\.fbaipublicfiles\.com"):
        resolve_testset("flores200-devtest", testset_dir=tmp_path)


def test_unknown_set_lists_known():
    with pytest.raises(Vi2enError, match="unknown test set 'wmt99'; known: flores200-devtest"):
        resolve_testset("wmt99")


def test_dir_override_by_argument_and_env(tmp_path, monkeypatch):
    folder = tmp_path / "tatoeba-test"
    folder.mkdir()
    (folder / "test.vie").write_text("Xin chào.\n", encoding="utf-8")
    (folder / "test.eng").write_text("Hello.\n", encoding="utf-8")
    assert resolve_testset("tatoeba-test", testset_dir=tmp_path).source == folder / "test.vie"
    monkeypatch.setenv("VI2EN_TESTSET_DIR", str(tmp_path))
    found = resolve_testset("tatoeba-test")
    assert found.reference == folder / "test.eng"
    notes = verify_checksums(found)  # null sums: the note gives this copy's sha256
    assert notes[0] == f"test.vie: no registered sha256 to check against (its sha256 is " \
                       f"{sha256_file(folder / 'test.vie')})"


def test_altered_copy_is_reported(tmp_path):
    registry = json.loads(DEFAULT_REGISTRY.read_text(encoding="utf-8"))
    entry = registry["sets"]["ntrex128"]
    folder = tmp_path / "ntrex128"
    folder.mkdir()
    for name in ("ntrex.vi", "ntrex.en", "document_ids.tsv"):
        (folder / name).write_text("x\n", encoding="utf-8")
    found = resolve_testset("ntrex128", testset_dir=tmp_path)
    assert found.entry["sha256"] == entry["sha256"]
    assert all("sha256 differs" in note for note in verify_checksums(found))


def test_bad_registry(tmp_path: Path):
    bad = tmp_path / "sets.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(Vi2enError, match="is malformed"):
        load_registry(bad)
    with pytest.raises(Vi2enError, match="registry not found"):
        load_registry(tmp_path / "none.json")


@pytest.mark.slow
@pytest.mark.issue(11)
def test_a_wheel_install_ships_the_registry_and_finds_the_sets(tmp_path: Path, shared_dir):
    """Issue 11 item 10: `eval --testset`/`--list-testsets` failed outside an editable install,
    since the registry lived in eval/, outside the package. Built and installed for real."""
    import os
    import shutil
    import subprocess
    import sys
    import zipfile

    repo = Path(__file__).resolve().parents[2]
    # Built from a copy, so setuptools' build/ and egg-info never land in the checkout.
    tree, dist, site = tmp_path / "tree", tmp_path / "dist", tmp_path / "site"
    shutil.copytree(repo / "src", tree / "src", ignore=shutil.ignore_patterns(
        "__pycache__", "*.egg-info"))  # fmt: skip
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(repo / name, tree / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", str(tree), "--no-deps", "--no-build-isolation", "-w",
                    str(dist)], check=True, timeout=300, cwd=tmp_path)  # fmt: skip
    (wheel,) = dist.glob("vi2en-*.whl")
    assert "vi2en/evaluate/testsets.json" in zipfile.ZipFile(wheel).namelist()
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, timeout=300)  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("VI2EN_TESTSETS", None)
    env.pop("VI2EN_TESTSET_DIR", None)
    code = "import vi2en.evaluate.testsets as t; print(t.DEFAULT_REGISTRY)"
    where = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True, cwd=tmp_path).stdout.strip()  # fmt: skip
    assert where.startswith(str(site))  # the installed copy, not this checkout
    # Installed, the registry's ../shared/... paths are relative to the current folder.
    listed = subprocess.run([sys.executable, "-m", "vi2en", "eval", "--list-testsets"], env=env,
                            capture_output=True, text=True, cwd=repo)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert f"on disk: {(shared_dir / 'data/ntrex128').resolve()}" in listed.stdout
    elsewhere = subprocess.run([sys.executable, "-m", "vi2en", "eval", "--list-testsets",
                                "--testset-dir", str(shared_dir / "data")], env=env,
                               capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert elsewhere.returncode == 0 and "ntrex128" in elsewhere.stdout
