"""The observer's Prometheus series: what a runner reports is what /metrics shows."""

from __future__ import annotations

from workers.metrics import NO_METRICS, Metrics, Observer


def test_each_report_lands_in_its_series() -> None:
    m = Metrics()
    m.processed("clean", "news.clean")
    m.processed("clean", "news.clean")
    m.rejected("clean", "language:en")
    m.duplicate("near")
    m.routed("kursk")
    m.feed_poll("https://example.org/feed.xml", "not_modified")
    m.terminal_latency(0.3)
    m.terminal_latency(42.0)
    m.lag("news.raw", 1, 7)
    m.unsendable("tag", "news.enriched")
    m.lost("tag")
    assert m.value("lagebild_records_total", stage="clean", outcome="news.clean") == 2
    # a rejection is one of a stage's outcomes too, so records_total adds up per stage
    assert m.value("lagebild_records_total", stage="clean", outcome="news.rejected") == 1
    assert m.value("lagebild_rejections_total", stage="clean", reason="language:en") == 1
    assert m.value("lagebild_duplicates_total", kind="near") == 1
    assert m.value("lagebild_routed_total", topic="kursk") == 1
    assert m.value(
        "lagebild_feed_polls_total", feed="https://example.org/feed.xml", result="not_modified"
    )
    assert m.value("lagebild_terminal_latency_seconds_count") == 2
    assert m.value("lagebild_terminal_latency_seconds_bucket", le="0.5") == 1
    assert m.value("lagebild_consumer_lag", topic="news.raw", partition="1") == 7
    assert m.value("lagebild_unsendable_total", stage="tag", topic="news.enriched") == 1
    assert m.value("lagebild_lost_total", stage="tag") == 1
    text = m.exposition().decode()
    assert 'lagebild_rejections_total{reason="language:en",stage="clean"} 1.0' in text
    assert "_created" not in text


def test_registries_are_per_instance_and_lag_is_forgotten_after_a_rebalance() -> None:
    a, b = Metrics(), Metrics()
    a.processed("tag", "enriched")
    assert b.value("lagebild_records_total", stage="tag", outcome="enriched") == 0
    a.lag("news.raw", 0, 3)
    a.forget_lag()
    assert "lagebild_consumer_lag{" not in a.exposition().decode()


def test_clock_skew_never_gives_a_negative_latency_or_lag() -> None:
    m = Metrics()
    m.terminal_latency(-2.0)
    m.lag("news.raw", 0, -5)
    assert m.value("lagebild_terminal_latency_seconds_bucket", le="0.05") == 1
    assert m.value("lagebild_consumer_lag", topic="news.raw", partition="0") == 0


def test_the_null_observer_takes_every_report() -> None:
    observer: Observer = NO_METRICS
    for method in ("processed", "rejected"):
        getattr(observer, method)("clean", "x")
    observer.duplicate("url")
    observer.routed("kursk")
    observer.terminal_latency(1.0)
    observer.feed_poll("f", "ok")
    observer.lag("t", 0, 1)
    observer.unsendable("tag", "news.enriched")
    observer.lost("tag")


def test_the_chain_observer_tells_results_apart_by_where_they_went() -> None:
    from datetime import timedelta

    from tests.unit.dashboard.test_state import enriched
    from workers.pipeline import Emit
    from workers.records import utcnow

    m = Metrics()
    item = enriched("a", ["kursk"], []).model_copy(
        update={"fetched_at": utcnow() - timedelta(seconds=3)}
    )
    m.emitted("tag", Emit("news.enriched", "a", item))
    m.emitted("route", Emit("news.enriched.kursk", "a", item))
    assert m.value("lagebild_records_total", stage="tag", outcome="news.enriched") == 1
    assert m.value("lagebild_routed_total", topic="kursk") == 1
    assert m.value("lagebild_records_total", stage="route", outcome="news.enriched.kursk") == 0
    # fetched three seconds ago: in the 5 s bucket, not in the 2.5 s one
    assert m.value("lagebild_terminal_latency_seconds_bucket", le="5.0") == 1
    assert m.value("lagebild_terminal_latency_seconds_bucket", le="2.5") == 0
