"""Known vi→en models by short name: where each comes from, what it is, what it may be used for.

`--model NAME` and `vi2en models download NAME` accept the short names here (`opus-mt`,
`tatoeba-aav`, `nllb-600m`…); `vi2en models list --known` prints the table. Scores are the
published ones, each with where it was published (nothing here was measured by vi2en); "memory"
is an estimate from the parameter count (int8 on CPU: about 1 byte per parameter plus working
memory; float16 on a GPU: 2 bytes per parameter), not a measurement.

Release zips (`source` is a URL) are the original OPUS-MT/Tatoeba-MT Marian releases: vi2en
downloads, unpacks and converts them to CTranslate2 without torch (`vi2en.engines.releases`).
"""

from __future__ import annotations

from dataclasses import dataclass

Family = str  # a registered family (`vi2en.engines.families`): marian, nllb, mbart50, t5


@dataclass(frozen=True)
class PublishedScore:
    """A score someone published for the model, with where."""

    testset: str  # "flores200-devtest", "ntrex128", "tatoeba-test"
    bleu: float | None
    chrf: float | None  # chrF2, on sacreBLEU's 0-100 scale
    source: str


@dataclass(frozen=True)
class KnownModel:
    """One catalogue entry. `source` is a hub id, or the URL of a release zip."""

    name: str
    source: str
    family: Family
    params_millions: int
    licence: str
    description: str
    scores: tuple[PublishedScore, ...] = ()
    licence_warning: str | None = None  # said plainly at download and in the listing
    guided_alignment: bool = False  # attention trained for word alignment (OPUS-MT -align)
    sha256: str | None = None  # of the release zip, where published

    @property
    def is_release_zip(self) -> bool:
        return self.source.startswith(("https://", "http://"))

    def memory_estimate(self) -> str:
        """Rough memory to run it: int8 on CPU, float16 on GPU (an estimate, not measured)."""
        cpu = self.params_millions * 1.0 / 1000 + 0.3
        gpu = self.params_millions * 2.0 / 1000 + 0.5
        return f"~{cpu:.1f} GB int8 CPU / ~{gpu:.1f} GB float16 GPU"

    def score(self, testset: str) -> PublishedScore | None:
        return next((s for s in self.scores if s.testset == testset), None)


LEADERBOARD = "Helsinki-NLP/OPUS-MT-leaderboard scores/vie-eng/{}"
FLORES = "flores200-devtest"
TATOEBA_README = "Tatoeba-Challenge models/vie-eng/README.md"
NLLB_CARD = "Helsinki-NLP/External-MT-leaderboard scores/vie-eng/flores200-devtest"
NON_COMMERCIAL = (
    "CC-BY-NC 4.0: NON-COMMERCIAL use only; you may not use this model or its output in a "
    "commercial product or service"
)

KNOWN_MODELS: tuple[KnownModel, ...] = (
    KnownModel(
        name="opus-mt",
        source="Helsinki-NLP/opus-mt-vi-en",
        family="marian",
        params_millions=75,
        licence="Apache-2.0 on the Hugging Face card (the Tatoeba-MT release is CC-BY 4.0)",
        description="OPUS-MT vie-eng opus-2020-09-10 (transformer-align): small, fast, the "
        "default",
        scores=(
            PublishedScore(FLORES, 25.3, 52.7, LEADERBOARD.format(FLORES)),
            PublishedScore("ntrex128", 23.2, 51.3, LEADERBOARD.format("ntrex128")),
            PublishedScore("tatoeba-test", 42.8, 60.8, TATOEBA_README),
        ),
        guided_alignment=True,
    ),
    KnownModel(
        name="tatoeba-bt",
        source="https://object.pouta.csc.fi/Tatoeba-MT-models/vie-eng/opus+bt-2021-04-30.zip",
        family="marian",
        params_millions=75,
        licence="CC-BY 4.0 (Tatoeba-MT models; attribute the OPUS-MT project)",
        description="Tatoeba-MT vie-eng opus+bt-2021-04-30 (transformer-align, with "
        "back-translation); a Marian release zip, not on the hub",
        scores=(
            PublishedScore(FLORES, 27.3, 54.9,
                           LEADERBOARD.format(FLORES) + " (BLEU as quoted in issue 17)"),
            PublishedScore("ntrex128", 25.4, 53.8, LEADERBOARD.format("ntrex128")),
            PublishedScore("tatoeba-test", 43.1, 61.0, TATOEBA_README),
        ),
        guided_alignment=True,
    ),
    KnownModel(
        name="tatoeba-aav",
        source="https://object.pouta.csc.fi/Tatoeba-MT-models/aav-eng/"
        "opus4m+btTCv20210807-2021-09-30.zip",
        family="marian",
        params_millions=75,
        licence="CC-BY 4.0 (Tatoeba-MT models; attribute the OPUS-MT project)",
        description="Tatoeba-MT aav-eng (Austro-Asiatic to English) opus4m+btTCv20210807-"
        "2021-09-30; the best published Marian model for vi-en; a release zip",
        scores=(
            PublishedScore(FLORES, 30.7, 57.4, LEADERBOARD.format(FLORES)),
            PublishedScore("ntrex128", 29.0, 55.9, LEADERBOARD.format("ntrex128")),
        ),
        guided_alignment=False,  # a "transformer" model: attention not trained to align
    ),
    KnownModel(
        name="nllb-600m",
        source="facebook/nllb-200-distilled-600M",
        family="nllb",
        params_millions=600,
        licence="CC-BY-NC 4.0",
        licence_warning=NON_COMMERCIAL,
        description="NLLB-200 distilled 600M (M2M100 architecture, 200 languages)",
        scores=(PublishedScore("flores200-devtest", 33.4, 59.1, NLLB_CARD),),
    ),
    KnownModel(
        name="nllb-1.3b",
        source="facebook/nllb-200-distilled-1.3B",
        family="nllb",
        params_millions=1300,
        licence="CC-BY-NC 4.0",
        licence_warning=NON_COMMERCIAL,
        description="NLLB-200 distilled 1.3B",
        scores=(PublishedScore("flores200-devtest", None, 61.7, NLLB_CARD),),
    ),
    KnownModel(
        name="nllb-3.3b",
        source="facebook/nllb-200-3.3B",
        family="nllb",
        params_millions=3300,
        licence="CC-BY-NC 4.0",
        licence_warning=NON_COMMERCIAL,
        description="NLLB-200 3.3B: the strongest published vi-en figures here; needs a GPU "
        "for speed",
        scores=(PublishedScore("flores200-devtest", 36.6, 61.9, NLLB_CARD),),
    ),
    KnownModel(
        name="madlad-3b",
        source="google/madlad400-3b-mt",
        family="t5",
        params_millions=3000,
        licence="Apache-2.0",
        description="MADLAD-400 3B (T5, 400+ languages; `<2en>` prefix); no published vi-en "
        "score",
    ),
    KnownModel(
        name="vinai",
        source="vinai/vinai-translate-vi2en-v2",
        family="mbart50",
        params_millions=610,
        licence="AGPL-3.0",
        licence_warning=(
            "AGPL-3.0: if you offer a service built on this model over a network you must "
            "publish that service's complete source code under the AGPL"
        ),
        description="VinAI Translate vi2en v2 (mBART-50, vi_VN to en_XX); scores in its paper "
        "(Nguyen et al., 2022), not on FLORES/NTREX",
    ),
)


def known_models() -> tuple[KnownModel, ...]:
    return KNOWN_MODELS


def known_model(name: str) -> KnownModel | None:
    """The entry for a short name (case-insensitive), or None."""
    wanted = name.strip().lower()
    return next((m for m in KNOWN_MODELS if m.name == wanted), None)


def short_names() -> list[str]:
    return [m.name for m in KNOWN_MODELS]


def for_source(source: str) -> KnownModel | None:
    """The entry whose hub id or URL is `source`, or None."""
    return next((m for m in KNOWN_MODELS if m.source == source), None)


__all__ = [
    "KNOWN_MODELS",
    "KnownModel",
    "PublishedScore",
    "for_source",
    "known_model",
    "known_models",
    "short_names",
]
