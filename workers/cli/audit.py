"""`lagebild audit`: every raw item ends in exactly one terminal record."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime

from workers.backfill import parse_since
from workers.settings import Settings
from workers.topics import RAW, RAW_TOPICS

MAX_LISTED = 50


def add_range_arguments(parser: argparse.ArgumentParser) -> None:
    """--since/--until/--from-offsets/--raw-topic/--idle, shared with `lagebild replay`."""
    parser.add_argument(
        "--since",
        type=parse_since,
        metavar="TIME",
        help="raw records from TIME (ISO date or date-time; naive is UTC)",
    )
    parser.add_argument(
        "--until", type=parse_since, metavar="TIME", help="raw records up to TIME (default: now)"
    )
    parser.add_argument(
        "--from-offsets",
        metavar="[TOPIC:]P=O,…",
        help=f"start these partitions at these offsets (TOPIC default {RAW}); "
        "other partitions are not read",
    )
    parser.add_argument(
        "--raw-topic",
        action="append",
        choices=RAW_TOPICS,
        help="raw topic(s) to read (default: all)",
    )
    parser.add_argument(
        "--idle",
        type=float,
        default=1.5,
        help="seconds a partition must be quiet to count as read to its end",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_range_arguments(parser)
    parser.add_argument(
        "--repair",
        action="store_true",
        help="publish the raw record of every missing id again (never what is queued or in flight)",
    )
    parser.add_argument(
        "--grace",
        type=float,
        help="seconds after which a consumed record without a result counts as missing "
        "(default: audit.grace, 300)",
    )


def resolve_range(
    args: argparse.Namespace,
) -> tuple[dict[tuple[str, int], int] | None, datetime | None]:
    """(start offsets, until) of the range options; without offsets, until defaults to now.

    Exits with a message on malformed ``--from-offsets``.
    """
    from workers.records import utcnow
    from workers.replay.read import parse_offsets

    try:
        offsets = parse_offsets(args.from_offsets, RAW) if args.from_offsets else None
    except ValueError as exc:
        raise SystemExit(f"--from-offsets: {exc}") from exc
    return offsets, args.until or (None if offsets else utcnow())


def run(args: argparse.Namespace, settings: Settings) -> int:
    from workers.audit import audit

    offsets, until = resolve_range(args)
    report = asyncio.run(
        audit(
            settings,
            args.since,
            until,
            offsets,
            args.repair,
            args.idle,
            tuple(args.raw_topic or RAW_TOPICS),
            args.grace,
        )
    )
    print(
        f"raw records: {report.raw_records} ({report.undecodable} undecodable), "
        f"item ids: {report.ids}"
    )
    print(f"ok: {report.ok} ({', '.join(f'{t} {n}' for t, n in sorted(report.by_topic.items()))})")
    print(f"queued (not yet taken by the workers): {len(report.queued)}")
    print(f"in flight (taken, younger than the grace period): {len(report.in_flight)}")
    print(f"missing: {len(report.missing)}")
    for item_id in report.missing[:MAX_LISTED]:
        print(f"  {item_id}")
    print(f"more than one result: {len(report.multiple)}")
    for item_id, topics in list(report.multiple.items())[:MAX_LISTED]:
        print(f"  {item_id}: {', '.join(topics)}")
    if args.repair:
        print(f"repaired (raw record published again): {len(report.repaired)}")
        return 0 if not report.multiple else 1
    return 0 if report.clean else 1
