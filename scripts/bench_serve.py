"""`vi2en serve` under load: cross-request batching vs one request at a time vs offline.

    python scripts/bench_serve.py                        # clients 1, 8, 32, 128
    python scripts/bench_serve.py --clients 1,32 --requests 40 --json serve.json
    python scripts/bench_serve.py --soak 600         # memory over 10 minutes of mixed requests

N concurrent clients (threads with keep-alive connections, loopback only) send LibreTranslate
`POST /translate` requests of 1-3 NTREX-128 sentences (seeded). Systems, all on one model (the
opus-mt-vi-en-shaped random model of `scripts/bench_model.py`, CTranslate2 int8, beam 4, exactly
`--length` target tokens per sentence, since a random model never stops by itself), cache off:

  (a) vi2en serve, batching across requests (the default);
  (b) the same server with `--no-batching`: one request at a time, as LibreTranslate serves;
  (c) offline: the same requests' texts as documents through `Translator.translate_documents`
      (what `vi2en translate` of a folder does), in one process.

Each server runs in its own process (this script with `--child`), built exactly as `vi2en serve`
builds it (`TranslationService`, `create_app`, uvicorn) except for the forced length. The machine
is shared, so (a), (b) and (c) run in rotation, `--rounds` times per level on the same requests,
and ratios are medians of per-round ratios. Bounded: one request per client (at least
`--min-requests`) per run, `--seconds` per run at most. Prints throughput (sentences/s) and
p50/p95/p99 latency per level, the idle single-sentence latency against a direct engine call
(alternated, median of pairs), and the servers' memory (VmRSS) before and after.
`--soak S` instead sends a mix (LibreTranslate text and HTML, /v1 documents and streams,
OPUS-CAT TranslateJson) from 16 clients for S seconds and samples the server's VmRSS every 10 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))

from bench_model import NTREX, build_model  # noqa: E402


def requests_from_ntrex(count: int, *, seed: int = 13) -> list[tuple[str, int]]:
    """`count` requests of 1-3 consecutive NTREX-128 sentences (seeded): (text, sentences)."""
    lines = (NTREX / "ntrex.vi").read_text("utf-8").splitlines()
    rng = random.Random(seed)
    out = []
    pos = 0
    while len(out) < count:
        size = rng.randint(1, 3)
        out.append((" ".join(lines[pos : pos + size]), size))
        pos = (pos + size) % (len(lines) - 3)
    return out


def fixed_length_engine(ct2_dir: str, length: int) -> Any:
    """vi2en's CTranslate2 engine, decoding exactly `length` tokens (`bench_systems`)."""
    from bench_systems import FixedLengthCT2
    from vi2en.engines import load_engine

    engine = load_engine("ctranslate2", ct2_dir, device="cpu")
    engine.translator = FixedLengthCT2(engine.translator, length)
    return engine


def child(args: argparse.Namespace) -> int:
    """A server process: `vi2en serve`'s service and app on a fixed-length engine."""
    import socket

    from vi2en.serve.app import create_app
    from vi2en.serve.service import ServiceSettings, TranslationService

    engine = fixed_length_engine(args.ct2_dir, args.length)
    service = TranslationService(engine, ServiceSettings(
        beam_size=args.beam, batching=args.batching == "on", cache=False,
    ))  # fmt: skip
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    print(json.dumps({"port": sock.getsockname()[1]}), flush=True)
    import logging

    from vi2en.serve.runner import run

    logging.getLogger("vi2en.serve.access").setLevel(logging.WARNING)
    run(create_app(service), sock)
    service.close()
    return 0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_child(ct2_dir: Path, args: argparse.Namespace, batching: str) -> tuple[Any, int, None]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", "--ct2-dir", str(ct2_dir), "--batching", batching,
         "--length", str(args.length), "--beam", str(args.beam)],
        stdout=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    hello = json.loads(proc.stdout.readline())
    return proc, hello["port"], None


def load(port: int, texts: list[tuple[str, int]], clients: int, seconds: float) -> dict[str, Any]:
    """`clients` threads send `texts` (each once) as fast as answered; bounded by `seconds`."""
    queue = list(enumerate(texts))
    lock = threading.Lock()
    latencies: list[float] = []
    sentences = [0]
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    break
                _, (text, count) = queue.pop(0)
            body = json.dumps({"q": text, "source": "vi", "target": "en"})
            start = time.perf_counter()
            conn.request("POST", "/translate", body, {"Content-Type": "application/json"})
            reply = conn.getresponse()
            data = reply.read()
            took = time.perf_counter() - start
            with lock:
                if reply.status == 200:
                    latencies.append(took)
                    sentences[0] += count
                else:
                    errors.append(f"{reply.status} {data[:80]!r}")
        conn.close()

    begin = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - begin
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {"clients": clients, "requests": len(latencies), "errors": len(errors),
            "sentences": sentences[0], "seconds": wall, "sent_per_s": sentences[0] / wall,
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}  # fmt: skip


def soak(ct2_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Mixed requests for `args.soak` seconds; the server's VmRSS sampled every 10 s."""
    import urllib.parse

    proc, port, _ = start_child(ct2_dir, args, "on")
    texts = requests_from_ntrex(400)
    stop = time.monotonic() + args.soak
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()

    def call(conn: http.client.HTTPConnection, i: int) -> int:
        text = texts[i % len(texts)][0]
        kind = i % 5
        if kind == 4:
            query = urllib.parse.urlencode({"input": text, "srcLangCode": "vi",
                                            "trgLangCode": "en"})  # fmt: skip
            conn.request("GET", "/MtRestService/TranslateJson?" + query)
        else:
            path, payload = [
                ("/translate", {"q": text, "source": "vi", "target": "en"}),
                ("/translate", {"q": f"<p>{text}</p>", "source": "vi", "target": "en",
                                "format": "html"}),
                ("/v1/translate", {"text": text + "\n\n" + text, "align": True}),
                ("/v1/translate/stream", {"text": text}),
            ][kind]
            conn.request("POST", path, json.dumps(payload), {"Content-Type": "application/json"})
        reply = conn.getresponse()
        reply.read()
        return reply.status

    def client(seed: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        i = seed
        while time.monotonic() < stop:
            status = call(conn, i)
            i += 16
            with lock:
                counts["requests"] += 1
                counts["errors"] += status != 200
        conn.close()

    samples = []
    threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    begin = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        while any(t.is_alive() for t in threads):
            samples.append((round(time.monotonic() - begin), rss_mb(proc.pid)))
            time.sleep(10)
        for thread in threads:
            thread.join()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    return {**counts, "rss_mb": samples}


class Offline:
    """(c): texts as documents through the pipeline in this process (`vi2en translate` of a
    folder), and the direct engine call that idle latency is compared with."""

    def __init__(self, ct2_dir: Path, args: argparse.Namespace) -> None:
        from vi2en.translator import Translator

        self.engine = fixed_length_engine(str(ct2_dir), args.length)
        self.beam = args.beam
        self.translator = Translator(engine=self.engine, beam_size=args.beam)
        self.translator.translate_text(requests_from_ntrex(1)[0][0])  # warm-up

    def run(self, texts: list[tuple[str, int]]) -> dict[str, Any]:
        from vi2en.serve.service import ingest

        docs = [ingest(text) for text, _ in texts]
        start = time.perf_counter()
        self.translator.translate_documents(docs)
        wall = time.perf_counter() - start
        sentences = sum(count for _, count in texts)
        return {"sentences": sentences, "seconds": wall, "sent_per_s": sentences / wall}

    def direct_seconds(self, text: str) -> float:
        start = time.perf_counter()
        self.engine.translate_batch([text], beam_size=self.beam)
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="1,8,32,128", help="comma list of client counts")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rotations of (a), (b), (c) per level; the level of 128 clients "
                        "gets one (default: %(default)s)")  # fmt: skip
    parser.add_argument("--min-requests", type=int, default=16,
                        help="requests per round at least; else one per client")
    parser.add_argument("--seconds", type=float, default=300, help="time per run (at most)")
    parser.add_argument("--length", type=int, default=40, help="target tokens per sentence")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--soak", type=float, default=0, metavar="S",
                        help="instead: mixed requests for S seconds, memory sampled")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ct2-dir", help=argparse.SUPPRESS)
    parser.add_argument("--batching", default="on", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    if not (NTREX / "ntrex.vi").is_file():
        print(f"bench_serve: {NTREX} is missing (the shared NTREX-128 data)", file=sys.stderr)
        return 2
    _, ct2_dir = build_model()
    if args.soak:
        found = soak(ct2_dir, args)
        rss = [mb for _, mb in found["rss_mb"]]
        print(f"bench_serve: soak {args.soak:.0f} s, {found['requests']} requests, "
              f"{found['errors']} errors; VmRSS first {rss[0]:.0f} MB, after a minute "
              f"{rss[min(6, len(rss) - 1)]:.0f} MB, last {rss[-1]:.0f} MB, max {max(rss):.0f} MB")
        if args.json:
            args.json.write_text(json.dumps(found, indent=1), "utf-8")
        return 0
    levels = [int(n) for n in args.clients.split(",")]
    print(f"bench_serve: clients {levels}, {args.rounds} rounds, beam {args.beam}, "
          f"{args.length} tokens per sentence; load {os.getloadavg()[0]:.2f}")  # fmt: skip
    results: dict[str, Any] = {"load_start": os.getloadavg(), "levels": []}
    servers = {"a": start_child(ct2_dir, args, "on"), "b": start_child(ct2_dir, args, "off")}
    try:
        offline = Offline(ct2_dir, args)
        for _, port, _ in servers.values():
            load(port, requests_from_ntrex(4), 2, args.seconds)  # warm-up
        rss = {name: [rss_mb(proc.pid)] for name, (proc, _, _) in servers.items()}
        results["idle"] = _idle(servers["a"][1], offline, args)
        for clients in levels:
            results["levels"].append(_level(servers, offline, clients, args))
        for name, (proc, _, _) in servers.items():
            rss[name].append(rss_mb(proc.pid))
        results["rss_mb"] = rss
    finally:
        for proc, _, _ in servers.values():
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
    results["load_end"] = os.getloadavg()
    idle = results["idle"]
    print(f"idle single sentence: request p50 {idle['request_ms']:.0f} ms, direct engine call "
          f"{idle['direct_ms']:.0f} ms: {idle['ratio']:.2f}x (median of pairs)")
    print("server VmRSS MB (start -> end): " + ", ".join(
        f"({k}) {v[0]:.0f} -> {v[1]:.0f}" for k, v in results["rss_mb"].items()))
    print("bench_serve: load average at end {:.2f} {:.2f} {:.2f}".format(*results["load_end"]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    return 0


def _idle(port: int, offline: Offline, args: argparse.Namespace) -> dict[str, float]:
    """Single-sentence requests alternated with direct engine calls: the median ratio."""
    text = requests_from_ntrex(1)[0][0]
    pairs = []
    for _ in range(7):
        request = load(port, [(text, 1)], 1, args.seconds)["p50_ms"] / 1000
        pairs.append((request, offline.direct_seconds(text)))
    return {"request_ms": statistics.median(p[0] for p in pairs) * 1000,
            "direct_ms": statistics.median(p[1] for p in pairs) * 1000,
            "ratio": statistics.median(p[0] / p[1] for p in pairs)}  # fmt: skip


def _level(servers: dict[str, Any], offline: Offline, clients: int, args: argparse.Namespace
           ) -> dict[str, Any]:  # fmt: skip
    """(a), (b) and (c) in rotation, `--rounds` times, on the same requests."""
    count = max(clients, args.min_requests)
    texts = requests_from_ntrex(count, seed=clients)
    rounds = 1 if clients >= 128 else args.rounds
    runs: dict[str, list[dict[str, Any]]] = {"a": [], "b": [], "c": []}
    order = ["a", "b", "c"]
    for r in range(rounds):
        for name in order[r % 3:] + order[: r % 3]:
            if name == "c":
                runs[name].append(offline.run(texts))
            else:
                runs[name].append(load(servers[name][1], texts, clients, args.seconds))
    ratio_c = statistics.median(a["sent_per_s"] / c["sent_per_s"]
                                for a, c in zip(runs["a"], runs["c"], strict=True))
    ratio_b = statistics.median(a["sent_per_s"] / b["sent_per_s"]
                                for a, b in zip(runs["a"], runs["b"], strict=True))
    print(f"{clients:>4} clients, {count} requests x {rounds} rounds:")
    for name, label in (("a", "(a) vi2en serve"), ("b", "(b) one at a time"),
                        ("c", "(c) offline")):  # fmt: skip
        rates = [run["sent_per_s"] for run in runs[name]]
        line = f"   {label:<18} {statistics.median(rates):6.2f} sent/s"
        if name != "c":
            mid = sorted(runs[name], key=lambda run: run["sent_per_s"])[len(rates) // 2]
            line += (f"  p50 {mid['p50_ms']:6.0f}  p95 {mid['p95_ms']:6.0f}  p99 "
                     f"{mid['p99_ms']:6.0f} ms  errors {sum(x['errors'] for x in runs[name])}")
        print(line)
    print(f"   (a)/(c) {ratio_c:.2f}x  (a)/(b) {ratio_b:.2f}x  (median of per-round ratios; "
          f"load {os.getloadavg()[0]:.1f})")
    return {"clients": clients, "requests": count, "runs": runs,
            "a_over_c": ratio_c, "a_over_b": ratio_b}  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
