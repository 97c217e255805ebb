"""`lagebild`: run the service, or any part of it, from the command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import traceback
from pathlib import Path

from workers.cli.errors import UsageError, explain
from workers.logs import configure_logging
from workers.settings import Settings, get_settings

log = logging.getLogger("lagebild")

#: exit status of a command stopped by a broker outage (EX_TEMPFAIL: try again later)
EXIT_TEMPFAIL = 75


def _need_kafka(settings: Settings) -> None:
    if not settings.kafka.bootstrap_servers:
        raise UsageError(
            "no Kafka configured: set KAFKA_BOOTSTRAP_SERVERS (or run `lagebild broker` "
            "for an embedded one, or `lagebild up` to run everything on it)"
        )


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from workers.cli.up import run_up
    from workers.poller.feeds import load_publishers

    if args.workers:
        settings = settings.replace(worker={"processes": args.workers})
    feeds = args.feeds or settings.poller.feeds_file
    return run_up(
        settings,
        load_publishers(feeds),
        once=args.once,
        drain_timeout=args.timeout,
        feeds_label=str(feeds) if feeds else "the bundled sample feed",
    )


def cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    from workers.broker import EmbeddedBroker

    broker_settings = settings.broker.model_copy(update={"port": args.port})
    with EmbeddedBroker(broker_settings) as broker:
        print(f"KAFKA_BOOTSTRAP_SERVERS={broker.bootstrap}", flush=True)
        print("embedded broker running (memory only); Ctrl-C stops it", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    from workers.provision import ensure_topics

    _need_kafka(settings)
    statuses = asyncio.run(ensure_topics(settings))
    for s in statuses:
        print(f"{s.status:8} {s.spec.name} partitions={s.spec.partitions} {s.detail}".rstrip())
    return 1 if any(s.status == "mismatch" for s in statuses) else 0


def cmd_poll(args: argparse.Namespace, settings: Settings) -> int:
    from workers.metrics import Metrics
    from workers.poller.feeds import load_publishers
    from workers.poller.run import PollReport, run_poller
    from workers.web import serve_metrics

    _need_kafka(settings)
    publishers = load_publishers(args.feeds or settings.poller.feeds_file)

    def show(report: object) -> None:
        print(report, flush=True)

    async def poll() -> PollReport:
        p = settings.poller
        if p.metrics_port is None:
            return await run_poller(settings, publishers, once=args.once, on_report=show)
        metrics = Metrics()
        runner = await serve_metrics(metrics, p.metrics_host, p.metrics_port)
        try:
            return await run_poller(
                settings, publishers, once=args.once, on_report=show, observer=metrics
            )
        finally:
            await runner.cleanup()

    with contextlib.suppress(KeyboardInterrupt):
        report = asyncio.run(poll())
        if report.outage:
            print(f"poller stopped, broker unreachable: {report.outage}", file=sys.stderr)
            return EXIT_TEMPFAIL
        # a broken feed is the feed's problem (its health says so), not the poller's
        every_feed_failed = report.feeds > 0 and report.failed_feeds >= report.feeds
        return 1 if args.once and every_feed_failed and not report.published else 0
    return 0


def cmd_feeds(args: argparse.Namespace, settings: Settings) -> int:
    from workers.cli.feeds import show_feeds

    _need_kafka(settings)
    return show_feeds(settings, args.feeds or settings.poller.feeds_file, args.json)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    import faust

    from workers.app import create_app
    from workers.provision import ensure_topics

    _need_kafka(settings)
    quiet_kafka_client()  # an unreachable broker is one line (errors.py), not a log line too
    asyncio.run(ensure_topics(settings))
    logging.getLogger("aiokafka").setLevel(logging.NOTSET)  # faust's client: its logs matter
    settings.worker.data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(settings)
    w = settings.worker
    base = f"http://{w.web_host}:{w.web_port}"
    where = (
        f"worker {w.app_id} on {settings.kafka.bootstrap_servers}: {base}/metrics, "
        f"{base}/healthz, {base}/readyz"
    )
    if settings.log_format == "json":  # every line on stderr is JSON then
        log.info(where)
    else:
        print(f"{where}; Ctrl-C stops it", file=sys.stderr, flush=True)
    # logging is ours (text or JSON, see workers/logs.py); no spinner, no " OK ^"
    worker = faust.Worker(app, redirect_stdouts=False, override_logging=False, quiet=True)
    worker.spinner = None  # its cursor escapes would garble a log file (and JSON lines)
    # a closed terminal stops the worker the way SIGTERM does: cleanly, offsets committed
    signal.signal(signal.SIGHUP, lambda *_: os.kill(os.getpid(), signal.SIGTERM))
    worker.execute_from_commandline()
    return 0


def cmd_subscribe(args: argparse.Namespace, settings: Settings) -> int:
    from workers.cli.subscribe import source_topic, subscribe
    from workers.tagging import taxonomy

    known = taxonomy.topic_ids(settings.tagging.topics_file)
    source_topic(args.topic, args.rejected, known)  # an unknown topic fails before Kafka does
    _need_kafka(settings)
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(
            subscribe(
                settings,
                args.topic,
                args.entity,
                args.from_beginning,
                args.max,
                args.timeout,
                args.json,
                rejected=args.rejected,
                known_topics=known,
            )
        )
    return 0


def cmd_dashboard(args: argparse.Namespace, settings: Settings) -> int:
    from workers.dashboard.server import serve_dashboard

    _need_kafka(settings)

    def ready(url: str) -> None:
        print(
            f"dashboard on {url} (the terminal topics on {settings.kafka.bootstrap_servers}); "
            "Ctrl-C stops it",
            flush=True,
        )

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_dashboard(settings, on_ready=ready, host=args.host, port=args.port))
    return 0


def cmd_enrich(args: argparse.Namespace, settings: Settings) -> int:
    from workers.cli.enrich import run_enrich

    return run_enrich(args.file, settings, fetch=not args.no_fetch)


def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    from workers.cli.backfill import run

    _need_kafka(settings)
    return run(args, settings)


def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from workers.cli.replay import run

    _need_kafka(settings)
    return run(args, settings)


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from workers.cli.audit import run

    _need_kafka(settings)
    return run(args, settings)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from workers.cli.eval import run_eval
    from workers.evaluate.ner import is_token_file

    if args.gold is not None and not args.gold.is_file():
        raise UsageError(f"no such gold file: {args.gold}")
    if args.gold is not None and is_token_file(args.gold):  # `lagebild eval NER-de-test.tsv`
        if args.germeval is not None:
            raise UsageError(f"{args.gold} is a CoNLL/GermEval file: give it once")
        args.gold, args.germeval = None, args.gold
    if args.gold is None and args.germeval is None and args.corpus is None:
        raise UsageError(
            "nothing to evaluate: give a gold JSONL file, --germeval TSV or --corpus DIR "
            "(see `lagebild eval --help`)"
        )
    return run_eval(
        args.gold,
        settings,
        sys.stdout,
        germeval=args.germeval,
        corpus=args.corpus,
        fp_topics=args.fp_topics.split(","),
        verbose=args.show,
        halves=("tune", "held-out") if args.half == "both" else (args.half,),
        unlinked=args.unlinked,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lagebild", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="run everything (embedded broker unless Kafka is configured)")
    up.add_argument("--feeds", type=Path, help="feeds.toml (default: the bundled sample feed)")
    up.add_argument("--once", action="store_true", help="drain the feeds once, summarize, exit")
    up.add_argument(
        "--workers",
        type=int,
        help="worker processes to start (default: worker.processes, 1); one per core uses them",
    )
    up.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="with --once: seconds to wait for every item's result",
    )
    up.set_defaults(func=cmd_up)

    broker = sub.add_parser("broker", help="run the embedded Kafka-protocol broker")
    broker.add_argument("--port", type=int, default=0, help="default: a free port")
    broker.set_defaults(func=cmd_broker)

    sub.add_parser("topics", help="create or verify every topic").set_defaults(func=cmd_topics)

    poll = sub.add_parser("poll", help="run the feed poller")
    poll.add_argument(
        "--feeds",
        type=Path,
        help="feeds.toml: one [[publisher]] with name and feeds (and optional language, "
        "url_include, url_exclude) each, see deploy/feeds.toml; default: the bundled sample",
    )
    poll.add_argument("--once", action="store_true", help="one polling round, then exit")
    poll.set_defaults(func=cmd_poll)

    feeds = sub.add_parser("feeds", help="per-feed health: last success, items, next due, errors")
    feeds.add_argument("--feeds", type=Path, help="feeds.toml: also list feeds never polled")
    feeds.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    feeds.set_defaults(func=cmd_feeds)

    sub.add_parser(
        "worker",
        help="run a faust worker with all agents",
        description="A faust worker with every stage; more workers share the partitions. "
        "Its web port (worker.web_port) serves /metrics (Prometheus), /healthz and /readyz.",
    ).set_defaults(func=cmd_worker)

    subscribe = sub.add_parser(
        "subscribe", help="follow the enriched records (or, with --rejected, the dead letters)"
    )
    subscribe.add_argument("--topic", help="a news topic id, e.g. kursk (reads its topic)")
    subscribe.add_argument(
        "--rejected", action="store_true", help="read news.rejected: stage, reason, detail"
    )
    subscribe.add_argument("--entity", help="a Wikidata id or a name")
    subscribe.add_argument(
        "--from-beginning", action="store_true", help="also the records already on the topic"
    )
    subscribe.add_argument("--max", type=int, help="stop after N records")
    subscribe.add_argument("--timeout", type=float, help="stop after S seconds without a record")
    subscribe.add_argument("--json", action="store_true", help="JSON lines instead of text")
    subscribe.set_defaults(func=cmd_subscribe)

    dashboard = sub.add_parser(
        "dashboard",
        help="a live page of the newest items, counts per topic, rejections, throughput, lag",
        description="Serves a web page over the terminal topics (all partitions, no consumer "
        "group): the newest items with topic and entity chips and their dedup verdict, items "
        "per news topic over time, rejections by reason, throughput and the workers' lag; "
        "filters by topic and entity. `lagebild up` starts one too.",
    )
    dashboard.add_argument("--host", help="default: dashboard.host (127.0.0.1)")
    dashboard.add_argument("--port", type=int, help="default: dashboard.port (6080); 0: a free one")
    dashboard.set_defaults(func=cmd_dashboard)

    enrich = sub.add_parser(
        "enrich",
        help="JSON lines through the stages, no Kafka",
        description="Runs each input line through clean, dedup and tag, as the worker does, "
        "and writes one JSON line per input line with status enriched, duplicate or rejected "
        "(a line that is not UTF-8 JSON is rejected; the others go on).",
        epilog="Input fields per line (a JSON object): title, text or html (the article), "
        "and optionally id, url, summary, published (ISO date-time), source (publisher name "
        "or {publisher, feed}), authors (list), language (hint, e.g. de), version. Without id, "
        "the id comes from the URL, or from title and text.",
    )
    enrich.add_argument("file", nargs="?", default="-", help="a JSONL file, or - for stdin")
    enrich.add_argument(
        "--no-fetch",
        action="store_true",
        help="offline: do not fetch the article pages of teaser-only items",
    )
    enrich.set_defaults(func=cmd_enrich)

    from workers.cli import audit, backfill, replay

    backfill_p = sub.add_parser("backfill", help="load archives, pages, URL lists or feeds")
    backfill.add_arguments(backfill_p)
    backfill_p.set_defaults(func=cmd_backfill)

    replay_p = sub.add_parser("replay", help="reprocess raw items; publish what changed")
    replay.add_arguments(replay_p)
    replay_p.set_defaults(func=cmd_replay)

    audit_p = sub.add_parser("audit", help="check that every raw item has one terminal record")
    audit.add_arguments(audit_p)
    audit_p.set_defaults(func=cmd_audit)
    evaluate = sub.add_parser(
        "eval",
        help="score entities and topics against gold data, no Kafka",
        description="Per-topic precision/recall/F1 and entity precision/recall on a gold "
        "file; with --germeval also PER/LOC/ORG figures on GermEval 2014, with --corpus the "
        "false-positive share on sport/culture/science news. Matching rule: see "
        "workers/cli/eval.py. Everything at once, e.g.: lagebild eval ../shared/samples/"
        "gold.jsonl --germeval ../shared/data/ner/germeval2014/NER-de-dev.tsv "
        "--corpus ../shared/data/corpus",
    )
    evaluate.add_argument(
        "gold",
        type=Path,
        nargs="?",
        help="gold JSONL: articles (file, topics, entities, articles beside it) or headlines "
        "(title and a boolean per topic, e.g. ../shared/data/headlines/labelled.jsonl); or a "
        "CoNLL/GermEval file (a token and its tag per line), as with --germeval",
    )
    evaluate.add_argument(
        "--germeval",
        "--conll",
        type=Path,
        help="PER/LOC/ORG P/R/F1 on a GermEval 2014 or CoNLL-format file (e.g. NER-de-dev.tsv)",
    )
    evaluate.add_argument(
        "--corpus", type=Path, help="folder holding xglue_news_de/dev.txt (false-positive share)"
    )
    evaluate.add_argument(
        "--fp-topics",
        default="desertion,counteroffensive,kursk",
        help="comma-separated topics counted as false positives",
    )
    evaluate.add_argument(
        "--half",
        choices=("both", "tune", "held-out"),
        default="both",
        help="headline file: which half of its hash split to score (tune rules on 'tune')",
    )
    evaluate.add_argument(
        "--unlinked",
        type=int,
        default=0,
        metavar="N",
        help="with --corpus: list the N names outside the knowledge base found in most articles",
    )
    evaluate.add_argument(
        "--show",
        action="store_true",
        help="list wrong and missed entities (also of a --germeval file) and flagged articles",
    )
    evaluate.set_defaults(func=cmd_eval)
    return parser


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM and SIGHUP become Ctrl-C: in asyncio.run that cancels the main task, so every
    `finally` runs once, in order; elsewhere it raises KeyboardInterrupt."""
    os.kill(os.getpid(), signal.SIGINT)


def quiet_kafka_client() -> None:
    """aiokafka's own "Unable connect" lines repeat what the one-line error says."""
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)


class _NotStartedClients(logging.Filter):
    """ "Unclosed AIOKafkaConsumer" is about a client whose start failed (the broker is away):
    noise under the one-line error; -v shows it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Unclosed AIOKafka")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # SIGTERM and SIGHUP (the terminal closed) stop a command the way Ctrl-C does, so
    # the broker and worker processes that `up` and `broker` started are stopped too;
    # and Ctrl-C works even when the shell that started us ignored SIGINT (a background
    # job of a script).
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    level = logging.INFO if args.verbose else logging.WARNING
    configure_logging(level)
    settings: Settings | None = None
    try:
        settings = get_settings()
        if args.command == "worker" and not args.verbose:
            level = settings.worker.log_level.upper()
        configure_logging(level, settings.log_format, settings.log_repeats_every)
        if not args.verbose:
            quiet_kafka_client()
            logging.getLogger("asyncio").addFilter(_NotStartedClients())
        return int(args.func(args, settings) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `lagebild … | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        # one line that says what to do; the traceback only with -v
        if args.verbose:
            traceback.print_exc()
        print(f"lagebild {args.command}: {explain(exc, settings)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
