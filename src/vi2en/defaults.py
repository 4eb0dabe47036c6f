"""vi2en's defaults, in one place: the library's signatures and the CLI's flags read them here.

Nothing here imports anything, so `vi2en --help` can show them without loading the pipeline.
"""

from __future__ import annotations

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-vi-en"
DEFAULT_ENGINE = "auto"  # the first registered engine that can run the model (CTranslate2)
DEFAULT_DEVICE = "auto"  # CUDA when present, else CPU
DEFAULT_COMPUTE_TYPE = "auto"  # CTranslate2: int8 on CPU, float16 on CUDA
DEFAULT_THREADS = 0  # 0: the engine's own choice
DEFAULT_BEAM_SIZE: int | None = None  # None: the model's generation config (4 for opus-mt)
DEFAULT_BATCH_TOKENS = 1024  # source positions per batch, padding included
DEFAULT_SOFT_LIMIT = 200  # pieces (`</s>` included) above which a segment is split at clauses
DEFAULT_FORMAT = "txt"
DEFAULT_WORKERS = 1
DEFAULT_GUARDS = ("repetition", "caps")  # output guards (`vi2en.guards`), each off-switchable

# What a model folder that says nothing is assumed to have (every opus-mt model has these).
FALLBACK_MAX_POSITIONS = 512
FALLBACK_NUM_BEAMS = 4
FALLBACK_MAX_LENGTH = 512

DEVICES = ("auto", "cpu", "cuda")

# Scoring (`vi2en score`, `vi2en eval`): sacreBLEU's own defaults.
DEFAULT_METRICS = ("bleu", "chrf", "chrf++", "ter")
DEFAULT_PAIRED_SAMPLES = {"bs": 1000, "ar": 10000}  # paired bootstrap / approximate randomization
