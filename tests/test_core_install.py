"""`pip install vi2en` without the `hf` extra: the CTranslate2 path works with torch and
transformers unimportable, and whatever needs them says which extra to install, in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Run first in the child: torch and transformers (and anything under them) cannot be imported,
# as in an install without the `hf` extra.
BLOCK = """
import sys
class _NoHF:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "transformers"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _NoHF())
import importlib.util
_find = importlib.util.find_spec
def _find_spec(name, package=None):
    if name.split(".")[0] in ("torch", "transformers"):
        return None
    return _find(name, package)
importlib.util.find_spec = _find_spec
"""
ARTICLE = "Hà Nội mưa to. Ảnh: TTXVN\n"


def run_without_hf(argv: list[str], tmp_path: Path, code: str = "") -> subprocess.CompletedProcess:
    program = BLOCK + code + (
        "\nfrom vi2en.cli.main import main\n"
        f"rc = main({argv!r})\n"
        "leaked = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
        "print('LEAKED', leaked, file=sys.stderr) if leaked else None\n"
        "sys.exit(rc)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "VI2EN_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run([sys.executable, "-c", program], input=ARTICLE.encode(),
                          capture_output=True, env=env, timeout=300)  # fmt: skip


def test_the_blocker_really_blocks(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", BLOCK + "import torch"], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 1 and "No module named 'torch'" in done.stderr


def test_a_ctranslate2_folder_translates_without_torch(tiny_ct2_model: Path,
                                                        tmp_path: Path) -> None:
    done = run_without_hf(["translate", "--model", str(tiny_ct2_model), "--format", "tsv",
                           "--beam-size", "1"], tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    rows = done.stdout.decode("utf-8").splitlines()
    assert len(rows) == 2 and rows[-1] == "Ảnh: TTXVN\tPhoto: TTXVN"
    assert done.stderr == b""  # no warning, nothing leaked


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["translate", "--engine", "transformers"],
         "engine transformers: needs torch and transformers, not installed: "
         "pip install 'vi2en[hf]'"),
        (["translate"], "converting a Hugging Face model to CTranslate2 needs transformers and "
         "torch: pip install 'vi2en[hf]'"),
        (["models", "convert"], "needs transformers and torch: pip install 'vi2en[hf]'"),
    ],
)
def test_what_needs_the_hf_extra_names_it_in_one_line(
    argv: list[str], message: str, tiny_hf_model: Path, tmp_path: Path
) -> None:
    if argv[0] == "models":
        argv = [*argv, str(tiny_hf_model)]
    else:
        argv = [*argv, "--model", str(tiny_hf_model)]
    done = run_without_hf(argv, tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert message in err and err.count("\n") == 1, err
    assert "Traceback" not in err and done.stdout == b""
