"""`lagebild replay`: run raw items through the current stages; publish what changed."""

from __future__ import annotations

import argparse
import asyncio

from workers.cli.audit import add_range_arguments, resolve_range
from workers.settings import Settings
from workers.topics import RAW_TOPICS

MAX_LISTED = 50


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_range_arguments(parser)
    parser.add_argument("--topic", help="only items that have (or had) this news topic id")
    parser.add_argument("--entity", help="only items mentioning this entity (Wikidata id/name)")
    parser.add_argument("--source", help="only items of this publisher (or feed URL part)")
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would change, publish nothing"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from workers.replay import replay

    offsets, until = resolve_range(args)
    report = asyncio.run(
        replay(
            settings,
            args.since,
            until,
            offsets,
            tuple(args.raw_topic or RAW_TOPICS),
            args.source,
            args.topic,
            args.entity,
            args.dry_run,
            args.idle,
        )
    )
    mode = "dry run, nothing published" if report.dry_run else f"run {report.run_id}"
    print(
        f"replay ({mode}): {report.raw_records} raw records, {report.ids} item ids"
        + (f", {report.filtered_out} filtered out" if report.filtered_out else "")
    )
    print(f"unchanged: {report.unchanged}")
    print(f"changed: {len(report.changes)}")
    for stage, n in sorted(report.by_stage().items()):
        print(f"  by stage {stage}: {n}")
    gained, lost = report.topics()
    for topic_id, n in sorted(gained.items()):
        print(f"  topic {topic_id} gained: {n}")
    for topic_id, n in sorted(lost.items()):
        print(f"  topic {topic_id} lost: {n}")
    for c in report.changes[:MAX_LISTED]:
        tags = " ".join([*(f"+{t}" for t in c.gained), *(f"-{t}" for t in c.lost)])
        print(
            f"  {c.item_id} v{c.version} {c.stage}: {c.before} -> {c.after} {tags}".rstrip()
            + f" ({', '.join(c.fields)})"
        )
    if report.missing:
        print(f"without a terminal record (run `lagebild audit --repair`): {len(report.missing)}")
    if not report.dry_run:
        print(f"published: {report.published}")
    return 0
