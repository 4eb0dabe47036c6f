"""One benchmark system, run in its own process so its peak memory is its own.

`scripts/bench.py` starts `python scripts/bench_systems.py SPEC.json` once per system and reads the
last stdout line (`BENCH_RESULT {...}`). Every system translates the same segments with the same
beam and exactly `length` target tokens per segment (random weights never stop by themselves):
transformers `min_new_tokens = max_new_tokens = length`, CTranslate2 `min_decoding_length =
max_decoding_length = length`. The timed part excludes model loading and one warm-up call.

Systems (`spec["kind"]`):
- `hf_single`: transformers `generate`, one segment at a time.
- `hf_batch`: transformers, length-sorted batches of `batch_size`.
- `ct2_raw`: CTranslate2 `translate_batch` on all segments at once, with `max_batch_size`,
  `batch_type`, `inter_threads` x `intra_threads`.
- `pipeline`: vi2en end to end on a folder of articles (read, segment, translate, align when
  asked, write) through `vi2en.filejobs.translate_files`, with the engine's decoding length
  forced (`FixedLengthCT2`, `fix_hf_length`; nothing else of the engine is touched).
- `paired`: raw CTranslate2 at its best setting, the vi2en pipeline, and the pipeline with
  alignment, round after round in one process on one loaded model (the close targets are a few
  percent; separate processes minutes apart differ by more than that on a shared machine).
- `cache`: a 20-sentence article translated, 2 sentences revised, translated again (cache on).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WARM_UP = "Hà Nội mưa to."


def peak_rss_mb() -> float:
    """This process's resident-memory high-water mark (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class FixedLengthCT2:
    """Wraps a `ctranslate2.Translator` so every call decodes exactly `length` tokens.

    Counts the segments and output tokens that pass through it.
    """

    def __init__(self, translator: Any, length: int) -> None:
        self.translator = translator
        self.length = length
        self.segments = 0
        self.results: list[Any] = []  # read after the run (asynchronous calls return futures)

    def translate_batch(self, tokens: list[list[str]], **options: Any) -> Any:
        options.update(min_decoding_length=self.length, max_decoding_length=self.length)
        results = self.translator.translate_batch(tokens, **options)
        self.segments += len(tokens)
        self.results.extend(results)
        return results

    @property
    def tokens(self) -> int:
        done = [r.result() if hasattr(r, "result") else r for r in self.results]
        return sum(len(r.hypotheses[0]) for r in done)


def fix_hf_length(engine: Any, length: int) -> dict[str, int]:
    """Force `engine.model.generate` to `length` new tokens; returns the live counters."""
    generate = engine.model.generate
    counts = {"segments": 0, "tokens": 0}

    def fixed(**options: Any) -> Any:
        options.update(min_new_tokens=length, max_new_tokens=length)
        out = generate(**options)
        counts["segments"] += out.shape[0]
        counts["tokens"] += int((out[:, 1:] != engine.codec.pad_id).sum())
        return out

    engine.model.generate = fixed
    return counts


def _hf(spec: dict[str, Any]) -> dict[str, Any]:
    import torch
    from transformers import MarianMTModel

    from vi2en.engines.spm import MarianSentencePiece

    torch.set_num_threads(spec["threads"])
    model = MarianMTModel.from_pretrained(spec["hf_dir"]).eval()
    codec = MarianSentencePiece(Path(spec["hf_dir"]))
    rows = [codec.source_ids(t) for t in spec["texts"]]
    pad, length = codec.pad_id, spec["length"]

    def run(batch: list[list[int]]) -> int:
        width = max(len(r) for r in batch)
        ids = torch.tensor([r + [pad] * (width - len(r)) for r in batch])
        with torch.inference_mode():
            out = model.generate(input_ids=ids, attention_mask=(ids != pad).long(),
                                 num_beams=spec["beam"], min_new_tokens=length,
                                 max_new_tokens=length)  # fmt: skip
        return int((out[:, 1:] != pad).sum())

    run([codec.source_ids(WARM_UP)])
    if spec["kind"] == "hf_single":
        batches = [[r] for r in rows]
    else:
        order = sorted(rows, key=len)
        size = spec["batch_size"]
        batches = [order[i : i + size] for i in range(0, len(order), size)]
    start = time.perf_counter()
    tokens = sum(run(b) for b in batches)
    return {"seconds": time.perf_counter() - start, "segments": len(rows), "tokens": tokens,
            "threads": torch.get_num_threads()}  # fmt: skip


def _fixed_length(spec: dict[str, Any]) -> dict[str, Any]:
    """CTranslate2 options for exactly `length` target tokens per segment with `beam`."""
    length = spec["length"]
    return {"beam_size": spec["beam"], "min_decoding_length": length,
            "max_decoding_length": length, "max_input_length": 0}  # fmt: skip


def _ct2(spec: dict[str, Any]) -> dict[str, Any]:
    import ctranslate2

    from vi2en.engines.spm import MarianSentencePiece

    translator = ctranslate2.Translator(
        spec["ct2_dir"], device="cpu", compute_type="int8",
        inter_threads=spec["inter_threads"], intra_threads=spec["intra_threads"],
    )  # fmt: skip
    codec = MarianSentencePiece(Path(spec["ct2_dir"]))
    tokens = [codec.source_tokens(t) for t in spec["texts"]]
    options = _fixed_length(spec)
    translator.translate_batch([codec.source_tokens(WARM_UP)], **options)
    start = time.perf_counter()
    results = translator.translate_batch(
        tokens, max_batch_size=spec["batch_size"], batch_type=spec["batch_type"], **options
    )
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "segments": len(tokens),
            "tokens": sum(len(r.hypotheses[0]) for r in results)}  # fmt: skip


def _engine(spec: dict[str, Any]) -> tuple[Any, Any]:
    """A vi2en engine with its decoding length forced, and its counters."""
    from vi2en.engines import load_engine

    if spec["engine"] == "ctranslate2":
        options = {k: spec[k] for k in ("inter_threads", "max_batch_size", "batch_type")
                   if k in spec}  # fmt: skip
        engine = load_engine("ctranslate2", spec["ct2_dir"], device="cpu",
                             threads=spec.get("ct2_threads", 0), **options)  # fmt: skip
        engine.translator = FixedLengthCT2(engine.translator, spec["length"])
        return engine, engine.translator
    engine = load_engine("transformers", spec["hf_dir"], device="cpu", threads=spec["threads"])
    return engine, fix_hf_length(engine, spec["length"])


def _counted(counter: Any) -> tuple[int, int]:
    if isinstance(counter, dict):
        return counter["segments"], counter["tokens"]
    return counter.segments, counter.tokens


def _run_pipeline(engine: Any, spec: dict[str, Any], align: bool) -> tuple[float, int]:
    """vi2en end to end on `spec["input_dir"]` (cache off): (seconds, files written)."""
    from vi2en.filejobs import plan_jobs, translate_files
    from vi2en.translator import Translator

    translator = Translator(engine=engine, beam_size=spec["beam"], align=align,
                            cache=False, batch_tokens=spec["batch_tokens"])  # fmt: skip
    with tempfile.TemporaryDirectory() as out:
        jobs = plan_jobs([spec["input_dir"]], out)
        start = time.perf_counter()
        summary = translate_files(translator, jobs, force=True)
        return time.perf_counter() - start, len(summary.written)


def _pipeline(spec: dict[str, Any]) -> dict[str, Any]:
    engine, counter = _engine(spec)
    engine.translate_batch([WARM_UP], beam_size=spec["beam"])
    warm = _counted(counter)
    seconds, files = _run_pipeline(engine, spec, spec["align"])
    segments, tokens = (a - b for a, b in zip(_counted(counter), warm, strict=True))
    return {"seconds": seconds, "segments": segments, "tokens": tokens, "files": files}


def _paired(spec: dict[str, Any]) -> dict[str, Any]:
    """Raw CTranslate2 (its best setting), the vi2en pipeline, and the pipeline with --align,
    round after round in one process on the same loaded model.

    The order rotates each round so a drift in machine speed falls on every system alike;
    `bench.py` takes the median of the per-round ratios. On a shared machine, separate processes
    minutes apart differ by more than the few percent these targets are about.
    """
    import ctranslate2

    engine, _ = _engine(spec | {"engine": "ctranslate2"})
    engine.translate_batch([WARM_UP], beam_size=spec["beam"])
    raw_spec = spec["raw"]
    if (engine.inter_threads, engine.intra_threads) == (raw_spec["inter_threads"],
                                                         raw_spec["intra_threads"]):  # fmt: skip
        raw = engine.translator.translator  # the engine's own, under FixedLengthCT2
    else:
        raw = ctranslate2.Translator(spec["ct2_dir"], device="cpu", compute_type="int8",
                                     inter_threads=raw_spec["inter_threads"],
                                     intra_threads=raw_spec["intra_threads"])  # fmt: skip
    tokens = engine.codec.source_tokens_batch(spec["texts"])
    options = _fixed_length(spec)

    def run_raw() -> float:
        start = time.perf_counter()
        raw.translate_batch(tokens, max_batch_size=raw_spec["batch_size"],
                            batch_type=raw_spec["batch_type"], **options)  # fmt: skip
        return time.perf_counter() - start

    systems = {"raw": run_raw, "plain": lambda: _run_pipeline(engine, spec, False)[0],
               "aligned": lambda: _run_pipeline(engine, spec, True)[0]}  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in systems}
    names = list(systems)
    for i in range(spec["rounds"]):
        for name in names[i % 3 :] + names[: i % 3]:
            times[name].append(systems[name]())
    return times


def _cache(spec: dict[str, Any]) -> dict[str, Any]:
    from vi2en.filejobs import plan_jobs, translate_files
    from vi2en.translator import Translator

    engine, counter = _engine(spec)
    engine.translate_batch([WARM_UP], beam_size=spec["beam"])
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["VI2EN_CACHE_DIR"] = tmp  # a fresh, empty cache
        article = Path(tmp) / "article.txt"
        for version in spec["versions"]:
            article.write_text(version, "utf-8")
            before = _counted(counter)
            translator = Translator(engine=engine, beam_size=spec["beam"], cache=True,
                                    batch_tokens=spec["batch_tokens"])  # fmt: skip
            start = time.perf_counter()
            translate_files(translator, plan_jobs([str(article)], str(Path(tmp) / "out.txt")),
                            force=True)  # fmt: skip
            seconds = time.perf_counter() - start
            translated = _counted(counter)[0] - before[0]
            runs.append({"seconds": seconds, "translated": translated})
    return {"runs": runs}


def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text("utf-8"))
    if "texts_file" in spec:
        spec["texts"] = json.loads(Path(spec["texts_file"]).read_text("utf-8"))
        if spec.get("limit"):
            spec["texts"] = spec["texts"][: spec["limit"]]
    kind = spec["kind"]
    runner = {"hf_single": _hf, "hf_batch": _hf, "ct2_raw": _ct2, "pipeline": _pipeline,
              "paired": _paired, "cache": _cache}[kind]  # fmt: skip
    result = runner(spec)
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print("BENCH_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1])
