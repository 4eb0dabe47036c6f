"""README.md stays true: its two set-up commands are the ones CI runs, its example exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def setup_commands() -> list[str]:
    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [block.strip() for block in blocks[:2]]


def test_readme_has_exactly_the_install_and_test_commands_that_ci_runs():
    install, tests = setup_commands()
    assert "pip install" in install and "vi2en segment examples/" in install
    assert tests == "pytest"
    ci_lines = REPO.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines()
    assert install.replace('pip install -e ".[dev]"', 'pip install -q -e ".[dev]"') in ci_lines
    assert tests in ci_lines


def test_the_example_article_named_in_the_readme_exists():
    install, _ = setup_commands()
    example = re.search(r"examples/\S+", install).group()
    assert REPO.joinpath(example).is_file()


def test_the_readme_flag_table_is_the_code_table():
    from vi2en.flags import FLAG_TABLE

    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    for flag in FLAG_TABLE:
        row = f"| `{flag.code}` | {flag.stage} | {flag.meaning} | {flag.threshold} |"
        assert row in readme, row


def _format_example() -> tuple[str, str]:
    """The README's new-format module and its registration line."""
    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    section = readme.split("**A format**", 1)[1].split("**An engine**", 1)[0]
    module, line = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    return module, line.strip()


def test_adding_the_readmes_format_is_one_module_and_one_line(tmp_path, tiny_ct2_model):
    import os
    import shutil
    import subprocess
    import sys

    from tests.formats.sample_doc import make_document
    from vi2en.formats import jsonl

    module, line = _format_example()
    tree = tmp_path / "src"
    shutil.copytree(REPO / "src" / "vi2en", tree / "vi2en",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    (tree / "vi2en" / "formats" / "md.py").write_text(module, encoding="utf-8")
    registry = tree / "vi2en" / "formats" / "__init__.py"
    anchor = "\n)\nFORMATS: dict[str, FormatSpec]"  # the end of `_REGISTERED`
    source = registry.read_text(encoding="utf-8")
    assert anchor in source
    registry.write_text(source.replace(anchor, f"\n    {line}{anchor}", 1), encoding="utf-8")

    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}

    def vi2en(*args: str, stdin: str | None = None) -> str:
        proc = subprocess.run([sys.executable, "-m", "vi2en", *args], input=stdin, env=env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    helped = " ".join(vi2en("translate", "--help").split())  # argparse wraps lines
    assert ",md}" in helped and "md: Markdown table of source and target" in helped
    saved = tmp_path / "a.jsonl"
    saved.write_text(jsonl.render(make_document()), encoding="utf-8")
    exported = vi2en("export", str(saved), "--format", "md").splitlines()
    assert exported[:2] == ["| source | target |", "|---|---|"]
    assert len(exported) == 2 + len(make_document().segments)
    translated = vi2en("translate", "--model", str(tiny_ct2_model), "--format", "md", "-q",
                       stdin="Hà Nội mưa to. Ảnh: TTXVN\n").splitlines()  # fmt: skip
    assert translated[-1] == "| Ảnh: TTXVN | Photo: TTXVN |"
