"""One line that says what went wrong and what to do, for each failure a user can cause.

`main` catches what a command raises and prints :func:`explain`'s line; the
traceback is for ``-v``. An exception nobody anticipated still gets one line,
with its type, and the hint that ``-v`` shows where it came from.
"""

from __future__ import annotations

import tomllib

from aiokafka.errors import KafkaConnectionError, KafkaError
from pydantic import ValidationError

from workers.settings import Settings


class UsageError(Exception):
    """A command was given something it cannot work with; the message says what to give."""


def explain(exc: BaseException, settings: Settings | None) -> str:
    """The one-line message for ``exc``."""
    bootstrap = settings.kafka.bootstrap_servers if settings else None
    if isinstance(exc, KafkaConnectionError) or (
        isinstance(exc, KafkaError) and "bootstrap" in str(exc).lower()
    ):
        return (
            f"cannot reach Kafka at {bootstrap or '?'}: is KAFKA_BOOTSTRAP_SERVERS right and the "
            "broker up? (`lagebild broker` starts an embedded one; `lagebild up` without "
            "KAFKA_BOOTSTRAP_SERVERS runs everything on it)"
        )
    if isinstance(exc, KafkaError):
        return f"Kafka error from {bootstrap or '?'}: {exc}"
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename} is a directory: give a file"
    if isinstance(exc, FileNotFoundError):
        return f"no such file: {exc.filename}"
    if isinstance(exc, PermissionError):
        return f"cannot read {exc.filename}: permission denied"
    if isinstance(exc, tomllib.TOMLDecodeError):
        return f"not valid TOML: {exc}"
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return f"invalid settings ({problems}): check the LAGEBILD_* variables and LAGEBILD_CONFIG"
    if isinstance(exc, UsageError | ValueError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}"
    return f"{type(exc).__name__}: {exc} (run with -v for the traceback)"
