"""scripts/measure_install.py: the closures it measures are the right ones (no timings here)."""

from __future__ import annotations

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))

import measure_install  # noqa: E402


def test_core_leaves_torch_and_transformers_out_and_hf_brings_them():
    core_reqs, hf_reqs = measure_install.requirements()
    core = measure_install.closure(core_reqs)
    hf = measure_install.closure(core_reqs + hf_reqs)
    assert {"ctranslate2", "sentencepiece", "sacrebleu", "numpy"} <= core
    assert not {"torch", "transformers"} & core
    assert {"torch", "transformers"} <= hf and core < hf
    assert measure_install.installed_bytes("sacrebleu") > 100_000


def test_an_import_is_measured_in_a_fresh_interpreter():
    wall, cpu, peak = measure_install.import_cost("import json", 1)
    assert wall > 0 and cpu >= 0 and peak > 1
