"""Import direction and import cost, enforced (../shared/docs/style.md §2)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "vi2en"
HEAVY = ("torch", "transformers", "ctranslate2", "sacrebleu", "lxml", "sentencepiece", "ray",
         "pyarrow")

# Every top-level module and package of vi2en, in layers: a module imports its own package and
# the layers below it, never its own layer's other members or anything above. Lower layers are
# the data model and text facts every job shares; the top is the CLI. A new module or package
# goes into the lowest layer that holds everything it imports (README, "Layout").
LAYERS: list[set[str]] = [
    {"errors", "defaults", "doc", "flags"},  # the data model, errors, defaults, flag codes
    {"text"},  # decoding, cleaning, OPUS-MT preparation, text facts, files
    {"segment", "engines", "formats", "quantities", "templates"},  # segmenter, engines, outputs,
    # QA's quantity comparison, templates for credits/sources/bylines
    {"qa", "pipeline", "cache", "workbench"},  # QA checks; batching; the caches and stores
    {"guards", "provenance", "align"},  # output guards; the signature; word/sentence alignment
    {"translator"},  # the Python API: segment -> translate -> align -> QA
    {"filejobs", "datasets", "postedit", "evaluate"},  # files, datasets in/out; effort; scores
    {"workers", "raybackend", "serve"},  # worker processes; Ray actors; the HTTP service
    {"cli"},  # one module per command
    {"__main__"},
]
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}
UNLAYERED = {"__init__"}  # the package root: re-exports the data model, Translator lazily


def vi2en_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found.update(n.split(".")[1] for n in names if n.startswith("vi2en.") and n.count("."))
    return found


def module_name(path: Path) -> str:
    """The top-level module or package `path` belongs to (`engines`, `qa`, `__init__`)."""
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def upward_imports(path: Path, name: str) -> set[str]:
    """The vi2en modules `path` (part of `name`) imports that are not in a layer below it."""
    return {
        other for other in vi2en_imports(path) - {name}
        if LAYER.get(other, len(LAYERS)) >= LAYER[name]
    }  # fmt: skip


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down_the_layers(path):
    name = module_name(path)
    if name in UNLAYERED:
        return
    assert name in LAYER, f"vi2en.{name} has no layer: add it to LAYERS in tests/test_layering.py"
    upward = upward_imports(path, name)
    assert not upward, (
        f"{path.relative_to(SRC)} (layer {LAYER[name]}) imports {sorted(upward)}, which are "
        "not below it"
    )


def test_every_module_has_a_layer_and_only_one():
    names = {module_name(path) for path in SRC.rglob("*.py")} - UNLAYERED
    assert names <= set(LAYER), f"modules without a layer: {sorted(names - set(LAYER))}"
    assert sum(len(layer) for layer in LAYERS) == len(LAYER)  # none in two layers
    assert set(LAYER) <= names, f"layers name missing modules: {sorted(set(LAYER) - names)}"


def test_upward_and_sideways_imports_are_caught_even_inside_functions(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import vi2en.segment\n\ndef f():\n    from vi2en.translator import T\n"
                   "    from vi2en.align.words import g\n", encoding="utf-8")  # fmt: skip
    assert upward_imports(bad, "align") == {"translator"}  # up
    assert upward_imports(bad, "formats") == {"translator", "segment", "align"}  # and sideways
    assert upward_imports(bad, "cli") == set()


@pytest.mark.parametrize(
    "code",
    [
        "import vi2en",
        "import vi2en.engines, vi2en.formats, vi2en.doc",
        "import sys; from vi2en.cli.main import main; sys.argv=['vi2en','--help']\n"
        "try: main()\nexcept SystemExit: pass",
    ],
)
def test_light_entry_points_import_nothing_heavy(code):
    probe = code + f"\nimport sys; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_the_readme_layout_table_is_these_layers():
    import re

    readme = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Layout: which module owns which job", 1)[1].split("\n### ", 1)[0]
    documented: dict[int, set[str]] = {}
    for level, names in re.findall(r"^\| (\d+) \| ([^|]+) \|", section, re.MULTILINE):
        found = {n.removesuffix(".py").rstrip("/") for n in re.findall(r"`([^`]+)`", names)}
        documented.setdefault(int(level), set()).update(found)
    expected = {level: names for level, names in enumerate(LAYERS) if names != {"__main__"}}
    assert documented == expected
