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
