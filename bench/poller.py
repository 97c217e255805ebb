"""The poller against 2,000 feeds served locally with realistic delays, on the embedded broker.

    .venv/bin/python bench/poller.py [--feeds 2000] [--baseline 100]

A feed server in a separate process serves ``--feeds`` RSS feeds (15 entries each)
from 200 host names (resolved to 127.0.0.1 by the benchmark's own resolver, so the
per-host limits apply as they would on the internet). Feed n behaves by n:
1 in 10 is slow (1-3 s), 1 in 25 fails (HTTP 500, or hangs past the timeout),
the rest answer in 20-200 ms; every feed has an ETag and answers 304 to it, and
between rounds 1 in 5 feeds gets a new entry. Measured from one process:

- cold round: every feed fetched and parsed, every entry published to news.raw;
- warm round: conditional GETs, mostly 304, new entries only;
- baseline: the old way, one feed after another (``poller.concurrency = 1``), on
  ``--baseline`` feeds, extrapolated to ``--feeds``.

Wall time, CPU time (user + system) and peak RSS are printed, with the ratio
baseline / concurrent measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import random
import resource
import socket
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workers import kafka  # noqa: E402
from workers.broker import EmbeddedBroker, free_port  # noqa: E402
from workers.http import make_client  # noqa: E402
from workers.poller.feeds import Publisher  # noqa: E402
from workers.poller.run import Poller, PollReport  # noqa: E402
from workers.provision import ensure_topics  # noqa: E402
from workers.settings import BrokerSettings, Settings  # noqa: E402

HOSTS = 200
ENTRIES = 15


def behaviour(n: int) -> tuple[str, float]:
    """(kind, delay in seconds) of feed n: the same every run."""
    rng = random.Random(n)
    if n % 25 == 7:
        return ("hang" if n % 50 == 7 else "fail"), 0.05
    if n % 10 == 3:
        return "slow", rng.uniform(1.0, 3.0)
    return "ok", rng.uniform(0.02, 0.2)


def feed_body(n: int, generation: int) -> bytes:
    entries = "".join(
        f"<item><title>Meldung {i} aus Feed {n}: Gemeinderat beschließt Haushalt</title>"
        f"<link>https://h{n % HOSTS}.bench.test/{n}/artikel-{i}.html</link>"
        f"<guid>https://h{n % HOSTS}.bench.test/{n}/artikel-{i}.html</guid>"
        f"<pubDate>Mon, 0{1 + i % 9} Jan 2030 1{i % 10}:00:00 +0100</pubDate>"
        f"<description>Der Gemeinderat hat am Montag den Haushalt für das kommende "
        f"Jahr beschlossen; Meldung {i}.</description></item>"
        for i in range(generation, generation + ENTRIES)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Feed {n}</title><link>https://h{n % HOSTS}.bench.test/</link>"
        f"<language>de</language>{entries}</channel></rss>"
    ).encode()


def serve(sock: socket.socket, changed_after: multiprocessing.synchronize.Event) -> None:
    """The feed server (its own process): /feed/<n>.xml, ETag "g<generation>"."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
                n = int(path.rsplit("/", 1)[-1].removesuffix(".xml"))
                kind, delay = behaviour(n)
                await asyncio.sleep(delay)
                if kind == "hang":
                    await asyncio.sleep(30)
                    return
                if kind == "fail":
                    writer.write(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")
                    await writer.drain()
                    continue
                generation = 1 if changed_after.is_set() and n % 5 == 0 else 0
                etag = f'"g{generation}"'
                if headers.get("If-None-Match") == etag:
                    writer.write(f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\n\r\n".encode())
                else:
                    body = feed_body(n, generation)
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                        + f"ETag: {etag}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError, ValueError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, sock=sock, backlog=2048)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def poll_rounds(
    settings: Settings,
    port: int,
    feeds: int,
    changed: multiprocessing.synchronize.Event,
    rounds: int,
) -> list[tuple[float, float, PollReport]]:
    publishers = [
        Publisher(
            name=f"h{h}",
            feeds=tuple(
                f"http://h{h}.bench.test:{port}/feed/{n}.xml" for n in range(h, feeds, HOSTS)
            ),
        )
        for h in range(min(HOSTS, feeds))
    ]

    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    producer = kafka.producer(settings)
    await producer.start()
    results = []
    try:
        client = make_client(
            settings.http, "feed", resolver=resolver, max_connections=settings.poller.concurrency
        )
        async with client:
            poller = Poller(settings, publishers, producer, client)
            await poller.load()
            for number in range(rounds):
                if number == 1:
                    changed.set()
                start, cpu = time.perf_counter(), cpu_seconds()
                report = await poller.poll_once()
                await poller.flush()
                results.append((time.perf_counter() - start, cpu_seconds() - cpu, report))
    finally:
        await producer.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--baseline", type=int, default=100, help="feeds for the sequential run")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # failing feeds are expected: no line each

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    port = sock.getsockname()[1]
    changed = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(sock, changed), daemon=True)
    server.start()
    try:
        with EmbeddedBroker(BrokerSettings(port=free_port())) as broker:
            base = (
                Settings()
                .with_embedded_broker(broker.bootstrap)
                .replace(http={"allow_private_feeds": True, "timeout": 5.0})  # from 127.0.0.1
            )
            asyncio.run(ensure_topics(base, []))

            sequential = base.replace(kafka={"topic_prefix": "seq."}, poller={"concurrency": 1})
            asyncio.run(ensure_topics(sequential, []))
            [(seq_wall, seq_cpu, _)] = asyncio.run(
                poll_rounds(sequential, port, args.baseline, multiprocessing.Event(), 1)
            )
            rss_before = peak_rss_mb()

            cold, warm = asyncio.run(poll_rounds(base, port, args.feeds, changed, 2))
    finally:
        server.terminate()
        server.join()

    scale = args.feeds / args.baseline
    print(f"feeds: {args.feeds} on {min(HOSTS, args.feeds)} hosts, {ENTRIES} entries each")
    print(
        f"baseline, one feed after another ({args.baseline} feeds): {seq_wall:6.1f} s wall, "
        f"{seq_cpu:5.1f} s CPU -> {seq_wall * scale:7.0f} s for {args.feeds} feeds (extrapolated)"
    )
    for name, (wall, cpu, report) in (("cold round", cold), ("warm round", warm)):
        print(
            f"{name}: {wall:6.1f} s wall, {cpu:5.1f} s CPU ({cpu / wall:.0%} of one core); {report}"
        )
    print(f"peak RSS: {peak_rss_mb():.0f} MB (after the baseline: {rss_before:.0f} MB)")
    print(f"speed-up of a cold round over the baseline: {seq_wall * scale / cold[0]:.1f}x")
    print(f"goal: a full round under 60 s: {'met' if max(cold[0], warm[0]) < 60 else 'NOT met'}")
    print(f"load average during the run (2 cores shared): {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
