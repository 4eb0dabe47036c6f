"""Import direction and import cost, enforced (../shared/docs/style.md §2)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "vi2en"
HEAVY = ("torch", "transformers", "ctranslate2", "sacrebleu", "lxml", "sentencepiece")

# package (first part under vi2en) -> vi2en packages it may import. `doc`/`errors` import none.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "defaults": set(),
    "doc": set(),
    "text": {"errors", "doc", "text"},
    "segment": {"errors", "doc", "text", "segment"},
    "engines": {"errors", "defaults", "doc", "text", "engines"},
}
NOBODY_IMPORTS = {"cli"}  # only the CLI itself may import the CLI


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


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_the_right_way(path):
    package = path.relative_to(SRC).parts[0].removesuffix(".py")
    imported = vi2en_imports(path)
    if package in ALLOWED:
        assert imported <= ALLOWED[package], (
            f"{package} may not import {imported - ALLOWED[package]}"
        )
    if package not in NOBODY_IMPORTS | {"__main__"}:
        assert not imported & NOBODY_IMPORTS, f"{path.name} imports the CLI"


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
