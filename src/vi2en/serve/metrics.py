"""`/metrics` in Prometheus text format (prometheus-client): requests, latency, batches, queue,
cache. One registry per app, so two servers in one process (tests) do not share counters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily

if TYPE_CHECKING:
    from vi2en.serve.service import TranslationService

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class Metrics:
    """The server's metrics; `observe_request` is called by the access-log middleware."""

    def __init__(self, service: TranslationService) -> None:
        self.service = service
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "vi2en_http_requests", "HTTP requests by endpoint and status",
            ["endpoint", "status"], registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "vi2en_http_request_duration_seconds", "time from request to response",
            ["endpoint"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.batch_texts = Histogram(
            "vi2en_batch_texts", "texts per engine batch (across requests)",
            buckets=BATCH_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.batch_positions = Histogram(
            "vi2en_batch_positions", "source positions per engine batch, padding included",
            buckets=tuple(b * 16 for b in BATCH_BUCKETS), registry=self.registry,
        )  # fmt: skip
        queue = Gauge("vi2en_queue_texts", "texts waiting for the engine", registry=self.registry)
        queue.set_function(service.scheduler.pending)
        chars = Gauge("vi2en_pending_characters", "characters of requests in flight",
                      registry=self.registry)  # fmt: skip
        chars.set_function(lambda: service.pending_chars)
        flight = Gauge("vi2en_requests_in_flight", "translating requests in flight",
                       registry=self.registry)  # fmt: skip
        flight.set_function(lambda: service.in_flight)
        self.registry.register(_CacheCollector(service))
        service.batch_observers.append(self._observe_batch)

    def _observe_batch(self, texts: int, positions: int) -> None:
        self.batch_texts.observe(texts)
        self.batch_positions.observe(positions)

    def observe_request(self, endpoint: str, status: int, seconds: float) -> None:
        self.requests.labels(endpoint, str(status)).inc()
        self.latency.labels(endpoint).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _CacheCollector:
    """Cache hits and misses, read from the store when scraped."""

    def __init__(self, service: TranslationService) -> None:
        self.service = service

    def collect(self):  # type: ignore[no-untyped-def]
        store = self.service.store
        hits = CounterMetricFamily("vi2en_cache_hits", "sentences found in the translation cache")
        misses = CounterMetricFamily("vi2en_cache_misses", "sentences the cache did not have")
        hits.add_metric([], store.hits if store is not None else 0)
        misses.add_metric([], store.misses if store is not None else 0)
        yield hits
        yield misses
