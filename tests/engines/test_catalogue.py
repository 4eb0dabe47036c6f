"""The catalogue of known models: every short name the issue names, with licence, family, size,
published scores and their sources; short names work wherever a model goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from vi2en.cli.main import main
from vi2en.engines import models
from vi2en.engines.catalogue import known_model, known_models, short_names

NAMES = ["opus-mt", "tatoeba-bt", "tatoeba-aav", "nllb-600m", "nllb-1.3b", "nllb-3.3b",
         "madlad-3b", "vinai"]  # fmt: skip


def test_every_name_is_there_with_what_a_user_needs():
    assert short_names() == NAMES
    for entry in known_models():
        assert entry.source and entry.licence and entry.params_millions > 0
        assert entry.family in ("marian", "nllb", "t5", "mbart50")
        assert all(s.source for s in entry.scores)
        assert "GB" in entry.memory_estimate()
    assert known_model("NLLB-600M") is known_model("nllb-600m")
    assert known_model("nope") is None


def test_published_figures_are_the_issues():
    aav = known_model("tatoeba-aav")
    assert aav is not None and aav.is_release_zip
    assert (aav.score("flores200-devtest").bleu, aav.score("ntrex128").chrf) == (30.7, 55.9)
    assert known_model("opus-mt").score("ntrex128").bleu == 23.2
    assert known_model("nllb-600m").score("flores200-devtest").bleu == 33.4


@pytest.mark.parametrize("name, plain", [("nllb-600m", "NON-COMMERCIAL"),
                                         ("nllb-3.3b", "NON-COMMERCIAL"), ("vinai", "AGPL")])
def test_restrictive_licences_are_said_plainly(name: str, plain: str):
    entry = known_model(name)
    assert plain in models.licence_notice(entry) and "WARNING" in models.licence_notice(entry)
    assert known_model("opus-mt").licence_warning is None


def test_list_known_prints_the_table(capsys):
    assert main(["models", "list", "--known"]) == 0
    out = capsys.readouterr().out
    for name in NAMES:
        assert f"\n{name}  [" in "\n" + out
    assert "object.pouta.csc.fi/Tatoeba-MT-models/aav-eng" in out
    assert "flores200-devtest: BLEU 30.7 / chrF 57.4" in out and "NON-COMMERCIAL" in out


def test_a_short_name_resolves_to_its_hub_id(tiny_hf_model: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch):  # fmt: skip
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    with pytest.raises(models.ModelNotFound, match="facebook/nllb-200-distilled-600M"):
        models.resolve_model("nllb-600m")
    # A folder of that name in the working directory wins over the catalogue.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "opus-mt").symlink_to(tiny_hf_model)
    assert models.resolve_model("opus-mt").path == Path("opus-mt")


def test_every_catalogue_family_is_runnable():
    from vi2en.engines.families import families

    assert {entry.family for entry in known_models()} <= set(families())


def test_a_family_not_registered_is_refused_before_downloading(monkeypatch, capsys):
    import dataclasses

    from vi2en.engines import catalogue

    odd = dataclasses.replace(known_model("vinai"), name="odd", family="fsmt")
    monkeypatch.setattr(catalogue, "KNOWN_MODELS", (*catalogue.KNOWN_MODELS, odd))
    assert main(["models", "download", "odd"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot run yet" in err and "nothing was downloaded" in err
